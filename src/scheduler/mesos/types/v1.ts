// Generated from the mesos.v1 .proto by gen-types.ts: do not edit. To regenerate, run the
// unit tests of src/scheduler/mesos/generated.test.ts with KMESOS_WRITE_MESOS_GENERATED=1.

/** mesos.v1.FrameworkID */
export interface FrameworkID {
  value: string;
}

/** mesos.v1.OfferID */
export interface OfferID {
  value: string;
}

/** mesos.v1.AgentID */
export interface AgentID {
  value: string;
}

/** mesos.v1.TaskID */
export interface TaskID {
  value: string;
}

/** mesos.v1.ExecutorID */
export interface ExecutorID {
  value: string;
}

/** mesos.v1.ContainerID */
export interface ContainerID {
  value: string;
  parent?: ContainerID;
}

/** mesos.v1.OperationID */
export interface OperationID {
  value: string;
}

/** mesos.v1.TimeInfo */
export interface TimeInfo {
  nanoseconds: number;
}

/** mesos.v1.DurationInfo */
export interface DurationInfo {
  nanoseconds: number;
}

/** mesos.v1.Address */
export interface Address {
  hostname?: string;
  ip?: string;
  port: number;
}

/** mesos.v1.Parameter */
export interface Parameter {
  key: string;
  value: string;
}

/** mesos.v1.Parameters */
export interface Parameters {
  parameter?: Parameter[];
}

/** mesos.v1.URL */
export interface URL {
  scheme: string;
  address: Address;
  path?: string;
  query?: Parameter[];
  fragment?: string;
}

/** mesos.v1.MachineID */
export interface MachineID {
  hostname?: string;
  ip?: string;
}

/** mesos.v1.Unavailability */
export interface Unavailability {
  start: TimeInfo;
  duration?: DurationInfo;
}

/** mesos.v1.Label */
export interface Label {
  key: string;
  value?: string;
}

/** mesos.v1.Labels */
export interface Labels {
  labels?: Label[];
}

/** mesos.v1.FrameworkInfo */
export interface FrameworkInfo {
  user: string;
  name: string;
  id?: FrameworkID;
  failover_timeout?: number;
  checkpoint?: boolean;
  role?: string;
  roles?: string[];
  hostname?: string;
  principal?: string;
  webui_url?: string;
  capabilities?: FrameworkInfo_Capability[];
  labels?: Labels;
}

/** mesos.v1.FrameworkInfo.Capability */
export interface FrameworkInfo_Capability {
  type?: FrameworkInfo_Capability_Type;
}

/** mesos.v1.FrameworkInfo.Capability.Type */
export type FrameworkInfo_Capability_Type =
  | 'UNKNOWN'
  | 'REVOCABLE_RESOURCES'
  | 'TASK_KILLING_STATE'
  | 'GPU_RESOURCES'
  | 'SHARED_RESOURCES'
  | 'PARTITION_AWARE'
  | 'MULTI_ROLE'
  | 'RESERVATION_REFINEMENT'
  | 'REGION_AWARE';

/** mesos.v1.MasterInfo */
export interface MasterInfo {
  id: string;
  ip: number;
  port: number;
  pid?: string;
  hostname?: string;
  version?: string;
  address?: Address;
}

/** mesos.v1.AgentInfo */
export interface AgentInfo {
  hostname: string;
  port?: number;
  resources?: Resource[];
  attributes?: Attribute[];
  id?: AgentID;
}

/** mesos.v1.AgentInfo.Capability */
export interface AgentInfo_Capability {
  type?: AgentInfo_Capability_Type;
}

/** mesos.v1.AgentInfo.Capability.Type */
export type AgentInfo_Capability_Type =
  | 'UNKNOWN'
  | 'MULTI_ROLE'
  | 'HIERARCHICAL_ROLE'
  | 'RESERVATION_REFINEMENT'
  | 'RESOURCE_PROVIDER'
  | 'RESIZE_VOLUME'
  | 'AGENT_OPERATION_FEEDBACK'
  | 'AGENT_DRAINING'
  | 'TASK_RESOURCE_LIMITS';

/** mesos.v1.Value */
export interface Value {
  type: Value_Type;
  scalar?: Value_Scalar;
  ranges?: Value_Ranges;
  set?: Value_Set;
  text?: Value_Text;
}

/** mesos.v1.Value.Type */
export type Value_Type = 'SCALAR' | 'RANGES' | 'SET' | 'TEXT';

/** mesos.v1.Value.Scalar */
export interface Value_Scalar {
  value: number;
}

