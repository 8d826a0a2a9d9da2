/**
 * How much the watch caches hold, by kind: object counts, and their size estimated from the
 * JSON of a sample (what a scrape can afford at 150,000 pods). JSON length is a proxy for heap
 * bytes, not a measure of them; it moves with them, which is what shows the next cut to make.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { taskKeyOfPod, type ClusterState } from './state.js';

export const CACHE_KINDS = ['node', 'pod', 'foreign-pod', 'task', 'framework', 'role'] as const;
export type CacheKind = (typeof CACHE_KINDS)[number];

export interface CacheFigure {
  readonly kind: CacheKind;
  readonly objects: number;
  /** Estimated JSON bytes of all objects of the kind. */
  readonly approxBytes: number;
}

/** Estimated JSON bytes of `count` objects from the first `sample` that `objs` yields. */
function estimate(objs: Iterable<unknown>, count: number, sample: number): number {
  let sampled = 0;
  let bytes = 0;
  for (const o of objs) {
    if (sampled >= sample) break;
    sampled++;
    bytes += JSON.stringify(o).length;
  }
  return sampled === 0 ? 0 : Math.round((bytes / sampled) * count);
}

function* podsWhere(pods: Iterable<V1Pod>, own: boolean): Generator<V1Pod> {
  for (const pod of pods) if ((taskKeyOfPod(pod) !== undefined) === own) yield pod;
}

/**
 * Counts and estimated sizes of each cache; `sample` objects per kind are serialised. Counts
 * come from the caches' sizes, so a scrape touches about `sample` objects of each kind, not
 * every pod (it walks past pods of the other kind only until it has its sample).
 */
export function cacheFigures(state: ClusterState, sample = 32): CacheFigure[] {
  const own = state.ownPods;
  const foreign = state.pods.size - own;
  const figure = (kind: CacheKind, objs: Iterable<unknown>, objects: number): CacheFigure => ({
    kind,
    objects,
    approxBytes: objects === 0 ? 0 : estimate(objs, objects, sample),
  });
  const byKind: Record<CacheKind, CacheFigure> = {
    node: figure('node', state.nodes.values(), state.nodes.size),
    pod: figure('pod', podsWhere(state.pods.values(), true), own),
    'foreign-pod': figure('foreign-pod', podsWhere(state.pods.values(), false), foreign),
    task: figure('task', state.tasks.values(), state.tasks.size),
    framework: figure('framework', state.frameworks.values(), state.frameworks.size),
    role: figure('role', state.roles.values(), state.roles.size),
  };
  return CACHE_KINDS.map((kind) => byKind[kind]);
}
