// Generated from the mesos.v1.executor .proto by gen-types.ts: do not edit. To regenerate, run the
// unit tests of src/scheduler/mesos/generated.test.ts with KMESOS_WRITE_MESOS_GENERATED=1.

import type {
  AgentInfo,
  ContainerID,
  ExecutorID,
  ExecutorInfo,
  FrameworkID,
  FrameworkInfo,
  KillPolicy,
  TaskGroupInfo,
  TaskID,
  TaskInfo,
  TaskStatus,
} from './v1.js';

/** mesos.v1.executor.Event */
export interface Event {
  type?: Event_Type;
  subscribed?: Event_Subscribed;
  acknowledged?: Event_Acknowledged;
  launch?: Event_Launch;
  launch_group?: Event_LaunchGroup;
  kill?: Event_Kill;
  message?: Event_Message;
  error?: Event_Error;
}

/** mesos.v1.executor.Event.Type */
export type Event_Type =
  | 'UNKNOWN'
  | 'SUBSCRIBED'
  | 'LAUNCH'
  | 'LAUNCH_GROUP'
  | 'KILL'
  | 'ACKNOWLEDGED'
  | 'MESSAGE'
  | 'ERROR'
  | 'SHUTDOWN'
  | 'HEARTBEAT';

/** mesos.v1.executor.Event.Subscribed */
export interface Event_Subscribed {
  executor_info: ExecutorInfo;
  framework_info: FrameworkInfo;
  agent_info: AgentInfo;
  container_id?: ContainerID;
}

/** mesos.v1.executor.Event.Launch */
export interface Event_Launch {
  task: TaskInfo;
}

/** mesos.v1.executor.Event.LaunchGroup */
export interface Event_LaunchGroup {
  task_group: TaskGroupInfo;
}

/** mesos.v1.executor.Event.Kill */
export interface Event_Kill {
  task_id: TaskID;
  kill_policy?: KillPolicy;
}

/** mesos.v1.executor.Event.Acknowledged */
export interface Event_Acknowledged {
  task_id: TaskID;
  uuid: Uint8Array;
}

/** mesos.v1.executor.Event.Message */
export interface Event_Message {
  data: Uint8Array;
}

/** mesos.v1.executor.Event.Error */
export interface Event_Error {
  message: string;
}

/** mesos.v1.executor.Call */
export interface Call {
  executor_id: ExecutorID;
  framework_id: FrameworkID;
  type?: Call_Type;
  subscribe?: Call_Subscribe;
  update?: Call_Update;
  message?: Call_Message;
}

/** mesos.v1.executor.Call.Type */
export type Call_Type = 'UNKNOWN' | 'SUBSCRIBE' | 'UPDATE' | 'MESSAGE' | 'HEARTBEAT';

/** mesos.v1.executor.Call.Subscribe */
export interface Call_Subscribe {
  unacknowledged_tasks?: TaskInfo[];
  unacknowledged_updates?: Call_Update[];
}

/** mesos.v1.executor.Call.Update */
export interface Call_Update {
  status: TaskStatus;
}

/** mesos.v1.executor.Call.Message */
export interface Call_Message {
  data: Uint8Array;
}
