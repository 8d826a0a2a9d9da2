import { AgentIndex } from './agent-index.js';
import { Rng } from '../sorter/rng.js';
import type { Dense } from '../../resources/vector.js';

/** What the index must answer, by scanning every agent. */
function bruteFirst(free: Array<Dense | null>, req: Dense, accept: (s: number) => boolean): number {
  return free.findIndex((f, s) => f !== null && fits(f, req) && accept(s));
}

/** The highest score among fitting, accepted agents, or null when none fits. */
function bestScore(
  free: Array<Dense | null>,
  score: number[],
  req: Dense,
  accept: (s: number) => boolean,
): number | null {
  let best: number | null = null;
  free.forEach((f, s) => {
    if (f !== null && fits(f, req) && accept(s)) best = Math.max(best ?? -Infinity, score[s] ?? 0);
  });
  return best;
}

/** findBest's answer is a fitting, accepted agent of the highest score (or -1 when none fits). */
function expectBest(
  got: number,
  free: Array<Dense | null>,
  score: number[],
  req: Dense,
  accept: (s: number) => boolean,
): void {
  const want = bestScore(free, score, req, accept);
  if (want === null) {
    expect(got).toBe(-1);
    return;
  }
  expect(got).toBeGreaterThanOrEqual(0);
  expect(fits(free[got] ?? [], req) && free[got] !== null && accept(got)).toBe(true);
  expect(score[got]).toBe(want);
}

function fits(f: Dense, req: Dense): boolean {
  return req.every((v, d) => v <= (f[d] ?? 0));
}

describe('AgentIndex', () => {
  it.each([1, 2, 3, 4, 5])('answers like a scan of every agent (seed %i)', (seed) => {
    const rng = new Rng(seed);
    const slots = 1 + rng.int(40);
    const dims = 1 + rng.int(3);
    // few distinct values, so that scores and free amounts tie often
    const randomFree = (): Dense | null =>
      rng.int(6) === 0 ? null : Array.from({ length: dims }, () => rng.int(5));
    const free = Array.from({ length: slots }, randomFree);
    const score = Array.from({ length: slots }, () => rng.int(4) / 4);
    const index = new AgentIndex();
    index.rebuild(
      slots,
      dims,
      (s) => free[s] ?? null,
      (s) => score[s] ?? 0,
    );
    for (let step = 0; step < 300; step++) {
      if (rng.int(2) === 0) {
        const s = rng.int(slots);
        free[s] = randomFree();
        score[s] = rng.int(4) / 4;
        index.update(s, free[s] ?? null, score[s] ?? 0);
      }
      const req = Array.from({ length: dims }, () => rng.int(4));
      const banned = rng.int(3) === 0 ? rng.int(slots) : -1;
      const accept = (s: number): boolean => s !== banned;
      const any = (): boolean => true;
      expect(index.findFirst(req, banned < 0 ? null : accept)).toBe(bruteFirst(free, req, accept));
      expectBest(index.findBest(req, banned < 0 ? null : accept), free, score, req, accept);
      expectBest(index.findBest(req, null), free, score, req, any);
      for (let d = 0; d < dims; d++) {
        const most = Math.max(-1, ...free.map((f) => (f === null ? -1 : (f[d] ?? 0))));
        expect(index.maxFreeOf(d)).toBe(most);
      }
    }
  });
});
