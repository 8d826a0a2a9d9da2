import fc from 'fast-check';
import { DrfSorter } from './drf-sorter.js';
import { RandomSorter } from './random-sorter.js';

const GPU = 2;

function drf(hierarchical = false, excluded: number[] = []): DrfSorter {
  return new DrfSorter({ hierarchical, excluded: new Set(excluded) });
}

describe('DrfSorter', () => {
  it.each<[string, Array<[string, number[]]>, string[]]>([
    // a = max(2/10, 0) = .2; b = max(1/10, 3/10) = .3; c = 0
    [
      'lowest dominant share first',
      [
        ['a', [2, 0]],
        ['b', [1, 3]],
        ['c', []],
      ],
      ['c', 'a', 'b'],
    ],
    // a = .2 (cpu), b = .2 (mem): tie on share → fewer allocations (b: 1, a: 2) first
    [
      'ties break on allocation count',
      [
        ['a', [1]],
        ['a', [1]],
        ['b', [0, 2]],
      ],
      ['b', 'a'],
    ],
    // a = b = .1, one allocation each: tie → name
    [
      'then on name',
      [
        ['b', [1]],
        ['a', [1]],
      ],
      ['a', 'b'],
    ],
  ])('%s', (_name, allocations, want) => {
    const s = drf();
    for (const c of new Set(allocations.map(([c]) => c))) s.add(c);
    s.addTotal([10, 10]);
    for (const [c, r] of allocations) s.allocated(c, r);
    expect(s.sort()).toEqual(want);
    s.checkInvariants();
  });

  it('divides the dominant share by the weight', () => {
    const s = drf();
    s.add('a');
    s.add('b');
    s.addTotal([100]);
    s.updateWeight('a', 3);
    s.allocated('a', [30]);
    s.allocated('b', [20]);
    // a = .30 / 3 = .10; b = .20 / 1 = .20
    expect(s.share('a')).toBeCloseTo(0.1, 12);
    expect(s.share('b')).toBeCloseTo(0.2, 12);
    expect(s.sort()).toEqual(['a', 'b']);
  });

  it('skips fairness-excluded resources', () => {
    const s = drf(false, [GPU]);
    s.add('gpu-user');
    s.add('cpu-user');
    s.addTotal([100, 100, 4]);
    s.allocated('gpu-user', [10, 0, 4]);
    s.allocated('cpu-user', [20, 0, 0]);
    // gpu-user = max(.10, gpu excluded) = .10; cpu-user = .20
    expect(s.share('gpu-user')).toBeCloseTo(0.1, 12);
    expect(s.sort()).toEqual(['gpu-user', 'cpu-user']);
  });

  it('sorts hierarchical roles level by level', () => {
    const s = drf(true);
    for (const r of ['eng/ml', 'eng/web', 'ops']) s.add(r);
    s.addTotal([100, 100]);
    s.allocated('eng/ml', [10]);
    s.allocated('eng/web', [30]);
    s.allocated('ops', [25]);
    // level 1: eng = (10+30)/100 = .40, ops = .25 → ops first
    // level 2 inside eng: ml = .10, web = .30
    expect(s.sort()).toEqual(['ops', 'eng/ml', 'eng/web']);
    expect(s.share('eng')).toBeCloseTo(0.4, 12);
    s.updateWeight('eng', 2);
    // eng = .40 / 2 = .20 < ops .25
    expect(s.sort()).toEqual(['eng/ml', 'eng/web', 'ops']);
    s.checkInvariants();
  });

  it("puts a role's own allocation beside its children", () => {
    const s = drf(true);
    s.add('eng');
    s.add('eng/ml');
    s.addTotal([100]);
    s.allocated('eng', [5]);
    s.allocated('eng/ml', [1]);
    // inside eng: eng (own) = .05, eng/ml = .01
    expect(s.sort()).toEqual(['eng/ml', 'eng']);
    s.remove('eng/ml');
    expect(s.sort()).toEqual(['eng']);
    s.checkInvariants();
  });

  it('weighs a role only against its siblings: its own frameworks are a hidden child of weight 1', () => {
    const s = drf(true);
    s.add('eng');
    s.add('eng/ml');
    s.addTotal([100]);
    s.updateWeight('eng', 4);
    s.allocated('eng', [20]);
    s.allocated('eng/ml', [10]);
    // inside eng: eng/. = .20 / 1 = .20, eng/ml = .10 / 1 = .10 → eng/ml first.
    // Weighing eng's own leaf by eng's weight (.20 / 4 = .05) would put it first.
    expect(s.sort()).toEqual(['eng/ml', 'eng']);
    s.updateWeight('eng/ml', 4);
    // eng/ml = .10 / 4 = .025, eng/. stays .20
    expect(s.sort()).toEqual(['eng/ml', 'eng']);
    s.allocated('eng/ml', [70]);
    // eng/ml = .80 / 4 = .20, eng/. = .20: tie on share; eng/ml has 2 allocations, eng/. 1 → eng first
    expect(s.sort()).toEqual(['eng', 'eng/ml']);
    // eng's weight still counts against its siblings: eng = 1.00 / 4 = .25 vs ops = .30
    s.add('ops');
    s.allocated('ops', [30]);
    expect(s.sort()[0]).toBe('eng');
    s.checkInvariants();
  });

  it('moves only the changed client (incremental) and re-sorts after a pool change', () => {
    const s = drf();
    for (const c of ['a', 'b', 'c']) s.add(c);
    s.addTotal([10, 100]);
    s.allocated('a', [5]);
    s.allocated('b', [0, 40]);
    // a = .5, b = .4, c = 0
    expect(s.sort()).toEqual(['c', 'b', 'a']);
    s.addTotal([90]);
    // total cpu 100: a = .05, b = .40
    expect(s.sort()).toEqual(['c', 'a', 'b']);
    s.unallocated('b', [0, 40]);
    // b = 0, c = 0: count b 1 > c 0
    expect(s.sort()).toEqual(['c', 'b', 'a']);
    s.checkInvariants();
  });

  it('keeps inactive clients’ allocations and lists them in order again', () => {
    const s = drf();
    s.add('a');
    s.add('b');
    s.addTotal([10]);
    s.deactivate('a');
    s.allocated('a', [5]);
    s.activate('a');
    expect(s.sort()).toEqual(['b', 'a']);
    expect(s.allocation('a')).toEqual([5]);
    s.checkInvariants();
  });
});

