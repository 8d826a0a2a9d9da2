/**
 * What the web UI receives: one compact JSON view of the cluster, sent whole on every change.
 * Shared by the operator (src/ui/view.ts builds it) and the browser code (web/), so this file
 * imports nothing. Resources are in kmesos units: cpu in millicores, memory and storage in
 * bytes, other resources as counts.
 */

export type Figures = Readonly<Record<string, number>>;

/** A task's Mesos state, or WAITING while it has none (not launched yet). */
export type UiTaskState = string;

export const WAITING = 'WAITING';

export interface UiRole {
  /** e.g. `eng/ml`; `*` is the default role. */
  readonly name: string;
  /** 0 for a top-level role. */
  readonly depth: number;
  readonly weight: number;
  readonly guarantee: Figures;
  readonly limit: Figures;
  /** Used and offered by frameworks of this role and the roles below it. */
  readonly allocated: Figures;
  readonly offered: Figures;
  /** Weighted dominant share (DRF's sort key); undefined when this replica cannot know it. */
  readonly share: number | undefined;
  /** Frameworks of exactly this role, as namespace/name. */
  readonly frameworks: readonly string[];
}

export interface UiFramework {
  /** namespace/name */
  readonly key: string;
  /** The Mesos framework ID. */
  readonly id: string;
  /** What Mesos shows: an external scheduler's own name, else namespace/name. */
  readonly name: string;
  readonly role: string;
  readonly scheduler: 'Builtin' | 'External';
  readonly connected: boolean;
  /** From the Framework's status: dominant share and that divided by the role weight. */
  readonly share: number | undefined;
  readonly weightedShare: number | undefined;
  readonly used: Figures;
  readonly offered: Figures;
  readonly offers: number;
  /** Every task of the framework by state (WAITING for those not launched). */
  readonly tasks: Readonly<Record<UiTaskState, number>>;
}

export interface UiAgent {
  readonly id: string;
  readonly hostname: string;
  /** active: offered; draining: cordoned or tainted out; unreachable: NotReady. */
  readonly state: 'active' | 'draining' | 'unreachable';
  /** What frameworks may share: allocatable less the requests of pods kmesos does not own. */
  readonly total: Figures;
  readonly used: Figures;
  readonly offered: Figures;
  /** Tasks on the agent that have not ended. */
  readonly tasks: number;
}

export interface UiTask {
  /** namespace/name */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /** The Framework's key, namespace/name. */
  readonly framework: string;
  readonly state: UiTaskState;
  readonly node: string | undefined;
  readonly resources: Figures;
  readonly attempt: number | undefined;
  /** kubectl's Status column: the reason of the Scheduled condition (Launched, Pending, Unschedulable, …). */
  readonly scheduled: string | undefined;
  /** Why it waits (the Scheduled=False message), else the status message. */
  readonly message: string | undefined;
  /** Mesos' status reason, e.g. REASON_CONTAINER_LIMITATION_MEMORY. */
  readonly reason: string | undefined;
}

export interface UiTaskFilter {
  /** A Framework's key. */
  readonly framework?: string;
  /** A state, WAITING, or `active` / `ended` for groups of states. */
  readonly state?: string;
  /** Case-insensitive text in the task's name, node, status or message. */
  readonly text?: string;
}

export interface UiView {
  /** Clock ms when built. */
  readonly at: number;
  /** Whether this replica leads (a standby shows its caches, without allocator shares). */
  readonly leading: boolean;
  readonly cluster: {
    readonly agents: { readonly active: number; readonly draining: number; readonly unreachable: number };
    readonly total: Figures;
    readonly used: Figures;
    readonly offered: Figures;
    readonly free: Figures;
  };
  readonly roles: readonly UiRole[];
  readonly frameworks: readonly UiFramework[];
  readonly agents: readonly UiAgent[];
  /** Agents not listed (the list is capped). */
  readonly agentsOmitted: number;
  /** Every task by state, WAITING included. */
  readonly taskCounts: Readonly<Record<UiTaskState, number>>;
  /** The tasks the filter matches, capped; `tasksMatched` counts them all. */
  readonly tasks: readonly UiTask[];
  readonly tasksMatched: number;
  readonly filter: UiTaskFilter;
}

/** Recent Kubernetes Events of one object, newest first. */
export interface UiEvent {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly count: number;
  /** ISO time of the last occurrence. */
  readonly last: string | undefined;
  readonly source: string;
}
