import { mergePatch } from './merge-patch.js';

describe('mergePatch', () => {
  it.each([
    { name: 'equal objects', from: { a: 1, b: { c: 'x' } }, to: { a: 1, b: { c: 'x' } }, want: undefined },
    { name: 'a changed scalar', from: { a: 1 }, to: { a: 2 }, want: { a: 2 } },
    { name: 'a removed key', from: { a: 1, b: 2 }, to: { a: 1 }, want: { b: null } },
    { name: 'an added key', from: {}, to: { a: [1] }, want: { a: [1] } },
    { name: 'a nested change', from: { m: { x: 1, y: 2 } }, to: { m: { x: 1 } }, want: { m: { y: null } } },
    { name: 'an array replaced whole', from: { l: [1, 2] }, to: { l: [2] }, want: { l: [2] } },
    { name: 'an equal array', from: { l: [{ a: 1 }] }, to: { l: [{ a: 1 }] }, want: undefined },
    { name: 'from nothing', from: undefined, to: { a: 1 }, want: { a: 1 } },
    { name: 'undefined values are absent', from: { a: 1 }, to: { a: 1, b: undefined }, want: undefined },
  ])('$name', ({ from, to, want }) => {
    expect(mergePatch(from, to)).toEqual(want);
  });
});