describe('RandomSorter', () => {
  it('gives the same orders for the same seed', () => {
    const orders = (seed: number): string[][] => {
      const s = new RandomSorter({ hierarchical: true, excluded: new Set() }, seed);
      for (const c of ['a', 'b', 'c/x', 'c/y', 'd']) s.add(c);
      return [s.sort(), s.sort(), s.sort()];
    };
    expect(orders(7)).toEqual(orders(7));
  });

  it('favours heavier weights', () => {
    const s = new RandomSorter({ hierarchical: false, excluded: new Set() }, 1);
    s.add('heavy');
    s.add('light');
    s.updateWeight('heavy', 9);
    let heavyFirst = 0;
    for (let i = 0; i < 1000; i++) if (s.first() === 'heavy') heavyFirst++;
    // P(heavy first) = 9 / 10
    expect(heavyFirst).toBeGreaterThan(800);
  });
});

describe('DrfSorter incremental order (property)', () => {
  it('breaks ties by name while clients come and go', () => {
    const s = drf(true);
    s.addTotal([10, 10]);
    const live = new Set<string>();
    const names = ['m', 'b/x', 'z', 'b', 'a', 'b/a', 'k/q', 'c', 'b/x/y', 'aa'];
    for (const n of names) {
      s.add(n);
      live.add(n);
    }
    for (const n of ['z', 'b/a', 'c', 'k/q']) {
      s.remove(n);
      live.delete(n);
    }
    for (const n of ['d', 'b/b', 'y', 'ab']) {
      s.add(n);
      live.add(n);
    }
    s.checkInvariants();
    // Every share is 0 and no client was allocated to: each level is in name order.
    expect(s.sort()).toEqual(['a', 'aa', 'ab', 'b', 'b/b', 'b/x', 'b/x/y', 'd', 'm', 'y']);
    expect(new Set(s.sort())).toEqual(live);
  });

  it('matches a full sort after any sequence of allocations', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(59), fc.integer({ min: -30, max: 50 }), fc.nat(3)), { maxLength: 200 }),
        (ops) => {
          const s = drf(true);
          const names = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? `g${i % 4}/c${i}` : `c${i}`));
          for (const n of names) s.add(n);
          s.addTotal([1000, 1000]);
          const alloc = new Map<string, number[]>(names.map((n) => [n, [0, 0]]));
          for (const [i, amount, dim] of ops) {
            const name = names[i] as string;
            const cur = alloc.get(name) as number[];
            const d = dim % 2;
            const delta = d === 0 ? [Math.abs(amount)] : [0, Math.abs(amount)];
            if (amount >= 0) {
              s.allocated(name, delta);
              cur[d] = (cur[d] ?? 0) + Math.abs(amount);
            } else if ((cur[d] ?? 0) >= -amount) {
              s.unallocated(name, delta);
              cur[d] = (cur[d] ?? 0) + amount;
            }
            if (dim === 3) s.deactivate(name);
            if (dim === 2) s.activate(name);
          }
          // checkInvariants verifies every level's list is strictly ordered with fresh shares
          s.checkInvariants();
          for (const n of names)
            expect(s.allocation(n)).toEqual(alloc.get(n)?.slice(0, s.allocation(n).length));
          expect(new Set(s.sort()).size).toBe(s.sort().length);
        },
      ),
      { numRuns: 100 },
    );
  });
});
