/**
 * The preemption planner: which running tasks to kill so that pending tasks that cannot be
 * placed get room. Pure: plain values in, a plan out; time is `input.now`.
 *
 *  1. Fair shares from demand (fair-share.ts): roles share the cluster by progressive filling
 *     of their frameworks' demand (running + pending), then frameworks share their role's.
 *  2. Repeat, on a simulated cluster, until nothing more can be done or the budget is spent:
 *     a. Guarantee: a role below its quota guarantee, with a pending task that fits what the
 *        guarantee still owes, takes room from roles that stay at or above their own
 *        guarantees (and whose policy is GuaranteeOnly or FairShare).
 *     b. Fair share: a framework below its fair share takes room from frameworks above
 *        theirs (whose role's policy is FairShare), only while its share after the preemption
 *        stays at or below the victim's after it. Frameworks of different roles compare their
 *        roles' weighted shares (and both roles must be on the right side of their fair share).
 *     c. Priority: a framework that allows it lets a pending task of higher priority take room
 *        from its own running tasks of lower priority.
 *     Victims are never non-preemptible tasks, nor tasks younger than `minRuntimeMs`. They are
 *     chosen on one agent, as few as possible, then of the lowest priority, then the youngest;
 *     ties by agent ID. A preempted task waits again with its framework's demand, so demand
 *     and fair shares stay as they were and the next round judges it like any other.
 *  The simulation runs to a fixed point, so planning again once the kills are done finds
 *  nothing more to do (no thrash), and the victim never ends below its preemptor (no ping-pong).
 */
import {
  ResourceIndex,
  addInto,
  denseContains,
  denseSubClamped,
  subInto,
  type Dense,
} from '../../resources/vector.js';
import { dominantShare, parentPath } from '../sorter/sorter.js';
import { progressiveFairShares } from './fair-share.js';
import {
  DEFAULT_ROLE_PREEMPTION_POLICY,
  type PlannerInput,
  type Preemption,
  type PreemptionPlan,
  type PreemptionReason,
  type RolePreemptionPolicy,
  type ShareChange,
} from './types.js';

const EPS = 1e-9;

interface Running {
  readonly taskId: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly resources: Dense;
  readonly priority: number;
  readonly preemptible: boolean;
  readonly startedAt: number;
}

interface Pending {
  readonly taskId: string;
  readonly frameworkId: string;
  readonly resources: Dense;
  readonly priority: number;
  readonly createdAt: number;
  readonly agents: readonly string[] | undefined;
  /** Tasks of one shape (framework, priority, resources, agents) fare alike in a round. */
  readonly shape: string;
}

interface AgentSim {
  readonly agentId: string;
  /** False: nothing new is placed there (cordoned, not ready), though its tasks count. */
  readonly available: boolean;
  readonly capacity: Dense;
  readonly used: Dense;
  readonly tasks: Set<string>;
}

interface RoleInfo {
  readonly weight: number;
  readonly guarantee: Dense;
  readonly policy: RolePreemptionPolicy;
}

const DEFAULT_ROLE: RoleInfo = { weight: 1, guarantee: [], policy: DEFAULT_ROLE_PREEMPTION_POLICY };

/** A victim set found on one agent. */
interface Found {
  readonly agent: AgentSim;
  readonly victims: readonly Running[];
}

/** No preemption needed: the task fits somewhere as things are. */
const FITS = 'fits' as const;

function byQueueOrder(a: Pending, b: Pending): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  return a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0;
}

/** Victim preference: lowest priority, then youngest, then task ID. */
function byVictimOrder(a: Running, b: Running): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  if (a.startedAt !== b.startedAt) return b.startedAt - a.startedAt;
  return a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0;
}

function isWithin(role: string, ancestor: string): boolean {
  return role === ancestor || role.startsWith(`${ancestor}/`);
}

/** The simulated cluster the planner moves tasks in. */
class Sim {
  readonly index = new ResourceIndex();
  readonly pool: Dense = [];
  readonly excluded: ReadonlySet<number>;
  readonly agents = new Map<string, AgentSim>();
  readonly running = new Map<string, Running>();
  /** Per framework, in queue order. */
  readonly pending = new Map<string, Pending[]>();
  readonly frameworks: ReadonlyMap<string, { role: string; priorityPreemption: boolean }>;
  readonly roles = new Map<string, RoleInfo>();
  readonly fwAlloc = new Map<string, Dense>();
  /** Allocation of each role's own frameworks (not its subroles'). */
  readonly roleAlloc = new Map<string, Dense>();

