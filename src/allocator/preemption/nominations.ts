/**
 * The allocator's side of preemption: the planner's input read from the allocator's state,
 * and the holds (nominations) that keep the room a preemptor made for it until it is placed.
 *
 *   planPreemptions ─▶ nominate(preemptor, agent): its resources held on the agent
 *   victims end ─▶ their allocations released; the hold keeps the room from everyone else
 *   placeTasks ─▶ the preemptor is placed on its agent first (hold → allocation), or waits
 *   (AwaitingPreemption) while its victims are still ending; a hold is let go when its task is
 *   no longer pending or it expires
 */
import { addInto, denseContains, type Dense } from '../../resources/vector.js';
import { dominantShare, parentPath } from '../sorter/sorter.js';
import { fairSharesOf } from './planner.js';
import { acceptor, constraintContext } from '../placement/progressive.js';
import { memoKeyOf, type QueuedTask } from '../placement/placement.js';
import type { PendingTask, RoleSpec, TaskPlacement, Unschedulable } from '../types.js';
import type { State } from '../state.js';
import type {
  PlannerInput,
  PlannerPendingTask,
  PlannerRunningTask,
  PreemptionPlan,
  RolePreemptionPolicy,
} from './types.js';

/** What the operator knows of a running task that the allocator does not. */
export interface RunningTaskInfo {
  readonly priority: number;
  readonly preemptible: boolean;
  /** Clock ms it started running (or launched). */
  readonly startedAt?: number;
  /** Already chosen as a victim: it is going, and counts as waiting again. */
  readonly preempting: boolean;
}

export interface PreemptionContext {
  /** Undefined for a task the operator cannot vouch for (launching, unknown): never a victim. */
  task(taskId: string): RunningTaskInfo | undefined;
  rolePolicy(role: string): RolePreemptionPolicy;
  /** The framework lets its higher-priority tasks preempt its lower-priority ones. */
  priorityPreemption(frameworkId: string): boolean;
}

export interface PreemptionOptions {
  readonly minRuntimeMs: number;
  readonly maxPreemptions: number;
  /** How long a preemptor's room is held for it at most. */
  readonly holdMs: number;
}

/**
 * Places nominated tasks on the agent held for them, first. Holds of tasks that are not pending
 * any more are let go. Returns the placements, the nominated tasks that still wait, and the rest.
 */
export function placeNominated(
  st: State,
  queued: readonly QueuedTask[],
  pending: readonly PendingTask[],
): { placements: TaskPlacement[]; waiting: Unschedulable[]; rest: QueuedTask[] } {
  // Nominations are rare: the set of pending IDs is built only when there are some.
  if (st.nominations.size === 0) return { placements: [], waiting: [], rest: [...queued] };
  const pendingIds = new Set(pending.map((t) => t.taskId));
  for (const n of [...st.nominations.values()]) if (!pendingIds.has(n.taskId)) st.unnominate(n.taskId);
  if (st.nominations.size === 0) return { placements: [], waiting: [], rest: [...queued] };
  const placements: TaskPlacement[] = [];
  const waiting: Unschedulable[] = [];
  const rest: QueuedTask[] = [];
  for (const t of queued) {
    const n = st.unnominate(t.taskId);
    const a = n ? st.agents[n.agentSlot] : undefined;
    const fw = st.frameworks.get(t.frameworkId);
    if (!n || !a || !fw) {
      rest.push(t);
      continue;
    }
    if (a.available && denseContains(a.free, t.resources) && !st.quota.limitViolation(fw.role, t.resources)) {
      st.allocate(fw, a, t.resources);
      t.agentSlot = a.slot;
      st.recordTask(t);
      placements.push({
        taskId: t.taskId,
        frameworkId: fw.id,
        agentId: a.agentId,
        hostname: a.info.hostname,
        resources: t.original,
      });
      continue;
    }
    st.nominate(n);
    waiting.push({
      taskId: t.taskId,
      frameworkId: fw.id,
      reason: 'AwaitingPreemption',
      message: `room on ${a.info.hostname} is held for it while the tasks it preempted there end`,
    });
  }
  return { placements, waiting, rest };
}

/**
 * Agents a pending task may go to when something beyond capacity restricts it (eligibility,
 * decline filters, constraints), else undefined: every available agent. Identical tasks share
 * one list (`memo`), so the planner judges them together.
 */
function agentsFor(
  st: State,
  t: QueuedTask,
  now: number,
  cctx: ReturnType<typeof constraintContext>,
  memo: Map<string, string[]>,
): string[] | undefined {
  const fw = st.frameworks.get(t.frameworkId);
  if (!fw) return [];
  const accept = acceptor(st, fw, t, now, cctx);
  if (accept === null) return undefined;
  const key = t.memoable ? memoKeyOf(t) : undefined;
  const known = key === undefined ? undefined : memo.get(key);
  if (known) return known;
  const out: string[] = [];
  for (const a of st.agents) if (a?.available && accept(a.slot)) out.push(a.agentId);
  if (key !== undefined) memo.set(key, out);
  return out;
}

