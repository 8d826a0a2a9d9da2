/**
 * Task-granularity DRF for built-in frameworks (progressive filling, Ghodsi et al. 2011).
 *
 *  1. Validate the pending tasks; queue each framework's by priority (high first), then
 *     age, then taskId.
 *  2. Activate in the sorters exactly the frameworks with queued tasks.
 *  3. Repeat: take the framework with the lowest weighted dominant share (roles first,
 *     hierarchically, then frameworks in the role); try its next task. A task is placed on
 *     one agent (Spread: the most free; BinPack: first fit) that fits it and passes
 *     eligibility, offer filters and constraints, within quota limits and headroom; the
 *     placement is allocated at once, so shares move task by task. A task that cannot be
 *     placed is reported with a reason and the framework goes on with its next task, so it
 *     never blocks the others. A framework leaves the loop when its queue is empty.
 *  With unmet guarantees, step 3 first runs for roles still short of their guarantee.
 *
 * External frameworks that want offers take part in the same DRF order: when one is the
 * lowest, it is offered one agent's free resources (as allocate() would), so built-in and
 * external frameworks share the cluster by one dominant-share order. The loop ends when no
 * built-in task is left; allocate() then offers what remains to external frameworks.
 */
import type { AgentIndex } from './agent-index.js';
import { allows, compileAnchored, type ConstraintContext } from './constraints.js';
import { headroomCap, offerable, setActive, wants, type OfferCycleOptions } from '../offers/offer-cycle.js';
import type { OfferRecord } from '../offers/offers.js';
import { diagnose, LargestCapacity, memoKeyOf, type QueuedTask } from './placement.js';
import type { AgentState, FrameworkState, State } from '../state.js';
import { dominantShare, type Sorter } from '../sorter/sorter.js';
import type { PlacementResult, TaskPlacement, Unschedulable } from '../types.js';

/** Tasks of one framework in placement order, consumed from `head`. */
interface Queue {
  readonly fw: FrameworkState;
  readonly tasks: QueuedTask[];
  /** The tasks' priorities and ages in enqueue order, for sortQueue(). */
  readonly priority: number[];
  readonly createdAt: number[];
  /**
   * The framework has no eligibility test and no decline filters, so its tasks without
   * constraints need no per-agent test. Filters come only from declines, never during a
   * placeTasks() call, so this holds for the whole call.
   */
  readonly unrestricted: boolean;
  head: number;
}

export interface FillContext {
  readonly st: State;
  readonly index: AgentIndex;
  readonly now: number;
  readonly placements: TaskPlacement[];
  readonly unschedulable: Unschedulable[];
  /** Offers made to external frameworks that came first in the DRF order. */
  readonly offers: OfferRecord[];
  readonly offerOptions: OfferCycleOptions;
  /** Available agents in the order external frameworks are offered them (shuffled). */
  readonly agentOrder: () => readonly AgentState[];
}

/** External frameworks that want offers compete with built-in ones in the fill. */
function wantsOffers(fw: FrameworkState): boolean {
  return fw.kind === 'External' && !fw.suppressed;
}

/** Runs steps 2–3 over validated queues; placements are recorded as tasks. */
export function progressiveFill(ctx: FillContext, queued: readonly QueuedTask[]): PlacementResult {
  const st = ctx.st;
  const queues = buildQueues(st, queued);
  const cctx = constraintContext(st);
  const failed = new Map<string, Unschedulable>();
  const hostnames = new Array<string | undefined>(st.agents.length);
  const largest = new LargestCapacity(st);
  const hasTasks = (fw: FrameworkState): boolean => {
    const q = queues.get(fw.id);
    return q !== undefined && q.head < q.tasks.length;
  };
  const takesPart = (fw: FrameworkState): boolean => hasTasks(fw) || wantsOffers(fw);
  if (st.quota.hasGuarantees) {
    setActive(st, takesPart);
    fillLoop({ ctx, queues, cctx, failed, hostnames, largest, stage: 1, left: 0 });
  }
  setActive(st, takesPart);
  fillLoop({ ctx, queues, cctx, failed, hostnames, largest, stage: 2, left: 0 });
  return { placements: ctx.placements, unschedulable: ctx.unschedulable };
}

