/** The preemption planner's input and output: plain values, so a plan can be written in a table. */
import type { Resources } from '../../resources/vector.js';

/** Why a preemption happens, which is also what its victims' roles must allow. */
export type PreemptionReason = 'Guarantee' | 'FairShare' | 'Priority';

/**
 * What a role's tasks may be preempted for (ResourceRole `spec.preemptionPolicy`):
 * `Never`, to restore other roles' quota guarantees (`GuaranteeOnly`), or to restore other
 * roles' guarantees and other frameworks' fair shares (`FairShare`). Priority preemption
 * inside a framework is the framework's own choice (its `priorityPreemption`).
 */
export type RolePreemptionPolicy = 'Never' | 'GuaranteeOnly' | 'FairShare';

export const DEFAULT_ROLE_PREEMPTION_POLICY: RolePreemptionPolicy = 'GuaranteeOnly';

export interface PlannerAgent {
  readonly agentId: string;
  /** What kmesos manages on the agent: allocatable minus foreign pods' requests. */
  readonly capacity: Resources;
  /** False while cordoned, tainted or not ready: its tasks count, nothing new goes there. Default true. */
  readonly available?: boolean;
}

export interface PlannerRole {
  readonly role: string;
  /** Default 1. */
  readonly weight?: number;
  readonly guarantee?: Resources;
  /** Default GuaranteeOnly. */
  readonly policy?: RolePreemptionPolicy;
}

export interface PlannerFramework {
  readonly frameworkId: string;
  readonly role: string;
  /** Its pending tasks of higher priority may preempt its own running tasks of lower priority. */
  readonly priorityPreemption?: boolean;
}

export interface PlannerRunningTask {
  readonly taskId: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly resources: Resources;
  /** Default 0. */
  readonly priority?: number;
  /** False protects it from every kind of preemption. Default true. */
  readonly preemptible?: boolean;
  /** Clock ms it started (or launched); unknown counts as just now. */
  readonly startedAt?: number;
}

export interface PlannerPendingTask {
  readonly taskId: string;
  readonly frameworkId: string;
  readonly resources: Resources;
  /** Default 0. */
  readonly priority?: number;
  /** Older first among equal priorities. Default 0. */
  readonly createdAt?: number;
  /**
   * Agents the task may run on (eligibility, constraints); default every available one. Give
   * tasks with the same agents the same list object: they are then judged together.
   */
  readonly agents?: readonly string[];
}

export interface PlannerInput {
  /** Clock ms. */
  readonly now: number;
  readonly agents: readonly PlannerAgent[];
  /** Roles with a weight, guarantee or policy; others have weight 1, no guarantee, the default policy. */
  readonly roles: readonly PlannerRole[];
  readonly frameworks: readonly PlannerFramework[];
  /** Tasks that hold resources. A held (nominated) preemptor is one too, with preemptible false. */
  readonly running: readonly PlannerRunningTask[];
  /** Tasks that wait for resources they cannot get by placement. They are the demand beyond what runs. */
  readonly pending: readonly PlannerPendingTask[];
  /** A task must have run this long before it may be preempted. */
  readonly minRuntimeMs: number;
  /** At most this many victims in one plan. */
  readonly maxPreemptions: number;
  /** Resources left out of dominant shares (still bounded by capacity). */
  readonly excluded?: readonly string[];
}

/** A share before and after a preemption: of a framework, or of a role when they differ. */
export interface ShareChange {
  /** A framework ID, or `role:<path>` when roles were compared. */
  readonly of: string;
  readonly before: number;
  readonly after: number;
  /** Its fair share (fair-share preemption), or its guarantee's dominant share (guarantee reclaim). */
  readonly target?: number;
}

export interface Preemption {
  readonly reason: PreemptionReason;
  /** The pending task that gets the room. */
  readonly preemptor: string;
  readonly frameworkId: string;
  /** The agent whose victims make room; the preemptor goes there. */
  readonly agentId: string;
  readonly resources: Resources;
  readonly victims: readonly { readonly taskId: string; readonly frameworkId: string }[];
  /** The preemptor's side first, then each victim framework's (or role's). */
  readonly shares: readonly ShareChange[];
  /** One sentence naming what is restored, for Events. */
  readonly message: string;
}

export interface PreemptionPlan {
  readonly preemptions: readonly Preemption[];
  /** Every framework's fair share (a dominant share, not divided by the weight). */
  readonly fairShares: ReadonlyMap<string, number>;
  /** Every role's fair share, likewise. */
  readonly roleFairShares: ReadonlyMap<string, number>;
  /** Dominant share of each framework before the plan (compare with fairShares). */
  readonly shares: ReadonlyMap<string, number>;
}
