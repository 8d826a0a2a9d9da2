/** One suite for every Sorter implementation (as Mesos runs its sorter tests for both). */
import { DrfSorter } from './drf-sorter.js';
import { RandomSorter } from './random-sorter.js';
import { dominantShare, type Sorter, type SorterOptions } from './sorter.js';

const none = new Set<number>();

const factories: Array<[string, (o: SorterOptions) => Sorter]> = [
  ['DrfSorter', (o) => new DrfSorter(o)],
  ['RandomSorter', (o) => new RandomSorter(o, 42)],
];

describe.each(factories)('%s (shared suite)', (_name, make) => {
  const flat = (): Sorter => make({ hierarchical: false, excluded: none });
  const tree = (): Sorter => make({ hierarchical: true, excluded: none });

  it('adds, counts and removes clients', () => {
    const s = flat();
    s.add('a');
    s.add('b');
    expect(s.count()).toBe(2);
    expect(s.contains('a')).toBe(true);
    s.remove('a');
    expect(s.contains('a')).toBe(false);
    expect(s.sort()).toEqual(['b']);
    expect(() => s.add('b')).toThrow(/already/);
    expect(() => s.remove('zz')).toThrow(/no client/);
  });

  it('sort returns every active client exactly once', () => {
    const s = tree();
    for (const c of ['a', 'b/x', 'b/y', 'b', 'c/d/e']) s.add(c);
    s.addTotal([100]);
    expect([...s.sort()].sort()).toEqual(['a', 'b', 'b/x', 'b/y', 'c/d/e']);
  });

  it('keeps subtrees together', () => {
    const s = tree();
    for (const c of ['a', 'b/x', 'b/y', 'c']) s.add(c);
    s.addTotal([100]);
    const order = s.sort();
    const ix = order.indexOf('b/x');
    const iy = order.indexOf('b/y');
    expect(Math.abs(ix - iy)).toBe(1);
  });

  it('leaves out inactive clients and brings them back', () => {
    const s = flat();
    s.add('a');
    s.add('b');
    s.deactivate('a');
    expect(s.isActive('a')).toBe(false);
    expect(s.sort()).toEqual(['b']);
    expect(s.first()).toBe('b');
    s.deactivate('b');
    expect(s.first()).toBeUndefined();
    s.activate('a');
    expect(s.sort()).toEqual(['a']);
  });

  it('tracks allocations and counts', () => {
    const s = flat();
    s.add('a');
    s.addTotal([10, 10]);
    s.allocated('a', [1, 2]);
    s.allocated('a', [1]);
    s.unallocated('a', [0, 2]);
    expect(s.allocation('a')).toEqual([2, 0]);
    expect(s.allocationCount('a')).toBe(2);
  });

  // Each case is played on twin sorters fed the same calls: RandomSorter draws a fresh order
  // per call, so first() on one twin must match sort()[0] on the other (same seed, same draw).
  it.each<[string, boolean, (s: Sorter) => void]>([
    ['no clients', false, () => undefined],
    [
      'flat, allocations differ',
      false,
      (s) => {
        for (const c of ['a', 'b', 'c']) s.add(c);
        s.addTotal([10, 10]);
        s.allocated('a', [3]);
        s.allocated('c', [0, 1]);
      },
    ],
    [
      'hierarchy with a heavier subtree',
      true,
      (s) => {
        for (const c of ['a', 'b', 'c/x', 'c/y']) s.add(c);
        s.addTotal([10]);
        s.allocated('a', [3]);
        s.allocated('c/x', [1]);
        s.updateWeight('c', 4);
      },
    ],
    [
      'the lightest client inactive',
      false,
      (s) => {
        for (const c of ['a', 'b']) s.add(c);
        s.addTotal([10]);
        s.allocated('b', [5]);
        s.deactivate('a');
      },
    ],
    [
      'a subtree with every client inactive',
      true,
      (s) => {
        for (const c of ['a/x', 'b']) s.add(c);
        s.addTotal([10]);
        s.allocated('b', [5]);
        s.deactivate('a/x');
      },
    ],
  ])('first() is sort()[0] and visit() walks sort() order: %s', (_name, hierarchical, setup) => {
    const build = (): Sorter => {
      const s = make({ hierarchical, excluded: none });
      setup(s);
      return s;
    };
    const [bySort, byFirst, byVisit] = [build(), build(), build()];
    const order = bySort.sort();
    expect(byFirst.first()).toBe(order[0]);
    const seen: string[] = [];
    byVisit.visit((c) => {
      seen.push(c);
      return seen.length < 2;
    });
    // visit stops after the callback returns false: at most two clients, in sort() order
    expect(seen).toEqual(order.slice(0, 2));
  });

  it('rejects bad weights and empty path segments', () => {
    const s = tree();
    expect(() => s.updateWeight('a', 0)).toThrow(/positive/);
    expect(() => s.add('a//b')).toThrow(/empty segment/);
  });
});

describe('dominantShare', () => {
  it.each([
    // <1 cpu, 4 mem> of <9, 18>: max(1/9, 4/18) = 2/9
    [[1, 4], [9, 18], none, 2 / 9],
    // gpu slot 2 excluded: max(1/10, 0) = 0.1
    [[1, 0, 4], [10, 10, 4], new Set([2]), 0.1],
    // no total for slot 1: ignored
    [[1, 5], [4], none, 0.25],
  ])('%j of %j → %d', (alloc, total, excluded, want) => {
    expect(dominantShare(alloc, total, excluded)).toBeCloseTo(want, 12);
  });
});
