/**
 * The master's JSON endpoints (/master/state, /state-summary, /frameworks, /slaves, /tasks,
 * /roles) rendered from the model in the shapes Mesos' own handlers write (Mesos'
 * src/master/readonly_handler.cpp and src/common/http.cpp): resources as {cpus, disk, gpus,
 * mem} in Mesos units, times in seconds, states by name. Pure.
 */
import type { TaskState } from '../api/task-states.js';
import { add, type Resources } from '../resources/index.js';
import { mesosScalars, toMesosResources } from '../scheduler/external/mesos-resources.js';
import type { JsonObject, JsonValue } from '../scheduler/mesos/write-json.js';
import type { HostPort } from './inputs.js';
import {
  agentCounts,
  type AgentModel,
  type FrameworkModel,
  type MasterModel,
  type OfferModel,
  type RoleModel,
  type TaskModel,
} from './model.js';

/** Who built the master, as /state reports it. */
const BUILD_USER = 'kmesos';

/** What kmesos' agents can do, in Mesos' capability names. */
export const AGENT_CAPABILITIES: readonly string[] = ['MULTI_ROLE', 'HIERARCHICAL_ROLE'];

/** The per-state counts state-summary shows (Mesos leaves out GONE, GONE_BY_OPERATOR, DROPPED). */
const SUMMARY_STATES: readonly TaskState[] = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_KILLED',
  'TASK_FAILED',
  'TASK_LOST',
  'TASK_ERROR',
  'TASK_UNREACHABLE',
];

function scalars(r: Resources): JsonObject {
  return { ...mesosScalars(r) };
}

/** Only the resources present, as Mesos writes ResourceQuantities (role quota, allocated). */
function quantities(r: Resources): JsonObject {
  return Object.fromEntries(Object.entries(mesosScalars(r)).filter(([, v]) => v > 0));
}

/** The full Resource objects (Mesos' *_full fields), every one unreserved. */
function fullResources(r: Resources): JsonValue[] {
  return toMesosResources(r, { gpus: true }).map((res) => ({
    name: res.name,
    type: res.type,
    scalar: { value: res.scalar?.value ?? 0 },
    role: res.role ?? '*',
  }));
}

export function masterPid(address: HostPort): string {
  return `master@${address.hostname}:${address.port}`;
}

export function agentPid(a: AgentModel): string {
  return `slave(1)@${a.ip ?? a.hostname}:${a.port}`;
}

function agentJson(a: AgentModel, version: string): JsonObject {
  return {
    id: a.id,
    hostname: a.hostname,
    port: a.port,
    attributes: { ...a.attributes },
    pid: agentPid(a),
    registered_time: a.registeredTime,
    resources: scalars(a.total),
    used_resources: scalars(a.used),
    offered_resources: scalars(a.offered),
    reserved_resources: {},
    unreserved_resources: scalars(a.total),
    active: a.active,
    deactivated: a.deactivated,
    version,
    capabilities: [...AGENT_CAPABILITIES],
  };
}

function taskJson(t: TaskModel): JsonObject {
  return {
    id: t.id,
    name: t.name,
    framework_id: t.frameworkId,
    executor_id: '',
    slave_id: t.agentId,
    state: t.state,
    resources: scalars(t.resources),
    role: t.role,
    statuses: t.statuses.map((s) => ({ state: s.state, timestamp: s.timestamp })),
    ...(t.labels.length > 0 ? { labels: t.labels.map((l) => ({ ...l })) } : {}),
  };
}

function offerJson(o: OfferModel): JsonObject {
  return {
    id: o.id,
    framework_id: o.frameworkId,
    allocation_info: { role: o.role },
    slave_id: o.agentId,
    resources: scalars(o.resources),
  };
}

/** Mesos' Summary<Framework>: what state-summary and the full form share. */
function frameworkSummaryJson(f: FrameworkModel): JsonObject {
  return {
    id: f.id,
    name: f.name,
    used_resources: scalars(f.used),
    offered_resources: scalars(f.offered),
    capabilities: [...f.capabilities],
    hostname: f.hostname,
    webui_url: f.webuiUrl,
    active: f.active,
    connected: f.connected,
    recovered: false,
  };
}

function tasksIn(f: FrameworkModel, bucket: TaskModel['bucket']): JsonValue[] {
  return f.tasks.filter((t) => t.bucket === bucket).map(taskJson);
}

function frameworkJson(f: FrameworkModel): JsonObject {
  return {
    ...frameworkSummaryJson(f),
    user: f.user,
    failover_timeout: f.failoverTimeout,
    checkpoint: f.checkpoint,
    registered_time: f.registeredTime,
    unregistered_time: 0,
    ...(f.principal !== undefined ? { principal: f.principal } : {}),
    resources: scalars(add(f.used, f.offered)),
    ...(f.multiRole ? { roles: [f.role] } : { role: f.role }),
    tasks: tasksIn(f, 'active'),
    unreachable_tasks: tasksIn(f, 'unreachable'),
    completed_tasks: tasksIn(f, 'completed'),
    offers: f.offers.map(offerJson),
    executors: [],
  };
}

/** The Mesos version kmesos serves, which its agents report too: they speak kmesos' agent side. */
function versionOf(m: MasterModel): string {
  return m.self.info.version ?? '';
}

function leaderJson(m: MasterModel): JsonObject {
  const leader = m.leader;
  if (!leader) return {};
  const isSelf = leader.hostname === m.self.address.hostname && leader.port === m.self.address.port;
  const pid = masterPid(leader);
  return {
    leader: pid,
    leader_info: {
      ...(isSelf ? { id: m.self.info.id } : {}),
      pid,
      port: leader.port,
      hostname: leader.hostname,
    },
  };
}

