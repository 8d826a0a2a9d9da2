import { API_VERSION, DEFAULT_ROLE } from '../api/constants.js';
import type { EventRecorder } from '../kube/events.js';
import { resourceRoleName, roleOfResourceRole } from '../api/roles.js';
import type { Condition, Framework, ResourceRole } from '../api/types.js';
import type { TaskState } from '../api/task-states.js';
import { formatQuantity, parseResourceList, type Resources } from '../resources/index.js';
import { frameworkStatus } from '../status/framework-status.js';
import type { TaskCounts } from '../status/task-tally.js';
import { beyondCluster, guaranteeCovered, withGuaranteeFeasible } from '../status/guarantee.js';
import { resourceRoleStatus } from '../status/resourcerole-status.js';
import type { ValidationIssue } from '../api/validation.js';
import { withSpecCondition } from '../status/spec-condition.js';
import type { Clock } from '../util/clock.js';
import type { StatusWriter } from './status-writer.js';

export interface FrameworkFiguresReport {
  namespace: string;
  name: string;
  role: string;
  dominantShare: number;
  weightedShare: number;
  allocated: Resources;
  tasksByState: Partial<Record<TaskState, number>>;
  pending: number;
  unschedulable: number;
  outstandingOffers: number;
}

export interface RoleFiguresReport {
  role: string;
  weight: number;
  guarantee: Resources;
  limit: Resources;
  dominantShare: number;
  weightedShare: number;
  allocated: Resources;
}

/** The allocator's views the publisher reads. */
export interface ShareSource {
  hasFramework(id: string): boolean;
  frameworkShare(id: string): number;
  frameworkAllocation(id: string): Resources;
  roleShare(role: string): number;
  roleAllocation(role: string): Resources;
  roleHeadroom(role: string): Resources;
  outstandingOffers(): readonly { frameworkId: string }[];
  /** Capacity of the schedulable agents. */
  poolTotal(): Resources;
}

export interface ShareInputs {
  frameworks: ReadonlyMap<string, Framework>;
  roles: ReadonlyMap<string, ResourceRole>;
  /** A framework's tasks counted by their status as last decided, by framework key. */
  taskCounts: (frameworkKey: string) => TaskCounts;
  /** Tasks left unplaced this cycle, by framework key. */
  unschedulable: ReadonlyMap<string, number>;
  /** Spec problems, by framework key and by ResourceRole name. */
  invalid: {
    readonly roles: ReadonlyMap<string, readonly ValidationIssue[]>;
    readonly frameworks: ReadonlyMap<string, readonly ValidationIssue[]>;
  };
  /** External frameworks: whether their scheduler is subscribed (undefined: not since this replica leads). */
  connected?: (frameworkKey: string) => boolean | undefined;
}

/** A status with the SpecValid condition set from `issues`, or cleared when there are none. */
function withSpec<S extends { conditions?: Condition[] }>(
  status: S,
  generation: number | undefined,
  issues: readonly ValidationIssue[] | undefined,
  clock: Clock,
): S {
  const out = { ...status };
  const conditions = withSpecCondition(status.conditions, issues, generation ?? 0, clock);
  if (conditions) out.conditions = conditions;
  else delete out.conditions;
  return out;
}

function figures(r: Resources): Record<string, string> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, formatQuantity(k, v)]));
}

/**
 * Publishes dominant shares and allocations: writes Framework and ResourceRole status (the
 * status writer sends only what changed) and returns the same figures for the gauges.
 */
export class SharePublisher {
  /** ResourceRoles (by UID) already warned that their guarantee exceeds the cluster. */
  private readonly beyond = new Set<string>();

  constructor(
    private readonly source: ShareSource,
    private readonly statuses: Pick<StatusWriter, 'set'>,
    private readonly clock: Clock,
    private readonly events?: Pick<EventRecorder, 'record'>,
  ) {}

  publish(inputs: ShareInputs): { frameworks: FrameworkFiguresReport[]; roles: RoleFiguresReport[] } {
    return { frameworks: this.frameworks(inputs), roles: this.roles(inputs) };
  }

