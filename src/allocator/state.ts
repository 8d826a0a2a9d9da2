/**
 * The allocator's bookkeeping: agents, frameworks, tasks, offers, sorters and quota, and
 * the two primitives every decision goes through, allocate() and release(), which keep
 * all the aggregates in step. Internal to the allocator package.
 */
import {
  addInto,
  denseHasNegative,
  denseIsZero,
  ResourceIndex,
  subInto,
  type Dense,
} from '../resources/vector.js';
import type { FilterTable } from './offers/filters.js';
import { GroupState } from './placement/groups.js';
import { OfferBook, type OfferRecord } from './offers/offers.js';
import { QuotaTree } from './quota.js';
import type { Sorter, SorterFactory } from './sorter/sorter.js';
import type { AgentInfo, FrameworkKind, PlacementStrategy, TaskOrder } from './types.js';

export interface AgentState {
  readonly slot: number;
  readonly agentId: string;
  info: AgentInfo;
  total: Dense;
  used: Dense;
  /** Invariant: Σ resources of this agent's tasks and outstanding offers. */
  readonly allocated: Dense;
  /** Invariant: Σ resources of the nominations on this agent (held for preemptors). */
  readonly held: Dense;
  /** Invariant: max(total − used − allocated − held, 0) per resource. */
  readonly free: Dense;
  available: boolean;
  /** Sequence numbers of the outstanding offers on this agent. */
  readonly offers: Set<number>;
}

export interface FrameworkState {
  readonly id: string;
  role: string;
  kind: FrameworkKind;
  suppressed: boolean;
  /** null: the allocator's default. An empty list accepts any non-empty offer. */
  minAllocatable: Dense[] | null;
  placement: PlacementStrategy;
  taskOrder: TaskOrder;
  refuseSeconds: number | null;
  eligible: ((agent: AgentInfo) => boolean) | null;
  readonly filters: FilterTable;
  /** Sequence numbers of this framework's outstanding offers. */
  readonly offers: Set<number>;
  /** Invariant: Σ resources of this framework's tasks and outstanding offers. */
  readonly allocated: Dense;
  /**
   * The resources of the last pending task validated for this framework. Its next tasks usually
   * ask for the same (replicas of one spec) and then share this vector; task vectors are never
   * mutated, so sharing is safe.
   */
  lastRequest: Dense | null;
}

/**
 * Resources held on an agent for a pending task that preempted others there, until it is
 * placed (or the hold expires): nobody else is placed or offered into them meanwhile.
 */
export interface Nomination {
  readonly taskId: string;
  readonly frameworkId: string;
  readonly agentSlot: number;
  readonly resources: Dense;
  /** Clock ms after which the hold is let go. */
  readonly expiresAt: number;
}

export interface TaskState {
  readonly taskId: string;
  readonly frameworkId: string;
  readonly agentSlot: number;
  readonly resources: Dense;
  readonly group: string;
}

export class State {
  readonly resources: ResourceIndex;
  /** By slot; a removed agent leaves a hole whose slot is reused. */
  readonly agents: Array<AgentState | undefined> = [];
  readonly agentsById = new Map<string, AgentState>();
  readonly frameworks = new Map<string, FrameworkState>();
  /**
   * Tasks by ID: those holding an allocation (agentSlot ≥ 0), and the claims of placeTasks()'s
   * pending tasks that it has not placed (agentSlot −1; see ClaimedIds), which count for nothing.
   * Read tasks through task() and running() unless claims matter.
   */
  readonly tasks = new Map<string, TaskState>();
  /** By preemptor task ID. */
  readonly nominations = new Map<string, Nomination>();
  readonly offers: OfferBook;
  readonly roleSorter: Sorter;
  readonly frameworkSorters = new Map<string, Sorter>();
  readonly quota = new QuotaTree();
  /** Invariant: Σ free of available agents. */
  readonly clusterFree: Dense = [];
  /** Invariant: Σ max(total − used, 0) over agents: the pool shares are relative to. */
  readonly pool: Dense = [];
  readonly groups = new Map<string, GroupState>();
  /** Slots of the fairness-excluded names seen so far; sorters hold this same (growing) set. */
  readonly excluded: ReadonlySet<number>;
  /** Called after an agent's free capacity changes (the placement index listens). */
  onAgentChange: ((agent: AgentState) => void) | null = null;
  private readonly freeSlots: number[] = [];

  constructor(
    private readonly makeSorter: SorterFactory,
    excludedNames: readonly string[],
    offerIdPrefix: string,
  ) {
    // Excluded names get their slot when first used, like any other: interning them up front
    // would widen every vector (and the agent index) by slots that hold nothing.
    const excludedSet = new Set(excludedNames);
    const excluded = new Set<number>();
    this.resources = new ResourceIndex((name, slot) => {
      if (excludedSet.has(name)) excluded.add(slot);
    });
    this.excluded = excluded;
    this.roleSorter = makeSorter({ hierarchical: true, excluded: this.excluded });
    this.offers = new OfferBook(offerIdPrefix);
  }

