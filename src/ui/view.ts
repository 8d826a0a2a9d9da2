/**
 * The web UI's view of the cluster, built from the same MasterInputs and master model as the
 * Mesos endpoints, so the page and /master/state cannot disagree. Pure.
 *
 *   uiBase(inputs): UiBase                        everything, built once per update
 *   uiView(base, filter, limits): UiView          one client's view: its task filter, capped lists
 *   parseTaskFilter(query): UiTaskFilter          the filter from a request's query
 *
 * Waiting tasks (no state yet) are in the view, unlike in the master's task lists: the page
 * shows why they wait, from the Scheduled condition that kubectl's Status column shows.
 */
import { frameworkKeyOfTask, splitKey } from '../api/keys.js';
import { isTerminalState, TASK_STATES, type TaskState } from '../api/task-states.js';
import type { Framework, ResourceRole, Task, TaskStatus } from '../api/types.js';
import { roleOfResourceRole } from '../api/roles.js';
import { agentCounts, buildModel, type AgentModel, type MasterModel } from '../master/model.js';
import type { MasterInputs } from '../master/inputs.js';
import { parseResourceList, subtractClamped, type Resources } from '../resources/index.js';
import {
  WAITING,
  type UiAgent,
  type UiFramework,
  type UiRole,
  type UiTask,
  type UiTaskFilter,
  type UiView,
} from './wire.js';

/** What every client's view is cut from. */
export interface UiBase {
  readonly at: number;
  readonly leading: boolean;
  readonly cluster: UiView['cluster'];
  readonly roles: readonly UiRole[];
  readonly frameworks: readonly UiFramework[];
  readonly agents: readonly UiAgent[];
  readonly tasks: readonly UiTask[];
  readonly taskCounts: Readonly<Record<string, number>>;
}

export interface UiLimits {
  readonly tasks: number;
  readonly agents: number;
}

export const DEFAULT_LIMITS: UiLimits = { tasks: 500, agents: 1000 };

/** Groups of states a filter may name besides one state. */
const STATE_GROUPS: Readonly<Record<string, (state: string) => boolean>> = {
  active: (s) => s !== WAITING && !isTerminalState(s as TaskState),
  ended: (s) => isTerminalState(s as TaskState),
};

const MAX_FILTER_TEXT = 200;

function text(v: unknown): string | undefined {
  const s = typeof v === 'string' ? v.trim() : undefined;
  return s ? s.slice(0, MAX_FILTER_TEXT) : undefined;
}

/** The task filter from a query: `framework`, `state` and `text`; empty values are no filter. */
export function parseTaskFilter(query: Readonly<Record<string, unknown>>): UiTaskFilter {
  const framework = text(query['framework']);
  const state = text(query['state']);
  const q = text(query['text']);
  return {
    ...(framework ? { framework } : {}),
    ...(state ? { state } : {}),
    ...(q ? { text: q } : {}),
  };
}

/** Every state name a filter accepts: the Mesos states, WAITING, and the groups. */
export const FILTER_STATES: readonly string[] = [WAITING, ...Object.keys(STATE_GROUPS), ...TASK_STATES];

function share(figure: string | undefined): number | undefined {
  if (figure === undefined) return undefined;
  const n = Number(figure);
  return Number.isFinite(n) ? n : undefined;
}

function count(into: Record<string, number>, key: string): void {
  into[key] = (into[key] ?? 0) + 1;
}

function resourcesOf(task: Task): Resources {
  try {
    return parseResourceList(task.spec.resources);
  } catch {
    // Admission refuses such a spec; here it shows as no resources rather than failing the page.
    return {};
  }
}

function uiTask(key: string, task: Task, status: TaskStatus | undefined): UiTask {
  const scheduled = status?.conditions?.find((c) => c.type === 'Scheduled');
  const waiting = scheduled?.status === 'False';
  const { namespace, name } = splitKey(key);
  return {
    key,
    namespace,
    name,
    framework: frameworkKeyOfTask(task),
    state: status?.state ?? WAITING,
    node: status?.nodeName,
    resources: resourcesOf(task),
    attempt: status?.attempt,
    scheduled: scheduled?.reason,
    message: (waiting ? scheduled.message : status?.message) || undefined,
    reason: status?.reason,
  };
}

function uiTasks(inputs: MasterInputs): UiTask[] {
  const out: UiTask[] = [];
  for (const key of [...inputs.tasks.keys()].sort()) {
    const task = inputs.tasks.get(key);
    if (task) out.push(uiTask(key, task, inputs.taskStatus(key) ?? task.status));
  }
  return out;
}

