/**
 * How much the watch caches hold, by kind: object counts, and their size estimated from the
 * JSON of a sample (what a scrape can afford at 150,000 pods). JSON length is a proxy for heap
 * bytes, not a measure of them; it moves with them, which is what shows the next cut to make.
 */
import { taskKeyOfPod, type ClusterState } from './state.js';

export const CACHE_KINDS = ['node', 'pod', 'foreign-pod', 'task', 'framework', 'role'] as const;
export type CacheKind = (typeof CACHE_KINDS)[number];

export interface CacheFigure {
  readonly kind: CacheKind;
  readonly objects: number;
  /** Estimated JSON bytes of all objects of the kind. */
  readonly approxBytes: number;
}

class Tally {
  objects = 0;
  private sampled = 0;
  private sampledBytes = 0;

  constructor(private readonly sample: number) {}

  add(obj: unknown): void {
    this.objects++;
    if (this.sampled >= this.sample) return;
    this.sampled++;
    this.sampledBytes += JSON.stringify(obj).length;
  }

  get approxBytes(): number {
    return this.sampled === 0 ? 0 : Math.round((this.sampledBytes / this.sampled) * this.objects);
  }
}

/** Counts and estimated sizes of each cache; `sample` objects per kind are serialised. */
export function cacheFigures(state: ClusterState, sample = 100): CacheFigure[] {
  const tallies = new Map<CacheKind, Tally>(CACHE_KINDS.map((k) => [k, new Tally(sample)]));
  const tally = (kind: CacheKind, objs: Iterable<unknown>): void => {
    const t = tallies.get(kind);
    if (t) for (const o of objs) t.add(o);
  };
  tally('node', state.nodes.values());
  tally('task', state.tasks.values());
  tally('framework', state.frameworks.values());
  tally('role', state.roles.values());
  for (const pod of state.pods.values()) tallies.get(taskKeyOfPod(pod) ? 'pod' : 'foreign-pod')?.add(pod);
  return CACHE_KINDS.map((kind) => {
    const t = tallies.get(kind) ?? new Tally(0);
    return { kind, objects: t.objects, approxBytes: t.approxBytes };
  });
}