  constructor(readonly input: PlannerInput) {
    this.excluded = new Set((input.excluded ?? []).map((n) => this.index.slot(n)));
    for (const a of [...input.agents].sort((x, y) => (x.agentId < y.agentId ? -1 : 1))) {
      const capacity = this.index.toDense(a.capacity);
      addInto(this.pool, capacity);
      this.agents.set(a.agentId, {
        agentId: a.agentId,
        available: a.available ?? true,
        capacity,
        used: [],
        tasks: new Set(),
      });
    }
    for (const r of input.roles) {
      this.roles.set(r.role, {
        weight: r.weight ?? 1,
        guarantee: this.index.toDense(r.guarantee ?? {}),
        policy: r.policy ?? DEFAULT_ROLE_PREEMPTION_POLICY,
      });
    }
    this.frameworks = new Map(
      input.frameworks.map((f) => [
        f.frameworkId,
        { role: f.role, priorityPreemption: f.priorityPreemption ?? false },
      ]),
    );
    for (const f of input.frameworks) {
      this.fwAlloc.set(f.frameworkId, []);
      if (!this.roleAlloc.has(f.role)) this.roleAlloc.set(f.role, []);
    }
    for (const t of input.running) {
      if (!this.frameworks.has(t.frameworkId) || !this.agents.has(t.agentId)) continue;
      this.addRunning({
        taskId: t.taskId,
        frameworkId: t.frameworkId,
        agentId: t.agentId,
        resources: this.index.toDense(t.resources),
        priority: t.priority ?? 0,
        preemptible: t.preemptible ?? true,
        startedAt: t.startedAt ?? input.now,
      });
    }
    this.loadPending(input);
  }

  private loadPending(input: PlannerInput): void {
    // Agent lists are compared by identity: callers share one list among tasks that have it.
    const lists = new Map<readonly string[], number>();
    for (const t of input.pending) {
      if (!this.frameworks.has(t.frameworkId)) continue;
      const resources = this.index.toDense(t.resources);
      const priority = t.priority ?? 0;
      let list = '*';
      if (t.agents) {
        if (!lists.has(t.agents)) lists.set(t.agents, lists.size);
        list = String(lists.get(t.agents));
      }
      const q = this.pending.get(t.frameworkId);
      const entry: Pending = {
        taskId: t.taskId,
        frameworkId: t.frameworkId,
        resources,
        priority,
        createdAt: t.createdAt ?? 0,
        agents: t.agents,
        shape: `${t.frameworkId}|${priority}|${resources.join(',')}|${list}`,
      };
      if (q) q.push(entry);
      else this.pending.set(t.frameworkId, [entry]);
    }
    for (const q of this.pending.values()) q.sort(byQueueOrder);
  }

  role(path: string): RoleInfo {
    return this.roles.get(path) ?? DEFAULT_ROLE;
  }

  /** Dominant share of `alloc` less `minus`, without building the difference (victim checks run per task). */
  shareMinus(alloc: Dense, minus: Dense): number {
    let share = 0;
    for (let i = 0; i < alloc.length; i++) {
      const t = this.pool[i] ?? 0;
      const a = (alloc[i] ?? 0) - (minus[i] ?? 0);
      if (a <= 0 || t <= 0 || this.excluded.has(i)) continue;
      if (a / t > share) share = a / t;
    }
    return share;
  }

  roleOf(frameworkId: string): string {
    return this.frameworks.get(frameworkId)?.role ?? '';
  }

  share(alloc: Dense): number {
    return dominantShare(alloc, this.pool, this.excluded);
  }

  fwShare(frameworkId: string, delta?: Dense, sign: 1 | -1 = 1): number {
    const a = (this.fwAlloc.get(frameworkId) ?? []).slice();
    if (delta) (sign > 0 ? addInto : subInto)(a, delta);
    return this.share(a);
  }

  /** Weighted share of a role's own frameworks. */
  roleShare(role: string, delta?: Dense, sign: 1 | -1 = 1): number {
    const a = (this.roleAlloc.get(role) ?? []).slice();
    if (delta) (sign > 0 ? addInto : subInto)(a, delta);
    return this.share(a) / this.role(role).weight;
  }

