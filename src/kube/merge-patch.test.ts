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
    // The API server answers with sorted keys: a condition read back is the one written.
    {
      name: 'an array of objects whose keys come in another order',
      from: { conditions: [{ message: 'm', status: 'False', type: 'Scheduled' }] },
      to: { conditions: [{ type: 'Scheduled', status: 'False', message: 'm' }] },
      want: undefined,
    },
    {
      name: 'an array of objects that differ',
      from: { l: [{ a: 1, b: 2 }] },
      to: { l: [{ b: 2, a: 3 }] },
      want: { l: [{ b: 2, a: 3 }] },
    },
    {
      name: 'a key left undefined',
      from: { l: [{ a: 1 }] },
      to: { l: [{ a: 1, b: undefined }] },
      want: undefined,
    },
    { name: 'from nothing', from: undefined, to: { a: 1 }, want: { a: 1 } },
    { name: 'undefined values are absent', from: { a: 1 }, to: { a: 1, b: undefined }, want: undefined },
  ])('$name', ({ from, to, want }) => {
    expect(mergePatch(from, to)).toEqual(want);
  });
});