/** GET /master/state. */
export function stateJson(m: MasterModel): JsonObject {
  const counts = agentCounts(m);
  const version = versionOf(m);
  return {
    version,
    git_tag: version,
    build_user: BUILD_USER,
    start_time: m.self.startTime / 1000,
    ...(m.self.electedTime !== undefined ? { elected_time: m.self.electedTime / 1000 } : {}),
    id: m.self.info.id,
    pid: masterPid(m.self.address),
    hostname: m.self.info.hostname ?? m.self.address.hostname,
    capabilities: [],
    activated_slaves: counts.active,
    deactivated_slaves: counts.inactive,
    unreachable_slaves: counts.unreachable,
    ...leaderJson(m),
    flags: { ...m.self.flags },
    slaves: m.agents.map((a) => agentJson(a, version)),
    recovered_slaves: [],
    frameworks: m.frameworks.map(frameworkJson),
    completed_frameworks: [],
    orphan_tasks: [],
    unregistered_frameworks: [],
  };
}

function stateCounts(counts: Partial<Record<TaskState, number>>): JsonObject {
  return Object.fromEntries(SUMMARY_STATES.map((s) => [s, counts[s] ?? 0]));
}

/** GET /master/state-summary: agents and frameworks with task counts by state, without the tasks. */
export function stateSummaryJson(m: MasterModel): JsonObject {
  const agentsOf = new Map<string, Set<string>>();
  for (const t of m.tasks) {
    const set = agentsOf.get(t.frameworkId) ?? new Set<string>();
    set.add(t.agentId);
    agentsOf.set(t.frameworkId, set);
  }
  return {
    hostname: m.self.info.hostname ?? m.self.address.hostname,
    slaves: m.agents.map((a) => ({
      ...agentJson(a, versionOf(m)),
      ...stateCounts(a.tasksByState),
      framework_ids: [...a.frameworkIds].sort(),
    })),
    frameworks: m.frameworks.map((f) => {
      const counts: Partial<Record<TaskState, number>> = {};
      for (const t of f.tasks) counts[t.state] = (counts[t.state] ?? 0) + 1;
      return {
        ...frameworkSummaryJson(f),
        ...stateCounts(counts),
        slave_ids: [...(agentsOf.get(f.id) ?? [])].sort(),
      };
    }),
  };
}

/** GET /master/frameworks[?framework_id=]. */
export function frameworksJson(m: MasterModel, frameworkId?: string): JsonObject {
  return {
    frameworks: m.frameworks
      .filter((f) => frameworkId === undefined || f.id === frameworkId)
      .map(frameworkJson),
    completed_frameworks: [],
    unregistered_frameworks: [],
  };
}

/** GET /master/slaves[?slave_id=], with the full Resource lists Mesos adds there. */
export function slavesJson(m: MasterModel, slaveId?: string): JsonObject {
  return {
    slaves: m.agents
      .filter((a) => slaveId === undefined || a.id === slaveId)
      .map((a) => ({
        ...agentJson(a, versionOf(m)),
        reserved_resources_full: {},
        unreserved_resources_full: fullResources(a.total),
        used_resources_full: fullResources(a.used),
        offered_resources_full: fullResources(a.offered),
      })),
    recovered_slaves: [],
  };
}

export interface TasksQuery {
  readonly limit: number;
  readonly offset: number;
  readonly order: 'asc' | 'des';
  readonly frameworkId?: string;
  readonly taskId?: string;
}

/** Mesos' default page of /tasks. */
export const TASK_LIMIT = 100;

/** The query of /master/tasks, read as Mesos does: a bad number is the default, any order but `asc` is `des`. */
export function tasksQuery(query: Readonly<Record<string, unknown>>): TasksQuery {
  const count = (v: unknown, fallback: number): number => {
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
    return Number.isSafeInteger(n) ? n : fallback;
  };
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const frameworkId = text(query['framework_id']);
  const taskId = text(query['task_id']);
  return {
    limit: count(query['limit'], TASK_LIMIT),
    offset: count(query['offset'], 0),
    order: query['order'] === 'asc' ? 'asc' : 'des',
    ...(frameworkId !== undefined ? { frameworkId } : {}),
    ...(taskId !== undefined ? { taskId } : {}),
  };
}

/** Tasks by their first status' time, ascending or descending (Mesos' TaskComparator); ties keep key order. */
export function orderTasks(tasks: readonly TaskModel[], order: 'asc' | 'des'): TaskModel[] {
  const first = (t: TaskModel): number => t.statuses[0]?.timestamp ?? 0;
  const sign = order === 'asc' ? 1 : -1;
  return [...tasks].sort((a, b) => sign * (first(a) - first(b)));
}

/** GET /master/tasks: one page of every framework's tasks. */
export function tasksJson(m: MasterModel, q: TasksQuery): JsonObject {
  const picked = m.tasks.filter(
    (t) =>
      (q.frameworkId === undefined || t.frameworkId === q.frameworkId) &&
      (q.taskId === undefined || t.id === q.taskId),
  );
  return {
    tasks: orderTasks(picked, q.order)
      .slice(q.offset, q.offset + q.limit)
      .map(taskJson),
  };
}

function roleJson(r: RoleModel): JsonObject {
  return {
    name: r.name,
    weight: r.weight,
    quota: {
      role: r.name,
      guarantee: quantities(r.guarantee),
      limit: quantities(r.limit),
      consumed: quantities(r.allocated),
    },
    resources: quantities(add(r.allocated, r.offered)),
    allocated: quantities(r.allocated),
    offered: quantities(r.offered),
    reserved: {},
    frameworks: [...r.frameworkIds],
  };
}

/** GET /master/roles. */
export function rolesJson(m: MasterModel): JsonObject {
  return { roles: m.roles.map(roleJson) };
}