  /** What roles at or below `path` hold (quota counts subtrees). */
  consumed(path: string): Dense {
    const out: Dense = [];
    for (const [role, a] of this.roleAlloc) if (isWithin(role, path)) addInto(out, a);
    return out;
  }

  addRunning(t: Running): void {
    this.running.set(t.taskId, t);
    const a = this.agents.get(t.agentId) as AgentSim;
    addInto(a.used, t.resources);
    a.tasks.add(t.taskId);
    addInto(this.fwAlloc.get(t.frameworkId) as Dense, t.resources);
    addInto(this.roleAlloc.get(this.roleOf(t.frameworkId)) as Dense, t.resources);
  }

  removeRunning(t: Running): void {
    this.running.delete(t.taskId);
    const a = this.agents.get(t.agentId) as AgentSim;
    subInto(a.used, t.resources);
    a.tasks.delete(t.taskId);
    subInto(this.fwAlloc.get(t.frameworkId) as Dense, t.resources);
    subInto(this.roleAlloc.get(this.roleOf(t.frameworkId)) as Dense, t.resources);
  }

  addPending(t: Pending): void {
    const q = this.pending.get(t.frameworkId);
    if (q) {
      q.push(t);
      q.sort(byQueueOrder);
    } else this.pending.set(t.frameworkId, [t]);
  }

  removePending(t: Pending): void {
    const q = this.pending.get(t.frameworkId) ?? [];
    const i = q.indexOf(t);
    if (i >= 0) q.splice(i, 1);
  }

  /** Demand per framework: what it holds plus what waits. */
  demand(frameworkId: string): Dense {
    const d = (this.fwAlloc.get(frameworkId) ?? []).slice();
    for (const t of this.pending.get(frameworkId) ?? []) addInto(d, t.resources);
    return d;
  }
}

/** Fair shares of roles (over the pool), then of frameworks within each role's fair allocation. */
function fairShares(sim: Sim): FairShares {
  const demands = new Map<string, Dense>();
  for (const id of sim.frameworks.keys()) demands.set(id, sim.demand(id));
  return fairSharesOf(
    [...sim.frameworks].map(([id, f]) => ({ id, role: f.role })),
    demands,
    (role) => sim.role(role).weight,
    sim.pool,
    sim.excluded,
  );
}

export interface FairShares {
  /** By framework: a dominant share, not divided by the weight. */
  readonly frameworks: Map<string, number>;
  /** By role, likewise. */
  readonly roles: Map<string, number>;
}

/**
 * Fair shares from demand, in two levels: roles share the pool by their weights and their
 * frameworks' summed demand, then each role's frameworks share what the role got.
 */
export function fairSharesOf(
  frameworks: readonly { readonly id: string; readonly role: string }[],
  demands: ReadonlyMap<string, Dense>,
  roleWeight: (role: string) => number,
  pool: Dense,
  excluded: ReadonlySet<number>,
): FairShares {
  const byRole = new Map<string, string[]>();
  for (const f of frameworks) {
    const l = byRole.get(f.role);
    if (l) l.push(f.id);
    else byRole.set(f.role, [f.id]);
  }
  const roleClients = [...byRole].map(([role, ids]) => {
    const demand: Dense = [];
    for (const id of ids) addInto(demand, demands.get(id) ?? []);
    return { id: role, weight: roleWeight(role), demand };
  });
  const roleFill = progressiveFairShares(roleClients, pool, pool, excluded);
  const roles = new Map<string, number>();
  const out = new Map<string, number>();
  for (const [role, ids] of byRole) {
    const r = roleFill.get(role);
    roles.set(role, r?.share ?? 0);
    const fill = progressiveFairShares(
      ids.map((id) => ({ id, weight: 1, demand: demands.get(id) ?? [] })),
      r?.allocation ?? [],
      pool,
      excluded,
    );
    for (const id of ids) out.set(id, fill.get(id)?.share ?? 0);
  }
  return { frameworks: out, roles };
}

/**
 * How many agents with a way to make room are compared before the best is taken (as
 * kube-scheduler's preemption does: 10% of the agents, at least 100), so that a large cluster
 * is not searched whole for every preemption.
 */
function candidateAgents(agents: number): number {
  return Math.max(100, Math.ceil(agents / 10));
}

