/** Public value types of the allocator. IDs are strings; amounts are integers (see resources/). */
import type { Resources } from '../resources/vector.js';
import type { Constraint } from './placement/constraints.js';

/** What a per-framework eligibility predicate and constraints see of an agent. */
export interface AgentInfo {
  readonly agentId: string;
  readonly hostname: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface AgentSpec extends AgentInfo {
  /** Allocatable capacity. */
  readonly total: Resources;
  /** Held by others (pods kmesos does not own); not part of any role's share. */
  readonly used?: Resources;
  /** False while cordoned, tainted or not Ready: no offers, no placements. Default true. */
  readonly available?: boolean;
}

export interface AgentUpdate {
  readonly hostname?: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly total?: Resources;
  readonly used?: Resources;
}

export type FrameworkKind = 'Builtin' | 'External';
export type PlacementStrategy = 'Spread' | 'BinPack';
/** PriorityAge: priority, then age. WeightedDemand: descending (dominant share ÷ Σ of the queue's) × priority. */
export type TaskOrder = 'PriorityAge' | 'WeightedDemand';

export interface FrameworkSpec {
  readonly frameworkId: string;
  /** Role path such as `eng/ml`; default `*`. */
  readonly role?: string;
  /** Builtin: placed by placeTasks(); External: receives offers from allocate(). */
  readonly kind: FrameworkKind;
  readonly suppressed?: boolean;
  /** An offer must contain at least one of these; default: the allocator's minimum. */
  readonly minAllocatable?: readonly Resources[];
  /** Default Spread. */
  readonly placement?: PlacementStrategy;
  /** The order its pending tasks are placed in; default PriorityAge. */
  readonly taskOrder?: TaskOrder;
  /** Refuse seconds used when a decline or accept names none; default 5. */
  readonly refuseSeconds?: number;
  /** Per-framework agent filter (taints/tolerations, node selectors); default all agents. */
  readonly eligible?: (agent: AgentInfo) => boolean;
}

export type FrameworkUpdate = Partial<Omit<FrameworkSpec, 'frameworkId'>>;

export interface RoleSpec {
  /** Default 1. */
  readonly weight?: number;
  /** Met first; free capacity is held back as headroom until it is. */
  readonly guarantee?: Resources;
  /** Never exceeded; a resource not named is unlimited. */
  readonly limit?: Resources;
}

export interface Offer {
  readonly offerId: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly hostname: string;
  readonly role: string;
  readonly resources: Resources;
  /** Clock milliseconds, or null for no timeout. */
  readonly expiresAt: number | null;
}

export type RescindReason =
  | 'AgentRemoved'
  | 'AgentUnavailable'
  | 'AgentShrunk'
  | 'QuotaLimitLowered'
  | 'Expired'
  | 'FrameworkRemoved'
  | 'FrameworkUpdated';

export interface Rescind {
  readonly offerId: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly reason: RescindReason;
}

export interface AllocationResult {
  readonly offers: readonly Offer[];
  /** Offers that expired at the start of this cycle. */
  readonly rescinded: readonly Rescind[];
}

/** A running (or launching) task's allocation. */
export interface TaskAllocation {
  readonly taskId: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly resources: Resources;
  /** Constraint group; default the framework. */
  readonly group?: string;
}

export interface PendingTask {
  readonly taskId: string;
  readonly frameworkId: string;
  readonly resources: Resources;
  /** Higher first within a framework; default 0. */
  readonly priority?: number;
  /** Older first among equal priorities (e.g. creation time in ms); ties by taskId. */
  readonly createdAt?: number;
  readonly constraints?: readonly Constraint[];
  readonly group?: string;
}

export interface TaskPlacement {
  readonly taskId: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly hostname: string;
  readonly resources: Resources;
}

export type UnschedulableReason =
  | 'InsufficientResources'
  | 'ConstraintsNotSatisfied'
  | 'QuotaLimitReached'
  | 'GuaranteeHeadroom'
  | 'NoEligibleAgent'
  | 'UnknownFramework'
  | 'NotBuiltin'
  | 'FrameworkSuppressed'
  | 'InvalidTask'
  /** Held room on an agent waits for the tasks this one preempted there to end. */
  | 'AwaitingPreemption';

export interface Unschedulable {
  readonly taskId: string;
  readonly frameworkId: string;
  readonly reason: UnschedulableReason;
  readonly message: string;
}

export interface PlacementResult {
  readonly placements: readonly TaskPlacement[];
  readonly unschedulable: readonly Unschedulable[];
  /** Offers made to external frameworks whose dominant share came first; allocate() makes the rest. */
  readonly offers?: readonly Offer[];
}

export type AcceptResult =
  | { readonly ok: true; readonly tasks: readonly TaskAllocation[] }
  | {
      readonly ok: false;
      readonly reason: 'UnknownOffer' | 'ExceedsOffer' | 'DuplicateTask';
      readonly message: string;
    };

export type RegisterResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: 'UnknownFramework' | 'UnknownAgent' | 'DuplicateTask';
      readonly message: string;
    };

export interface AgentRemoval {
  readonly rescinded: readonly Rescind[];
  /** Tasks that ran on the agent; their allocations are released. */
  readonly lostTasks: readonly string[];
}
