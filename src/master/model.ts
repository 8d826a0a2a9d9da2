/**
 * The cluster as a Mesos master sees it, built once per request from MasterInputs: agents with
 * their total, used and offered resources, frameworks with their tasks and offers, roles with
 * what is allocated below them. The JSON endpoints, the operator API and the metrics snapshot
 * are each a rendering of this model, so they cannot disagree. Pure.
 *
 * Accounting, in kmesos units:
 * - an agent's total is its allocatable less the requests of pods kmesos does not own: what
 *   the allocator can give frameworks, and what shares are relative to;
 * - a task uses its resources on its agent from its launch until it reaches a terminal state;
 * - offered resources are those of outstanding offers.
 * Invariant: Σ agents' used = Σ frameworks' used, and likewise offered.
 */
import type { V1Node } from '@kubernetes/client-node';
import type { Offer } from '../allocator/index.js';
import { agentFromNode } from '../cluster/agents.js';
import { ANNOTATIONS, DEFAULT_ROLE } from '../api/constants.js';
import { frameworkIdOf } from '../api/framework-id.js';
import { frameworkKeyOfTask } from '../api/keys.js';
import { roleOfResourceRole } from '../api/roles.js';
import { isTerminalState, type TaskState } from '../api/task-states.js';
import { parseTime } from '../api/time.js';
import type { Framework, ResourceRole, Task } from '../api/types.js';
import { add, parseResourceList, type Resources } from '../resources/index.js';
import type { AllocatorFigures, HostPort, MasterInputs, MasterSelf, SystemFigures } from './inputs.js';
import { taskStatuses, type StatusEntry } from './task-statuses.js';

const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';
/** The kubelet's port when the node does not report one. */
const DEFAULT_AGENT_PORT = 10250;
/** Who a Builtin framework's command tasks run as when its Framework names no user. */
const DEFAULT_USER = 'nobody';

export interface AgentModel {
  readonly id: string;
  readonly hostname: string;
  readonly ip: string | undefined;
  readonly port: number;
  /** Node labels, sorted by name. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Seconds since the epoch: when the Node was created. */
  readonly registeredTime: number;
  readonly total: Resources;
  used: Resources;
  offered: Resources;
  /** Offers may be made: Ready and not cordoned. */
  readonly active: boolean;
  /** Cordoned: Mesos' deactivated (maintenance) agent. */
  readonly deactivated: boolean;
  /** Seconds since the epoch: when the node's unschedulable taint was added, if it says. */
  readonly cordonedSince: number | undefined;
  /** Its node is Ready. */
  readonly reachable: boolean;
  readonly tasksByState: Partial<Record<TaskState, number>>;
  readonly frameworkIds: Set<string>;
}

/** Where Mesos lists a task: running or staging, on an unreachable agent, or ended. */
export type TaskBucket = 'active' | 'unreachable' | 'completed';

export interface TaskModel {
  readonly key: string;
  /** The Mesos task ID: an external task's own, else the Task's name. */
  readonly id: string;
  readonly name: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly state: TaskState;
  readonly bucket: TaskBucket;
  readonly resources: Resources;
  readonly role: string;
  readonly statuses: readonly StatusEntry[];
  readonly labels: readonly { readonly key: string; readonly value?: string }[];
}

export interface OfferModel {
  readonly id: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly hostname: string;
  readonly role: string;
  readonly resources: Resources;
}

export interface FrameworkModel {
  readonly key: string;
  readonly id: string;
  readonly name: string;
  readonly user: string;
  readonly role: string;
  /** MULTI_ROLE frameworks show `roles`, the others `role`, as in Mesos. */
  readonly multiRole: boolean;
  readonly capabilities: readonly string[];
  readonly hostname: string;
  readonly webuiUrl: string;
  readonly principal: string | undefined;
  readonly failoverTimeout: number;
  readonly checkpoint: boolean;
  readonly active: boolean;
  readonly connected: boolean;
  readonly registeredTime: number;
  used: Resources;
  offered: Resources;
  readonly offers: OfferModel[];
  readonly tasks: TaskModel[];
}

export interface RoleModel {
  readonly name: string;
  readonly weight: number;
  /** Frameworks of exactly this role. */
  readonly frameworkIds: readonly string[];
  /** Used and offered by frameworks of this role and of the roles below it. */
  readonly allocated: Resources;
  readonly offered: Resources;
  readonly guarantee: Resources;
  readonly limit: Resources;
}

export interface MasterModel {
  /** Clock ms. */
  readonly now: number;
  readonly self: MasterSelf;
  readonly leader: HostPort | undefined;
  /** Sorted by hostname. */
  readonly agents: readonly AgentModel[];
  /** Sorted by key. */
  readonly frameworks: readonly FrameworkModel[];
  /** Every launched task, sorted by key; tasks waiting for their first launch are not listed. */
  readonly tasks: readonly TaskModel[];
  /** Sorted by name. */
  readonly roles: readonly RoleModel[];
  readonly offers: readonly OfferModel[];
  readonly total: Resources;
  readonly used: Resources;
  readonly offered: Resources;
  readonly allocator: AllocatorFigures | undefined;
  readonly system: SystemFigures | undefined;
}