  // ---- agents ----

  nextSlot(): number {
    return this.freeSlots.length > 0 ? (this.freeSlots.pop() as number) : this.agents.length;
  }

  releaseSlot(slot: number): void {
    this.agents[slot] = undefined;
    this.freeSlots.push(slot);
    // Lowest slot reused first, for a deterministic layout.
    this.freeSlots.sort((a, b) => b - a);
  }

  agent(slot: number): AgentState {
    const a = this.agents[slot];
    if (!a) throw new Error(`no agent in slot ${slot}`);
    return a;
  }

  /** Capacity kmesos manages on an agent: total − used, floored at zero. */
  capacity(a: AgentState): Dense {
    const n = Math.max(a.total.length, a.used.length);
    const out: Dense = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = Math.max((a.total[i] ?? 0) - (a.used[i] ?? 0), 0);
    return out;
  }

  addToPool(a: AgentState, sign: 1 | -1): void {
    const c = this.capacity(a);
    if (sign > 0) addInto(this.pool, c);
    else subInto(this.pool, c);
    for (const s of this.sorters()) {
      if (sign > 0) s.addTotal(c);
      else s.removeTotal(c);
    }
  }

  /** Recomputes free (and the cluster sum) after total, used, allocated or availability changed. */
  refreshFree(a: AgentState, wasAvailable: boolean = a.available): void {
    const n = Math.max(a.total.length, a.used.length, a.allocated.length, a.free.length, a.held.length);
    while (this.clusterFree.length < n) this.clusterFree.push(0);
    for (let i = 0; i < n; i++) {
      const old = a.free[i] ?? 0;
      const next = Math.max(
        (a.total[i] ?? 0) - (a.used[i] ?? 0) - (a.allocated[i] ?? 0) - (a.held[i] ?? 0),
        0,
      );
      a.free[i] = next;
      this.clusterFree[i] = (this.clusterFree[i] ?? 0) + (a.available ? next : 0) - (wasAvailable ? old : 0);
    }
    this.onAgentChange?.(a);
  }

  /** True when allocations exceed what the agent has (after it shrank). */
  overcommitted(a: AgentState): boolean {
    const n = Math.max(a.total.length, a.allocated.length, a.used.length);
    const over: Dense = new Array<number>(n);
    for (let i = 0; i < n; i++) over[i] = (a.total[i] ?? 0) - (a.used[i] ?? 0) - (a.allocated[i] ?? 0);
    return denseHasNegative(over);
  }

  // ---- sorters ----

  *sorters(): IterableIterator<Sorter> {
    yield this.roleSorter;
    yield* this.frameworkSorters.values();
  }

  frameworkSorter(role: string): Sorter {
    let s = this.frameworkSorters.get(role);
    if (!s) {
      s = this.makeSorter({ hierarchical: false, excluded: this.excluded });
      s.addTotal(this.pool.slice());
      this.frameworkSorters.set(role, s);
    }
    return s;
  }

  // ---- the two primitives ----

  /** `fs` is the framework's role's sorter, when the caller has it at hand. */
  allocate(fw: FrameworkState, a: AgentState, r: Dense, fs: Sorter = this.frameworkSorter(fw.role)): void {
    addInto(a.allocated, r);
    addInto(fw.allocated, r);
    this.roleSorter.allocated(fw.role, r);
    fs.allocated(fw.id, r);
    this.quota.consume(fw.role, r, 1);
    if (!this.takeFree(a, r)) this.refreshFree(a);
  }

  /**
   * refreshFree() after `r` joined a's allocation, reading only free and the cluster sum (the
   * agent's other vectors are cold in the cache while a cycle places thousands of tasks). A
   * positive free was not clamped, so it falls by exactly r, floored at zero. False, changing
   * nothing, when a slot r takes from holds no free (it may be clamped): refreshFree() then.
   */
  private takeFree(a: AgentState, r: Dense): boolean {
    const free = a.free;
    const cluster = this.clusterFree;
    const n = r.length;
    if (free.length < n || cluster.length < n) return false;
    for (let i = 0; i < n; i++) if ((r[i] as number) !== 0 && !((free[i] as number) > 0)) return false;
    const available = a.available;
    for (let i = 0; i < n; i++) {
      const need = r[i] as number;
      if (need === 0) continue;
      const old = free[i] as number;
      const next = Math.max(old - need, 0);
      free[i] = next;
      if (available) cluster[i] = (cluster[i] as number) + next - old;
    }
    this.onAgentChange?.(a);
    return true;
  }

