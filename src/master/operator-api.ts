/**
 * The v1 operator API's answers (POST /api/v1, docs/operator-http-api.md): a master Call in, a
 * Response message out, rendered from the same model as the JSON endpoints. This answers the
 * read calls; SUBSCRIBE (subscription.ts) and the write calls (operator-writes.ts) are served
 * beside it, and any other call answers 400 naming itself. Pure.
 */
import { add, type Resources } from '../resources/index.js';
import { toMesosResources } from '../scheduler/external/mesos-resources.js';
import type {
  Call,
  Call_Type,
  Response,
  Response_GetAgents,
  Response_GetAgents_Agent,
  Response_GetFrameworks,
  Response_GetFrameworks_Framework,
  Response_GetState,
  Response_GetTasks,
} from '../scheduler/mesos/types/master.js';
import type { ClusterStatus, Schedule } from '../scheduler/mesos/types/maintenance.js';
import type { QuotaStatus } from '../scheduler/mesos/types/quota.js';
import type {
  Attribute,
  FrameworkInfo,
  FrameworkInfo_Capability_Type,
  AgentInfo_Capability_Type,
  MachineID,
  Offer,
  Resource,
  Role,
  Task,
  TimeInfo,
  Value_Scalar,
} from '../scheduler/mesos/types/v1.js';
import type { MasterInputs } from './inputs.js';
import { metricsSnapshot } from './metrics-snapshot.js';
import {
  buildModel,
  type AgentModel,
  type FrameworkModel,
  type MasterModel,
  type OfferModel,
  type TaskModel,
} from './model.js';
import { WRITE_CALLS } from './operator-writes.js';
import { AGENT_CAPABILITIES, agentPid, masterPid } from './state-json.js';

export type OperatorAnswer = { ok: true; response: Response } | { ok: false; status: 400; message: string };

/** Who built the master, as GET_VERSION reports it. */
const BUILD_USER = 'kmesos';

const FRAMEWORK_CAPABILITIES: ReadonlySet<string> = new Set<FrameworkInfo_Capability_Type>([
  'REVOCABLE_RESOURCES',
  'TASK_KILLING_STATE',
  'GPU_RESOURCES',
  'SHARED_RESOURCES',
  'PARTITION_AWARE',
  'MULTI_ROLE',
  'RESERVATION_REFINEMENT',
  'REGION_AWARE',
]);

function resources(r: Resources, role?: string): Resource[] {
  return toMesosResources(r, { gpus: true, ...(role !== undefined ? { allocationRole: role } : {}) });
}

function time(seconds: number): TimeInfo {
  return { nanoseconds: Math.round(seconds * 1e9) };
}

function attributes(a: AgentModel): Attribute[] {
  return Object.entries(a.attributes).map(([name, value]) => ({ name, type: 'TEXT', text: { value } }));
}

export function agent(a: AgentModel, version: string): Response_GetAgents_Agent {
  return {
    agent_info: {
      hostname: a.hostname,
      port: a.port,
      resources: resources(a.total),
      attributes: attributes(a),
      id: { value: a.id },
    },
    active: a.active,
    deactivated: a.deactivated,
    version,
    pid: agentPid(a),
    registered_time: time(a.registeredTime),
    total_resources: resources(a.total),
    allocated_resources: resources(a.used),
    offered_resources: resources(a.offered),
    capabilities: AGENT_CAPABILITIES.map((type) => ({ type: type as AgentInfo_Capability_Type })),
  };
}

export function frameworkInfo(f: FrameworkModel): FrameworkInfo {
  const capabilities = f.capabilities
    .filter((c) => FRAMEWORK_CAPABILITIES.has(c))
    .map((type) => ({ type: type as FrameworkInfo_Capability_Type }));
  return {
    user: f.user,
    name: f.name,
    id: { value: f.id },
    failover_timeout: f.failoverTimeout,
    checkpoint: f.checkpoint,
    ...(f.multiRole ? { roles: [f.role] } : { role: f.role }),
    ...(f.hostname !== '' ? { hostname: f.hostname } : {}),
    ...(f.principal !== undefined ? { principal: f.principal } : {}),
    ...(f.webuiUrl !== '' ? { webui_url: f.webuiUrl } : {}),
    capabilities,
  };
}

