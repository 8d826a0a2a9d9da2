/**
 * Fair shares from demand: continuous DRF progressive filling (Ghodsi et al. 2011, §4) of a
 * capacity among clients that want resources. Every unfrozen client's allocation grows along
 * its own demand vector so that its weighted dominant share rises at the same rate as every
 * other's; a client stops when it has all it asked for (saturated) or when a resource it needs
 * runs out (frozen). A client's fair share is the dominant share it ends with.
 *
 * Because a task moved from running to pending stays in its framework's demand, preemption
 * does not change anyone's fair share: the yardstick stays put while tasks move.
 */
import type { Dense } from '../../resources/vector.js';
import { dominantShare } from '../sorter/sorter.js';

export interface FillClient {
  readonly id: string;
  /** > 0; a client with weight 2 rises twice as fast. */
  readonly weight: number;
  /** What it holds plus what it waits for. */
  readonly demand: Dense;
}

export interface FairAllocation {
  /** The allocation progressive filling ends with (≤ demand). */
  readonly allocation: Dense;
  /** Its dominant share of the pool (not divided by the weight). */
  readonly share: number;
}

const EPS = 1e-12;

/**
 * Progressive filling of `capacity` among `clients`; shares are relative to `pool` (the cluster),
 * skipping `excluded` resources, as the DRF sorters count them. A client whose demand has no
 * share (nothing, or only excluded resources) gets nothing.
 */
export function progressiveFairShares(
  clients: readonly FillClient[],
  capacity: Dense,
  pool: Dense,
  excluded: ReadonlySet<number>,
): Map<string, FairAllocation> {
  const out = new Map<string, FairAllocation>();
  const n = Math.max(capacity.length, ...clients.map((c) => c.demand.length));
  // Per active client: its demand's dominant share D, so at level s it holds demand × s·w / D.
  const active = new Map<FillClient, number>();
  for (const c of clients) {
    const d = dominantShare(c.demand, pool, excluded);
    if (d > 0 && c.weight > 0) active.set(c, d);
    else out.set(c.id, { allocation: [], share: 0 });
  }
  const fixedUsed: number[] = new Array<number>(n).fill(0);
  const settle = (c: FillClient, d: number, level: number): void => {
    const f = Math.min((level * c.weight) / d, 1);
    const allocation = c.demand.map((v) => v * f);
    for (let r = 0; r < allocation.length; r++) fixedUsed[r] = (fixedUsed[r] ?? 0) + (allocation[r] ?? 0);
    out.set(c.id, { allocation, share: d * f });
    active.delete(c);
  };
  while (active.size > 0) {
    const { level, exhausted } = nextEvent(active, capacity, fixedUsed, n);
    const done: FillClient[] = [];
    for (const [c, d] of active) {
      const saturated = d / c.weight <= level + EPS;
      const frozen = exhausted.some((r) => (c.demand[r] ?? 0) > 0);
      if (saturated || frozen) done.push(c);
    }
    for (const c of done) settle(c, active.get(c) as number, level);
  }
  return out;
}

/**
 * The next level at which something happens: an active client saturates, or resources run out
 * (those returned in `exhausted`, when they run out at that level).
 */
function nextEvent(
  active: ReadonlyMap<FillClient, number>,
  capacity: Dense,
  fixedUsed: Dense,
  n: number,
): { level: number; exhausted: number[] } {
  // How fast each resource is used as the level rises: active clients rise from zero together.
  const rate: number[] = new Array<number>(n).fill(0);
  let saturation = Infinity;
  for (const [c, d] of active) {
    saturation = Math.min(saturation, d / c.weight);
    for (let r = 0; r < c.demand.length; r++) rate[r] = (rate[r] ?? 0) + ((c.demand[r] ?? 0) * c.weight) / d;
  }
  let exhaustAt = Infinity;
  let exhausted: number[] = [];
  for (let r = 0; r < n; r++) {
    const v = rate[r] ?? 0;
    if (v <= 0) continue;
    const at = Math.max(((capacity[r] ?? 0) - (fixedUsed[r] ?? 0)) / v, 0);
    if (at < exhaustAt - EPS) {
      exhaustAt = at;
      exhausted = [r];
    } else if (Math.abs(at - exhaustAt) <= EPS) exhausted.push(r);
  }
  if (saturation < exhaustAt - EPS) return { level: saturation, exhausted: [] };
  return { level: Math.min(saturation, exhaustAt), exhausted };
}