/** The planner's view of the allocator: tasks, offers and holds as running, victims going as pending. */
export function plannerInput(
  st: State,
  roles: ReadonlyMap<string, RoleSpec>,
  pending: readonly QueuedTask[],
  ctx: PreemptionContext,
  options: PreemptionOptions,
  now: number,
): PlannerInput {
  const agentId = (slot: number): string => st.agent(slot).agentId;
  const running: PlannerRunningTask[] = [];
  const waiting: PlannerPendingTask[] = [];
  for (const t of st.running()) {
    const info = ctx.task(t.taskId);
    const resources = st.resources.toResources(t.resources);
    if (info?.preempting) {
      waiting.push({
        taskId: t.taskId,
        frameworkId: t.frameworkId,
        resources,
        priority: info.priority,
        createdAt: info.startedAt ?? now,
      });
      continue;
    }
    running.push({
      taskId: t.taskId,
      frameworkId: t.frameworkId,
      agentId: agentId(t.agentSlot),
      resources,
      priority: info?.priority ?? 0,
      preemptible: info?.preemptible ?? false,
      startedAt: info?.startedAt ?? now,
    });
  }
  // Offers and holds count for their framework, and are never victims.
  for (const o of st.offers.all())
    running.push({
      taskId: `offer:${o.offerId}`,
      frameworkId: o.frameworkId,
      agentId: agentId(o.agentSlot),
      resources: st.resources.toResources(o.resources),
      preemptible: false,
    });
  for (const n of st.nominations.values())
    running.push({
      taskId: n.taskId,
      frameworkId: n.frameworkId,
      agentId: agentId(n.agentSlot),
      resources: st.resources.toResources(n.resources),
      preemptible: false,
    });
  const cctx = constraintContext(st);
  const memo = new Map<string, string[]>();
  for (const t of pending) {
    if (st.nominations.has(t.taskId)) continue;
    const agents = agentsFor(st, t, now, cctx, memo);
    waiting.push({
      taskId: t.taskId,
      frameworkId: t.frameworkId,
      resources: t.original,
      priority: t.priority,
      createdAt: t.createdAt,
      ...(agents ? { agents } : {}),
    });
  }
  const roleNames = new Set([...roles.keys(), ...[...st.frameworks.values()].map((f) => f.role)]);
  const agents = [];
  for (const a of st.agents)
    if (a)
      agents.push({
        agentId: a.agentId,
        capacity: st.resources.toResources(st.capacity(a)),
        available: a.available,
      });
  return {
    now,
    agents,
    roles: [...roleNames].sort().map((role) => {
      const spec = roles.get(role);
      return {
        role,
        weight: spec?.weight ?? 1,
        guarantee: spec?.guarantee ?? {},
        policy: ctx.rolePolicy(role),
      };
    }),
    frameworks: [...st.frameworks.values()].map((f) => ({
      frameworkId: f.id,
      role: f.role,
      priorityPreemption: f.kind === 'Builtin' && ctx.priorityPreemption(f.id),
    })),
    running,
    pending: waiting,
    minRuntimeMs: options.minRuntimeMs,
    maxPreemptions: options.maxPreemptions,
    excluded: [...st.excluded].map((s) => st.resources.name(s)),
  };
}

/** What each framework holds (its allocation and the room held for it) as demand, and its share. */
function holdings(st: State): { demands: Map<string, Dense>; shares: Map<string, number> } {
  const held = new Map<string, Dense>();
  for (const n of st.nominations.values()) {
    const h = held.get(n.frameworkId) ?? [];
    addInto(h, n.resources);
    held.set(n.frameworkId, h);
  }
  const demands = new Map<string, Dense>();
  const shares = new Map<string, number>();
  for (const fw of st.frameworks.values()) {
    const d = fw.allocated.slice();
    addInto(d, held.get(fw.id) ?? []);
    shares.set(fw.id, dominantShare(d, st.pool, st.excluded));
    demands.set(fw.id, d);
  }
  return { demands, shares };
}

/**
 * The plan when nothing can call for a preemption, computed from the allocator's aggregates
 * alone; null when the planner must look. Nothing calls for one when no waiting framework is
 * below its fair share while another, in a FairShare role, is above its own; no role with
 * waiting tasks is owed part of its guarantee; and no waiting framework allows priority
 * preemption. This keeps a full cluster whose backlog is only fair
 * from costing a pass over every task each cycle.
 */
export function quietPlan(
  st: State,
  roles: ReadonlyMap<string, RoleSpec>,
  pending: readonly QueuedTask[],
  ctx: PreemptionContext,
): PreemptionPlan | null {
  const { demands, shares } = holdings(st);
  const waiting = new Set<string>();
  for (const t of pending) {
    const d = demands.get(t.frameworkId);
    if (!d || st.nominations.has(t.taskId)) continue;
    addInto(d, t.resources);
    waiting.add(t.frameworkId);
  }
  const fair = fairSharesOf(
    [...st.frameworks.values()].map((f) => ({ id: f.id, role: f.role })),
    demands,
    (role) => roles.get(role)?.weight ?? 1,
    st.pool,
    st.excluded,
  );
  // Fair-share preemption needs a framework above its fair share whose role lets it lose tasks.
  let victims = false;
  for (const fw of st.frameworks.values())
    if (
      (shares.get(fw.id) ?? 0) > (fair.frameworks.get(fw.id) ?? 0) + 1e-9 &&
      ctx.rolePolicy(fw.role) === 'FairShare'
    )
      victims = true;
  for (const id of waiting) {
    const fw = st.frameworks.get(id);
    if (!fw) continue;
    if (victims && (shares.get(id) ?? 0) < (fair.frameworks.get(id) ?? 0) - 1e-9) return null;
    if (fw.kind === 'Builtin' && ctx.priorityPreemption(id)) return null;
    for (let r = fw.role; r !== ''; r = parentPath(r)) if (st.quota.hasOwnUnmet(r)) return null;
  }
  return { preemptions: [], fairShares: fair.frameworks, roleFairShares: fair.roles, shares };
}
