/**
 * The Allocator: Mesos' hierarchical DRF allocator as a pure object. It never sends
 * anything and never reads the time except through the injected clock: callers feed it
 * events (agents, roles, frameworks, tasks), run a cycle, and act on the values returned.
 */
import type { Clock } from '../util/clock.js';
import {
  denseContains,
  denseEquals,
  denseHasNegative,
  denseIsZero,
  subInto,
  addInto,
  type Dense,
  type Resources,
} from '../resources/vector.js';
import { AgentIndex } from './placement/agent-index.js';
import { DrfSorter } from './sorter/drf-sorter.js';
import { DEFAULT_REFUSE_SECONDS, FilterTable, makeFilter } from './offers/filters.js';
import { offerCycle } from './offers/offer-cycle.js';
import type { OfferRecord } from './offers/offers.js';
import { ClaimedIds, SpreadScores, validatePending } from './placement/placement.js';
import { progressiveFill } from './placement/progressive.js';
import {
  placeNominated,
  plannerInput,
  quietPlan,
  type PreemptionContext,
  type PreemptionOptions,
} from './preemption/nominations.js';
import { planPreemptions } from './preemption/planner.js';
import type { PreemptionPlan } from './preemption/types.js';
import type { Limit } from './quota.js';
import { RandomSorter } from './sorter/random-sorter.js';
import { Rng } from './sorter/rng.js';
import { dominantShare, type SorterFactory } from './sorter/sorter.js';
import { groupKey, State, type AgentState, type FrameworkState } from './state.js';
import type {
  AcceptResult,
  AgentRemoval,
  AgentSpec,
  AgentUpdate,
  AllocationResult,
  FrameworkSpec,
  FrameworkUpdate,
  Offer,
  PendingTask,
  PlacementResult,
  RegisterResult,
  Rescind,
  RescindReason,
  RoleSpec,
  TaskAllocation,
} from './types.js';

export interface AllocatorOptions {
  readonly clock: Clock;
  /** Seeds the per-cycle agent shuffle and the random sorter. Default 0. */
  readonly seed?: number;
  /** Default 'drf'. */
  readonly sorter?: 'drf' | 'random' | SorterFactory;
  /** Resources left out of dominant shares. Default `nvidia.com/gpu`, `amd.com/gpu`, `pods`. */
  readonly fairnessExcludeResourceNames?: readonly string[];
  /** Mesos' `min_allocatable_resources`: an offer must hold one. Default cpu 10m or 32Mi memory. */
  readonly minAllocatable?: readonly Resources[];
  /** Outstanding offers are rescinded after this long. Default null (never). */
  readonly offerTimeoutMs?: number | null;
  /** Refuse seconds when a decline names none. Default 5 (Mesos). */
  readonly defaultRefuseSeconds?: number;
  /**
   * The allocation interval: a decline filter lasts at least this long, so that a short
   * refusal is seen by at least one allocation (Mesos' allocator does the same). Default 1 s.
   */
  readonly allocationIntervalMs?: number;
  /** Offer IDs are prefix + sequence; give each leader term its own prefix. Default `offer-`. */
  readonly offerIdPrefix?: string;
}

export interface AcceptTask {
  readonly taskId: string;
  readonly resources: Resources;
  readonly group?: string;
}

