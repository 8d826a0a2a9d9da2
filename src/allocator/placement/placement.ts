/**
 * Placement helpers for progressive filling: validating pending tasks into queue entries,
 * Spread scores, and the diagnosis that turns a failed search into a reason naming the
 * resource or the constraint.
 */
import { formatQuantity } from '../../resources/quantity.js';
import { denseContains, type Dense, type Resources } from '../../resources/vector.js';
import type { AgentIndex } from './agent-index.js';
import {
  allows,
  formatConstraint,
  validateConstraint,
  type Constraint,
  type ConstraintContext,
} from './constraints.js';
import { groupKey, type AgentState, type FrameworkState, type State, type TaskState } from '../state.js';
import type { PendingTask, Unschedulable } from '../types.js';

/**
 * A validated pending task. Once placed, the same object becomes the task's record
 * (TaskState: agentSlot set), so placing allocates nothing per task but the result.
 */
export interface QueuedTask extends TaskState {
  agentSlot: number;
  /** The placeTasks() call (ClaimedIds' count) that claimed this task's ID; 0 for none. */
  claim: number;
  readonly original: Resources;
  readonly priority: number;
  readonly createdAt: number;
  readonly constraints: readonly Constraint[];
  /** The group as the task named it (TaskState.group is the full key). */
  readonly groupName: string | undefined;
  /**
   * Identical tasks (same framework, group, resources, constraints) fail alike within a
   * cycle, so a failure can be remembered; not when a constraint (GROUP_BY) can loosen as
   * tasks are placed.
   */
  readonly memoable: boolean;
}

/** Shared by every task without constraints (most), instead of an empty array each. */
const NO_CONSTRAINTS: readonly Constraint[] = [];

/** What validation finds of a task ID. */
const enum IdStatus {
  New,
  /** Earlier in the same call. */
  Repeated,
  /** Holds an allocation already. */
  Running,
}

/** Tells repeated and running task IDs apart; check() is called once per pending task. */
interface TaskIds {
  check(taskId: string): IdStatus;
  accepted(t: QueuedTask): void;
  refused(taskId: string): void;
}

/** For a validation that changes nothing (planPreemptions): IDs remembered in a set of their own. */
class SeenIds implements TaskIds {
  private readonly seen = new Set<string>();

  constructor(private readonly st: State) {}

  check(taskId: string): IdStatus {
    const before = this.seen.size;
    this.seen.add(taskId);
    if (this.seen.size === before) return IdStatus.Repeated;
    return this.st.tasks.size > 0 && this.st.task(taskId) ? IdStatus.Running : IdStatus.New;
  }

  accepted(): void {}

  refused(): void {}
}

/**
 * For placeTasks(), one per allocator: each accepted task claims its ID in the task map at once,
 * unplaced (agentSlot −1), so one hash table tells repeats from running tasks and becomes the
 * task's record once placed, where a set of seen IDs plus an insert per placed task would touch
 * two. A claim left unplaced stays until the next call, which renews it if the task is still
 * pending (an update in place) and else takes it out: a backlog of tasks that fit nowhere does
 * not churn the map every cycle.
 */
export class ClaimedIds implements TaskIds {
  /** Counts begin() calls: a claim's `claim` tells this call's from an earlier one's. */
  private call = 0;
  private readonly claimed: QueuedTask[] = [];
  /** The previous call's claims it left unplaced. */
  private previous: QueuedTask[] = [];
  /** IDs refused earlier in the call (rare), so that a repeat of one is reported as a repeat. */
  private readonly refusedIds = new Set<string>();

  constructor(private readonly st: State) {}

  begin(): void {
    this.call++;
    this.claimed.length = 0;
    this.refusedIds.clear();
  }

  check(taskId: string): IdStatus {
    const prev = this.st.tasks.get(taskId);
    const claim = prev !== undefined && prev.agentSlot < 0;
    if (claim && (prev as QueuedTask).claim === this.call) return IdStatus.Repeated;
    if (this.refusedIds.size > 0 && this.refusedIds.has(taskId)) return IdStatus.Repeated;
    // An earlier call's claim is no allocation: the task is new to this call.
    return prev === undefined || claim ? IdStatus.New : IdStatus.Running;
  }

  accepted(t: QueuedTask): void {
    t.claim = this.call;
    this.st.tasks.set(t.taskId, t);
    this.claimed.push(t);
  }

  refused(taskId: string): void {
    this.refusedIds.add(taskId);
  }

  /** Throws unless every claim in the task map is one the last call left unplaced (none leak). */
  checkInvariants(): void {
    const left = new Set<TaskState>(this.previous);
    for (const t of this.st.tasks.values())
      if (t.agentSlot < 0 && !left.has(t)) throw new Error(`invariant: stale claim of task ${t.taskId}`);
  }

  /** Ends a call: the previous call's unplaced claims that this one did not renew are taken out. */
  release(): void {
    const tasks = this.st.tasks;
    for (const t of this.previous) if (tasks.get(t.taskId) === t) tasks.delete(t.taskId);
    const unplaced: QueuedTask[] = [];
    for (const t of this.claimed) if (t.agentSlot < 0) unplaced.push(t);
    this.previous = unplaced;
    this.claimed.length = 0;
  }
}

