/**
 * What an ACCEPT does, decided before anything is written (pure): which offers are used,
 * which tasks launch on which offer, and which tasks end at once with the status Mesos' master
 * would give them (src/master/validation.cpp, master.cpp `_accept`).
 */
import type { Offer as AllocatorOffer } from '../../allocator/index.js';
import { add, contains, subtractClamped, type Resources } from '../../resources/index.js';
import type { TaskSpecInput } from '../../api/types.js';
import type {
  ExecutorInfo,
  Offer_Operation,
  TaskInfo,
  TaskState,
  TaskStatus_Reason,
} from '../mesos/types/v1.js';
import {
  executorOf,
  groupTaskSpec,
  idProblem,
  taskSpecOf,
  type PlannedExecutor,
  type TaskConversion,
} from './task-info.js';

export type { PlannedExecutor } from './task-info.js';

export interface PlannedTask {
  info: TaskInfo;
  spec: TaskSpecInput;
  resources: Resources;
  ports: number[];
}

/** One pod to launch: a task alone, a task group (LAUNCH_GROUP) or a custom executor with its task. */
export interface PlannedLaunch {
  offerId: string;
  /** The pod's tasks, the leader first. */
  tasks: PlannedTask[];
  /** The executor of a group, or the custom executor of a LAUNCH. */
  executor?: PlannedExecutor;
  /** The whole pod's: every task's and the executor's. */
  resources: Resources;
  ports: number[];
}

export interface EndedTask {
  info: TaskInfo;
  state: TaskState;
  reason: TaskStatus_Reason;
  message: string;
}

export interface AcceptPlan {
  launches: PlannedLaunch[];
  ended: EndedTask[];
  /** Offers the ACCEPT names, all consumed: what the launches leave is declined with the call's filter. */
  offerIds: string[];
}

export type AcceptDecision = { ok: true; plan: AcceptPlan } | { ok: false; message: string };

export interface AcceptInput {
  frameworkKey: string;
  offerIds: readonly string[];
  operations: readonly Offer_Operation[];
  /** Outstanding offers by ID. */
  offer: (offerId: string) => AllocatorOffer | undefined;
  /** A task with this ID exists (or is launching) for the framework. */
  taskExists: (taskId: string) => boolean;
  /** Whether the offer names every one of these ports. */
  portsInOffer: (offerId: string, ports: readonly number[]) => boolean;
  /** PARTITION_AWARE frameworks hear TASK_DROPPED where others hear TASK_LOST. */
  partitionAware: boolean;
  /** An executor with this ID already runs (or is launching) for the framework on the agent. */
  executorExists?: (executorId: string, agentId: string) => boolean;
}

const SUPPORTED = new Set(['LAUNCH', 'LAUNCH_GROUP']);

/** The operations kmesos cannot carry out yet, as a 400's message; undefined when all are supported. */
export function unsupportedOperation(operations: readonly Offer_Operation[]): string | undefined {
  const bad = operations.find((op) => !SUPPORTED.has(op.type ?? 'UNKNOWN'));
  if (!bad) return undefined;
  return `accept.operations: ${bad.type ?? 'UNKNOWN'} is not supported by kmesos; only LAUNCH and LAUNCH_GROUP are`;
}

function tasksOf(operations: readonly Offer_Operation[]): TaskInfo[] {
  return operations.flatMap((op) =>
    op.type === 'LAUNCH' ? (op.launch?.task_infos ?? []) : (op.launch_group?.task_group.tasks ?? []),
  );
}

function offersProblem(input: AcceptInput): string | undefined {
  if (input.offerIds.length === 0) return 'no offers named';
  if (new Set(input.offerIds).size !== input.offerIds.length) return 'an offer is named twice';
  let agent: string | undefined;
  for (const id of input.offerIds) {
    const o = input.offer(id);
    if (!o) return `Offer ${id} is no longer valid`;
    if (o.frameworkId !== input.frameworkKey) return `Offer ${id} is not for this framework`;
    if (agent !== undefined && o.agentId !== agent)
      return 'Aggregated offers must belong to one single agent';
    agent = o.agentId;
  }
  return undefined;
}

/** What the offers of one ACCEPT still hold as its launches are planned one by one. */
interface Room {
  agentId: string;
  left: Map<string, Resources>;
  /** `offerId:port` taken by earlier launches of the ACCEPT. */
  portsTaken: Set<string>;
  /** Task IDs earlier in the ACCEPT. */
  seen: Set<string>;
  /** Executor IDs launched earlier in the ACCEPT. */
  executors: Set<string>;
}

/** A task's own checks (ID, duplicates, agent) and its conversion, or the TASK_ERROR message of why not. */
function checkTask(
  info: TaskInfo,
  input: AcceptInput,
  room: Room,
  convert: (info: TaskInfo) => TaskConversion,
): PlannedTask | string {
  const id = info.task_id.value;
  const idIssue = idProblem(id);
  if (idIssue) return `Task ID ${idIssue}`;
  if (room.seen.has(id) || input.taskExists(id)) return `Task has duplicate ID: ${id}`;
  if (info.agent_id.value !== room.agentId)
    return `Task uses invalid agent: ${info.agent_id.value}; the offer is for ${room.agentId}`;
  const converted = convert(info);
  if (!converted.ok) return converted.message;
  return { info, spec: converted.spec, resources: converted.resources, ports: converted.ports };
}

