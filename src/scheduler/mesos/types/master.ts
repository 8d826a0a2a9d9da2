// Generated from the mesos.v1.master .proto by gen-types.ts: do not edit. To regenerate, run the
// unit tests of src/scheduler/mesos/generated.test.ts with KMESOS_WRITE_MESOS_GENERATED=1.

import type {
  AgentID,
  AgentInfo,
  AgentInfo_Capability,
  DurationInfo,
  ExecutorInfo,
  Flag,
  FrameworkID,
  FrameworkInfo,
  InverseOffer,
  MasterInfo,
  Metric,
  Offer,
  Resource,
  Role,
  Task,
  TaskState,
  TaskStatus,
  TimeInfo,
  VersionInfo,
  WeightInfo,
} from './v1.js';

import type { QuotaConfig, QuotaStatus } from './quota.js';

import type { ClusterStatus, Schedule } from './maintenance.js';

/** mesos.v1.master.Call */
export interface Call {
  type?: Call_Type;
  get_metrics?: Call_GetMetrics;
  update_weights?: Call_UpdateWeights;
  mark_agent_gone?: Call_MarkAgentGone;
  update_quota?: Call_UpdateQuota;
  drain_agent?: Call_DrainAgent;
  deactivate_agent?: Call_DeactivateAgent;
  reactivate_agent?: Call_ReactivateAgent;
}

/** mesos.v1.master.Call.Type */
export type Call_Type =
  | 'UNKNOWN'
  | 'GET_HEALTH'
  | 'GET_FLAGS'
  | 'GET_VERSION'
  | 'GET_METRICS'
  | 'GET_LOGGING_LEVEL'
  | 'SET_LOGGING_LEVEL'
  | 'LIST_FILES'
  | 'READ_FILE'
  | 'GET_STATE'
  | 'GET_AGENTS'
  | 'GET_FRAMEWORKS'
  | 'GET_EXECUTORS'
  | 'GET_OPERATIONS'
  | 'GET_TASKS'
  | 'GET_ROLES'
  | 'GET_WEIGHTS'
  | 'UPDATE_WEIGHTS'
  | 'GET_MASTER'
  | 'SUBSCRIBE'
  | 'RESERVE_RESOURCES'
  | 'UNRESERVE_RESOURCES'
  | 'CREATE_VOLUMES'
  | 'DESTROY_VOLUMES'
  | 'GROW_VOLUME'
  | 'SHRINK_VOLUME'
  | 'GET_MAINTENANCE_STATUS'
  | 'GET_MAINTENANCE_SCHEDULE'
  | 'UPDATE_MAINTENANCE_SCHEDULE'
  | 'START_MAINTENANCE'
  | 'STOP_MAINTENANCE'
  | 'DRAIN_AGENT'
  | 'DEACTIVATE_AGENT'
  | 'REACTIVATE_AGENT'
  | 'GET_QUOTA'
  | 'UPDATE_QUOTA'
  | 'SET_QUOTA'
  | 'REMOVE_QUOTA'
  | 'TEARDOWN'
  | 'MARK_AGENT_GONE';

/** mesos.v1.master.Call.GetMetrics */
export interface Call_GetMetrics {
  timeout?: DurationInfo;
}

/** mesos.v1.master.Call.UpdateWeights */
export interface Call_UpdateWeights {
  weight_infos?: WeightInfo[];
}

/** mesos.v1.master.Call.UpdateQuota */
export interface Call_UpdateQuota {
  force?: boolean;
  quota_configs?: QuotaConfig[];
}

/** mesos.v1.master.Call.MarkAgentGone */
export interface Call_MarkAgentGone {
  agent_id: AgentID;
}

/** mesos.v1.master.Call.DrainAgent */
export interface Call_DrainAgent {
  agent_id: AgentID;
  max_grace_period?: DurationInfo;
  mark_gone?: boolean;
}

/** mesos.v1.master.Call.DeactivateAgent */
export interface Call_DeactivateAgent {
  agent_id: AgentID;
}

/** mesos.v1.master.Call.ReactivateAgent */
export interface Call_ReactivateAgent {
  agent_id: AgentID;
}

/** mesos.v1.master.Response */
export interface Response {
  type?: Response_Type;
  get_health?: Response_GetHealth;
  get_flags?: Response_GetFlags;
  get_version?: Response_GetVersion;
  get_metrics?: Response_GetMetrics;
  get_state?: Response_GetState;
  get_agents?: Response_GetAgents;
  get_frameworks?: Response_GetFrameworks;
  get_executors?: Response_GetExecutors;
  get_tasks?: Response_GetTasks;
  get_roles?: Response_GetRoles;
  get_weights?: Response_GetWeights;
  get_master?: Response_GetMaster;
  get_maintenance_status?: Response_GetMaintenanceStatus;
  get_maintenance_schedule?: Response_GetMaintenanceSchedule;
  get_quota?: Response_GetQuota;
}

/** mesos.v1.master.Response.Type */
export type Response_Type =
  | 'UNKNOWN'
  | 'GET_HEALTH'
  | 'GET_FLAGS'
  | 'GET_VERSION'
  | 'GET_METRICS'
  | 'GET_LOGGING_LEVEL'
  | 'LIST_FILES'
  | 'READ_FILE'
  | 'GET_STATE'
  | 'GET_AGENTS'
  | 'GET_FRAMEWORKS'
  | 'GET_EXECUTORS'
  | 'GET_OPERATIONS'
  | 'GET_TASKS'
  | 'GET_ROLES'
  | 'GET_WEIGHTS'
  | 'GET_MASTER'
  | 'GET_MAINTENANCE_STATUS'
  | 'GET_MAINTENANCE_SCHEDULE'
  | 'GET_QUOTA';