/** mesos.v1.Value.Range */
export interface Value_Range {
  begin: number;
  end: number;
}

/** mesos.v1.Value.Ranges */
export interface Value_Ranges {
  range?: Value_Range[];
}

/** mesos.v1.Value.Set */
export interface Value_Set {
  item?: string[];
}

/** mesos.v1.Value.Text */
export interface Value_Text {
  value: string;
}

/** mesos.v1.Attribute */
export interface Attribute {
  name: string;
  type: Value_Type;
  scalar?: Value_Scalar;
  ranges?: Value_Ranges;
  set?: Value_Set;
  text?: Value_Text;
}

/** mesos.v1.Resource */
export interface Resource {
  name: string;
  type: Value_Type;
  scalar?: Value_Scalar;
  ranges?: Value_Ranges;
  set?: Value_Set;
  role?: string;
  allocation_info?: Resource_AllocationInfo;
  reservation?: Resource_ReservationInfo;
  reservations?: Resource_ReservationInfo[];
  disk?: Resource_DiskInfo;
  revocable?: Resource_RevocableInfo;
  shared?: Resource_SharedInfo;
}

/** mesos.v1.Resource.AllocationInfo */
export interface Resource_AllocationInfo {
  role?: string;
}

/** mesos.v1.Resource.ReservationInfo */
export interface Resource_ReservationInfo {
  type?: Resource_ReservationInfo_Type;
  role?: string;
  principal?: string;
  labels?: Labels;
}

/** mesos.v1.Resource.ReservationInfo.Type */
export type Resource_ReservationInfo_Type = 'UNKNOWN' | 'STATIC' | 'DYNAMIC';

/** mesos.v1.Resource.DiskInfo */
export interface Resource_DiskInfo {
  persistence?: Resource_DiskInfo_Persistence;
}

/** mesos.v1.Resource.DiskInfo.Persistence */
export interface Resource_DiskInfo_Persistence {
  id: string;
  principal?: string;
}

/** mesos.v1.Resource.RevocableInfo */
export type Resource_RevocableInfo = Record<string, never>;

/** mesos.v1.Resource.SharedInfo */
export type Resource_SharedInfo = Record<string, never>;

/** mesos.v1.Request */
export interface Request {
  agent_id?: AgentID;
  resources?: Resource[];
}

/** mesos.v1.Filters */
export interface Filters {
  refuse_seconds?: number;
}

/** mesos.v1.Environment */
export interface Environment {
  variables?: Environment_Variable[];
}

/** mesos.v1.Environment.Variable */
export interface Environment_Variable {
  name: string;
  type?: Environment_Variable_Type;
  value?: string;
}

/** mesos.v1.Environment.Variable.Type */
export type Environment_Variable_Type = 'UNKNOWN' | 'VALUE' | 'SECRET';

/** mesos.v1.CommandInfo */
export interface CommandInfo {
  uris?: CommandInfo_URI[];
  environment?: Environment;
  shell?: boolean;
  value?: string;
  arguments?: string[];
  user?: string;
}

/** mesos.v1.CommandInfo.URI */
export interface CommandInfo_URI {
  value: string;
  executable?: boolean;
  extract?: boolean;
  cache?: boolean;
  output_file?: string;
}

/** mesos.v1.Image */
export interface Image {
  type: Image_Type;
  appc?: Image_Appc;
  docker?: Image_Docker;
  cached?: boolean;
}

/** mesos.v1.Image.Type */
export type Image_Type = 'APPC' | 'DOCKER';

/** mesos.v1.Image.Appc */
export interface Image_Appc {
  name: string;
  id?: string;
  labels?: Labels;
}

/** mesos.v1.Image.Docker */
export interface Image_Docker {
  name: string;
}

/** mesos.v1.ContainerInfo */
export interface ContainerInfo {
  type: ContainerInfo_Type;
  hostname?: string;
  docker?: ContainerInfo_DockerInfo;
  mesos?: ContainerInfo_MesosInfo;
}

/** mesos.v1.ContainerInfo.Type */
export type ContainerInfo_Type = 'DOCKER' | 'MESOS';

/** mesos.v1.ContainerInfo.DockerInfo */
export interface ContainerInfo_DockerInfo {
  image: string;
  network?: ContainerInfo_DockerInfo_Network;
  port_mappings?: ContainerInfo_DockerInfo_PortMapping[];
  privileged?: boolean;
  parameters?: Parameter[];
  force_pull_image?: boolean;
}