/** A deterministic starting point per task, so searches do not all begin at the same agent. */
function startOf(taskId: string, n: number): number {
  let h = 0;
  for (let i = 0; i < taskId.length; i++) h = (h * 31 + taskId.charCodeAt(i)) >>> 0;
  return n === 0 ? 0 : h % n;
}

/**
 * Chooses victims for `task` on its agents: fewest, then lowest priority, then youngest.
 * FITS when the task fits somewhere as things are (placement, not preemption, is its way).
 */
function findVictims(
  sim: Sim,
  task: Pending,
  candidate: (v: Running) => boolean,
  setOk: (victims: readonly Running[]) => boolean,
): Found | typeof FITS | null {
  const agents = task.agents
    ? task.agents.map((id) => sim.agents.get(id)).filter((a) => a !== undefined)
    : [...sim.agents.values()].filter((a) => a.available);
  let best: Found | null = null;
  let found = 0;
  const limit = candidateAgents(sim.agents.size);
  const start = startOf(task.taskId, agents.length);
  for (let k = 0; k < agents.length; k++) {
    const a = agents[(start + k) % agents.length] as AgentSim;
    const fit = fitOn(a, task.resources);
    if (fit === 'fits') return FITS;
    if (fit === 'never' || found >= limit) continue;
    const victims = victimsOnAgent(sim, a, task.resources, candidate, setOk);
    if (!victims) continue;
    found++;
    if (best === null || better(victims, a, best)) best = { agent: a, victims };
  }
  return best;
}

/** Whether `req` fits the agent's free room now, could fit once tasks leave, or never. */
function fitOn(a: AgentSim, req: Dense): 'fits' | 'room' | 'never' {
  let fits = true;
  for (let i = 0; i < req.length; i++) {
    const r = req[i] ?? 0;
    if (r > (a.capacity[i] ?? 0)) return 'never';
    if (r > (a.capacity[i] ?? 0) - (a.used[i] ?? 0)) fits = false;
  }
  return fits ? 'fits' : 'room';
}

function victimsOnAgent(
  sim: Sim,
  a: AgentSim,
  req: Dense,
  candidate: (v: Running) => boolean,
  setOk: (victims: readonly Running[]) => boolean,
): Running[] | null {
  const cands: Running[] = [];
  for (const id of a.tasks) {
    const v = sim.running.get(id) as Running;
    if (candidate(v)) cands.push(v);
  }
  if (cands.length === 0) return null;
  cands.sort(byVictimOrder);
  return victimsOn(cands, denseSubClamped(req, denseSubClamped(a.capacity, a.used)), setOk);
}

/** One victim if one suffices (the first in preference order), else an irredundant set. */
function victimsOn(
  cands: readonly Running[],
  need: Dense,
  setOk: (victims: readonly Running[]) => boolean,
): Running[] | null {
  for (const c of cands) if (denseContains(c.resources, need) && setOk([c])) return [c];
  const sum: Dense = [];
  for (const c of cands) addInto(sum, c.resources);
  if (!denseContains(sum, need)) return null;
  // Reprieve the most protected first (highest priority, oldest) while the rest still make room.
  const keep = new Set<Running>();
  for (let i = cands.length - 1; i >= 0; i--) {
    const c = cands[i] as Running;
    subInto(sum, c.resources);
    if (denseContains(sum, need)) keep.add(c);
    else addInto(sum, c.resources);
  }
  const chosen = cands.filter((c) => !keep.has(c));
  return setOk(chosen) ? chosen : null;
}

function better(victims: readonly Running[], a: AgentSim, best: Found): boolean {
  if (victims.length !== best.victims.length) return victims.length < best.victims.length;
  const maxPrio = (vs: readonly Running[]): number => Math.max(...vs.map((v) => v.priority));
  if (maxPrio(victims) !== maxPrio(best.victims)) return maxPrio(victims) < maxPrio(best.victims);
  const oldest = (vs: readonly Running[]): number => Math.min(...vs.map((v) => v.startedAt));
  if (oldest(victims) !== oldest(best.victims)) return oldest(victims) > oldest(best.victims);
  return a.agentId < best.agent.agentId;
}

