import fc from 'fast-check';
import { mergePatch, sameJson } from './merge-patch.js';

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

/** JSON with keys sorted and undefined values left out: equal texts mean the same JSON. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The same value with every object's keys in reverse order. */
function reordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reordered);
  if (typeof v === 'object' && v !== null)
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reordered(x)]),
    );
  return v;
}

describe('sameJson', () => {
  // Small alphabets so that generated values collide often enough to test equality. Undefined
  // only as an object's value: JSON has no undefined in arrays.
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(null, true, 0, 1, 'a', 'b'),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.option(tie('value'), { nil: undefined }), {
        maxKeys: 3,
      }),
    ),
  }));

  it('holds exactly when the two values serialize to the same JSON, whatever the order of keys', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(sameJson(a, b)).toBe(canonical(a) === canonical(b));
        expect(sameJson(a, reordered(a))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('holds exactly when the merge patch between two objects is empty', () => {
    const object = fc.dictionary(fc.constantFrom('a', 'b', 'c'), value, { maxKeys: 3 });
    fc.assert(
      fc.property(object, object, (a, b) => {
        expect(sameJson(a, b)).toBe(mergePatch(a, b) === undefined);
      }),
      { numRuns: 2000 },
    );
  });
});