function buildQueues(st: State, queued: readonly QueuedTask[]): Map<string, Queue> {
  const queues = new Map<string, Queue>();
  for (let i = 0; i < queued.length; i++) enqueue(st, queues, queued[i] as QueuedTask);
  for (const q of queues.values()) {
    if (q.fw.taskOrder === 'WeightedDemand') sortByWeightedDemand(st, q.tasks);
    else sortQueue(q);
  }
  return queues;
}

/**
 * Sorts a queue by compareQueued()'s order. The keys are read from two arrays filled as the
 * tasks were enqueued (in validation order, where the objects lie one after another), not from
 * the task objects: each framework's share of them is scattered in memory, and a sort touches
 * each about log n times.
 */
function sortQueue(q: Queue): void {
  const tasks = q.tasks;
  const n = tasks.length;
  if (n < 2) return;
  const order = orderByKey(q) ?? orderByComparison(q);
  const sorted = order.map((i) => tasks[i] as QueuedTask);
  for (let i = 0; i < n; i++) tasks[i] = sorted[i] as QueuedTask;
}

/**
 * compareQueued()'s order from one numeric sort, when priorities and ages are integers whose
 * spans let (priority, age, position) fit one exact double: a typed array sorts plain numbers
 * natively, about twice as fast as a sort that calls a comparison per step. Tasks equal in
 * priority and age are then put in taskId order. null when the keys do not fit.
 */
function orderByKey(q: Queue): number[] | null {
  const { tasks, priority, createdAt } = q;
  const n = tasks.length;
  let pMin = Infinity;
  let pMax = -Infinity;
  let cMin = Infinity;
  let cMax = -Infinity;
  for (let i = 0; i < n; i++) {
    const p = priority[i] as number;
    const c = createdAt[i] as number;
    if (!Number.isSafeInteger(p) || !Number.isSafeInteger(c)) return null;
    if (p < pMin) pMin = p;
    if (p > pMax) pMax = p;
    if (c < cMin) cMin = c;
    if (c > cMax) cMax = c;
  }
  const cSpan = cMax - cMin + 1;
  if ((pMax - pMin + 1) * cSpan * n > Number.MAX_SAFE_INTEGER) return null;
  // Higher priority first, then older, then earlier in the queue; every key is exact.
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++)
    keys[i] = ((pMax - (priority[i] as number)) * cSpan + ((createdAt[i] as number) - cMin)) * n + i;
  keys.sort();
  const order = new Array<number>(n);
  for (let k = 0; k < n; k++) order[k] = (keys[k] as number) % n;
  for (let k = 0; k < n;) {
    // A run of equal priority and age: the key less its position is the same.
    const run = (keys[k] as number) - (order[k] as number);
    let end = k + 1;
    while (end < n && (keys[end] as number) - (order[end] as number) === run) end++;
    if (end - k > 1) sortRunByTaskId(tasks, order, k, end);
    k = end;
  }
  return order;
}