/** The planner: see the module comment. */
export function planPreemptions(input: PlannerInput): PreemptionPlan {
  const sim = new Sim(input);
  const fair = fairShares(sim);
  const shares = new Map<string, number>();
  for (const id of sim.frameworks.keys()) shares.set(id, sim.fwShare(id));
  const out: Preemption[] = [];
  let budget = input.maxPreemptions;
  // Each round moves one task; the cap only guards against a cycle the rules should not allow.
  let rounds = 4 * (input.running.length + input.pending.length) + 16;
  while (budget > 0 && rounds-- > 0) {
    const p = guaranteeRound(sim) ?? fairShareRound(sim, fair) ?? priorityRound(sim);
    if (!p || p.victims.length > budget) break;
    budget -= p.victims.length;
    out.push(p);
  }
  return { preemptions: out, fairShares: fair.frameworks, roleFairShares: fair.roles, shares };
}

/** Whether `v` may be preempted at all (protection, minimum runtime) and for `reason` by its role. */
function mayPreempt(sim: Sim, v: Running, reason: PreemptionReason): boolean {
  if (!v.preemptible || sim.input.now - v.startedAt < sim.input.minRuntimeMs) return false;
  if (reason === 'Priority') return true;
  const policy = sim.role(sim.roleOf(v.frameworkId)).policy;
  return reason === 'Guarantee' ? policy !== 'Never' : policy === 'FairShare';
}

/** Frameworks with pending tasks that `pred` selects, lowest weighted share first. */
function frameworksWithPending(sim: Sim, pred: (frameworkId: string) => boolean): string[] {
  const ids = [...sim.pending.keys()].filter((id) => (sim.pending.get(id)?.length ?? 0) > 0 && pred(id));
  const key = (id: string): number => sim.fwShare(id) / sim.role(sim.roleOf(id)).weight;
  return ids.sort((a, b) => key(a) - key(b) || (a < b ? -1 : 1));
}

/** Tries each pending task of the frameworks in order; identical tasks are tried once. */
function firstPreemption(
  sim: Sim,
  frameworks: readonly string[],
  attempt: (t: Pending) => Preemption | null,
  eligible: (t: Pending) => boolean = () => true,
): Preemption | null {
  const failed = new Set<string>();
  for (const fwId of frameworks) {
    for (const t of [...(sim.pending.get(fwId) ?? [])]) {
      if (!eligible(t)) continue;
      if (failed.has(t.shape)) continue;
      const p = attempt(t);
      if (p) return p;
      failed.add(t.shape);
    }
  }
  return null;
}

/** Moves the victims to pending and the preemptor onto the agent. */
function apply(sim: Sim, task: Pending, found: Found): void {
  for (const v of found.victims) {
    sim.removeRunning(v);
    sim.addPending({
      taskId: v.taskId,
      frameworkId: v.frameworkId,
      resources: v.resources,
      priority: v.priority,
      createdAt: v.startedAt,
      agents: undefined,
      shape: `${v.frameworkId}|${v.priority}|${v.resources.join(',')}|*`,
    });
  }
  sim.removePending(task);
  sim.addRunning({
    taskId: task.taskId,
    frameworkId: task.frameworkId,
    agentId: found.agent.agentId,
    resources: task.resources,
    priority: task.priority,
    // Held for it until it launches: a hold is never a victim.
    preemptible: false,
    startedAt: sim.input.now,
  });
}

function record(
  sim: Sim,
  reason: PreemptionReason,
  task: Pending,
  found: Found,
  shares: ShareChange[],
  message: string,
): Preemption {
  apply(sim, task, found);
  return {
    reason,
    preemptor: task.taskId,
    frameworkId: task.frameworkId,
    agentId: found.agent.agentId,
    resources: sim.index.toResources(task.resources),
    victims: found.victims.map((v) => ({ taskId: v.taskId, frameworkId: v.frameworkId })),
    shares,
    message,
  };
}

function sumOf(victims: readonly Running[], pred: (v: Running) => boolean): Dense {
  const out: Dense = [];
  for (const v of victims) if (pred(v)) addInto(out, v.resources);
  return out;
}

const fmt = (x: number): string => x.toFixed(4);

// ---------------------------------------------------------------- a. guarantees

