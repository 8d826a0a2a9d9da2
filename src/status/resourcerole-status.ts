/**
 * A ResourceRole's status from the allocator's figures. `GuaranteeMet` is present only when the
 * role has a quota guarantee: True when its allocation covers the guarantee or nothing waits.
 */
import { setCondition } from '../api/conditions.js';
import { roleOfResourceRole } from '../api/roles.js';
import type { ResourceRole, ResourceRoleStatus } from '../api/types.js';
import type { Clock } from '../util/clock.js';
import type { ShareFigures } from './framework-status.js';
import { formatShare } from './share.js';

export interface RoleFigures extends ShareFigures {
  /** The frameworks in the role, as namespace/name. */
  frameworks: readonly string[];
  /** Whether the allocator could satisfy the guarantee; undefined when it has not judged. */
  guaranteeMet?: boolean;
  /** Roles with a guarantee: free capacity held back for what is still owed. */
  headroom?: Readonly<Record<string, string>>;
}

export function resourceRoleStatus(
  role: ResourceRole,
  figures: RoleFigures,
  clock: Clock,
): ResourceRoleStatus {
  const generation = role.metadata.generation ?? 0;
  const hasGuarantee = Object.keys(role.spec.quota?.guarantee ?? {}).length > 0;
  const status: ResourceRoleStatus = {
    observedGeneration: generation,
    role: roleOfResourceRole(role.metadata.name ?? ''),
    dominantShare: formatShare(figures.dominantShare),
    weightedShare: formatShare(figures.weightedShare),
    allocated: { ...figures.allocated },
    frameworks: [...figures.frameworks].sort(),
    ...(figures.headroom ? { headroom: { ...figures.headroom } } : {}),
  };
  const kept = (role.status?.conditions ?? []).filter((c) => c.type !== 'GuaranteeMet');
  if (!hasGuarantee || figures.guaranteeMet === undefined)
    return kept.length > 0 ? { ...status, conditions: kept } : status;
  return {
    ...status,
    conditions: setCondition(
      role.status?.conditions,
      figures.guaranteeMet
        ? {
            type: 'GuaranteeMet',
            status: 'True',
            reason: 'Satisfied',
            message: 'the quota guarantee is met',
            observedGeneration: generation,
          }
        : {
            type: 'GuaranteeMet',
            status: 'False',
            reason: 'InsufficientCapacity',
            message: 'the cluster cannot currently satisfy the quota guarantee',
            observedGeneration: generation,
          },
      clock,
    ),
  };
}