/**
 * Splits pending tasks into queue entries and immediate rejections (unknown framework, …).
 * With `claims`, accepted tasks enter the task map unplaced (see ClaimedIds).
 */
export function validatePending(
  st: State,
  pending: readonly PendingTask[],
  claims: ClaimedIds | null = null,
): { queued: QueuedTask[]; rejected: Unschedulable[] } {
  const queued: QueuedTask[] = [];
  const rejected: Unschedulable[] = [];
  const ids: TaskIds = claims ?? new SeenIds(st);
  // The per-task work is a function of its own, optimized as an ordinary hot function (see fillLoop).
  for (let i = 0; i < pending.length; i++) validateOne(st, pending[i] as PendingTask, ids, queued, rejected);
  return { queued, rejected };
}

function validateOne(
  st: State,
  t: PendingTask,
  ids: TaskIds,
  queued: QueuedTask[],
  rejected: Unschedulable[],
): void {
  const fw = st.frameworks.get(t.frameworkId);
  const status = ids.check(t.taskId);
  // The common case in one pass over the resources: valid amounts of names already known.
  const known =
    status === IdStatus.New ? st.resources.knownDense(t.resources, fw?.lastRequest ?? null) : null;
  const problem =
    status === IdStatus.Repeated
      ? `task ${t.taskId} appears twice in this cycle`
      : status === IdStatus.Running
        ? `task ${t.taskId} already holds an allocation`
        : known === null
          ? (resourcesProblem(t.resources) ?? constraintsProblem(t.constraints))
          : constraintsProblem(t.constraints);
  const refusal = problem
    ? (['InvalidTask', problem] as const)
    : !fw
      ? (['UnknownFramework', `framework ${t.frameworkId} is not registered`] as const)
      : fw.kind !== 'Builtin'
        ? (['NotBuiltin', `framework ${fw.id} is External: it places tasks through offers`] as const)
        : fw.suppressed
          ? (['FrameworkSuppressed', `framework ${fw.id} is suppressed`] as const)
          : null;
  if (refusal) {
    ids.refused(t.taskId);
    rejected.push({
      taskId: t.taskId,
      frameworkId: t.frameworkId,
      reason: refusal[0],
      message: refusal[1],
    });
    return;
  }
  // Names are interned only for accepted tasks, in order, so slots come out as they always did.
  const f = fw as FrameworkState;
  const q = toQueued(t, f.id, known ?? st.resources.toDense(t.resources));
  f.lastRequest = q.resources;
  ids.accepted(q);
  queued.push(q);
}

function resourcesProblem(resources: Resources): string | null {
  // Object.keys rather than for-in: V8 deoptimizes this for-in's keyed load again and again
  // when tasks' resource objects differ in shape (small and large amounts).
  const names = Object.keys(resources);
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const v = resources[name];
    if (!Number.isSafeInteger(v) || (v as number) < 0)
      return `resource ${name} must be a non-negative integer, got ${v}`;
  }
  return null;
}

function constraintsProblem(constraints: readonly Constraint[] | undefined): string | null {
  if (constraints === undefined) return null;
  for (let i = 0; i < constraints.length; i++) {
    const p = validateConstraint(constraints[i] as Constraint);
    if (p) return p;
  }
  return null;
}

function hasGroupBy(constraints: readonly Constraint[]): boolean {
  for (let i = 0; i < constraints.length; i++)
    if ((constraints[i] as Constraint).operator === 'GROUP_BY') return true;
  return false;
}

/**
 * `frameworkId` is the framework's own ID string, equal to the task's: maps keyed by it (the
 * fill's queues, the sorters' clients) then find it by identity, without comparing characters.
 */
function toQueued(t: PendingTask, frameworkId: string, resources: Dense): QueuedTask {
  const constraints = t.constraints ?? NO_CONSTRAINTS;
  return {
    taskId: t.taskId,
    frameworkId,
    resources,
    original: t.resources,
    priority: t.priority ?? 0,
    createdAt: t.createdAt ?? 0,
    constraints,
    agentSlot: -1,
    claim: 0,
    group: groupKey(frameworkId, t.group),
    groupName: t.group,
    memoable: !hasGroupBy(constraints),
  };
}

/** The key under which a failed task's diagnosis is remembered for identical tasks. */
export function memoKeyOf(t: QueuedTask): string {
  return `${t.frameworkId}|${t.groupName ?? ''}|${t.resources.join(',')}|${t.constraints.map(formatConstraint).join(';')}`;
}

/**
 * Spread scores during one placeTasks(): an agent's score is the mean free fraction over its
 * resources with capacity (total − used > 0) that are not fairness-excluded (1 = empty). Each
 * agent's capacity is read once up front: total and used do not change within a cycle, and
 * reading them again after every placement costs cache misses.
 */
export class SpreadScores {
  /** capacity[slot × dims + i]: total − used of resource i, or 0 where spreadScore() skips it. */
  private capacity = new Float64Array(0);
  private dims = 0;

