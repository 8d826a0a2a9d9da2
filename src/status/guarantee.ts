import { setCondition } from '../api/conditions.js';
import type { Condition } from '../api/types.js';
import { formatQuantity, type Resources } from '../resources/index.js';
import type { Clock } from '../util/clock.js';

export const GUARANTEE_FEASIBLE = 'GuaranteeFeasible';

/** Whether a role's allocation covers its guarantee, resource by resource. */
export function guaranteeCovered(guarantee: Resources, allocated: Resources): boolean {
  return Object.entries(guarantee).every(([k, v]) => (allocated[k] ?? 0) >= v);
}

/** The resources of which a guarantee asks more than the whole cluster has, as `name: asked > total`. */
export function beyondCluster(guarantee: Resources, capacity: Resources): string[] {
  return Object.entries(guarantee)
    .filter(([k, v]) => v > (capacity[k] ?? 0))
    .map(([k, v]) => `${k}: ${formatQuantity(k, v)} > ${formatQuantity(k, capacity[k] ?? 0)}`)
    .sort();
}

/**
 * `GuaranteeFeasible`: False (reason ExceedsCluster) while a role's guarantee is larger than the
 * cluster: it can never be met, and the free capacity it holds back as headroom is held for
 * nothing. Absent for a role without a guarantee.
 */
export function withGuaranteeFeasible(
  conditions: readonly Condition[] | undefined,
  beyond: readonly string[] | undefined,
  generation: number,
  clock: Clock,
): Condition[] | undefined {
  if (beyond === undefined) {
    const kept = (conditions ?? []).filter((c) => c.type !== GUARANTEE_FEASIBLE);
    return kept.length > 0 ? kept : undefined;
  }
  return setCondition(
    conditions,
    beyond.length > 0
      ? {
          type: GUARANTEE_FEASIBLE,
          status: 'False',
          reason: 'ExceedsCluster',
          message: `the quota guarantee exceeds the cluster (${beyond.join(', ')}); the capacity it holds as headroom is held for nothing`,
          observedGeneration: generation,
        }
      : {
          type: GUARANTEE_FEASIBLE,
          status: 'True',
          reason: 'WithinCluster',
          message: 'the cluster is large enough for the quota guarantee',
          observedGeneration: generation,
        },
    clock,
  );
}
