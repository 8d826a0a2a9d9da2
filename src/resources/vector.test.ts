import {
  add,
  addInto,
  contains,
  denseContains,
  denseSubClamped,
  equals,
  formatResources,
  isEmpty,
  max,
  parseResourceList,
  ResourceIndex,
  subInto,
  subtractClamped,
} from './vector.js';

describe('Resources', () => {
  it('parses a resource list exactly and drops zeros', () => {
    expect(parseResourceList({ cpu: '1.5', memory: '1Gi', 'nvidia.com/gpu': '0' })).toEqual({
      cpu: 1500,
      memory: 2 ** 30,
    });
  });

  it('rejects negative requests naming the resource', () => {
    expect(() => parseResourceList({ cpu: '-1' })).toThrow(/resource "cpu"/);
  });

  it.each([
    ['add', add({ cpu: 1 }, { cpu: 2, memory: 3 }), { cpu: 3, memory: 3 }],
    ['subtract clamps at zero', subtractClamped({ cpu: 1, memory: 5 }, { cpu: 2, memory: 3 }), { memory: 2 }],
    ['max', max({ cpu: 1, memory: 9 }, { cpu: 2 }), { cpu: 2, memory: 9 }],
  ])('%s', (_name, got, want) => {
    expect(got).toEqual(want);
  });

  it.each([
    [{ cpu: 2, memory: 2 }, { cpu: 2 }, true],
    [{ cpu: 2 }, { cpu: 2, memory: 1 }, false],
    [{}, {}, true],
  ])('contains(%j, %j) = %s', (a, b, want) => {
    expect(contains(a, b)).toBe(want);
  });

  it.each([
    [{ cpu: 1, memory: 0 }, { cpu: 1 }, true],
    [{ cpu: 1 }, { cpu: 1, memory: 1 }, false],
    [{ cpu: 1, memory: 1 }, { cpu: 1 }, false],
    [{ cpu: 2 }, { cpu: 1 }, false],
  ])('equals(%j, %j) = %s: missing is zero', (a, b, want) => {
    expect(equals(a, b)).toBe(want);
  });

  it.each([
    [{}, true],
    [{ cpu: 0 }, true],
    [{ cpu: 0, memory: 1 }, false],
  ])('isEmpty(%j) = %s', (a, want) => {
    expect(isEmpty(a)).toBe(want);
  });

  it('formats for humans', () => {
    expect(formatResources({ memory: 2 ** 31, cpu: 1500 })).toBe('cpu=1500m, memory=2Gi');
    expect(formatResources({})).toBe('(none)');
  });
});

describe('ResourceIndex and Dense', () => {
  it('round-trips and grows', () => {
    const idx = new ResourceIndex();
    const a = idx.toDense({ cpu: 1000, memory: 5 });
    const b = idx.toDense({ 'nvidia.com/gpu': 1 });
    expect(idx.size).toBe(3);
    addInto(a, b);
    expect(idx.toResources(a)).toEqual({ cpu: 1000, memory: 5, 'nvidia.com/gpu': 1 });
    subInto(a, b);
    expect(idx.toResources(a)).toEqual({ cpu: 1000, memory: 5 });
    expect(denseContains(a, [1000])).toBe(true);
    expect(denseContains([1000], a)).toBe(false);
    expect(denseSubClamped([1, 5], [3])).toEqual([0, 5]);
    expect(idx.peek('nope')).toBe(-1);
  });
});
