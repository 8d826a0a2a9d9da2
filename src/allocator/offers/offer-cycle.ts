/**
 * One offer cycle for external frameworks, Mesos' hierarchical allocation:
 *
 *  1. Stage 1 (only if some role has an unmet guarantee): for each agent, roles with an
 *     unmet guarantee in DRF order, frameworks in DRF order; guaranteed resources are
 *     offered only up to what is still unmet.
 *  2. Stage 2: for each agent, every role and framework in DRF order.
 *
 * In both, an offer is capped by the role's limits and by the headroom still owed to
 * unmet guarantees, must hold one of the framework's minimum allocatable vectors, and is
 * skipped while an offer filter covers it. An agent's resources go to the first framework
 * that passes; whatever the caps leave goes around again. The cycle returns offers.
 */
import { denseContains, denseIsZero, type Dense } from '../../resources/vector.js';
import type { OfferRecord } from './offers.js';
import type { AgentState, FrameworkState, State } from '../state.js';

export interface OfferCycleOptions {
  readonly now: number;
  readonly offerTimeoutMs: number | null;
  readonly defaultMinAllocatable: readonly Dense[];
}

/** Makes this cycle's offers over `order` (the agents, already shuffled). */
export function offerCycle(st: State, order: readonly AgentState[], opts: OfferCycleOptions): OfferRecord[] {
  setActive(st, (fw) => fw.kind === 'External' && !fw.suppressed);
  const cycle = new AgentOffers(st, opts);
  if (st.quota.hasGuarantees) {
    for (const a of order) cycle.offerAgent(a, 1);
  }
  for (const a of order) cycle.offerAgent(a, 2);
  return cycle.made;
}

/** Activates in the sorters exactly the frameworks `pred` selects (and their roles). */
export function setActive(st: State, pred: (fw: FrameworkState) => boolean): void {
  const activeRoles = new Set<string>();
  for (const fw of st.frameworks.values()) {
    const s = st.frameworkSorter(fw.role);
    if (pred(fw)) {
      s.activate(fw.id);
      activeRoles.add(fw.role);
    } else {
      s.deactivate(fw.id);
    }
  }
  for (const role of st.frameworkSorters.keys()) {
    if (!st.roleSorter.contains(role)) continue;
    if (activeRoles.has(role)) st.roleSorter.activate(role);
    else st.roleSorter.deactivate(role);
  }
}

/**
 * Offers one agent at a time. The sorter callbacks are made once per cycle and read the
 * agent being offered from fields, so a cycle over many agents allocates no closures.
 */
class AgentOffers {
  readonly made: OfferRecord[] = [];
  private a: AgentState | null = null;
  private stage: 1 | 2 = 2;
  /** What the role being tried may be offered of the agent. */
  private x: Dense | null = null;
  private offer: OfferRecord | null = null;
  private again = false;
  /** Frameworks offered this agent in this cycle: nearly always one, so a Set only from the second. */
  private offeredFirst: string | null = null;
  private offeredMore: Set<string> | null = null;

  constructor(
    private readonly st: State,
    private readonly opts: OfferCycleOptions,
  ) {}

  offerAgent(a: AgentState, stage: 1 | 2): void {
    if (!a.available) return;
    this.a = a;
    this.stage = stage;
    this.offeredFirst = null;
    this.offeredMore = null;
    this.again = true;
    while (this.again) {
      this.again = false;
      if (denseIsZero(a.free)) break;
      this.st.roleSorter.visit(this.tryRole);
    }
    this.a = null;
  }

  private offeredBefore(fwId: string): boolean {
    const first = this.offeredFirst;
    return first !== null && (first === fwId || (this.offeredMore !== null && this.offeredMore.has(fwId)));
  }

  private readonly tryRole = (role: string): boolean => {
    const st = this.st;
    const a = this.a as AgentState;
    if (this.stage === 1 && !st.quota.hasOwnUnmet(role)) return true;
    this.x = offerable(st, role, a, this.stage);
    if (this.x === null) return true;
    this.offer = null;
    st.frameworkSorter(role).visit(this.tryFramework);
    const got = this.offer as OfferRecord | null;
    if (got === null) return true;
    this.made.push(got);
    if (this.offeredFirst === null) this.offeredFirst = got.frameworkId;
    else (this.offeredMore ??= new Set()).add(got.frameworkId);
    this.again = true;
    return false;
  };

  private readonly tryFramework = (fwId: string): boolean => {
    const st = this.st;
    const a = this.a as AgentState;
    const x = this.x as Dense;
    const fw = st.frameworks.get(fwId);
    if (!fw || this.offeredBefore(fwId) || !wants(fw, a, x, this.opts)) return true;
    this.offer = st.makeOffer(fw, a, x, this.opts.now, this.opts.offerTimeoutMs);
    return false;
  };
}

/** Eligible, not filtered, and at least one minimum allocatable vector. */
export function wants(fw: FrameworkState, a: AgentState, x: Dense, opts: OfferCycleOptions): boolean {
  if (fw.eligible !== null && !fw.eligible(a.info)) return false;
  if (fw.filters.size > 0 && fw.filters.isFiltered(a.slot, x, opts.now)) return false;
  return meetsMinimum(x, fw.minAllocatable ?? opts.defaultMinAllocatable);
}

export function meetsMinimum(x: Dense, mins: readonly Dense[]): boolean {
  if (mins.length === 0) return !denseIsZero(x);
  for (const m of mins) if (denseContains(x, m)) return true;
  return false;
}

/** What `role` may be offered of the agent's free resources now, or null if nothing. */
export function offerable(st: State, role: string, a: AgentState, stage: 1 | 2): Dense | null {
  const x = a.free.slice();
  const q = st.quota;
  if (q.hasLimits) {
    for (let i = 0; i < x.length; i++) x[i] = Math.min(x[i] ?? 0, q.limitRoom(role, i));
  }
  if (q.hasGuarantees) {
    const required = q.requiredHeadroom;
    for (let i = 0; i < x.length; i++) {
      const own = q.ownUnmet(role, i);
      if (stage === 1 && own > 0) x[i] = Math.min(x[i] ?? 0, own);
      x[i] = Math.min(x[i] ?? 0, headroomCap(st, required, i, own));
    }
  }
  return denseIsZero(x) ? null : x;
}

/**
 * How much of slot `i` a role may take without eating headroom owed to others: the
 * surplus over the required headroom, plus the role's own unmet guarantee (taking that
 * lowers the required headroom by as much).
 */
export function headroomCap(st: State, required: Dense, i: number, ownUnmet: number): number {
  const r = required[i] ?? 0;
  if (r <= 0) return Infinity;
  return Math.max((st.clusterFree[i] ?? 0) - r, 0) + ownUnmet;
}