function offer(o: OfferModel): Offer {
  return {
    id: { value: o.id },
    framework_id: { value: o.frameworkId },
    agent_id: { value: o.agentId },
    hostname: o.hostname,
    resources: resources(o.resources, o.role),
    allocation_info: { role: o.role },
  };
}

export function framework(f: FrameworkModel): Response_GetFrameworks_Framework {
  return {
    framework_info: frameworkInfo(f),
    active: f.active,
    connected: f.connected,
    recovered: false,
    registered_time: time(f.registeredTime),
    offers: f.offers.map(offer),
    allocated_resources: resources(f.used, f.role),
    offered_resources: resources(f.offered, f.role),
  };
}

export function task(t: TaskModel): Task {
  const taskId = { value: t.id };
  const agentId = { value: t.agentId };
  return {
    name: t.name,
    task_id: taskId,
    framework_id: { value: t.frameworkId },
    agent_id: agentId,
    state: t.state,
    resources: resources(t.resources, t.role),
    statuses: t.statuses.map((s) => ({
      task_id: taskId,
      state: s.state,
      agent_id: agentId,
      timestamp: s.timestamp,
    })),
    ...(t.labels.length > 0 ? { labels: { labels: t.labels.map((l) => ({ ...l })) } } : {}),
  };
}

/** The whole state: GET_STATE's answer and SUBSCRIBED's snapshot. */
export function getState(m: MasterModel): Response_GetState {
  return {
    get_tasks: getTasks(m),
    get_executors: {},
    get_frameworks: getFrameworks(m),
    get_agents: getAgents(m),
  };
}

export function getAgents(m: MasterModel): Response_GetAgents {
  return { agents: m.agents.map((a) => agent(a, m.self.info.version ?? '')) };
}

export function getFrameworks(m: MasterModel): Response_GetFrameworks {
  return { frameworks: m.frameworks.map(framework) };
}

export function getTasks(m: MasterModel): Response_GetTasks {
  const bucket = (b: TaskModel['bucket']): Task[] => m.tasks.filter((t) => t.bucket === b).map(task);
  return {
    tasks: bucket('active'),
    unreachable_tasks: bucket('unreachable'),
    completed_tasks: bucket('completed'),
  };
}

function roles(m: MasterModel): Role[] {
  return m.roles.map((r) => ({
    name: r.name,
    weight: r.weight,
    frameworks: r.frameworkIds.map((value) => ({ value })),
    resources: resources(add(r.allocated, r.offered)),
  }));
}

function getMaster(inputs: MasterInputs): NonNullable<Response['get_master']> {
  const { self } = inputs;
  return {
    master_info: { ...self.info, pid: masterPid(self.address) },
    start_time: self.startTime / 1000,
    ...(self.electedTime !== undefined ? { elected_time: self.electedTime / 1000 } : {}),
  };
}

function machine(a: AgentModel): MachineID {
  return { hostname: a.hostname, ...(a.ip !== undefined ? { ip: a.ip } : {}) };
}

/**
 * Mesos' maintenance on Kubernetes: a cordoned node is a machine in maintenance, draining while
 * kmesos tasks still run on it and down once none does (nothing runs there and nothing is offered).
 */
function maintenanceStatus(m: MasterModel): ClusterStatus {
  const busy = new Set(m.tasks.filter((t) => t.bucket !== 'completed').map((t) => t.agentId));
  const cordoned = m.agents.filter((a) => a.deactivated);
  return {
    draining_machines: cordoned.filter((a) => busy.has(a.id)).map((a) => ({ id: machine(a) })),
    down_machines: cordoned.filter((a) => !busy.has(a.id)).map(machine),
  };
}

/** One window per cordoned node, from when it was cordoned (now when the node does not say), open-ended. */
function maintenanceSchedule(m: MasterModel): Schedule {
  return {
    windows: m.agents
      .filter((a) => a.deactivated)
      .map((a) => ({
        machine_ids: [machine(a)],
        unavailability: { start: time(a.cordonedSince ?? m.now / 1000) },
      })),
  };
}

