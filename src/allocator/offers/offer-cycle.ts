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
  const made: OfferRecord[] = [];
  if (st.quota.hasGuarantees) {
    for (const a of order) offerAgent(st, a, 1, opts, made);
  }
  for (const a of order) offerAgent(st, a, 2, opts, made);
  return made;
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

function offerAgent(
  st: State,
  a: AgentState,
  stage: 1 | 2,
  opts: OfferCycleOptions,
  made: OfferRecord[],
): void {
  if (!a.available) return;
  // Frameworks offered this agent in this cycle: nearly always one, so a Set only from the second.
  let offeredFirst: string | null = null;
  let offeredMore: Set<string> | null = null;
  let x: Dense | null = null;
  let offer: OfferRecord | null = null;
  const offeredBefore = (fwId: string): boolean =>
    offeredFirst !== null && (offeredFirst === fwId || (offeredMore !== null && offeredMore.has(fwId)));
  const tryFramework = (fwId: string): boolean => {
    const fw = st.frameworks.get(fwId);
    if (!fw || offeredBefore(fwId) || !wants(fw, a, x as Dense, opts)) return true;
    offer = st.makeOffer(fw, a, x as Dense, opts.now, opts.offerTimeoutMs);
    return false;
  };
  let again = true;
  const tryRole = (role: string): boolean => {
    if (stage === 1 && !st.quota.hasOwnUnmet(role)) return true;
    x = offerable(st, role, a, stage);
    if (x === null) return true;
    offer = null;
    st.frameworkSorter(role).visit(tryFramework);
    const got = offer as OfferRecord | null;
    if (got === null) return true;
    made.push(got);
    if (offeredFirst === null) offeredFirst = got.frameworkId;
    else (offeredMore ??= new Set()).add(got.frameworkId);
    again = true;
    return false;
  };
  while (again) {
    again = false;
    if (denseIsZero(a.free)) return;
    st.roleSorter.visit(tryRole);
  }
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
