import { DurationWindow, percentile } from './duration-window.js';

describe('percentile', () => {
  it.each<[string, number[], number, number]>([
    ['no samples', [], 0.5, 0],
    ['one sample', [7], 0.99, 7],
    ['the median of an odd count', [1, 2, 3], 0.5, 2],
    // position 0.5 × 3 = 1.5: halfway between 2 and 3
    ['interpolated between ranks', [1, 2, 3, 4], 0.5, 2.5],
    // position 0.9 × 9 = 8.1: 9 + 0.1 × (10 − 9)
    ['p90 of 1..10', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9.1],
    ['the maximum at p = 1', [1, 5, 9], 1, 9],
  ])('%s', (_name, sorted, p, want) => {
    expect(percentile(sorted, p)).toBeCloseTo(want, 9);
  });
});

describe('DurationWindow', () => {
  it('has no statistics before the first sample', () => {
    expect(new DurationWindow().stats()).toBeUndefined();
  });

  it('reports the last sample and the statistics of the window', () => {
    const w = new DurationWindow();
    for (const ms of [5, 1, 3]) w.record(ms);
    expect(w.stats()).toMatchObject({ last: 3, count: 3, min: 1, max: 5, p50: 3 });
  });

  it('forgets the oldest samples once full', () => {
    const w = new DurationWindow(3);
    for (const ms of [100, 1, 2, 3]) w.record(ms);
    // 100 fell out of the window of three.
    expect(w.stats()).toMatchObject({ last: 3, count: 3, min: 1, max: 3 });
  });
});