function sortRunByTaskId(tasks: readonly QueuedTask[], order: number[], from: number, to: number): void {
  const run = order.slice(from, to).sort((i, j) => {
    const a = (tasks[i] as QueuedTask).taskId;
    const b = (tasks[j] as QueuedTask).taskId;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  for (let k = from; k < to; k++) order[k] = run[k - from] as number;
}

/** compareQueued()'s order by comparison sort, for keys orderByKey() cannot pack. */
function orderByComparison(q: Queue): number[] {
  const { tasks, priority, createdAt } = q;
  const n = tasks.length;
  const order: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // The same tests in the same order as compareQueued(); task IDs are unique in a queue.
  order.sort((i, j) => {
    const pi = priority[i] as number;
    const pj = priority[j] as number;
    if (pi !== pj) return pj - pi;
    const ci = createdAt[i] as number;
    const cj = createdAt[j] as number;
    if (ci !== cj) return ci - cj;
    const a = (tasks[i] as QueuedTask).taskId;
    const b = (tasks[j] as QueuedTask).taskId;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return order;
}

function enqueue(st: State, queues: Map<string, Queue>, t: QueuedTask): void {
  let q = queues.get(t.frameworkId);
  if (!q) {
    const fw = st.frameworks.get(t.frameworkId);
    if (!fw) return;
    const unrestricted = fw.eligible === null && fw.filters.size === 0;
    q = { fw, tasks: [], priority: [], createdAt: [], unrestricted, head: 0 };
    queues.set(t.frameworkId, q);
  }
  q.tasks.push(t);
  q.priority.push(t.priority);
  q.createdAt.push(t.createdAt);
}

/**
 * WeightedDemand: descending W = R / ΣR × P (R a task's dominant share of the pool, ΣR over the
 * queue, P its priority); equal weights fall back to priority, then age.
 */
export function sortByWeightedDemand(st: State, tasks: QueuedTask[]): void {
  const r = new Map<QueuedTask, number>();
  let sum = 0;
  for (const t of tasks) {
    const share = dominantShare(t.resources, st.pool, st.excluded);
    r.set(t, share);
    sum += share;
  }
  const w = (t: QueuedTask): number => (sum > 0 ? ((r.get(t) ?? 0) / sum) * t.priority : 0);
  tasks.sort((a, b) => w(b) - w(a) || compareQueued(a, b));
}

function compareQueued(a: QueuedTask, b: QueuedTask): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  return a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0;
}

/** What one fill loop works on; one per stage. */
interface Fill {
  readonly ctx: FillContext;
  readonly queues: Map<string, Queue>;
  readonly cctx: ConstraintContext;
  readonly failed: Map<string, Unschedulable>;
  /**
   * Agents' hostnames by slot, read once per agent and cycle: an agent takes many tasks in a
   * cycle, and its info object is one more cache miss per placement.
   */
  readonly hostnames: Array<string | undefined>;
  readonly largest: LargestCapacity;
  readonly stage: 1 | 2;
  /** Queues with tasks left. */
  left: number;
}

function fillLoop(fill: Fill): void {
  for (const q of fill.queues.values()) if (q.head < q.tasks.length) fill.left++;
  // One call per step rather than one long loop: the step is optimized as an ordinary hot
  // function and stays optimized across cycles; a loop body runs each cycle's first
  // thousands of iterations unoptimized until on-stack replacement catches up.
  while (fillStep(fill));
}

/** One step of the DRF loop: one task placed or refused, one offer, or a client deactivated; false at the end. */
function fillStep(fill: Fill): boolean {
  const ctx = fill.ctx;
  const st = ctx.st;
  const role = st.roleSorter.first();
  if (role === undefined || fill.left === 0) return false;
  if (fill.stage === 1 && !st.quota.hasOwnUnmet(role)) {
    st.roleSorter.deactivate(role);
    return true;
  }
  const fs = st.frameworkSorter(role);
  const fwId = fs.first();
  const q = fwId === undefined ? undefined : fill.queues.get(fwId);
  const external = q === undefined && fwId !== undefined ? st.frameworks.get(fwId) : undefined;
  if (external && wantsOffers(external) && offerOne(ctx, external, role, fill.stage)) return true;
  if (q === undefined || q.head >= q.tasks.length) {
    if (fwId !== undefined) fs.deactivate(fwId);
    else st.roleSorter.deactivate(role);
    return true;
  }
  const task = q.tasks[q.head++] as QueuedTask;
  placeOne(fill, q, fs, task);
  if (q.head >= q.tasks.length) {
    fill.left--;
    fs.deactivate(q.fw.id);
    if (fs.first() === undefined) st.roleSorter.deactivate(role);
  }
  return true;
}

/** Offers an external framework the first agent it wants, as allocate() would; false when none. */
function offerOne(ctx: FillContext, fw: FrameworkState, role: string, stage: 1 | 2): boolean {
  const st = ctx.st;
  for (const a of ctx.agentOrder()) {
    if (!a.available) continue;
    const x = offerable(st, role, a, stage);
    if (x === null || !wants(fw, a, x, ctx.offerOptions)) continue;
    ctx.offers.push(st.makeOffer(fw, a, x, ctx.offerOptions.now, ctx.offerOptions.offerTimeoutMs));
    return true;
  }
  return false;
}

function placeOne(fill: Fill, q: Queue, fs: Sorter, task: QueuedTask): void {
  const fw = q.fw;
  const ctx = fill.ctx;
  const cctx = fill.cctx;
  const failed = fill.failed;
  const st = ctx.st;
  const req = task.resources;
  const refusal = quotaRefusal(st, fw, task);
  if (refusal) {
    ctx.unschedulable.push(refusal);
    return;
  }
  // Capacity only shrinks within a cycle, so an identical task that failed fails again.
  const memo = !task.memoable || failed.size === 0 ? undefined : failed.get(memoKeyOf(task));
  if (memo) {
    ctx.unschedulable.push({ ...memo, taskId: task.taskId });
    return;
  }
  const accept =
    q.unrestricted && task.constraints.length === 0 ? null : acceptor(st, fw, task, ctx.now, cctx);
  const slot =
    fw.placement === 'BinPack' ? ctx.index.findFirst(req, accept) : ctx.index.findBest(req, accept);
  if (slot < 0) {
    const u = diagnose(st, ctx.index, fill.largest, fw, task, ctx.now, cctx);
    if (task.memoable) failed.set(memoKeyOf(task), u);
    ctx.unschedulable.push(u);
    return;
  }
  const a = st.agent(slot);
  st.allocate(fw, a, req, fs);
  task.agentSlot = slot;
  st.recordPlaced(task);
  ctx.placements.push({
    taskId: task.taskId,
    frameworkId: fw.id,
    agentId: a.agentId,
    hostname: fill.hostnames[slot] ?? (fill.hostnames[slot] = a.info.hostname),
    resources: task.original,
  });
}

/** Names the roles the headroom is held for (the first few). */
function headroomMessage(resource: string, roles: readonly string[]): string {
  const shown = roles.slice(0, 5).join(', ') + (roles.length > 5 ? ` and ${roles.length - 5} more` : '');
  const whose = roles.length > 0 ? `of role${roles.length > 1 ? 's' : ''} ${shown}` : 'of other roles';
  return `free ${resource} is held as headroom for the unmet quota guarantees ${whose}`;
}

/** Quota limit or guarantee headroom forbids the task anywhere: the reason, else null. */
function quotaRefusal(st: State, fw: FrameworkState, task: QueuedTask): Unschedulable | null {
  const q = st.quota;
  const v = q.limitViolation(fw.role, task.resources);
  if (v) {
    const name = st.resources.name(v.slot);
    return {
      taskId: task.taskId,
      frameworkId: fw.id,
      reason: 'QuotaLimitReached',
      message: `role ${v.role} would exceed its quota limit on ${name} (limit ${v.limit}, allocated ${v.consumed}, task ${task.resources[v.slot] ?? 0})`,
    };
  }
  if (!q.hasGuarantees) return null;
  const required = q.requiredHeadroom;
  for (let i = 0; i < task.resources.length; i++) {
    const need = task.resources[i] ?? 0;
    if (need > headroomCap(st, required, i, q.ownUnmet(fw.role, i))) {
      return {
        taskId: task.taskId,
        frameworkId: fw.id,
        reason: 'GuaranteeHeadroom',
        message: headroomMessage(st.resources.name(i), q.rolesWithUnmet(i, fw.role)),
      };
    }
  }
  return null;
}

/** The per-agent test a search applies to agents that fit by resources. */
export function acceptor(
  st: State,
  fw: FrameworkState,
  task: QueuedTask,
  now: number,
  cctx: ConstraintContext,
): ((slot: number) => boolean) | null {
  const eligible = fw.eligible;
  const filters = fw.filters.size > 0 ? fw.filters : null;
  const constraints = task.constraints;
  // Nothing to check beyond resources: the index's own test is exact.
  if (eligible === null && filters === null && constraints.length === 0) return null;
  const group = constraints.length > 0 ? st.group(task.group, fw.id) : null;
  return (slot: number): boolean => {
    const a = st.agents[slot] as AgentState;
    if (eligible !== null && !eligible(a.info)) return false;
    if (filters !== null && filters.isFiltered(slot, task.resources, now)) return false;
    if (group === null) return true;
    for (const c of constraints) {
      const value = c.field === 'hostname' ? a.info.hostname : a.info.attributes[c.field];
      if (!allows(c, value, group, cctx)) return false;
    }
    return true;
  };
}

/** Per-cycle caches for constraint checks. */
export function constraintContext(st: State): ConstraintContext {
  const values = new Map<string, Set<string>>();
  const regexes = new Map<string, RegExp>();
  return {
    clusterValues(field: string): ReadonlySet<string> {
      let v = values.get(field);
      if (!v) {
        v = new Set();
        for (const a of st.agents) {
          if (!a?.available) continue;
          const x = field === 'hostname' ? a.info.hostname : a.info.attributes[field];
          if (x !== undefined) v.add(x);
        }
        values.set(field, v);
      }
      return v;
    },
    regex(pattern: string): RegExp {
      let r = regexes.get(pattern);
      if (!r) {
        r = compileAnchored(pattern);
        regexes.set(pattern, r);
      }
      return r;
    },
  };
}