function guaranteeRound(sim: Sim): Preemption | null {
  const owed = [...sim.roles]
    .filter(([path, r]) => r.guarantee.some((g, i) => g > (sim.consumed(path)[i] ?? 0)))
    .map(([path]) => path)
    .sort((a, b) => sim.roleShare(a) - sim.roleShare(b) || (a < b ? -1 : 1));
  for (const role of owed) {
    const info = sim.role(role);
    const unmet = denseSubClamped(info.guarantee, sim.consumed(role));
    // A task fits the guarantee when every guaranteed resource it asks for is still owed.
    const fits = (t: Pending): boolean => {
      let guaranteed = false;
      for (let i = 0; i < t.resources.length; i++) {
        const need = t.resources[i] ?? 0;
        if (need <= 0 || (info.guarantee[i] ?? 0) <= 0) continue;
        if (need > (unmet[i] ?? 0)) return false;
        guaranteed = true;
      }
      return guaranteed;
    };
    const fws = frameworksWithPending(sim, (id) => isWithin(sim.roleOf(id), role));
    const p = firstPreemption(sim, fws, (t) => guaranteeFor(sim, role, t), fits);
    if (p) return p;
  }
  return null;
}

/** Roles at or above `role` (its ancestors and itself). */
function lineage(role: string): string[] {
  const out: string[] = [];
  for (let r = role; r !== ''; r = parentPath(r)) out.push(r);
  return out;
}

/**
 * No role that loses a victim may end below its own guarantee in a resource the victims held
 * (roles above both the victims and the preemptor count the preemptor's gain).
 */
function keepsGuarantees(
  sim: Sim,
  victims: readonly Running[],
  preemptorRole: string,
  task: Pending,
): boolean {
  const preemptorLine = new Set(lineage(preemptorRole));
  const touched = new Set<string>();
  for (const v of victims) for (const r of lineage(sim.roleOf(v.frameworkId))) touched.add(r);
  for (const r of touched) {
    const g = sim.role(r).guarantee;
    if (g.every((x) => x <= 0)) continue;
    const removed = sumOf(victims, (v) => isWithin(sim.roleOf(v.frameworkId), r));
    const after = sim.consumed(r);
    subInto(after, removed);
    if (preemptorLine.has(r)) addInto(after, task.resources);
    for (let i = 0; i < g.length; i++)
      if ((removed[i] ?? 0) > 0 && (g[i] ?? 0) > 0 && (after[i] ?? 0) < (g[i] ?? 0)) return false;
  }
  return true;
}

function guaranteeFor(sim: Sim, role: string, task: Pending): Preemption | null {
  const candidate = (v: Running): boolean =>
    !isWithin(sim.roleOf(v.frameworkId), role) && mayPreempt(sim, v, 'Guarantee');
  const setOk = (victims: readonly Running[]): boolean => keepsGuarantees(sim, victims, role, task);
  const found = findVictims(sim, task, candidate, setOk);
  if (found === null || found === FITS) return null;
  const target = sim.share(sim.role(role).guarantee) / sim.role(role).weight;
  const shares: ShareChange[] = [
    { of: `role:${role}`, before: sim.roleShare(role), after: sim.roleShare(role, task.resources), target },
  ];
  for (const r of [...new Set(found.victims.map((v) => sim.roleOf(v.frameworkId)))].sort()) {
    const removed = sumOf(found.victims, (v) => sim.roleOf(v.frameworkId) === r);
    shares.push({ of: `role:${r}`, before: sim.roleShare(r), after: sim.roleShare(r, removed, -1) });
  }
  const message = `restores the quota guarantee of role ${role} (weighted share ${fmt(shares[0]?.before ?? 0)} → ${fmt(shares[0]?.after ?? 0)}, guarantee ${fmt(target)})`;
  return record(sim, 'Guarantee', task, found, shares, message);
}

// ---------------------------------------------------------------- b. fair shares

function fairShareRound(sim: Sim, fair: FairShares): Preemption | null {
  const below = (id: string): boolean => sim.fwShare(id) < (fair.frameworks.get(id) ?? 0) - EPS;
  const fws = frameworksWithPending(sim, below);
  return firstPreemption(sim, fws, (t) => fairShareFor(sim, fair, t));
}