  /** Reads the capacities of st's agents (after validation, which may intern resource names). */
  reset(st: State): void {
    const dims = st.resources.size;
    const size = st.agents.length * dims;
    this.dims = dims;
    if (this.capacity.length < size) this.capacity = new Float64Array(size);
    else this.capacity.fill(0, 0, size);
    const excluded = st.excluded;
    for (const a of st.agents) {
      if (!a) continue;
      const base = a.slot * dims;
      for (let i = 0; i < a.total.length; i++) {
        const c = (a.total[i] ?? 0) - (a.used[i] ?? 0);
        if (c > 0 && !excluded.has(i)) this.capacity[base + i] = c;
      }
    }
  }

  score(slot: number, free: Dense): number {
    const capacity = this.capacity;
    const base = slot * this.dims;
    let sum = 0;
    let n = 0;
    for (let i = 0; i < this.dims; i++) {
      const c = capacity[base + i] as number;
      if (c === 0) continue;
      sum += (free[i] ?? 0) / c;
      n++;
    }
    return n === 0 ? 0 : sum / n;
  }
}

/**
 * The largest capacity (total − used) of any agent, by resource, worked out once per
 * placeTasks() call and only for the resources a diagnosis asks about: total and used do not
 * change within a call, and a backlog of tasks too large for every agent would otherwise read
 * every agent once per framework and request size.
 */
export class LargestCapacity {
  private readonly known: number[] = [];

  constructor(private readonly st: State) {}

  of(d: number): number {
    const cached = this.known[d];
    if (cached !== undefined) return cached;
    let largest = 0;
    for (const a of this.st.agents) if (a) largest = Math.max(largest, (a.total[d] ?? 0) - (a.used[d] ?? 0));
    this.known[d] = largest;
    return largest;
  }
}

/** Why no agent took `task`: the resource, the eligibility/filters, or the constraint. */
export function diagnose(
  st: State,
  index: AgentIndex,
  largest: LargestCapacity,
  fw: FrameworkState,
  task: QueuedTask,
  now: number,
  cctx: ConstraintContext,
): Unschedulable {
  const base = { taskId: task.taskId, frameworkId: fw.id };
  const short = shortResource(st, index, largest, task.resources);
  if (short) return { ...base, reason: 'InsufficientResources', message: short };

  let fit = 0;
  let ineligible = 0;
  let filtered = 0;
  const byConstraint = new Map<string, number>();
  const group = st.group(task.group, fw.id);
  for (const a of st.agents) {
    if (!a?.available || !denseContains(a.free, task.resources)) continue;
    fit++;
    if (fw.eligible !== null && !fw.eligible(a.info)) ineligible++;
    else if (fw.filters.isFiltered(a.slot, task.resources, now)) filtered++;
    else {
      const c = task.constraints.find((k) => !allows(k, fieldOf(a, k.field), group, cctx));
      if (c) byConstraint.set(formatConstraint(c), (byConstraint.get(formatConstraint(c)) ?? 0) + 1);
    }
  }
  if (fit === 0) {
    return {
      ...base,
      reason: 'InsufficientResources',
      message: `no agent has ${describe(st, task.resources)} free at once`,
    };
  }
  if (byConstraint.size === 0) {
    return {
      ...base,
      reason: 'NoEligibleAgent',
      message: `${fit} agent(s) have room, but ${ineligible} are not eligible for framework ${fw.id} and ${filtered} are filtered by its declines`,
    };
  }
  const worst = [...byConstraint.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0] as [
    string,
    number,
  ];
  return {
    ...base,
    reason: 'ConstraintsNotSatisfied',
    message: `constraint ${worst[0]} rules out ${worst[1]} of ${fit} agent(s) with room (others: ${ineligible} not eligible, ${filtered} filtered)`,
  };
}

function fieldOf(a: AgentState, field: string): string | undefined {
  return field === 'hostname' ? a.info.hostname : a.info.attributes[field];
}

/** A message when some resource exceeds what every available agent has free, else null. */
function shortResource(st: State, index: AgentIndex, capacity: LargestCapacity, req: Dense): string | null {
  for (let d = 0; d < req.length; d++) {
    const need = req[d] ?? 0;
    const most = index.maxFreeOf(d);
    if (need <= 0 || need <= most) continue;
    const name = st.resources.name(d);
    const largest = capacity.of(d);
    if (need > largest) {
      return `needs ${name} ${formatQuantity(name, need)}, more than any agent has (largest: ${formatQuantity(name, largest)})`;
    }
    return `no agent has ${name} ${formatQuantity(name, need)} free (most free: ${formatQuantity(name, Math.max(most, 0))})`;
  }
  return null;
}

function describe(st: State, req: Dense): string {
  const parts: string[] = [];
  for (let d = 0; d < req.length; d++) {
    const v = req[d] ?? 0;
    if (v > 0) parts.push(`${st.resources.name(d)} ${formatQuantity(st.resources.name(d), v)}`);
  }
  return parts.join(', ');
}
