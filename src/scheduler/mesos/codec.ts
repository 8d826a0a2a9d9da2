import { createMessageCodec } from './message-codec.js';
import type { MediaType } from './media-type.js';
import type { CodecError, Result } from './result.js';
import type { MesosSchema } from './schema.js';
import type { Call as ExecutorCall, Event as ExecutorEvent } from './types/executor.js';
import type { Call as MasterCall, Event as MasterEvent, Response as MasterResponse } from './types/master.js';
import type { Call, Event } from './types/scheduler.js';
import type { ExecutorInfo, TaskInfo } from './types/v1.js';

/**
 * Every message the v1 HTTP APIs exchange (scheduler, executor and operator). The server
 * decodes Calls and encodes Events and Responses; the other direction serves test clients
 * and a future executor shim.
 */
export interface MesosCodec {
  decodeCall(body: Uint8Array, mediaType: MediaType): Result<Call, CodecError>;
  encodeCall(call: Call, mediaType: MediaType): Buffer;
  decodeEvent(body: Uint8Array, mediaType: MediaType): Result<Event, CodecError>;
  encodeEvent(event: Event, mediaType: MediaType): Buffer;
  decodeExecutorCall(body: Uint8Array, mediaType: MediaType): Result<ExecutorCall, CodecError>;
  encodeExecutorCall(call: ExecutorCall, mediaType: MediaType): Buffer;
  decodeExecutorEvent(body: Uint8Array, mediaType: MediaType): Result<ExecutorEvent, CodecError>;
  encodeExecutorEvent(event: ExecutorEvent, mediaType: MediaType): Buffer;
  decodeMasterCall(body: Uint8Array, mediaType: MediaType): Result<MasterCall, CodecError>;
  encodeMasterCall(call: MasterCall, mediaType: MediaType): Buffer;
  decodeMasterResponse(body: Uint8Array, mediaType: MediaType): Result<MasterResponse, CodecError>;
  encodeMasterResponse(response: MasterResponse, mediaType: MediaType): Buffer;
  decodeMasterEvent(body: Uint8Array, mediaType: MediaType): Result<MasterEvent, CodecError>;
  encodeMasterEvent(event: MasterEvent, mediaType: MediaType): Buffer;
  /** A TaskInfo or ExecutorInfo alone: kept with a custom executor's Task for its LAUNCH. */
  decodeTaskInfo(body: Uint8Array, mediaType: MediaType): Result<TaskInfo, CodecError>;
  encodeTaskInfo(info: TaskInfo, mediaType: MediaType): Buffer;
  decodeExecutorInfo(body: Uint8Array, mediaType: MediaType): Result<ExecutorInfo, CodecError>;
  encodeExecutorInfo(info: ExecutorInfo, mediaType: MediaType): Buffer;
}

/** Mesos lets these calls leave their body out: REVIVE and SUPPRESS without roles mean all roles. */
const SCHEDULER_BODY_OPTIONAL: readonly string[] = ['REVIVE', 'SUPPRESS'];
/** GET_METRICS' only field, the timeout, is optional, and so is its body. */
const MASTER_BODY_OPTIONAL: readonly string[] = ['GET_METRICS'];
/** A HEARTBEAT has no body; SUBSCRIBED's fields are all optional. */
const MASTER_EVENT_BODY_OPTIONAL: readonly string[] = ['HEARTBEAT'];

export function createMesosCodec(schema: MesosSchema): MesosCodec {
  const call = createMessageCodec<Call>(schema, {
    fullName: 'mesos.v1.scheduler.Call',
    path: 'call',
    typed: { bodyOptional: SCHEDULER_BODY_OPTIONAL },
  });
  const event = createMessageCodec<Event>(schema, {
    fullName: 'mesos.v1.scheduler.Event',
    path: 'event',
    typed: { bodyOptional: [] },
  });
  const executorCall = createMessageCodec<ExecutorCall>(schema, {
    fullName: 'mesos.v1.executor.Call',
    path: 'call',
    typed: { bodyOptional: [] },
  });
  const executorEvent = createMessageCodec<ExecutorEvent>(schema, {
    fullName: 'mesos.v1.executor.Event',
    path: 'event',
    typed: { bodyOptional: [] },
  });
  const masterCall = createMessageCodec<MasterCall>(schema, {
    fullName: 'mesos.v1.master.Call',
    path: 'call',
    typed: { bodyOptional: MASTER_BODY_OPTIONAL },
  });
  const masterResponse = createMessageCodec<MasterResponse>(schema, {
    fullName: 'mesos.v1.master.Response',
    path: 'response',
    typed: { bodyOptional: [] },
  });
  const masterEvent = createMessageCodec<MasterEvent>(schema, {
    fullName: 'mesos.v1.master.Event',
    path: 'event',
    typed: { bodyOptional: MASTER_EVENT_BODY_OPTIONAL },
  });
  const taskInfo = createMessageCodec<TaskInfo>(schema, { fullName: 'mesos.v1.TaskInfo', path: 'task' });
  const executorInfo = createMessageCodec<ExecutorInfo>(schema, {
    fullName: 'mesos.v1.ExecutorInfo',
    path: 'executor',
  });
  return {
    decodeTaskInfo: (body, mediaType) => taskInfo.decode(body, mediaType),
    encodeTaskInfo: (message, mediaType) => taskInfo.encode(message, mediaType),
    decodeExecutorInfo: (body, mediaType) => executorInfo.decode(body, mediaType),
    encodeExecutorInfo: (message, mediaType) => executorInfo.encode(message, mediaType),
    decodeCall: (body, mediaType) => call.decode(body, mediaType),
    encodeCall: (message, mediaType) => call.encode(message, mediaType),
    decodeEvent: (body, mediaType) => event.decode(body, mediaType),
    encodeEvent: (message, mediaType) => event.encode(message, mediaType),
    decodeExecutorCall: (body, mediaType) => executorCall.decode(body, mediaType),
    encodeExecutorCall: (message, mediaType) => executorCall.encode(message, mediaType),
    decodeExecutorEvent: (body, mediaType) => executorEvent.decode(body, mediaType),
    encodeExecutorEvent: (message, mediaType) => executorEvent.encode(message, mediaType),
    decodeMasterCall: (body, mediaType) => masterCall.decode(body, mediaType),
    encodeMasterCall: (message, mediaType) => masterCall.encode(message, mediaType),
    decodeMasterResponse: (body, mediaType) => masterResponse.decode(body, mediaType),
    encodeMasterResponse: (message, mediaType) => masterResponse.encode(message, mediaType),
    decodeMasterEvent: (body, mediaType) => masterEvent.decode(body, mediaType),
    encodeMasterEvent: (message, mediaType) => masterEvent.encode(message, mediaType),
  };
}
