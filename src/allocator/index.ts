/**
 * kmesos allocator — Mesos' hierarchical DRF allocator as a pure library.
 *
 * One `Allocator` per leader, fed events, asked for decisions; it performs no I/O and
 * reads time only from the injected `Clock`. Amounts are integers (resources/).
 *
 *   const alloc = new Allocator({ clock, seed, offerTimeoutMs, offerIdPrefix, allocationIntervalMs });
 *
 * Agents (Kubernetes nodes: id = node UID, hostname = node name, total = allocatable,
 * used = requests of pods kmesos does not own):
 *   addAgent({agentId, hostname, attributes, total, used?, available?}): void
 *   updateAgent(agentId, {hostname?, attributes?, total?, used?}): Rescind[]
 *   setAgentAvailable(agentId, available): Rescind[]        cordon/taint/NotReady
 *   removeAgent(agentId): {rescinded, lostTasks}
 * Roles (ResourceRole; a role without one is weight 1, no quota):
 *   setRole(role, {weight?, guarantee?, limit?}): Rescind[]  (lowered limit rescinds)
 *   removeRole(role): void
 * Frameworks:
 *   addFramework({frameworkId, role?, kind: 'Builtin'|'External', suppressed?,
 *                 minAllocatable?, placement?, refuseSeconds?, eligible?(agent)}): void
 *   updateFramework(id, patch): Rescind[];  removeFramework(id): {rescinded, releasedTasks}
 *   suppress(id): void;  revive(id): void                   (revive clears filters)
 * Tasks (allocations that run; rebuild them from the API after a restart):
 *   addTask({taskId, frameworkId, agentId, resources, group?}): RegisterResult
 *   removeTask(taskId): boolean                             (task ended: recover)
 * Each cycle:
 *   placeTasks(pending: PendingTask[]): {placements, unschedulable}   Builtin frameworks,
 *       progressive filling; placements are recorded as tasks. Give it every pending
 *       built-in task: held (nominated) ones are placed first, holds of tasks not given are let go.
 *   allocate(): {offers, rescinded}                                    External frameworks;
 *       offers count as allocated while outstanding.
 *   accept(offerId, tasks, refuseSeconds?): AcceptResult   (the rest is declined)
 *   decline(offerId, refuseSeconds?): boolean              (default 5 s filter)
 *   rescindOffer(offerId, reason?): Rescind | null
 *   planPreemptions(unplaced, ctx, {minRuntimeMs, maxPreemptions, holdMs}): PreemptionPlan
 *       preemption/: victims for tasks placeTasks() could not place (guarantees, fair shares,
 *       priority); each preemptor's room is held on its agent (a nomination) and placeTasks()
 *       places it there first; the caller kills the victims.
 * Views: nominations(), outstandingOffers(), hasFramework(id), frameworkShare(id), roleShare(role), frameworkAllocation(id),
 *   roleAllocation(role), agentFree(agentId), poolTotal(), frameworkOrder(), task(id),
 *   checkInvariants().
 *
 * The Sorter interface (DrfSorter, RandomSorter) is exported for reuse and tests.
 */
export {
  Allocator,
  DEFAULT_FAIRNESS_EXCLUDED,
  DEFAULT_MIN_ALLOCATABLE,
  DEFAULT_ROLE,
  type AcceptTask,
  type AllocatorOptions,
} from './allocator.js';
export type * from './types.js';
export {
  formatConstraint,
  parseConstraint,
  validateConstraint,
  type Constraint,
  type ConstraintOperator,
} from './placement/constraints.js';
export { DEFAULT_REFUSE_SECONDS } from './offers/filters.js';
export type { PreemptionContext, PreemptionOptions, RunningTaskInfo } from './preemption/nominations.js';
export {
  DEFAULT_ROLE_PREEMPTION_POLICY,
  type PlannerInput,
  type Preemption,
  type PreemptionPlan,
  type PreemptionReason,
  type RolePreemptionPolicy,
  type ShareChange,
} from './preemption/types.js';
export { dominantShare, type Sorter, type SorterFactory, type SorterOptions } from './sorter/sorter.js';
export { DrfSorter } from './sorter/drf-sorter.js';
export { RandomSorter } from './sorter/random-sorter.js';