/** mesos.v1.ContainerInfo.DockerInfo.Network */
export type ContainerInfo_DockerInfo_Network = 'HOST' | 'BRIDGE' | 'NONE' | 'USER';

/** mesos.v1.ContainerInfo.DockerInfo.PortMapping */
export interface ContainerInfo_DockerInfo_PortMapping {
  host_port: number;
  container_port: number;
  protocol?: string;
}

/** mesos.v1.ContainerInfo.MesosInfo */
export interface ContainerInfo_MesosInfo {
  image?: Image;
}

/** mesos.v1.KillPolicy */
export interface KillPolicy {
  grace_period?: DurationInfo;
}

/** mesos.v1.ExecutorInfo */
export interface ExecutorInfo {
  type?: ExecutorInfo_Type;
  executor_id: ExecutorID;
  framework_id?: FrameworkID;
  command?: CommandInfo;
  container?: ContainerInfo;
  resources?: Resource[];
  name?: string;
  source?: string;
  data?: Uint8Array;
  shutdown_grace_period?: DurationInfo;
  labels?: Labels;
}

/** mesos.v1.ExecutorInfo.Type */
export type ExecutorInfo_Type = 'UNKNOWN' | 'DEFAULT' | 'CUSTOM';

/** mesos.v1.TaskInfo */
export interface TaskInfo {
  name: string;
  task_id: TaskID;
  agent_id: AgentID;
  resources?: Resource[];
  executor?: ExecutorInfo;
  command?: CommandInfo;
  container?: ContainerInfo;
  kill_policy?: KillPolicy;
  data?: Uint8Array;
  labels?: Labels;
  max_completion_time?: DurationInfo;
}

/** mesos.v1.TaskGroupInfo */
export interface TaskGroupInfo {
  tasks?: TaskInfo[];
}

/** mesos.v1.Offer */
export interface Offer {
  id: OfferID;
  framework_id: FrameworkID;
  agent_id: AgentID;
  hostname: string;
  url?: URL;
  resources?: Resource[];
  attributes?: Attribute[];
  executor_ids?: ExecutorID[];
  unavailability?: Unavailability;
  allocation_info?: Resource_AllocationInfo;
}

/** mesos.v1.Offer.Operation */
export interface Offer_Operation {
  type?: Offer_Operation_Type;
  id?: OperationID;
  launch?: Offer_Operation_Launch;
  launch_group?: Offer_Operation_LaunchGroup;
  reserve?: Offer_Operation_Reserve;
  unreserve?: Offer_Operation_Unreserve;
  create?: Offer_Operation_Create;
  destroy?: Offer_Operation_Destroy;
}

/** mesos.v1.Offer.Operation.Type */
export type Offer_Operation_Type =
  | 'UNKNOWN'
  | 'LAUNCH'
  | 'LAUNCH_GROUP'
  | 'RESERVE'
  | 'UNRESERVE'
  | 'CREATE'
  | 'DESTROY'
  | 'GROW_VOLUME'
  | 'SHRINK_VOLUME'
  | 'CREATE_DISK'
  | 'DESTROY_DISK';

/** mesos.v1.Offer.Operation.Launch */
export interface Offer_Operation_Launch {
  task_infos?: TaskInfo[];
}

/** mesos.v1.Offer.Operation.LaunchGroup */
export interface Offer_Operation_LaunchGroup {
  executor: ExecutorInfo;
  task_group: TaskGroupInfo;
}

/** mesos.v1.Offer.Operation.Reserve */
export interface Offer_Operation_Reserve {
  source?: Resource[];
  resources?: Resource[];
}

/** mesos.v1.Offer.Operation.Unreserve */
export interface Offer_Operation_Unreserve {
  resources?: Resource[];
}

/** mesos.v1.Offer.Operation.Create */
export interface Offer_Operation_Create {
  volumes?: Resource[];
}

/** mesos.v1.Offer.Operation.Destroy */
export interface Offer_Operation_Destroy {
  volumes?: Resource[];
}

/** mesos.v1.InverseOffer */
export interface InverseOffer {
  id: OfferID;
  url?: URL;
  framework_id: FrameworkID;
  agent_id?: AgentID;
  unavailability: Unavailability;
  resources?: Resource[];
}

/** mesos.v1.TaskState */
export type TaskState =
  | 'TASK_STAGING'
  | 'TASK_STARTING'
  | 'TASK_RUNNING'
  | 'TASK_KILLING'
  | 'TASK_FINISHED'
  | 'TASK_FAILED'
  | 'TASK_KILLED'
  | 'TASK_ERROR'
  | 'TASK_LOST'
  | 'TASK_DROPPED'
  | 'TASK_UNREACHABLE'
  | 'TASK_GONE'
  | 'TASK_GONE_BY_OPERATOR'
  | 'TASK_UNKNOWN';