/** The first offer that still holds a whole pod, which then takes its share. */
function takeRoom(
  input: AcceptInput,
  room: Room,
  resources: Resources,
  ports: readonly number[],
): string | undefined {
  const offerId = [...room.left].find(
    ([o, r]) =>
      contains(r, resources) &&
      input.portsInOffer(o, ports) &&
      ports.every((p) => !room.portsTaken.has(`${o}:${p}`)),
  )?.[0];
  if (offerId === undefined) return undefined;
  room.left.set(offerId, subtractClamped(room.left.get(offerId) ?? {}, resources));
  for (const p of ports) room.portsTaken.add(`${offerId}:${p}`);
  return offerId;
}

/** Why an executor cannot be launched on the room's agent now, if it cannot. */
function executorConflict(executor: PlannedExecutor, input: AcceptInput, room: Room): string | undefined {
  const id = executor.info.executor_id.value;
  if (room.executors.has(id) || input.executorExists?.(id, room.agentId))
    return `Executor ${id} is already running on agent ${room.agentId}; kmesos launches an executor once, with the tasks of one LAUNCH or LAUNCH_GROUP`;
  return undefined;
}

type Launched = { ok: true; launch: PlannedLaunch } | { ok: false; message: string };

/** One pod of one or more tasks (all-or-nothing), with their executor if any. */
function planPod(
  infos: readonly TaskInfo[],
  executor: PlannedExecutor | undefined,
  input: AcceptInput,
  room: Room,
): Launched {
  const tasks: PlannedTask[] = [];
  const seen = new Set<string>();
  for (const info of infos) {
    const checked = checkTask(info, input, { ...room, seen: new Set([...room.seen, ...seen]) }, (i) =>
      executor ? groupTaskSpec(i, executor) : taskSpecOf(i),
    );
    if (typeof checked === 'string')
      return { ok: false, message: infos.length > 1 ? `Task ${info.task_id.value}: ${checked}` : checked };
    tasks.push(checked);
    seen.add(info.task_id.value);
  }
  if (executor) {
    const conflict = executorConflict(executor, input, room);
    if (conflict) return { ok: false, message: conflict };
  }
  let resources = executor?.resources ?? {};
  for (const t of tasks) resources = add(resources, t.resources);
  const ports = tasks.flatMap((t) => t.ports);
  if (new Set(ports).size !== ports.length)
    return { ok: false, message: 'Tasks of the group use one port twice' };
  const offerId = takeRoom(input, room, resources, ports);
  if (offerId === undefined)
    return {
      ok: false,
      message:
        infos.length > 1
          ? 'Task group uses more resources than offered'
          : 'Task uses more resources than offered',
    };
  if (executor) room.executors.add(executor.info.executor_id.value);
  return { ok: true, launch: { offerId, tasks, ...(executor ? { executor } : {}), resources, ports } };
}

/** One operation's pods: each task of a LAUNCH alone, a LAUNCH_GROUP's tasks together. */
function planOperation(op: Offer_Operation, input: AcceptInput, room: Room, plan: AcceptPlan): void {
  const units: { infos: TaskInfo[]; executor?: ExecutorInfo; group: boolean }[] =
    op.type === 'LAUNCH'
      ? (op.launch?.task_infos ?? []).map((info) => ({
          infos: [info],
          ...(info.executor ? { executor: info.executor } : {}),
          group: false,
        }))
      : [
          {
            infos: op.launch_group?.task_group.tasks ?? [],
            executor: op.launch_group?.executor,
            group: true,
          },
        ];
  for (const unit of units) {
    if (unit.infos.length === 0) continue;
    const executor = unit.executor ? executorOf(unit.executor, unit.group) : undefined;
    const invalidGroup = unit.group ? groupProblem(unit.infos) : undefined;
    const result: Launched =
      executor && !executor.ok
        ? executor
        : invalidGroup !== undefined
          ? { ok: false, message: invalidGroup }
          : planPod(unit.infos, executor?.executor, input, room);
    if (result.ok) plan.launches.push(result.launch);
    else
      for (const info of unit.infos)
        plan.ended.push({
          info,
          state: 'TASK_ERROR',
          reason: 'REASON_TASK_INVALID',
          message: result.message,
        });
    for (const info of unit.infos) room.seen.add(info.task_id.value);
  }
}

/** Mesos' checks of a task group's tasks: each names no executor of its own, and one agent. */
function groupProblem(infos: readonly TaskInfo[]): string | undefined {
  const own = infos.find((i) => i.executor !== undefined);
  if (own) return `Task ${own.task_id.value}: 'TaskInfo.executor' must not be set for a task of a task group`;
  const agents = new Set(infos.map((i) => i.agent_id.value));
  if (agents.size > 1) return 'Task group has tasks on more than one agent';
  return undefined;
}

/** Plans an ACCEPT whose operations are all supported. */
export function planAccept(input: AcceptInput): AcceptPlan {
  const infos = tasksOf(input.operations);
  const invalidOffers = offersProblem(input);
  if (invalidOffers !== undefined) {
    const state: TaskState = input.partitionAware ? 'TASK_DROPPED' : 'TASK_LOST';
    return {
      launches: [],
      ended: infos.map((info) => ({ info, state, reason: 'REASON_INVALID_OFFERS', message: invalidOffers })),
      offerIds: input.offerIds.filter((id) => input.offer(id)?.frameworkId === input.frameworkKey),
    };
  }
  const offers = input.offerIds.map((id) => input.offer(id) as AllocatorOffer);
  const room: Room = {
    agentId: offers[0]?.agentId ?? '',
    left: new Map(offers.map((o) => [o.offerId, o.resources])),
    portsTaken: new Set<string>(),
    seen: new Set<string>(),
    executors: new Set<string>(),
  };
  const plan: AcceptPlan = { launches: [], ended: [], offerIds: [...input.offerIds] };
  for (const op of input.operations) planOperation(op, input, room, plan);
  return plan;
}