export function buildModel(inputs: MasterInputs): MasterModel {
  const agents = [...inputs.nodes].map((n) => agentModel(n, inputs.foreignRequests));
  agents.sort((a, b) => compare(a.hostname, b.hostname));
  const frameworks = new Map<string, FrameworkModel>();
  for (const key of [...inputs.frameworks.keys()].sort(compare)) {
    const fw = inputs.frameworks.get(key);
    if (fw) frameworks.set(key, frameworkModel(key, fw, inputs));
  }
  const tasks = taskModels(inputs, frameworks);
  const offers = inputs.offers.flatMap((o) => offerModel(o, frameworks));
  account(agents, frameworks, tasks, inputs.offers);
  const list = [...frameworks.values()];
  return {
    now: inputs.now,
    self: inputs.self,
    leader: inputs.leader,
    agents,
    frameworks: list,
    tasks,
    roles: roleModels(list, [...inputs.roles]),
    offers,
    total: sum(agents.map((a) => a.total)),
    used: sum(agents.map((a) => a.used)),
    offered: sum(agents.map((a) => a.offered)),
    allocator: inputs.allocator,
    system: inputs.system,
  };
}

/** Agents as Mesos counts them: offered (active), Ready but not offered (cordoned), NotReady. */
export function agentCounts(m: Pick<MasterModel, 'agents'>): {
  active: number;
  inactive: number;
  unreachable: number;
} {
  const reachable = m.agents.filter((a) => a.reachable);
  const active = reachable.filter((a) => a.active).length;
  return { active, inactive: reachable.length - active, unreachable: m.agents.length - reachable.length };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sum(list: readonly Resources[]): Resources {
  return list.reduce<Resources>((acc, r) => add(acc, r), {});
}

/** Seconds since the epoch of an object's creation, Mesos' registered_time. */
function createdSeconds(meta: { creationTimestamp?: Date | string } | undefined): number {
  return (parseTime(meta?.creationTimestamp) ?? 0) / 1000;
}

function agentModel(node: V1Node, foreign: ReadonlyMap<string, Resources>): AgentModel {
  const view = agentFromNode(node, foreign.get(node.metadata?.name ?? '') ?? {}, undefined);
  const attributes = Object.fromEntries(
    Object.keys(view.attributes)
      .sort(compare)
      .map((k) => [k, view.attributes[k] ?? '']),
  );
  return {
    id: view.id,
    hostname: view.hostname,
    ip: node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address,
    port: node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? DEFAULT_AGENT_PORT,
    attributes,
    registeredTime: createdSeconds(node.metadata),
    // free = allocatable − foreign requests: the capacity Mesos frameworks share.
    total: view.free,
    used: {},
    offered: {},
    active: view.state === 'active' || view.state === 'tainted',
    deactivated: node.spec?.unschedulable === true,
    cordonedSince: cordonedSince(node),
    reachable: view.state !== 'unreachable',
    tasksByState: {},
    frameworkIds: new Set(),
  };
}

/** The node lifecycle controller taints a cordoned node and dates the taint. */
function cordonedSince(node: V1Node): number | undefined {
  if (node.spec?.unschedulable !== true) return undefined;
  const taint = node.spec.taints?.find((t) => t.key === UNSCHEDULABLE_TAINT);
  const added = parseTime(taint?.timeAdded);
  return added === undefined ? undefined : added / 1000;
}

function readyCondition(fw: Framework): boolean {
  return fw.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function frameworkModel(key: string, fw: Framework, inputs: MasterInputs): FrameworkModel {
  const info = fw.spec.frameworkInfo;
  const external = fw.spec.scheduler === 'External';
  // A standby never had the scheduler's stream: the Framework's Ready condition says what the leader saw.
  const connected = external ? (inputs.connected(key) ?? readyCondition(fw)) : true;
  const capabilities = info?.capabilities ?? [];
  const runAs = fw.spec.taskDefaults.runAsUser;
  return {
    key,
    id: frameworkIdOf(fw),
    name: external ? (info?.name ?? fw.metadata.name ?? key) : key,
    user: info?.user ?? (runAs !== undefined ? String(runAs) : DEFAULT_USER),
    role: fw.spec.role || DEFAULT_ROLE,
    multiRole: capabilities.includes('MULTI_ROLE'),
    capabilities,
    hostname: info?.hostname ?? '',
    webuiUrl: info?.webuiUrl ?? '',
    principal: info?.principal,
    failoverTimeout: fw.spec.failoverTimeoutSeconds,
    checkpoint: info?.checkpoint ?? false,
    active: connected,
    connected,
    registeredTime: createdSeconds(fw.metadata),
    used: {},
    offered: {},
    offers: [],
    tasks: [],
  };
}

function bucketOf(state: TaskState): TaskBucket {
  if (state === 'TASK_UNREACHABLE') return 'unreachable';
  return isTerminalState(state) ? 'completed' : 'active';
}

function resourcesOf(task: Task): Resources {
  try {
    return parseResourceList(task.spec.resources);
  } catch {
    // Admission refuses such a spec; one that slipped through counts as nothing, not as an error page.
    return {};
  }
}

function labelsOf(task: Task): TaskModel['labels'] {
  const raw = task.metadata.annotations?.[ANNOTATIONS.mesosLabels];
  if (raw === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (l): l is { key: string; value?: string } =>
        typeof l === 'object' &&
        l !== null &&
        typeof (l as { key?: unknown }).key === 'string' &&
        ['string', 'undefined'].includes(typeof (l as { value?: unknown }).value),
    );
  } catch {
    return [];
  }
}

function taskModels(inputs: MasterInputs, frameworks: Map<string, FrameworkModel>): TaskModel[] {
  const out: TaskModel[] = [];
  for (const key of [...inputs.tasks.keys()].sort(compare)) {
    const task = inputs.tasks.get(key);
    const fw = task ? frameworks.get(frameworkKeyOfTask(task)) : undefined;
    const status = inputs.taskStatus(key) ?? task?.status;
    const state = status?.state;
    if (!task || !fw || state === undefined) continue;
    const name = task.metadata.name ?? key;
    const model: TaskModel = {
      key,
      id: task.metadata.annotations?.[ANNOTATIONS.mesosTaskId] ?? name,
      name: task.metadata.annotations?.[ANNOTATIONS.mesosTaskName] ?? name,
      frameworkId: fw.id,
      agentId: status?.agentID ?? '',
      state,
      bucket: bucketOf(state),
      resources: resourcesOf(task),
      role: fw.role,
      statuses: taskStatuses(status, inputs.now),
      labels: labelsOf(task),
    };
    fw.tasks.push(model);
    out.push(model);
  }
  return out;
}

function offerModel(o: Offer, frameworks: ReadonlyMap<string, FrameworkModel>): OfferModel[] {
  const fw = frameworks.get(o.frameworkId);
  if (!fw) return [];
  const model: OfferModel = {
    id: o.offerId,
    frameworkId: fw.id,
    agentId: o.agentId,
    hostname: o.hostname,
    role: o.role,
    resources: o.resources,
  };
  fw.offers.push(model);
  return [model];
}

/** Adds each live task's resources to its agent and framework, and each offer's likewise. */
function account(
  agents: readonly AgentModel[],
  frameworks: ReadonlyMap<string, FrameworkModel>,
  tasks: readonly TaskModel[],
  offers: readonly Offer[],
): void {
  const byId = new Map(agents.map((a) => [a.id, a]));
  const byFrameworkId = new Map([...frameworks.values()].map((f) => [f.id, f]));
  for (const t of tasks) {
    const agent = byId.get(t.agentId);
    const fw = byFrameworkId.get(t.frameworkId);
    if (agent) {
      agent.tasksByState[t.state] = (agent.tasksByState[t.state] ?? 0) + 1;
      agent.frameworkIds.add(t.frameworkId);
    }
    if (t.bucket === 'completed') continue;
    if (agent) agent.used = add(agent.used, t.resources);
    if (fw) fw.used = add(fw.used, t.resources);
  }
  for (const o of offers) {
    const agent = byId.get(o.agentId);
    const fw = frameworks.get(o.frameworkId);
    if (agent) agent.offered = add(agent.offered, o.resources);
    if (fw) fw.offered = add(fw.offered, o.resources);
  }
}

/** `eng/ml/x` → `eng`, `eng/ml`. */
function ancestors(role: string): string[] {
  const parts = role.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

function isWithin(role: string, root: string): boolean {
  return role === root || role.startsWith(`${root}/`);
}

function quotaOf(quota: ResourceRole['spec']['quota']): { guarantee: Resources; limit: Resources } {
  try {
    return { guarantee: parseResourceList(quota?.guarantee), limit: parseResourceList(quota?.limit) };
  } catch {
    return { guarantee: {}, limit: {} };
  }
}

/**
 * Mesos' known roles: those of frameworks and those configured (ResourceRoles), with their
 * ancestors. A role's allocation counts its whole subtree, as Mesos' role breakdown does.
 */
function roleModels(frameworks: readonly FrameworkModel[], configured: readonly ResourceRole[]): RoleModel[] {
  const byRole = new Map(configured.map((rr) => [roleOfResourceRole(rr.metadata.name ?? ''), rr]));
  const names = new Set<string>();
  for (const role of [...frameworks.map((f) => f.role), ...byRole.keys()]) {
    names.add(role);
    for (const a of ancestors(role)) names.add(a);
  }
  return [...names].sort(compare).map((name) => {
    const rr = byRole.get(name);
    const below = frameworks.filter((f) => isWithin(f.role, name));
    return {
      name,
      weight: rr?.spec.weight ?? 1,
      frameworkIds: frameworks.filter((f) => f.role === name).map((f) => f.id),
      allocated: sum(below.map((f) => f.used)),
      offered: sum(below.map((f) => f.offered)),
      ...quotaOf(rr?.spec.quota),
    };
  });
}