/** mesos.v1.TaskResourceLimitation */
export interface TaskResourceLimitation {
  resources?: Resource[];
}

/** mesos.v1.TaskStatus */
export interface TaskStatus {
  task_id: TaskID;
  state: TaskState;
  message?: string;
  source?: TaskStatus_Source;
  reason?: TaskStatus_Reason;
  data?: Uint8Array;
  agent_id?: AgentID;
  executor_id?: ExecutorID;
  timestamp?: number;
  uuid?: Uint8Array;
  healthy?: boolean;
  labels?: Labels;
  unreachable_time?: TimeInfo;
  limitation?: TaskResourceLimitation;
}

/** mesos.v1.TaskStatus.Source */
export type TaskStatus_Source = 'SOURCE_MASTER' | 'SOURCE_AGENT' | 'SOURCE_EXECUTOR';

/** mesos.v1.TaskStatus.Reason */
export type TaskStatus_Reason =
  | 'REASON_COMMAND_EXECUTOR_FAILED'
  | 'REASON_CONTAINER_LAUNCH_FAILED'
  | 'REASON_CONTAINER_LIMITATION'
  | 'REASON_CONTAINER_LIMITATION_DISK'
  | 'REASON_CONTAINER_LIMITATION_MEMORY'
  | 'REASON_CONTAINER_PREEMPTED'
  | 'REASON_CONTAINER_UPDATE_FAILED'
  | 'REASON_MAX_COMPLETION_TIME_REACHED'
  | 'REASON_EXECUTOR_REGISTRATION_TIMEOUT'
  | 'REASON_EXECUTOR_REREGISTRATION_TIMEOUT'
  | 'REASON_EXECUTOR_TERMINATED'
  | 'REASON_EXECUTOR_UNREGISTERED'
  | 'REASON_FRAMEWORK_REMOVED'
  | 'REASON_GC_ERROR'
  | 'REASON_INVALID_FRAMEWORKID'
  | 'REASON_INVALID_OFFERS'
  | 'REASON_IO_SWITCHBOARD_EXITED'
  | 'REASON_MASTER_DISCONNECTED'
  | 'REASON_RECONCILIATION'
  | 'REASON_RESOURCES_UNKNOWN'
  | 'REASON_AGENT_DISCONNECTED'
  | 'REASON_AGENT_DRAINING'
  | 'REASON_AGENT_REMOVED'
  | 'REASON_AGENT_REMOVED_BY_OPERATOR'
  | 'REASON_AGENT_REREGISTERED'
  | 'REASON_AGENT_RESTARTED'
  | 'REASON_AGENT_UNKNOWN'
  | 'REASON_TASK_KILLED_DURING_LAUNCH'
  | 'REASON_TASK_CHECK_STATUS_UPDATED'
  | 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED'
  | 'REASON_TASK_GROUP_INVALID'
  | 'REASON_TASK_GROUP_UNAUTHORIZED'
  | 'REASON_TASK_INVALID'
  | 'REASON_TASK_UNAUTHORIZED'
  | 'REASON_TASK_UNKNOWN';

/** mesos.v1.Task */
export interface Task {
  name: string;
  task_id: TaskID;
  framework_id: FrameworkID;
  executor_id?: ExecutorID;
  agent_id: AgentID;
  state: TaskState;
  resources?: Resource[];
  statuses?: TaskStatus[];
  status_update_state?: TaskState;
  status_update_uuid?: Uint8Array;
  labels?: Labels;
  container?: ContainerInfo;
  kill_policy?: KillPolicy;
  user?: string;
}

/** mesos.v1.Role */
export interface Role {
  name: string;
  weight: number;
  frameworks?: FrameworkID[];
  resources?: Resource[];
}

/** mesos.v1.WeightInfo */
export interface WeightInfo {
  weight: number;
  role?: string;
}

/** mesos.v1.VersionInfo */
export interface VersionInfo {
  version: string;
  build_date?: string;
  build_time?: number;
  build_user?: string;
  git_sha?: string;
  git_branch?: string;
  git_tag?: string;
}

/** mesos.v1.Flag */
export interface Flag {
  name: string;
  value?: string;
}

/** mesos.v1.Metric */
export interface Metric {
  name: string;
  value?: number;
}