function scalars(r: Resources): Record<string, Value_Scalar> {
  return Object.fromEntries(resources(r).map((x) => [x.name, { value: x.scalar?.value ?? 0 }]));
}

/** The roles whose ResourceRole sets a quota, in Mesos units. */
function quotaStatus(m: MasterModel): QuotaStatus {
  return {
    configs: m.roles
      .filter((r) => Object.keys(r.guarantee).length > 0 || Object.keys(r.limit).length > 0)
      .map((r) => ({ role: r.name, guarantees: scalars(r.guarantee), limits: scalars(r.limit) })),
  };
}

type Handler = (inputs: MasterInputs, model: () => MasterModel) => Response;

/** The calls kmesos answers, each with its Response. */
const HANDLERS: Partial<Record<Call_Type, Handler>> = {
  GET_HEALTH: () => ({ type: 'GET_HEALTH', get_health: { healthy: true } }),
  GET_VERSION: (i) => {
    const version = i.self.info.version ?? '';
    return {
      type: 'GET_VERSION',
      get_version: { version_info: { version, build_user: BUILD_USER, git_tag: version } },
    };
  },
  GET_FLAGS: (i) => ({
    type: 'GET_FLAGS',
    get_flags: { flags: Object.entries(i.self.flags).map(([name, value]) => ({ name, value })) },
  }),
  GET_METRICS: (_i, m) => ({
    type: 'GET_METRICS',
    get_metrics: { metrics: Object.entries(metricsSnapshot(m())).map(([name, value]) => ({ name, value })) },
  }),
  GET_STATE: (_i, m) => ({ type: 'GET_STATE', get_state: getState(m()) }),
  GET_AGENTS: (_i, m) => ({ type: 'GET_AGENTS', get_agents: getAgents(m()) }),
  GET_FRAMEWORKS: (_i, m) => ({ type: 'GET_FRAMEWORKS', get_frameworks: getFrameworks(m()) }),
  GET_EXECUTORS: () => ({ type: 'GET_EXECUTORS', get_executors: {} }),
  GET_TASKS: (_i, m) => ({ type: 'GET_TASKS', get_tasks: getTasks(m()) }),
  GET_ROLES: (_i, m) => ({ type: 'GET_ROLES', get_roles: { roles: roles(m()) } }),
  GET_WEIGHTS: (_i, m) => ({
    type: 'GET_WEIGHTS',
    get_weights: { weight_infos: m().roles.map((r) => ({ role: r.name, weight: r.weight })) },
  }),
  GET_MASTER: (i) => ({ type: 'GET_MASTER', get_master: getMaster(i) }),
  GET_MAINTENANCE_STATUS: (_i, m) => ({
    type: 'GET_MAINTENANCE_STATUS',
    get_maintenance_status: { status: maintenanceStatus(m()) },
  }),
  GET_MAINTENANCE_SCHEDULE: (_i, m) => ({
    type: 'GET_MAINTENANCE_SCHEDULE',
    get_maintenance_schedule: { schedule: maintenanceSchedule(m()) },
  }),
  GET_QUOTA: (_i, m) => ({ type: 'GET_QUOTA', get_quota: { status: quotaStatus(m()) } }),
};

/** Every call kmesos serves: those answered here, SUBSCRIBE's stream and the writes. */
export const SERVED_CALLS: readonly string[] = [...Object.keys(HANDLERS), 'SUBSCRIBE', ...WRITE_CALLS];

/** The Response to a decoded Call; the model is built only for calls that read the cluster. */
export function answerCall(call: Call, inputs: MasterInputs): OperatorAnswer {
  const type = call.type ?? 'UNKNOWN';
  const handler = HANDLERS[type];
  if (!handler)
    return {
      ok: false,
      status: 400,
      message: `${type} is not supported by kmesos yet; it serves ${SERVED_CALLS.join(', ')}`,
    };
  let model: MasterModel | undefined;
  const response = handler(inputs, () => (model ??= buildModel(inputs)));
  return { ok: true, response: compact(response) as Response };
}

/**
 * The plain form leaves empty lists out (they and absent ones are the same on the wire); the
 * builders above write them freely and this drops them, recursively.
 */
export function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = compact(v);
  }
  return out;
}
