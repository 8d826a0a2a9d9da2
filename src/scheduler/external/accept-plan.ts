/**
 * What an ACCEPT does, decided before anything is written (pure): which offers are used,
 * which tasks launch on which offer, and which tasks end at once with the status Mesos' master
 * would give them (src/master/validation.cpp, master.cpp `_accept`).
 */
import type { Offer as AllocatorOffer } from '../../allocator/index.js';
import { contains, subtractClamped, type Resources } from '../../resources/index.js';
import type { TaskSpecInput } from '../../api/types.js';
import type { Offer_Operation, TaskInfo, TaskState, TaskStatus_Reason } from '../mesos/types/v1.js';
import { idProblem, taskSpecOf } from './task-info.js';

export interface PlannedTask {
  info: TaskInfo;
  offerId: string;
  spec: TaskSpecInput;
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
  launches: PlannedTask[];
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

/** What the offers of one ACCEPT still hold as its tasks are planned one by one. */
interface Room {
  agentId: string;
  left: Map<string, Resources>;
  /** `offerId:port` taken by earlier tasks of the ACCEPT. */
  portsTaken: Set<string>;
  /** Task IDs earlier in the ACCEPT. */
  seen: Set<string>;
}

/** One task on the first offer that still holds it, or the TASK_ERROR message of why not. */
function placeTask(info: TaskInfo, input: AcceptInput, room: Room): PlannedTask | string {
  const id = info.task_id.value;
  const idIssue = idProblem(id);
  if (idIssue) return `Task ID ${idIssue}`;
  if (room.seen.has(id) || input.taskExists(id)) return `Task has duplicate ID: ${id}`;
  if (info.agent_id.value !== room.agentId)
    return `Task uses invalid agent: ${info.agent_id.value}; the offer is for ${room.agentId}`;
  const converted = taskSpecOf(info);
  if (!converted.ok) return converted.message;
  const { resources, ports } = converted;
  const offerId = [...room.left].find(
    ([o, r]) =>
      contains(r, resources) &&
      input.portsInOffer(o, ports) &&
      ports.every((p) => !room.portsTaken.has(`${o}:${p}`)),
  )?.[0];
  if (offerId === undefined) return 'Task uses more resources than offered';
  room.left.set(offerId, subtractClamped(room.left.get(offerId) ?? {}, resources));
  for (const p of ports) room.portsTaken.add(`${offerId}:${p}`);
  return { info, offerId, spec: converted.spec, resources, ports };
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
  };
  const plan: AcceptPlan = { launches: [], ended: [], offerIds: [...input.offerIds] };
  for (const info of infos) {
    const placed = placeTask(info, input, room);
    if (typeof placed === 'string')
      plan.ended.push({ info, state: 'TASK_ERROR', reason: 'REASON_TASK_INVALID', message: placed });
    else plan.launches.push(placed);
    room.seen.add(info.task_id.value);
  }
  return plan;
}