function fairShareFor(sim: Sim, fair: FairShares, task: Pending): Preemption | null {
  const p = task.frameworkId;
  const pRole = sim.roleOf(p);
  const pRoleBelow = sim.roleShare(pRole) < (fair.roles.get(pRole) ?? 0) / sim.role(pRole).weight - EPS;
  const pAfter = sim.fwShare(p, task.resources);
  const pRoleAfter = sim.roleShare(pRole, task.resources);
  const above = (id: string): boolean => sim.fwShare(id) > (fair.frameworks.get(id) ?? 0) + EPS;
  const roleAbove = (r: string): boolean =>
    sim.roleShare(r) > (fair.roles.get(r) ?? 0) / sim.role(r).weight + EPS;
  // Whether a framework's tasks may be victims at all, once per framework.
  const frameworkMay = new Map<string, boolean>();
  const fwMay = (id: string): boolean => {
    let ok = frameworkMay.get(id);
    if (ok === undefined) {
      const vRole = sim.roleOf(id);
      ok =
        id !== p &&
        above(id) &&
        sim.role(vRole).policy === 'FairShare' &&
        (vRole === pRole || (pRoleBelow && roleAbove(vRole)));
      frameworkMay.set(id, ok);
    }
    return ok;
  };
  const candidate = (v: Running): boolean => {
    if (!fwMay(v.frameworkId) || !mayPreempt(sim, v, 'FairShare')) return false;
    const vRole = sim.roleOf(v.frameworkId);
    if (vRole === pRole)
      return pAfter <= sim.shareMinus(sim.fwAlloc.get(v.frameworkId) ?? [], v.resources) + EPS;
    const after = sim.shareMinus(sim.roleAlloc.get(vRole) ?? [], v.resources) / sim.role(vRole).weight;
    return pRoleAfter <= after + EPS;
  };
  // The preemptor after must stay at or below every victim after (all victims counted), and no
  // role goes below its guarantee for someone's fair share.
  const setOk = (victims: readonly Running[]): boolean => {
    if (!keepsGuarantees(sim, victims, pRole, task)) return false;
    for (const v of victims) {
      const vRole = sim.roleOf(v.frameworkId);
      if (vRole === pRole) {
        const removed = sumOf(victims, (x) => x.frameworkId === v.frameworkId);
        if (pAfter > sim.fwShare(v.frameworkId, removed, -1) + EPS) return false;
      } else {
        const removed = sumOf(victims, (x) => sim.roleOf(x.frameworkId) === vRole);
        if (pRoleAfter > sim.roleShare(vRole, removed, -1) + EPS) return false;
      }
    }
    return true;
  };
  const found = findVictims(sim, task, candidate, setOk);
  if (found === null || found === FITS) return null;
  const shares: ShareChange[] = [
    { of: p, before: sim.fwShare(p), after: pAfter, target: fair.frameworks.get(p) ?? 0 },
  ];
  for (const id of [...new Set(found.victims.map((v) => v.frameworkId))].sort()) {
    const removed = sumOf(found.victims, (v) => v.frameworkId === id);
    shares.push({
      of: id,
      before: sim.fwShare(id),
      after: sim.fwShare(id, removed, -1),
      target: fair.frameworks.get(id) ?? 0,
    });
  }
  const first = shares[0] as ShareChange;
  const message = `restores the fair share of framework ${p} (dominant share ${fmt(first.before)} → ${fmt(first.after)}, fair share ${fmt(first.target ?? 0)})`;
  return record(sim, 'FairShare', task, found, shares, message);
}

// ---------------------------------------------------------------- c. priority

function priorityRound(sim: Sim): Preemption | null {
  const fws = [...sim.frameworks]
    .filter(([id, f]) => f.priorityPreemption && (sim.pending.get(id)?.length ?? 0) > 0)
    .map(([id]) => id)
    .sort();
  return firstPreemption(sim, fws, (t) => priorityFor(sim, t));
}

function priorityFor(sim: Sim, task: Pending): Preemption | null {
  const candidate = (v: Running): boolean =>
    v.frameworkId === task.frameworkId && v.priority < task.priority && mayPreempt(sim, v, 'Priority');
  const found = findVictims(sim, task, candidate, () => true);
  if (found === null || found === FITS) return null;
  const share = sim.fwShare(task.frameworkId);
  const removed = sumOf(found.victims, () => true);
  const after = sim.share(
    (() => {
      const a = (sim.fwAlloc.get(task.frameworkId) ?? []).slice();
      subInto(a, removed);
      addInto(a, task.resources);
      return a;
    })(),
  );
  const shares: ShareChange[] = [{ of: task.frameworkId, before: share, after }];
  const message = `a task of priority ${task.priority} of framework ${task.frameworkId} takes the place of lower-priority tasks`;
  return record(sim, 'Priority', task, found, shares, message);
}