function sameAttributes(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

export const DEFAULT_FAIRNESS_EXCLUDED: readonly string[] = ['nvidia.com/gpu', 'amd.com/gpu', 'pods'];
export const DEFAULT_MIN_ALLOCATABLE: readonly Resources[] = [{ cpu: 10 }, { memory: 32 * 2 ** 20 }];
export const DEFAULT_ROLE = '*';

export class Allocator {
  private readonly st: State;
  private readonly clock: Clock;
  private readonly rng: Rng;
  private readonly offerTimeoutMs: number | null;
  private readonly defaultRefuseSeconds: number;
  private readonly allocationIntervalMs: number;
  private readonly defaultMin: Dense[];
  private readonly roles = new Map<string, RoleSpec>();
  private readonly index = new AgentIndex();
  private readonly scores = new SpreadScores();
  private readonly claims: ClaimedIds;

  constructor(options: AllocatorOptions) {
    this.clock = options.clock;
    const seed = options.seed ?? 0;
    this.rng = new Rng(seed);
    const sorter = options.sorter ?? 'drf';
    let sorterSeed = seed;
    const factory: SorterFactory =
      sorter === 'drf'
        ? (o) => new DrfSorter(o)
        : sorter === 'random'
          ? (o) => new RandomSorter(o, (sorterSeed = (sorterSeed * 31 + 7) >>> 0))
          : sorter;
    this.st = new State(
      factory,
      options.fairnessExcludeResourceNames ?? DEFAULT_FAIRNESS_EXCLUDED,
      options.offerIdPrefix ?? 'offer-',
    );
    this.claims = new ClaimedIds(this.st);
    this.offerTimeoutMs = options.offerTimeoutMs ?? null;
    this.defaultRefuseSeconds = options.defaultRefuseSeconds ?? DEFAULT_REFUSE_SECONDS;
    this.allocationIntervalMs = options.allocationIntervalMs ?? 1000;
    this.defaultMin = (options.minAllocatable ?? DEFAULT_MIN_ALLOCATABLE).map((r) =>
      this.st.resources.toDense(r),
    );
  }

  // ---------------------------------------------------------------- agents

  addAgent(spec: AgentSpec): void {
    if (this.st.agentsById.has(spec.agentId)) throw new Error(`agent ${spec.agentId} already added`);
    const slot = this.st.nextSlot();
    const a: AgentState = {
      slot,
      agentId: spec.agentId,
      info: { agentId: spec.agentId, hostname: spec.hostname, attributes: { ...spec.attributes } },
      total: this.dense(spec.total),
      used: this.dense(spec.used ?? {}),
      allocated: [],
      held: [],
      free: [],
      available: spec.available ?? true,
      offers: new Set(),
    };
    this.st.agents[slot] = a;
    this.st.agentsById.set(a.agentId, a);
    this.st.addToPool(a, 1);
    this.st.refreshFree(a, false);
  }

  /**
   * Changes an agent's hostname, attributes, total or externally used resources. If its
   * allocations no longer fit, outstanding offers on it are rescinded, newest first.
   */
  updateAgent(agentId: string, update: AgentUpdate): Rescind[] {
    const a = this.agentOf(agentId);
    if (update.hostname !== undefined || update.attributes !== undefined) {
      // Mesos clears every decline filter on an agent whose attributes change: a framework
      // that refused the old agent may want the new one.
      if (update.attributes !== undefined && !sameAttributes(update.attributes, a.info.attributes))
        for (const fw of this.st.frameworks.values()) fw.filters.deleteAgent(a.slot);
      a.info = {
        agentId,
        hostname: update.hostname ?? a.info.hostname,
        attributes: { ...(update.attributes ?? a.info.attributes) },
      };
      for (const g of this.st.groups.values()) g.invalidate();
    }
    if (update.total !== undefined || update.used !== undefined) {
      this.st.addToPool(a, -1);
      if (update.total !== undefined) a.total = this.dense(update.total);
      if (update.used !== undefined) a.used = this.dense(update.used);
      this.st.addToPool(a, 1);
      this.st.refreshFree(a);
    }
    const out: Rescind[] = [];
    const newestFirst = this.offersOn(a).sort((x, y) => y.seq - x.seq);
    for (const o of newestFirst) {
      if (!this.st.overcommitted(a)) break;
      out.push(this.rescind(o, 'AgentShrunk'));
    }
    return out;
  }

  /** Marks an agent (un)available; going unavailable rescinds its offers. Tasks stay allocated. */
  setAgentAvailable(agentId: string, available: boolean): Rescind[] {
    const a = this.agentOf(agentId);
    if (a.available === available) return [];
    const was = a.available;
    a.available = available;
    this.st.refreshFree(a, was);
    return available ? [] : this.offersOn(a).map((o) => this.rescind(o, 'AgentUnavailable'));
  }

  /** Removes an agent: its offers are rescinded and its tasks' allocations released. */
  removeAgent(agentId: string): AgentRemoval {
    const a = this.agentOf(agentId);
    const rescinded = this.offersOn(a).map((o) => this.rescind(o, 'AgentRemoved'));
    for (const n of [...this.st.nominations.values()])
      if (n.agentSlot === a.slot) this.st.unnominate(n.taskId);
    const lostTasks = this.st.taskIds((t) => t.agentSlot === a.slot);
    for (const id of lostTasks) {
      const t = this.st.task(id);
      if (t) this.st.dropTask(t);
    }
    for (const fw of this.st.frameworks.values()) fw.filters.deleteAgent(a.slot);
    const was = a.available;
    a.available = false;
    this.st.refreshFree(a, was);
    this.st.addToPool(a, -1);
    this.st.agentsById.delete(agentId);
    this.st.releaseSlot(a.slot);
    return { rescinded, lostTasks };
  }

  // ---------------------------------------------------------------- roles

  /**
   * Creates or replaces a role's weight and quota. A limit lowered below what the role
   * holds rescinds its newest outstanding offers until it fits (tasks are not touched).
   */
  setRole(role: string, spec: RoleSpec): Rescind[] {
    const weight = spec.weight ?? 1;
    if (!(weight > 0) || !Number.isFinite(weight)) throw new Error(`weight of role ${role} must be positive`);
    this.roles.set(role, spec);
    this.st.roleSorter.updateWeight(role, weight);
    const limit: Limit | null = spec.limit ? this.limitOf(spec.limit) : null;
    this.st.quota.setQuota(role, this.dense(spec.guarantee ?? {}), limit);
    return this.rescindOverLimit();
  }

  /** Back to the implicit role: weight 1, no quota. */
  removeRole(role: string): void {
    this.setRole(role, {});
    this.roles.delete(role);
  }

  // ---------------------------------------------------------------- frameworks

  addFramework(spec: FrameworkSpec): void {
    if (this.st.frameworks.has(spec.frameworkId))
      throw new Error(`framework ${spec.frameworkId} already added`);
    const fw: FrameworkState = {
      id: spec.frameworkId,
      role: spec.role ?? DEFAULT_ROLE,
      kind: spec.kind,
      suppressed: spec.suppressed ?? false,
      minAllocatable: spec.minAllocatable ? spec.minAllocatable.map((r) => this.dense(r)) : null,
      placement: spec.placement ?? 'Spread',
      taskOrder: spec.taskOrder ?? 'PriorityAge',
      refuseSeconds: spec.refuseSeconds ?? null,
      eligible: spec.eligible ?? null,
      filters: new FilterTable(),
      offers: new Set(),
      allocated: [],
      lastRequest: null,
    };
    this.st.frameworks.set(fw.id, fw);
    this.joinRole(fw);
  }

  /** Updates a framework. A role change rescinds its offers and moves its tasks' allocations. */
  updateFramework(frameworkId: string, update: FrameworkUpdate): Rescind[] {
    const fw = this.frameworkOf(frameworkId);
    let out: Rescind[] = [];
    if (update.role !== undefined && update.role !== fw.role) {
      out = [...fw.offers].map((seq) => this.rescind(this.offerBySeq(seq), 'FrameworkUpdated'));
      const held = fw.allocated.slice();
      this.moveAllocation(fw, held, -1);
      this.leaveRole(fw);
      fw.role = update.role;
      this.joinRole(fw);
      this.moveAllocation(fw, held, 1);
    }
    if (update.kind !== undefined) fw.kind = update.kind;
    if (update.suppressed !== undefined) fw.suppressed = update.suppressed;
    if (update.minAllocatable !== undefined)
      fw.minAllocatable = update.minAllocatable.map((r) => this.dense(r));
    if (update.placement !== undefined) fw.placement = update.placement;
    if (update.taskOrder !== undefined) fw.taskOrder = update.taskOrder;
    if (update.refuseSeconds !== undefined) fw.refuseSeconds = update.refuseSeconds;
    if (update.eligible !== undefined) fw.eligible = update.eligible;
    return out;
  }

  /** Removes a framework: offers rescinded, its tasks' allocations released. */
  removeFramework(frameworkId: string): { rescinded: Rescind[]; releasedTasks: string[] } {
    const fw = this.frameworkOf(frameworkId);
    const rescinded = [...fw.offers].map((seq) => this.rescind(this.offerBySeq(seq), 'FrameworkRemoved'));
    for (const n of [...this.st.nominations.values()])
      if (n.frameworkId === fw.id) this.st.unnominate(n.taskId);
    const releasedTasks = this.st.taskIds((t) => t.frameworkId === fw.id);
    for (const id of releasedTasks) {
      const t = this.st.task(id);
      if (t) this.st.dropTask(t);
    }
    this.leaveRole(fw);
    this.st.frameworks.delete(frameworkId);
    for (const key of [...this.st.groups.keys()]) {
      if (key === frameworkId || key.startsWith(`${frameworkId}\u0000`)) this.st.groups.delete(key);
    }
    return { rescinded, releasedTasks };
  }

  /** SUPPRESS: no offers (or placements) until revived. Filters stay. */
  suppress(frameworkId: string): void {
    this.frameworkOf(frameworkId).suppressed = true;
  }

  /** REVIVE: offers resume and every filter of the framework is cleared. */
  revive(frameworkId: string): void {
    const fw = this.frameworkOf(frameworkId);
    fw.suppressed = false;
    fw.filters.clear();
  }

  // ---------------------------------------------------------------- tasks

  /** Registers a running task's allocation (rebuild after restart, or an external launch). */
  addTask(task: TaskAllocation): RegisterResult {
    const fw = this.st.frameworks.get(task.frameworkId);
    const a = this.st.agentsById.get(task.agentId);
    if (!fw)
      return {
        ok: false,
        reason: 'UnknownFramework',
        message: `framework ${task.frameworkId} is not registered`,
      };
    if (!a) return { ok: false, reason: 'UnknownAgent', message: `agent ${task.agentId} is not registered` };
    if (this.st.task(task.taskId)) {
      return { ok: false, reason: 'DuplicateTask', message: `task ${task.taskId} is already registered` };
    }
    const r = this.dense(task.resources);
    this.st.allocate(fw, a, r);
    this.st.recordTask({
      taskId: task.taskId,
      frameworkId: fw.id,
      agentSlot: a.slot,
      resources: r,
      group: groupKey(fw.id, task.group),
    });
    return { ok: true };
  }

  /** Recovers a task's resources when it ends. False if unknown. */
  removeTask(taskId: string): boolean {
    const t = this.st.task(taskId);
    if (!t) return false;
    this.st.dropTask(t);
    return true;
  }

  // ---------------------------------------------------------------- cycles

  /**
   * One offer cycle for External frameworks: expires timed-out offers, then makes offers
   * in hierarchical DRF order (quota guarantees first). Offers count as allocated.
   */
  allocate(): AllocationResult {
    const now = this.clock.now();
    const rescinded = this.expireOffers(now);
    for (const n of [...this.st.nominations.values()]) if (n.expiresAt <= now) this.st.unnominate(n.taskId);
    const order: AgentState[] = [];
    // Only External frameworks that are not suppressed take offers: with none, no agent is looked at.
    if (this.anyTakesOffers()) {
      for (const a of this.st.agents) if (a?.available) order.push(a);
      this.rng.shuffle(order);
    }
    const made = offerCycle(this.st, order, {
      now,
      offerTimeoutMs: this.offerTimeoutMs,
      defaultMinAllocatable: this.defaultMin,
    });
    return { offers: made.map((o) => this.offerView(o)), rescinded };
  }

  private anyTakesOffers(): boolean {
    for (const fw of this.st.frameworks.values()) if (fw.kind === 'External' && !fw.suppressed) return true;
    return false;
  }

  /**
   * Places Builtin frameworks' pending tasks by progressive filling (task-granularity
   * DRF). Placements are recorded as task allocations; removeTask() recovers them. `pending` is
   * every pending built-in task: a preemptor with room held for it is placed there first, and the
   * holds of tasks not in `pending` are let go.
   */
  placeTasks(pending: readonly PendingTask[]): PlacementResult {
    const now = this.clock.now();
    const st = this.st;
    const claims = this.claims;
    claims.begin();
    try {
      return this.place(pending, now, claims);
    } finally {
      st.onAgentChange = null;
      claims.release();
    }
  }

  /** placeTasks() once its claims are safe to release whatever happens. */
  private place(pending: readonly PendingTask[], now: number, claims: ClaimedIds): PlacementResult {
    const st = this.st;
    const validated = validatePending(st, pending, claims);
    const rejected = validated.rejected;
    const nominated = placeNominated(st, validated.queued, pending);
    const queued = nominated.rest;
    const index = this.index;
    const scores = this.scores;
    scores.reset(st);
    index.rebuild(
      st.agents.length,
      st.resources.size,
      (s) => {
        const a = st.agents[s];
        return a?.available ? a.free : null;
      },
      (s) => {
        const a = st.agents[s];
        return a ? scores.score(s, a.free) : 0;
      },
    );
    st.onAgentChange = (a) => index.update(a.slot, a.available ? a.free : null, scores.score(a.slot, a.free));
    // Shuffled only when an external framework is offered something, as allocate() shuffles.
    let order: AgentState[] | undefined;
    const agentOrder = (): readonly AgentState[] => {
      if (order) return order;
      order = [];
      for (const a of st.agents) if (a?.available) order.push(a);
      this.rng.shuffle(order);
      return order;
    };
    const offers: OfferRecord[] = [];
    const result = progressiveFill(
      {
        st,
        index,
        now,
        placements: nominated.placements,
        unschedulable: [...rejected, ...nominated.waiting],
        offers,
        offerOptions: { now, offerTimeoutMs: this.offerTimeoutMs, defaultMinAllocatable: this.defaultMin },
        agentOrder,
      },
      queued,
    );
    return { ...result, offers: offers.map((o) => this.offerView(o)) };
  }

  /**
   * Plans preemptions for `pending` tasks that placeTasks() could not place (preemption/planner.ts)
   * and holds each preemptor's room on its agent until it is placed or `holdMs` passes. The
   * caller kills the victims; their ends release their allocations into the hold.
   */
  planPreemptions(
    pending: readonly PendingTask[],
    ctx: PreemptionContext,
    options: PreemptionOptions,
  ): PreemptionPlan {
    const now = this.clock.now();
    const { queued } = validatePending(this.st, pending);
    const quiet = quietPlan(this.st, this.roles, queued, ctx);
    if (quiet) return quiet;
    const plan = planPreemptions(plannerInput(this.st, this.roles, queued, ctx, options, now));
    for (const p of plan.preemptions) {
      const a = this.st.agentsById.get(p.agentId);
      if (!a) continue;
      this.st.nominate({
        taskId: p.preemptor,
        frameworkId: p.frameworkId,
        agentSlot: a.slot,
        resources: this.st.resources.toDense(p.resources),
        expiresAt: now + options.holdMs,
      });
    }
    return plan;
  }

  /** Room held for preemptors, by task ID: agent and resources (tests, status). */
  nominations(): { taskId: string; agentId: string; resources: Resources }[] {
    return [...this.st.nominations.values()].map((n) => ({
      taskId: n.taskId,
      agentId: this.st.agent(n.agentSlot).agentId,
      resources: this.st.resources.toResources(n.resources),
    }));
  }

  // ---------------------------------------------------------------- offers

  /**
   * ACCEPT: launches `tasks` on the offer's resources. Their sum must fit the offer; the
   * rest is declined with `refuseSeconds` (default: the framework's, else 5 s).
   */
  accept(offerId: string, tasks: readonly AcceptTask[], refuseSeconds?: number): AcceptResult {
    const offer = this.st.offers.get(offerId);
    if (!offer) return { ok: false, reason: 'UnknownOffer', message: `offer ${offerId} is not outstanding` };
    const used: Dense = [];
    const dense: Dense[] = [];
    const ids = new Set<string>();
    for (const t of tasks) {
      if (this.st.task(t.taskId) || ids.has(t.taskId)) {
        return { ok: false, reason: 'DuplicateTask', message: `task ${t.taskId} is already registered` };
      }
      ids.add(t.taskId);
      const r = this.dense(t.resources);
      dense.push(r);
      addInto(used, r);
    }
    if (!denseContains(offer.resources, used)) {
      return { ok: false, reason: 'ExceedsOffer', message: `tasks need more than offer ${offerId} holds` };
    }
    const fw = this.frameworkOf(offer.frameworkId);
    const a = this.st.agent(offer.agentSlot);
    const unused = offer.resources.slice();
    subInto(unused, used);
    this.st.dropOffer(offer, unused);
    this.installFilter(fw, a, unused, refuseSeconds);
    const out: TaskAllocation[] = tasks.map((t, i) => {
      this.st.recordTask({
        taskId: t.taskId,
        frameworkId: fw.id,
        agentSlot: a.slot,
        resources: dense[i] ?? [],
        group: groupKey(fw.id, t.group),
      });
      return {
        taskId: t.taskId,
        frameworkId: fw.id,
        agentId: a.agentId,
        resources: t.resources,
        group: t.group,
      };
    });
    return { ok: true, tasks: out };
  }

  /** DECLINE: recovers the offer and filters the agent for `refuseSeconds` (default 5 s). */
  decline(offerId: string, refuseSeconds?: number): boolean {
    const offer = this.st.offers.get(offerId);
    if (!offer) return false;
    const fw = this.frameworkOf(offer.frameworkId);
    const a = this.st.agent(offer.agentSlot);
    this.st.dropOffer(offer);
    this.installFilter(fw, a, offer.resources, refuseSeconds);
    return true;
  }

  /** Rescinds one offer (e.g. the operator lost the scheduler's connection). */
  rescindOffer(offerId: string, reason: RescindReason = 'FrameworkUpdated'): Rescind | null {
    const o = this.st.offers.get(offerId);
    return o ? this.rescind(o, reason) : null;
  }

  // ---------------------------------------------------------------- views

  outstandingOffers(): Offer[] {
    return [...this.st.offers.all()].sort((a, b) => a.seq - b.seq).map((o) => this.offerView(o));
  }

  hasFramework(frameworkId: string): boolean {
    return this.st.frameworks.has(frameworkId);
  }

  /** Weighted dominant share of a framework within the pool (for status and metrics). */
  frameworkShare(frameworkId: string): number {
    const fw = this.frameworkOf(frameworkId);
    return dominantShare(fw.allocated, this.st.pool, this.st.excluded);
  }

  /** Weighted dominant share of a role path, counting its whole subtree. */
  roleShare(role: string): number {
    const weight = this.roles.get(role)?.weight ?? 1;
    return dominantShare(this.st.quota.consumed(role), this.st.pool, this.st.excluded) / weight;
  }

  frameworkAllocation(frameworkId: string): Resources {
    return this.st.resources.toResources(this.frameworkOf(frameworkId).allocated);
  }

  /** Everything allocated to a role path and below (tasks and outstanding offers). */
  roleAllocation(role: string): Resources {
    return this.st.resources.toResources(this.st.quota.consumed(role));
  }

  /** Free capacity held back for the role's unmet guarantee (what it is owed, as far as capacity is free). */
  roleHeadroom(role: string): Resources {
    const unmet = this.st.quota.unmetOf(role);
    const free = this.st.clusterFree;
    return this.st.resources.toResources(unmet.map((u, i) => Math.min(u, free[i] ?? 0)));
  }

  agentFree(agentId: string): Resources {
    return this.st.resources.toResources(this.agentOf(agentId).free);
  }

  /** The pool shares are relative to: Σ (total − used) over agents. */
  poolTotal(): Resources {
    return this.st.resources.toResources(this.st.pool);
  }

  /** Frameworks in the order the next offer cycle would consider them (tests, debugging). */
  frameworkOrder(): string[] {
    const out: string[] = [];
    for (const role of this.st.roleSorter.sort()) out.push(...this.st.frameworkSorter(role).sort());
    return out;
  }

  task(taskId: string): TaskAllocation | undefined {
    const t = this.st.task(taskId);
    if (!t) return undefined;
    return {
      taskId,
      frameworkId: t.frameworkId,
      agentId: this.st.agent(t.agentSlot).agentId,
      resources: this.st.resources.toResources(t.resources),
    };
  }

  /** Throws when a bookkeeping invariant is broken. Tests and debug builds call it. */
  checkInvariants(): void {
    checkState(this.st);
    this.claims.checkInvariants();
  }

  // ---------------------------------------------------------------- internals

  private dense(r: Resources): Dense {
    for (const [k, v] of Object.entries(r)) {
      if (!Number.isSafeInteger(v) || v < 0)
        throw new Error(`resource ${k} must be a non-negative integer, got ${v}`);
    }
    return this.st.resources.toDense(r);
  }

  private limitOf(r: Resources): Limit {
    const out: Array<number | undefined> = [];
    for (const [k, v] of Object.entries(r)) {
      const s = this.st.resources.slot(k);
      while (out.length <= s) out.push(undefined);
      out[s] = v;
    }
    return out;
  }

  private agentOf(agentId: string): AgentState {
    const a = this.st.agentsById.get(agentId);
    if (!a) throw new Error(`agent ${agentId} is not registered`);
    return a;
  }

  private frameworkOf(frameworkId: string): FrameworkState {
    const fw = this.st.frameworks.get(frameworkId);
    if (!fw) throw new Error(`framework ${frameworkId} is not registered`);
    return fw;
  }

  private offerBySeq(seq: number): OfferRecord {
    const o = this.st.offers.bySequence(seq);
    if (!o) throw new Error(`offer number ${seq} is not outstanding`);
    return o;
  }

  private offersOn(a: AgentState): OfferRecord[] {
    return [...a.offers].map((seq) => this.offerBySeq(seq));
  }

  private offerView(o: OfferRecord): Offer {
    const a = this.st.agent(o.agentSlot);
    return {
      offerId: o.offerId,
      frameworkId: o.frameworkId,
      agentId: a.agentId,
      hostname: a.info.hostname,
      role: o.role,
      resources: this.st.resources.toResources(o.resources),
      expiresAt: o.expiresAt,
    };
  }

  private rescind(o: OfferRecord, reason: RescindReason): Rescind {
    const agentId = this.st.agent(o.agentSlot).agentId;
    this.st.dropOffer(o);
    return { offerId: o.offerId, frameworkId: o.frameworkId, agentId, reason };
  }

  private expireOffers(now: number): Rescind[] {
    return this.st.offers.expired(now).map((o) => this.rescind(o, 'Expired'));
  }

  private rescindOverLimit(): Rescind[] {
    const out: Rescind[] = [];
    for (const role of this.st.quota.overLimit()) {
      const offers = [...this.st.offers.all()]
        .filter((o) => o.role === role || o.role.startsWith(`${role}/`))
        .sort((x, y) => y.seq - x.seq);
      for (const o of offers) {
        if (!this.st.quota.overLimit().includes(role)) break;
        out.push(this.rescind(o, 'QuotaLimitLowered'));
      }
    }
    return out;
  }

  private installFilter(fw: FrameworkState, a: AgentState, refused: Dense, refuseSeconds?: number): void {
    if (denseIsZero(refused)) return;
    const asked = refuseSeconds ?? fw.refuseSeconds ?? this.defaultRefuseSeconds;
    const seconds = asked > 0 ? Math.max(asked, this.allocationIntervalMs / 1000) : asked;
    const f = makeFilter(refused, this.clock.now(), seconds);
    if (f) fw.filters.set(a.slot, f);
  }

  private joinRole(fw: FrameworkState): void {
    const st = this.st;
    if (!st.roleSorter.contains(fw.role)) {
      st.roleSorter.add(fw.role);
      st.roleSorter.updateWeight(fw.role, this.roles.get(fw.role)?.weight ?? 1);
    }
    const fs = st.frameworkSorter(fw.role);
    fs.add(fw.id);
  }

  private leaveRole(fw: FrameworkState): void {
    const st = this.st;
    const fs = st.frameworkSorter(fw.role);
    fs.remove(fw.id);
    if (fs.count() === 0) {
      st.frameworkSorters.delete(fw.role);
      st.roleSorter.remove(fw.role);
    }
  }

  /** Moves a framework's held allocation out of (−1) or into (+1) its role's bookkeeping. */
  private moveAllocation(fw: FrameworkState, r: Dense, sign: 1 | -1): void {
    if (denseIsZero(r)) return;
    if (sign > 0) {
      this.st.roleSorter.allocated(fw.role, r);
      this.st.frameworkSorter(fw.role).allocated(fw.id, r);
    } else {
      this.st.roleSorter.unallocated(fw.role, r);
      this.st.frameworkSorter(fw.role).unallocated(fw.id, r);
    }
    this.st.quota.consume(fw.role, r, sign);
  }
}

/** The invariants written next to State's fields, checked by recomputation. */
function checkState(st: State): void {
  const perAgent = new Map<number, Dense>();
  const perFw = new Map<string, Dense>();
  const add = (m: Map<number, Dense> | Map<string, Dense>, k: number | string, r: Dense): void => {
    const mm = m as Map<number | string, Dense>;
    const cur = mm.get(k) ?? [];
    addInto(cur, r);
    mm.set(k, cur);
  };
  for (const t of st.running()) {
    add(perAgent, t.agentSlot, t.resources);
    add(perFw, t.frameworkId, t.resources);
  }
  for (const o of st.offers.all()) {
    add(perAgent, o.agentSlot, o.resources);
    add(perFw, o.frameworkId, o.resources);
  }
  checkHeld(st);
  const clusterFree: Dense = [];
  for (const a of st.agents) {
    if (!a) continue;
    if (!denseEquals(a.allocated, perAgent.get(a.slot) ?? []))
      throw new Error(`invariant: agent ${a.agentId} allocation`);
    if (denseHasNegative(a.free)) throw new Error(`invariant: agent ${a.agentId} negative free`);
    if (!denseEquals(a.free, freeOf(a))) throw new Error(`invariant: agent ${a.agentId} free`);
    if (a.offers.size > 0 && st.overcommitted(a))
      throw new Error(`invariant: offers beyond capacity on ${a.agentId}`);
    if (a.available) addInto(clusterFree, a.free);
  }
  if (!denseEquals(clusterFree, st.clusterFree)) throw new Error('invariant: cluster free');
  for (const fw of st.frameworks.values()) {
    if (!denseEquals(fw.allocated, perFw.get(fw.id) ?? []))
      throw new Error(`invariant: framework ${fw.id} allocation`);
    const s = st.frameworkSorter(fw.role);
    if (!denseEquals(s.allocation(fw.id), fw.allocated))
      throw new Error(`invariant: sorter allocation of ${fw.id}`);
  }
  st.quota.checkInvariants();
  if (st.roleSorter instanceof DrfSorter) st.roleSorter.checkInvariants();
  for (const s of st.frameworkSorters.values()) if (s instanceof DrfSorter) s.checkInvariants();
}

/** max(total − used − allocated − held, 0) per resource, recomputed. */
function freeOf(a: AgentState): Dense {
  const n = Math.max(a.total.length, a.used.length, a.allocated.length, a.held.length);
  const out: Dense = [];
  for (let i = 0; i < n; i++)
    out.push(Math.max((a.total[i] ?? 0) - (a.used[i] ?? 0) - (a.allocated[i] ?? 0) - (a.held[i] ?? 0), 0));
  return out;
}

/** Each agent holds exactly its nominations' resources. */
function checkHeld(st: State): void {
  const held = new Map<number, Dense>();
  for (const n of st.nominations.values()) {
    const cur = held.get(n.agentSlot) ?? [];
    addInto(cur, n.resources);
    held.set(n.agentSlot, cur);
  }
  for (const a of st.agents)
    if (a && !denseEquals(a.held, held.get(a.slot) ?? []))
      throw new Error(`invariant: agent ${a.agentId} held`);
}