  private frameworks(inputs: ShareInputs): FrameworkFiguresReport[] {
    const offers = new Map<string, number>();
    for (const o of this.source.outstandingOffers())
      offers.set(o.frameworkId, (offers.get(o.frameworkId) ?? 0) + 1);
    const reports: FrameworkFiguresReport[] = [];
    for (const [key, fw] of inputs.frameworks) {
      // A framework left out of the allocator (its spec is invalid) holds nothing.
      const known = this.source.hasFramework(key);
      const share = known ? this.source.frameworkShare(key) : 0;
      const role = fw.spec.role || DEFAULT_ROLE;
      const allocated = known ? this.source.frameworkAllocation(key) : {};
      const counts = inputs.taskCounts(key);
      const now = {
        dominantShare: share,
        weightedShare: share / roleWeight(inputs.roles, role),
        allocated: figures(allocated),
        outstandingOffers: offers.get(key) ?? 0,
      };
      const connected = fw.spec.scheduler === 'External' ? inputs.connected?.(key) : undefined;
      const status = frameworkStatus(
        {
          framework: fw,
          counts,
          figures: now,
          ...(connected !== undefined ? { schedulerConnected: connected } : {}),
        },
        this.clock,
      );
      const issues = inputs.invalid.frameworks.get(key);
      this.statuses.set('frameworks', fw, withSpec(status, fw.metadata.generation, issues, this.clock));
      reports.push({
        namespace: fw.metadata.namespace ?? '',
        name: fw.metadata.name ?? '',
        role,
        dominantShare: now.dominantShare,
        weightedShare: now.weightedShare,
        allocated,
        tasksByState: counts.byState,
        pending: counts.pending,
        unschedulable: inputs.unschedulable.get(key) ?? 0,
        outstandingOffers: now.outstandingOffers,
      });
    }
    return reports;
  }

  private roles(inputs: ShareInputs): RoleFiguresReport[] {
    const members = new Map<string, string[]>();
    for (const [key, fw] of inputs.frameworks) {
      const role = fw.spec.role || DEFAULT_ROLE;
      members.set(role, [...(members.get(role) ?? []), key]);
    }
    const roles = new Set<string>(members.keys());
    const capacity = this.source.poolTotal();
    for (const rr of inputs.roles.values()) roles.add(roleOfResourceRole(rr.metadata.name ?? ''));
    const reports: RoleFiguresReport[] = [];
    for (const role of roles) {
      const weight = roleWeight(inputs.roles, role);
      const weighted = this.source.roleShare(role);
      const allocated = this.source.roleAllocation(role);
      const name = resourceRoleName(role);
      const rr = name ? inputs.roles.get(name) : undefined;
      const issues = name ? inputs.invalid.roles.get(name) : undefined;
      const quota = issues ? undefined : rr?.spec.quota;
      reports.push({
        role,
        weight,
        guarantee: parseResourceList(quota?.guarantee),
        limit: parseResourceList(quota?.limit),
        dominantShare: weighted * weight,
        weightedShare: weighted,
        allocated,
      });
      if (!rr) continue;
      const report = reports[reports.length - 1];
      if (report) this.writeRoleStatus(rr, report, members.get(role) ?? [], capacity, inputs);
    }
    return reports;
  }

  /** One Warning Event when a role's guarantee comes to exceed the cluster (again after it fit). */
  private warnBeyondCluster(rr: ResourceRole, beyond: readonly string[]): void {
    const uid = rr.metadata.uid ?? rr.metadata.name ?? '';
    if (beyond.length === 0) {
      this.beyond.delete(uid);
      return;
    }
    if (this.beyond.has(uid)) return;
    this.beyond.add(uid);
    this.events?.record(
      { ...rr, apiVersion: API_VERSION },
      {
        type: 'Warning',
        reason: 'GuaranteeExceedsCluster',
        message: `the quota guarantee exceeds the whole cluster (${beyond.join(', ')}); free capacity is held back for it and it can never be met`,
      },
    );
  }

  /** A ResourceRole's status: shares, allocation, whether its guarantee is met and can be met at all, spec problems. */
  private writeRoleStatus(
    rr: ResourceRole,
    r: RoleFiguresReport,
    members: readonly string[],
    capacity: Resources,
    inputs: ShareInputs,
  ): void {
    const hasGuarantee = Object.keys(r.guarantee).length > 0;
    // Met when the allocation covers it, or when nothing of the role waits for more.
    const waiting = members.some((k) => inputs.taskCounts(k).pending > 0);
    const status = resourceRoleStatus(
      rr,
      {
        dominantShare: r.dominantShare,
        weightedShare: r.weightedShare,
        allocated: figures(r.allocated),
        ...(hasGuarantee ? { headroom: figures(this.source.roleHeadroom(r.role)) } : {}),
        frameworks: [...members].sort(),
        ...(hasGuarantee ? { guaranteeMet: guaranteeCovered(r.guarantee, r.allocated) || !waiting } : {}),
      },
      this.clock,
    );
    const generation = rr.metadata.generation ?? 0;
    const beyond = hasGuarantee ? beyondCluster(r.guarantee, capacity) : undefined;
    this.warnBeyondCluster(rr, beyond ?? []);
    const conditions = withGuaranteeFeasible(status.conditions, beyond, generation, this.clock);
    if (conditions) status.conditions = conditions;
    else delete status.conditions;
    const issues = inputs.invalid.roles.get(rr.metadata.name ?? '');
    this.statuses.set('resourceroles', rr, withSpec(status, generation, issues, this.clock));
  }
}

/** A role's weight: its ResourceRole's, else Mesos' default of 1. */
export function roleWeight(roles: ReadonlyMap<string, ResourceRole>, role: string): number {
  const name = resourceRoleName(role);
  return (name ? roles.get(name)?.spec.weight : undefined) ?? 1;
}