function uiFramework(
  m: MasterModel['frameworks'][number],
  fw: Framework | undefined,
  tasks: Record<string, number>,
): UiFramework {
  return {
    key: m.key,
    id: m.id,
    name: m.name,
    role: m.role,
    scheduler: fw?.spec.scheduler === 'External' ? 'External' : 'Builtin',
    connected: m.connected,
    share: share(fw?.status?.dominantShare),
    weightedShare: share(fw?.status?.weightedShare),
    used: m.used,
    offered: m.offered,
    offers: m.offers.length,
    tasks,
  };
}

function agentState(a: AgentModel): UiAgent['state'] {
  if (!a.reachable) return 'unreachable';
  return a.active ? 'active' : 'draining';
}

function uiAgent(a: AgentModel): UiAgent {
  const live = Object.entries(a.tasksByState)
    .filter(([s]) => !isTerminalState(s as TaskState))
    .reduce((n, [, c]) => n + c, 0);
  return {
    id: a.id,
    hostname: a.hostname,
    state: agentState(a),
    total: a.total,
    used: a.used,
    offered: a.offered,
    tasks: live,
  };
}

/**
 * A role's weighted dominant share: the allocator's own figure on the leader, else what the
 * leader wrote into the ResourceRole's status; a standby knows none for an implicit role.
 */
function roleShare(
  name: string,
  inputs: MasterInputs,
  configured: ReadonlyMap<string, ResourceRole>,
): number | undefined {
  if (inputs.allocator) return inputs.allocator.roleShare(name);
  return share(configured.get(name)?.status?.weightedShare);
}

function uiRoles(m: MasterModel, inputs: MasterInputs): UiRole[] {
  const configured = new Map([...inputs.roles].map((rr) => [roleOfResourceRole(rr.metadata.name ?? ''), rr]));
  const keyOfId = new Map(m.frameworks.map((f) => [f.id, f.key]));
  return m.roles.map((r) => ({
    name: r.name,
    depth: r.name.split('/').length - 1,
    weight: r.weight,
    guarantee: r.guarantee,
    limit: r.limit,
    allocated: r.allocated,
    offered: r.offered,
    share: roleShare(r.name, inputs, configured),
    frameworks: r.frameworkIds.map((id) => keyOfId.get(id) ?? id),
  }));
}

export function uiBase(inputs: MasterInputs): UiBase {
  const m = buildModel(inputs);
  const tasks = uiTasks(inputs);
  const taskCounts: Record<string, number> = {};
  const byFramework = new Map<string, Record<string, number>>();
  for (const t of tasks) {
    count(taskCounts, t.state);
    let c = byFramework.get(t.framework);
    if (!c) byFramework.set(t.framework, (c = {}));
    count(c, t.state);
  }
  const agents = agentCounts(m);
  return {
    at: inputs.now,
    leading: inputs.allocator !== undefined,
    cluster: {
      agents: { active: agents.active, draining: agents.inactive, unreachable: agents.unreachable },
      total: m.total,
      used: m.used,
      offered: m.offered,
      free: subtractClamped(subtractClamped(m.total, m.used), m.offered),
    },
    roles: uiRoles(m, inputs),
    frameworks: m.frameworks.map((f) =>
      uiFramework(f, inputs.frameworks.get(f.key), byFramework.get(f.key) ?? {}),
    ),
    agents: m.agents.map(uiAgent),
    tasks,
    taskCounts,
  };
}

function matches(t: UiTask, filter: UiTaskFilter, needle: string | undefined): boolean {
  if (filter.framework !== undefined && t.framework !== filter.framework) return false;
  if (filter.state !== undefined) {
    const group = STATE_GROUPS[filter.state];
    if (group ? !group(t.state) : t.state !== filter.state) return false;
  }
  if (needle === undefined) return true;
  return [t.key, t.node, t.state, t.scheduled, t.message, t.reason].some((f) =>
    f?.toLowerCase().includes(needle),
  );
}

export function uiView(base: UiBase, filter: UiTaskFilter, limits: UiLimits = DEFAULT_LIMITS): UiView {
  const needle = filter.text?.toLowerCase();
  const matched = base.tasks.filter((t) => matches(t, filter, needle));
  return {
    at: base.at,
    leading: base.leading,
    cluster: base.cluster,
    roles: base.roles,
    frameworks: base.frameworks,
    agents: base.agents.slice(0, limits.agents),
    agentsOmitted: Math.max(0, base.agents.length - limits.agents),
    taskCounts: base.taskCounts,
    tasks: matched.slice(0, limits.tasks),
    tasksMatched: matched.length,
    filter,
  };
}