/** mesos.v1.master.Response.GetHealth */
export interface Response_GetHealth {
  healthy: boolean;
}

/** mesos.v1.master.Response.GetFlags */
export interface Response_GetFlags {
  flags?: Flag[];
}

/** mesos.v1.master.Response.GetVersion */
export interface Response_GetVersion {
  version_info: VersionInfo;
}

/** mesos.v1.master.Response.GetMetrics */
export interface Response_GetMetrics {
  metrics?: Metric[];
}

/** mesos.v1.master.Response.GetState */
export interface Response_GetState {
  get_tasks?: Response_GetTasks;
  get_executors?: Response_GetExecutors;
  get_frameworks?: Response_GetFrameworks;
  get_agents?: Response_GetAgents;
}

/** mesos.v1.master.Response.GetAgents */
export interface Response_GetAgents {
  agents?: Response_GetAgents_Agent[];
  recovered_agents?: AgentInfo[];
}

/** mesos.v1.master.Response.GetAgents.Agent */
export interface Response_GetAgents_Agent {
  agent_info: AgentInfo;
  active: boolean;
  deactivated?: boolean;
  version: string;
  pid?: string;
  registered_time?: TimeInfo;
  reregistered_time?: TimeInfo;
  total_resources?: Resource[];
  allocated_resources?: Resource[];
  offered_resources?: Resource[];
  capabilities?: AgentInfo_Capability[];
}

/** mesos.v1.master.Response.GetFrameworks */
export interface Response_GetFrameworks {
  frameworks?: Response_GetFrameworks_Framework[];
  completed_frameworks?: Response_GetFrameworks_Framework[];
}

/** mesos.v1.master.Response.GetFrameworks.Framework */
export interface Response_GetFrameworks_Framework {
  framework_info: FrameworkInfo;
  active: boolean;
  connected: boolean;
  recovered: boolean;
  registered_time?: TimeInfo;
  reregistered_time?: TimeInfo;
  unregistered_time?: TimeInfo;
  offers?: Offer[];
  inverse_offers?: InverseOffer[];
  allocated_resources?: Resource[];
  offered_resources?: Resource[];
}

/** mesos.v1.master.Response.GetExecutors */
export interface Response_GetExecutors {
  executors?: Response_GetExecutors_Executor[];
}

/** mesos.v1.master.Response.GetExecutors.Executor */
export interface Response_GetExecutors_Executor {
  executor_info: ExecutorInfo;
  agent_id: AgentID;
}

/** mesos.v1.master.Response.GetTasks */
export interface Response_GetTasks {
  pending_tasks?: Task[];
  tasks?: Task[];
  unreachable_tasks?: Task[];
  completed_tasks?: Task[];
}

/** mesos.v1.master.Response.GetRoles */
export interface Response_GetRoles {
  roles?: Role[];
}

/** mesos.v1.master.Response.GetWeights */
export interface Response_GetWeights {
  weight_infos?: WeightInfo[];
}

/** mesos.v1.master.Response.GetMaster */
export interface Response_GetMaster {
  master_info?: MasterInfo;
  start_time?: number;
  elected_time?: number;
}

/** mesos.v1.master.Response.GetMaintenanceStatus */
export interface Response_GetMaintenanceStatus {
  status: ClusterStatus;
}

/** mesos.v1.master.Response.GetMaintenanceSchedule */
export interface Response_GetMaintenanceSchedule {
  schedule: Schedule;
}

/** mesos.v1.master.Response.GetQuota */
export interface Response_GetQuota {
  status: QuotaStatus;
}

/** mesos.v1.master.Event */
export interface Event {
  type?: Event_Type;
  subscribed?: Event_Subscribed;
  task_added?: Event_TaskAdded;
  task_updated?: Event_TaskUpdated;
  agent_added?: Event_AgentAdded;
  agent_removed?: Event_AgentRemoved;
  framework_added?: Event_FrameworkAdded;
  framework_updated?: Event_FrameworkUpdated;
  framework_removed?: Event_FrameworkRemoved;
}

/** mesos.v1.master.Event.Type */
export type Event_Type =
  | 'UNKNOWN'
  | 'SUBSCRIBED'
  | 'TASK_ADDED'
  | 'TASK_UPDATED'
  | 'AGENT_ADDED'
  | 'AGENT_REMOVED'
  | 'FRAMEWORK_ADDED'
  | 'FRAMEWORK_UPDATED'
  | 'FRAMEWORK_REMOVED'
  | 'HEARTBEAT';

/** mesos.v1.master.Event.Subscribed */
export interface Event_Subscribed {
  get_state?: Response_GetState;
  heartbeat_interval_seconds?: number;
}

/** mesos.v1.master.Event.TaskAdded */
export interface Event_TaskAdded {
  task: Task;
}

/** mesos.v1.master.Event.TaskUpdated */
export interface Event_TaskUpdated {
  framework_id: FrameworkID;
  status: TaskStatus;
  state: TaskState;
}

/** mesos.v1.master.Event.FrameworkAdded */
export interface Event_FrameworkAdded {
  framework: Response_GetFrameworks_Framework;
}

/** mesos.v1.master.Event.FrameworkUpdated */
export interface Event_FrameworkUpdated {
  framework: Response_GetFrameworks_Framework;
}

/** mesos.v1.master.Event.FrameworkRemoved */
export interface Event_FrameworkRemoved {
  framework_info: FrameworkInfo;
}

/** mesos.v1.master.Event.AgentAdded */
export interface Event_AgentAdded {
  agent: Response_GetAgents_Agent;
}

/** mesos.v1.master.Event.AgentRemoved */
export interface Event_AgentRemoved {
  agent_id: AgentID;
}