  release(fw: FrameworkState, a: AgentState, r: Dense): void {
    if (denseIsZero(r)) return;
    subInto(a.allocated, r);
    subInto(fw.allocated, r);
    this.roleSorter.unallocated(fw.role, r);
    this.frameworkSorter(fw.role).unallocated(fw.id, r);
    this.quota.consume(fw.role, r, -1);
    this.refreshFree(a);
  }

  // ---- nominations ----

  nominate(n: Nomination): void {
    this.unnominate(n.taskId);
    const a = this.agents[n.agentSlot];
    if (!a) return;
    this.nominations.set(n.taskId, n);
    addInto(a.held, n.resources);
    this.refreshFree(a);
  }

  /** Lets a hold go; returns it, or undefined when there was none. */
  unnominate(taskId: string): Nomination | undefined {
    const n = this.nominations.get(taskId);
    if (!n) return undefined;
    this.nominations.delete(taskId);
    const a = this.agents[n.agentSlot];
    if (a) {
      subInto(a.held, n.resources);
      this.refreshFree(a);
    }
    return n;
  }

  // ---- offers and tasks ----

  makeOffer(fw: FrameworkState, a: AgentState, r: Dense, now: number, timeoutMs: number | null): OfferRecord {
    const offer = this.offers.create({
      frameworkId: fw.id,
      agentSlot: a.slot,
      role: fw.role,
      resources: r,
      createdAt: now,
      expiresAt: timeoutMs === null ? null : now + timeoutMs,
    });
    a.offers.add(offer.seq);
    fw.offers.add(offer.seq);
    this.allocate(fw, a, r);
    return offer;
  }

  /** Forgets an offer and releases `release` of its resources (all of them by default). */
  dropOffer(offer: OfferRecord, release: Dense = offer.resources): void {
    const fw = this.frameworks.get(offer.frameworkId);
    const a = this.agents[offer.agentSlot];
    this.offers.delete(offer);
    a?.offers.delete(offer.seq);
    fw?.offers.delete(offer.seq);
    if (fw && a) this.release(fw, a, release);
  }

  /**
   * A task group's placement counts. Built from the framework's tasks the first time a
   * constraint asks, then kept up to date, so unconstrained frameworks pay nothing.
   */
  group(key: string, frameworkId: string): GroupState {
    let g = this.groups.get(key);
    if (!g) {
      g = new GroupState((slot, field) => {
        const info = this.agents[slot]?.info;
        if (!info) return undefined;
        return field === 'hostname' ? info.hostname : info.attributes[field];
      });
      for (const t of this.running()) {
        if (t.frameworkId === frameworkId && t.group === key) g.add(t.agentSlot, 1);
      }
      this.groups.set(key, g);
    }
    return g;
  }

  /** The task holding an allocation under this ID (not a claim), if any. */
  task(taskId: string): TaskState | undefined {
    const t = this.tasks.get(taskId);
    return t !== undefined && t.agentSlot >= 0 ? t : undefined;
  }

  /** The tasks holding an allocation, in the task map's order. */
  *running(): IterableIterator<TaskState> {
    for (const t of this.tasks.values()) if (t.agentSlot >= 0) yield t;
  }

  /** Records a task whose resources are already allocated to its framework on its agent (replacing a claim). */
  recordTask(t: TaskState): void {
    this.tasks.set(t.taskId, t);
    this.groups.get(t.group)?.add(t.agentSlot, 1);
  }

  /** Counts a task placeTasks() just placed (already in `tasks`, see ClaimedIds) in its group. */
  recordPlaced(t: TaskState): void {
    // Groups exist only once a constraint asked for one: most cycles skip the lookup.
    if (this.groups.size > 0) this.groups.get(t.group)?.add(t.agentSlot, 1);
  }

  /**
   * IDs of tasks matching `pred`, sorted. A scan: used only on rare events (agent or
   * framework removal), which keeps per-task bookkeeping off the placement hot path.
   */
  taskIds(pred: (t: TaskState) => boolean): string[] {
    const out: string[] = [];
    for (const t of this.running()) if (pred(t)) out.push(t.taskId);
    return out.sort();
  }

  /** Forgets a task and releases its resources. */
  dropTask(t: TaskState): void {
    this.tasks.delete(t.taskId);
    const a = this.agents[t.agentSlot];
    const fw = this.frameworks.get(t.frameworkId);
    this.groups.get(t.group)?.add(t.agentSlot, -1);
    if (fw && a) this.release(fw, a, t.resources);
  }
}

export function groupKey(frameworkId: string, group: string | undefined): string {
  return group === undefined ? frameworkId : `${frameworkId}\u0000${group}`;
}
