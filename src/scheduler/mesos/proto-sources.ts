// Generated from proto/ by gen-sources.ts: do not edit. To regenerate, run the unit tests
// of src/scheduler/mesos/generated.test.ts with KMESOS_WRITE_MESOS_GENERATED=1.

export const PROTO_SOURCES: Readonly<Record<string, string>> = {
  'mesos/v1/mesos.proto': `// kmesos' subset of the Mesos v1 common messages. Package, message names, field names
// and field numbers match Apache Mesos so unmodified frameworks interoperate on the wire;
// fields kmesos has no use for are left out (a peer's copy of them is ignored on decode).
syntax = "proto2";

package mesos.v1;

// Identifiers: opaque strings chosen by the master (or by the framework for tasks).
message FrameworkID {
  required string value = 1;
}

message OfferID {
  required string value = 1;
}

message AgentID {
  required string value = 1;
}

message TaskID {
  required string value = 1;
}

message ExecutorID {
  required string value = 1;
}

message ContainerID {
  required string value = 1;
  optional ContainerID parent = 2;
}

// Offer operations (reservations, volumes) carry an ID when the framework wants feedback.
message OperationID {
  required string value = 1;
}

// Absolute time, nanoseconds since the Unix epoch.
message TimeInfo {
  required int64 nanoseconds = 1;
}

message DurationInfo {
  required int64 nanoseconds = 1;
}

message Address {
  optional string hostname = 1;
  optional string ip = 2;
  required int32 port = 3;
}

message Parameter {
  required string key = 1;
  required string value = 2;
}

message Parameters {
  repeated Parameter parameter = 1;
}

message URL {
  required string scheme = 1;
  required Address address = 2;
  optional string path = 3;
  repeated Parameter query = 4;
  optional string fragment = 5;
}

// A maintenance window: unavailable from start, for duration (forever when absent).
// A machine, named by hostname and/or IP (maintenance).
message MachineID {
  optional string hostname = 1;
  optional string ip = 2;
}

message Unavailability {
  required TimeInfo start = 1;
  optional DurationInfo duration = 2;
}

message Label {
  required string key = 1;
  optional string value = 2;
}

message Labels {
  repeated Label labels = 1;
}

message FrameworkInfo {
  message Capability {
    enum Type {
      UNKNOWN = 0;
      REVOCABLE_RESOURCES = 1;
      TASK_KILLING_STATE = 2;
      GPU_RESOURCES = 3;
      SHARED_RESOURCES = 4;
      PARTITION_AWARE = 5;
      MULTI_ROLE = 6;
      RESERVATION_REFINEMENT = 7;
      REGION_AWARE = 8;
    }
    optional Type type = 1;
  }

  required string user = 1;
  required string name = 2;
  optional FrameworkID id = 3;
  optional double failover_timeout = 4 [default = 0.0];
  optional bool checkpoint = 5 [default = false];
  // Single-role frameworks; MULTI_ROLE frameworks use roles instead.
  optional string role = 6 [default = "*"];
  repeated string roles = 12;
  optional string hostname = 7;
  optional string principal = 8;
  optional string webui_url = 9;
  repeated Capability capabilities = 10;
  optional Labels labels = 11;
}

message MasterInfo {
  required string id = 1;
  // IPv4 address in network byte order, as Mesos packs it.
  required uint32 ip = 2;
  required uint32 port = 3 [default = 5050];
  optional string pid = 4;
  optional string hostname = 5;
  optional string version = 6;
  optional Address address = 7;
}

message AgentInfo {
  required string hostname = 1;
  optional int32 port = 8 [default = 5051];
  repeated Resource resources = 3;
  repeated Attribute attributes = 5;
  optional AgentID id = 6;

  // What an agent can do; the operator API lists them per agent.
  message Capability {
    enum Type {
      UNKNOWN = 0;
      MULTI_ROLE = 1;
      HIERARCHICAL_ROLE = 2;
      RESERVATION_REFINEMENT = 3;
      RESOURCE_PROVIDER = 4;
      RESIZE_VOLUME = 5;
      AGENT_OPERATION_FEEDBACK = 6;
      AGENT_DRAINING = 7;
      TASK_RESOURCE_LIMITS = 8;
    }
    optional Type type = 1;
  }
}

message Value {
  enum Type {
    SCALAR = 0;
    RANGES = 1;
    SET = 2;
    TEXT = 3;
  }

  message Scalar {
    required double value = 1;
  }

  // Inclusive on both ends.
  message Range {
    required uint64 begin = 1;
    required uint64 end = 2;
  }

  message Ranges {
    repeated Range range = 1;
  }

  message Set {
    repeated string item = 1;
  }

  message Text {
    required string value = 1;
  }

  required Type type = 1;
  optional Scalar scalar = 2;
  optional Ranges ranges = 3;
  optional Set set = 4;
  optional Text text = 5;
}

message Attribute {
  required string name = 1;
  required Value.Type type = 2;
  optional Value.Scalar scalar = 3;
  optional Value.Ranges ranges = 4;
  optional Value.Set set = 6;
  optional Value.Text text = 5;
}

message Resource {
  message AllocationInfo {
    optional string role = 1;
  }

  message ReservationInfo {
    enum Type {
      UNKNOWN = 0;
      STATIC = 1;
      DYNAMIC = 2;
    }
    optional Type type = 4;
    optional string role = 3;
    optional string principal = 1;
    optional Labels labels = 2;
  }

  message DiskInfo {
    message Persistence {
      required string id = 1;
      optional string principal = 2;
    }
    optional Persistence persistence = 1;
  }

  message RevocableInfo {}

  message SharedInfo {}

  required string name = 1;
  required Value.Type type = 2;
  optional Value.Scalar scalar = 3;
  optional Value.Ranges ranges = 4;
  optional Value.Set set = 5;
  optional string role = 6 [default = "*"];
  optional AllocationInfo allocation_info = 11;
  // Pre-refinement frameworks send one reservation; RESERVATION_REFINEMENT ones a stack.
  optional ReservationInfo reservation = 8;
  repeated ReservationInfo reservations = 13;
  optional DiskInfo disk = 7;
  optional RevocableInfo revocable = 9;
  optional SharedInfo shared = 10;
}

message Request {
  optional AgentID agent_id = 1;
  repeated Resource resources = 2;
}

message Filters {
  optional double refuse_seconds = 1 [default = 5.0];
}

message Environment {
  message Variable {
    enum Type {
      UNKNOWN = 0;
      VALUE = 1;
      SECRET = 2;
    }
    required string name = 1;
    optional Type type = 3 [default = VALUE];
    optional string value = 2;
  }

  repeated Variable variables = 1;
}

message CommandInfo {
  // A file fetched into the sandbox before the command starts.
  message URI {
    required string value = 1;
    optional bool executable = 2;
    optional bool extract = 3 [default = true];
    optional bool cache = 4;
    optional string output_file = 5;
  }

  repeated URI uris = 1;
  optional Environment environment = 2;
  // shell = true runs value with /bin/sh -c; false execs value with arguments.
  optional bool shell = 6 [default = true];
  optional string value = 3;
  repeated string arguments = 7;
  optional string user = 5;
}

message Image {
  enum Type {
    APPC = 1;
    DOCKER = 2;
  }

  message Appc {
    required string name = 1;
    optional string id = 2;
    optional Labels labels = 3;
  }

  message Docker {
    required string name = 1;
  }

  required Type type = 1;
  optional Appc appc = 2;
  optional Docker docker = 3;
  optional bool cached = 4 [default = true];
}

message ContainerInfo {
  enum Type {
    DOCKER = 1;
    MESOS = 2;
  }

  message DockerInfo {
    enum Network {
      HOST = 1;
      BRIDGE = 2;
      NONE = 3;
      USER = 4;
    }

    message PortMapping {
      required uint32 host_port = 1;
      required uint32 container_port = 2;
      optional string protocol = 3;
    }

    required string image = 1;
    optional Network network = 2 [default = HOST];
    repeated PortMapping port_mappings = 3;
    optional bool privileged = 4 [default = false];
    repeated Parameter parameters = 5;
    optional bool force_pull_image = 6;
  }

  message MesosInfo {
    optional Image image = 1;
  }

  required Type type = 1;
  optional string hostname = 4;
  optional DockerInfo docker = 3;
  optional MesosInfo mesos = 5;
}

message KillPolicy {
  optional DurationInfo grace_period = 1;
}

message ExecutorInfo {
  enum Type {
    UNKNOWN = 0;
    DEFAULT = 1;
    CUSTOM = 2;
  }

  optional Type type = 15;
  required ExecutorID executor_id = 1;
  optional FrameworkID framework_id = 8;
  optional CommandInfo command = 7;
  optional ContainerInfo container = 11;
  repeated Resource resources = 5;
  optional string name = 9;
  optional string source = 10;
  optional bytes data = 4;
  optional DurationInfo shutdown_grace_period = 13;
  optional Labels labels = 14;
}

message TaskInfo {
  required string name = 1;
  required TaskID task_id = 2;
  required AgentID agent_id = 3;
  repeated Resource resources = 4;
  // Exactly one of executor and command is set.
  optional ExecutorInfo executor = 5;
  optional CommandInfo command = 7;
  optional ContainerInfo container = 9;
  optional KillPolicy kill_policy = 12;
  optional bytes data = 6;
  optional Labels labels = 10;
  optional DurationInfo max_completion_time = 14;
}

// The tasks of a group start together in one container group (one pod in kmesos).
message TaskGroupInfo {
  repeated TaskInfo tasks = 1;
}

message Offer {
  message Operation {
    enum Type {
      UNKNOWN = 0;
      LAUNCH = 1;
      LAUNCH_GROUP = 6;
      RESERVE = 2;
      UNRESERVE = 3;
      CREATE = 4;
      DESTROY = 5;
      GROW_VOLUME = 11;
      SHRINK_VOLUME = 12;
      CREATE_DISK = 13;
      DESTROY_DISK = 14;
    }

    message Launch {
      repeated TaskInfo task_infos = 1;
    }

    message LaunchGroup {
      required ExecutorInfo executor = 1;
      required TaskGroupInfo task_group = 2;
    }

    message Reserve {
      repeated Resource source = 2;
      repeated Resource resources = 1;
    }

    message Unreserve {
      repeated Resource resources = 1;
    }

    message Create {
      repeated Resource volumes = 1;
    }

    message Destroy {
      repeated Resource volumes = 1;
    }

    optional Type type = 1;
    optional OperationID id = 12;
    optional Launch launch = 2;
    optional LaunchGroup launch_group = 7;
    optional Reserve reserve = 3;
    optional Unreserve unreserve = 4;
    optional Create create = 5;
    optional Destroy destroy = 6;
  }

  required OfferID id = 1;
  required FrameworkID framework_id = 2;
  required AgentID agent_id = 3;
  required string hostname = 4;
  optional URL url = 8;
  repeated Resource resources = 5;
  repeated Attribute attributes = 7;
  repeated ExecutorID executor_ids = 6;
  optional Unavailability unavailability = 9;
  optional Resource.AllocationInfo allocation_info = 10;
}

// Asks a framework to give resources back for maintenance.
message InverseOffer {
  required OfferID id = 1;
  optional URL url = 2;
  required FrameworkID framework_id = 3;
  optional AgentID agent_id = 4;
  required Unavailability unavailability = 5;
  repeated Resource resources = 6;
}

// TASK_STARTING is 0, so only proto2 presence tells it apart from "state not sent".
enum TaskState {
  TASK_STAGING = 6;
  TASK_STARTING = 0;
  TASK_RUNNING = 1;
  TASK_KILLING = 8;
  TASK_FINISHED = 2;
  TASK_FAILED = 3;
  TASK_KILLED = 4;
  TASK_ERROR = 7;
  TASK_LOST = 5;
  TASK_DROPPED = 9;
  TASK_UNREACHABLE = 10;
  TASK_GONE = 11;
  TASK_GONE_BY_OPERATOR = 12;
  TASK_UNKNOWN = 13;
}

message TaskResourceLimitation {
  repeated Resource resources = 1;
}

message TaskStatus {
  enum Source {
    SOURCE_MASTER = 0;
    SOURCE_AGENT = 1;
    SOURCE_EXECUTOR = 2;
  }

  enum Reason {
    REASON_COMMAND_EXECUTOR_FAILED = 0;
    REASON_CONTAINER_LAUNCH_FAILED = 21;
    REASON_CONTAINER_LIMITATION = 19;
    REASON_CONTAINER_LIMITATION_DISK = 20;
    REASON_CONTAINER_LIMITATION_MEMORY = 8;
    REASON_CONTAINER_PREEMPTED = 17;
    REASON_CONTAINER_UPDATE_FAILED = 22;
    REASON_MAX_COMPLETION_TIME_REACHED = 33;
    REASON_EXECUTOR_REGISTRATION_TIMEOUT = 23;
    REASON_EXECUTOR_REREGISTRATION_TIMEOUT = 24;
    REASON_EXECUTOR_TERMINATED = 1;
    REASON_EXECUTOR_UNREGISTERED = 2;
    REASON_FRAMEWORK_REMOVED = 3;
    REASON_GC_ERROR = 4;
    REASON_INVALID_FRAMEWORKID = 5;
    REASON_INVALID_OFFERS = 6;
    REASON_IO_SWITCHBOARD_EXITED = 27;
    REASON_MASTER_DISCONNECTED = 7;
    REASON_RECONCILIATION = 9;
    REASON_RESOURCES_UNKNOWN = 18;
    REASON_AGENT_DISCONNECTED = 10;
    REASON_AGENT_DRAINING = 34;
    REASON_AGENT_REMOVED = 11;
    REASON_AGENT_REMOVED_BY_OPERATOR = 31;
    REASON_AGENT_REREGISTERED = 32;
    REASON_AGENT_RESTARTED = 12;
    REASON_AGENT_UNKNOWN = 13;
    REASON_TASK_KILLED_DURING_LAUNCH = 30;
    REASON_TASK_CHECK_STATUS_UPDATED = 28;
    REASON_TASK_HEALTH_CHECK_STATUS_UPDATED = 29;
    REASON_TASK_GROUP_INVALID = 25;
    REASON_TASK_GROUP_UNAUTHORIZED = 26;
    REASON_TASK_INVALID = 14;
    REASON_TASK_UNAUTHORIZED = 15;
    REASON_TASK_UNKNOWN = 16;
  }

  required TaskID task_id = 1;
  required TaskState state = 2;
  optional string message = 4;
  optional Source source = 9;
  optional Reason reason = 10;
  optional bytes data = 3;
  optional AgentID agent_id = 5;
  optional ExecutorID executor_id = 7;
  // Seconds since the Unix epoch.
  optional double timestamp = 6;
  // Set on updates that must be acknowledged; the acknowledgement echoes it.
  optional bytes uuid = 11;
  optional bool healthy = 8;
  optional Labels labels = 12;
  optional TimeInfo unreachable_time = 14;
  optional TaskResourceLimitation limitation = 16;
}

// A task as the master knows it (the operator API's GET_TASKS and GET_STATE).
message Task {
  required string name = 1;
  required TaskID task_id = 2;
  required FrameworkID framework_id = 3;
  optional ExecutorID executor_id = 4;
  required AgentID agent_id = 5;
  required TaskState state = 6;
  repeated Resource resources = 7;
  repeated TaskStatus statuses = 8;
  optional TaskState status_update_state = 9;
  optional bytes status_update_uuid = 10;
  optional Labels labels = 11;
  optional ContainerInfo container = 13;
  optional KillPolicy kill_policy = 16;
  optional string user = 14;
}

message Role {
  required string name = 1;
  required double weight = 2;
  repeated FrameworkID frameworks = 3;
  // Allocated and offered to the role and the roles below it.
  repeated Resource resources = 4;
}

message WeightInfo {
  required double weight = 1;
  optional string role = 2;
}

message VersionInfo {
  required string version = 1;
  optional string build_date = 2;
  optional double build_time = 3;
  optional string build_user = 4;
  optional string git_sha = 5;
  optional string git_branch = 6;
  optional string git_tag = 7;
}

message Flag {
  required string name = 1;
  optional string value = 2;
}

message Metric {
  required string name = 1;
  optional double value = 2;
}
`,
  'mesos/v1/scheduler/scheduler.proto': `// kmesos' subset of the Mesos v1 scheduler HTTP API: the Call a framework POSTs to
// /api/v1/scheduler and the Events streamed back on its subscription. Names and numbers
// match Apache Mesos; operation-feedback and offer-constraint parts are left out.
syntax = "proto2";

import "mesos/v1/mesos.proto";

package mesos.v1.scheduler;

message Event {
  enum Type {
    UNKNOWN = 0;
    SUBSCRIBED = 1;
    OFFERS = 2;
    INVERSE_OFFERS = 9;
    RESCIND = 3;
    RESCIND_INVERSE_OFFER = 10;
    UPDATE = 4;
    UPDATE_OPERATION_STATUS = 11;
    MESSAGE = 5;
    FAILURE = 6;
    ERROR = 7;
    HEARTBEAT = 8;
  }

  // The first event of a subscription; the framework treats a silence longer than a
  // few heartbeat intervals as a lost connection.
  message Subscribed {
    required FrameworkID framework_id = 1;
    optional double heartbeat_interval_seconds = 2;
    optional MasterInfo master_info = 3;
  }

  message Offers {
    repeated Offer offers = 1;
  }

  message InverseOffers {
    repeated InverseOffer inverse_offers = 1;
  }

  message Rescind {
    required OfferID offer_id = 1;
  }

  message RescindInverseOffer {
    required OfferID inverse_offer_id = 1;
  }

  message Update {
    required TaskStatus status = 1;
  }

  message Message {
    required AgentID agent_id = 1;
    required ExecutorID executor_id = 2;
    required bytes data = 3;
  }

  // An agent was lost (agent_id alone) or an executor ended (with executor_id).
  message Failure {
    optional AgentID agent_id = 1;
    optional ExecutorID executor_id = 2;
    optional int32 status = 3;
  }

  // Sent before the master closes the subscription for good.
  message Error {
    required string message = 1;
  }

  optional Type type = 1;
  optional Subscribed subscribed = 2;
  optional Offers offers = 3;
  optional InverseOffers inverse_offers = 9;
  optional Rescind rescind = 4;
  optional RescindInverseOffer rescind_inverse_offer = 10;
  optional Update update = 5;
  optional Message message = 6;
  optional Failure failure = 7;
  optional Error error = 8;
}

message Call {
  enum Type {
    UNKNOWN = 0;
    SUBSCRIBE = 1;
    TEARDOWN = 2;
    ACCEPT = 3;
    DECLINE = 4;
    ACCEPT_INVERSE_OFFERS = 13;
    DECLINE_INVERSE_OFFERS = 14;
    REVIVE = 5;
    KILL = 6;
    SHUTDOWN = 7;
    ACKNOWLEDGE = 8;
    ACKNOWLEDGE_OPERATION_STATUS = 15;
    RECONCILE = 9;
    RECONCILE_OPERATIONS = 16;
    MESSAGE = 10;
    REQUEST = 11;
    SUPPRESS = 12;
    UPDATE_FRAMEWORK = 17;
  }

  // framework_info.id is set when a framework re-subscribes after a failover.
  message Subscribe {
    required FrameworkInfo framework_info = 1;
    repeated string suppressed_roles = 2;
  }

  // Offers not used by the operations are declined with the filters.
  message Accept {
    repeated OfferID offer_ids = 1;
    repeated Offer.Operation operations = 2;
    optional Filters filters = 3;
  }

  message Decline {
    repeated OfferID offer_ids = 1;
    optional Filters filters = 2;
  }

  message AcceptInverseOffers {
    repeated OfferID inverse_offer_ids = 1;
    optional Filters filters = 2;
  }

  message DeclineInverseOffers {
    repeated OfferID inverse_offer_ids = 1;
    optional Filters filters = 2;
  }

  // No roles means all of the framework's roles.
  message Revive {
    repeated string roles = 1;
  }

  message Kill {
    required TaskID task_id = 1;
    optional AgentID agent_id = 2;
    optional KillPolicy kill_policy = 3;
  }

  message Shutdown {
    required ExecutorID executor_id = 1;
    required AgentID agent_id = 2;
  }

  // uuid is the one from the TaskStatus being acknowledged.
  message Acknowledge {
    required AgentID agent_id = 1;
    required TaskID task_id = 2;
    required bytes uuid = 3;
  }

  // No tasks asks for the state of every task the master knows (implicit reconciliation).
  message Reconcile {
    message Task {
      required TaskID task_id = 1;
      optional AgentID agent_id = 2;
    }

    repeated Task tasks = 1;
  }

  message Message {
    required AgentID agent_id = 1;
    required ExecutorID executor_id = 2;
    required bytes data = 3;
  }

  message Request {
    repeated mesos.v1.Request requests = 1;
  }

  message Suppress {
    repeated string roles = 1;
  }

  message UpdateFramework {
    required FrameworkInfo framework_info = 1;
    repeated string suppressed_roles = 2;
  }

  // Every call but SUBSCRIBE names the framework it is for.
  optional FrameworkID framework_id = 1;
  optional Type type = 2;
  optional Subscribe subscribe = 3;
  optional Accept accept = 4;
  optional Decline decline = 5;
  optional AcceptInverseOffers accept_inverse_offers = 13;
  optional DeclineInverseOffers decline_inverse_offers = 14;
  optional Revive revive = 15;
  optional Kill kill = 6;
  optional Shutdown shutdown = 7;
  optional Acknowledge acknowledge = 8;
  optional Reconcile reconcile = 9;
  optional Message message = 10;
  optional Request request = 11;
  optional Suppress suppress = 16;
  optional UpdateFramework update_framework = 19;
}
`,
  'mesos/v1/executor/executor.proto': `// kmesos' subset of the Mesos v1 executor HTTP API: the Call a custom executor POSTs to
// /api/v1/executor and the Events streamed back to it. Names and numbers match Apache Mesos.
syntax = "proto2";

import "mesos/v1/mesos.proto";

package mesos.v1.executor;

message Event {
  enum Type {
    UNKNOWN = 0;
    SUBSCRIBED = 1;
    LAUNCH = 2;
    LAUNCH_GROUP = 8;
    KILL = 3;
    ACKNOWLEDGED = 4;
    MESSAGE = 5;
    ERROR = 6;
    SHUTDOWN = 7;
    HEARTBEAT = 9;
  }

  message Subscribed {
    required ExecutorInfo executor_info = 1;
    required FrameworkInfo framework_info = 2;
    required AgentInfo agent_info = 3;
    optional ContainerID container_id = 4;
  }

  message Launch {
    required TaskInfo task = 1;
  }

  message LaunchGroup {
    required TaskGroupInfo task_group = 1;
  }

  message Kill {
    required TaskID task_id = 1;
    optional KillPolicy kill_policy = 2;
  }

  // The scheduler acknowledged the update with this uuid; the executor may forget it.
  message Acknowledged {
    required TaskID task_id = 1;
    required bytes uuid = 2;
  }

  message Message {
    required bytes data = 1;
  }

  message Error {
    required string message = 1;
  }

  optional Type type = 1;
  optional Subscribed subscribed = 2;
  optional Acknowledged acknowledged = 3;
  optional Launch launch = 4;
  optional LaunchGroup launch_group = 8;
  optional Kill kill = 5;
  optional Message message = 6;
  optional Error error = 7;
}

message Call {
  enum Type {
    UNKNOWN = 0;
    SUBSCRIBE = 1;
    UPDATE = 2;
    MESSAGE = 3;
    HEARTBEAT = 4;
  }

  // A re-subscribing executor lists what it has not yet seen acknowledged.
  message Subscribe {
    repeated TaskInfo unacknowledged_tasks = 1;
    repeated Update unacknowledged_updates = 2;
  }

  message Update {
    required TaskStatus status = 1;
  }

  message Message {
    required bytes data = 2;
  }

  required ExecutorID executor_id = 1;
  required FrameworkID framework_id = 2;
  optional Type type = 3;
  optional Subscribe subscribe = 4;
  optional Update update = 5;
  optional Message message = 6;
}
`,
  'mesos/v1/quota/quota.proto': `// kmesos' subset of Mesos' quota messages (UPDATE_QUOTA, GET_QUOTA). Package, message names,
// field names and numbers match Apache Mesos; the legacy QuotaInfo and QuotaRequest, which
// only the deprecated SET_QUOTA and QuotaStatus.infos use, are left out.
syntax = "proto2";

import "mesos/v1/mesos.proto";

package mesos.v1.quota;

// A role's quota: guarantees and limits by resource name (cpus, mem, disk, gpus), scalars only.
message QuotaConfig {
  required string role = 1;
  map<string, Value.Scalar> guarantees = 2;
  map<string, Value.Scalar> limits = 3;
}

message QuotaStatus {
  repeated QuotaConfig configs = 2;
}
`,
  'mesos/v1/maintenance/maintenance.proto': `// kmesos' subset of Mesos' maintenance messages (GET_MAINTENANCE_STATUS and _SCHEDULE).
// Package, message names, field names and numbers match Apache Mesos; the inverse offer
// statuses of a draining machine are left out.
syntax = "proto2";

import "mesos/v1/mesos.proto";

package mesos.v1.maintenance;

// Machines that go into maintenance in the same unavailability.
message Window {
  repeated MachineID machine_ids = 1;
  required Unavailability unavailability = 2;
}

message Schedule {
  repeated Window windows = 1;
}

message ClusterStatus {
  message DrainingMachine {
    required MachineID id = 1;
  }

  repeated DrainingMachine draining_machines = 1;
  repeated MachineID down_machines = 2;
}
`,
  'mesos/v1/master/master.proto': `// kmesos' subset of the Mesos v1 operator API (POST /api/v1). Package, message names, field
// names and numbers match Apache Mesos. Every call type is named, so a call kmesos does not
// serve is understood and refused by name; the bodies of those calls are left out, as are
// the responses and events kmesos never sends.
syntax = "proto2";

import "mesos/v1/mesos.proto";
import "mesos/v1/maintenance/maintenance.proto";
import "mesos/v1/quota/quota.proto";

package mesos.v1.master;

message Call {
  enum Type {
    UNKNOWN = 0;
    GET_HEALTH = 1;
    GET_FLAGS = 2;
    GET_VERSION = 3;
    GET_METRICS = 4;
    GET_LOGGING_LEVEL = 5;
    SET_LOGGING_LEVEL = 6;
    LIST_FILES = 7;
    READ_FILE = 8;
    GET_STATE = 9;
    GET_AGENTS = 10;
    GET_FRAMEWORKS = 11;
    GET_EXECUTORS = 12;
    GET_OPERATIONS = 33;
    GET_TASKS = 13;
    GET_ROLES = 14;
    GET_WEIGHTS = 15;
    UPDATE_WEIGHTS = 16;
    GET_MASTER = 17;
    SUBSCRIBE = 18;
    RESERVE_RESOURCES = 19;
    UNRESERVE_RESOURCES = 20;
    CREATE_VOLUMES = 21;
    DESTROY_VOLUMES = 22;
    GROW_VOLUME = 34;
    SHRINK_VOLUME = 35;
    GET_MAINTENANCE_STATUS = 23;
    GET_MAINTENANCE_SCHEDULE = 24;
    UPDATE_MAINTENANCE_SCHEDULE = 25;
    START_MAINTENANCE = 26;
    STOP_MAINTENANCE = 27;
    DRAIN_AGENT = 37;
    DEACTIVATE_AGENT = 38;
    REACTIVATE_AGENT = 39;
    GET_QUOTA = 28;
    UPDATE_QUOTA = 36;
    SET_QUOTA = 29;
    REMOVE_QUOTA = 30;
    TEARDOWN = 31;
    MARK_AGENT_GONE = 32;
  }

  // The timeout bounds how long the answer may take; kmesos answers at once.
  message GetMetrics {
    optional DurationInfo timeout = 1;
  }

  message UpdateWeights {
    repeated WeightInfo weight_infos = 1;
  }

  // Replaces the quota of each role named; a config with no guarantees and no limits
  // removes the role's quota. \`force\` skips Mesos' capacity checks.
  message UpdateQuota {
    optional bool force = 1;
    repeated quota.QuotaConfig quota_configs = 2;
  }

  // Asserts the agent is gone for good: its tasks end TASK_GONE_BY_OPERATOR.
  message MarkAgentGone {
    required AgentID agent_id = 1;
  }

  // Kills every task on the agent (no task's grace period longer than \`max_grace_period\`)
  // and keeps it deactivated; \`mark_gone\` marks it gone once drained.
  message DrainAgent {
    required AgentID agent_id = 1;
    optional DurationInfo max_grace_period = 2;
    optional bool mark_gone = 3 [default = false];
  }

  // No offers are made for the agent's resources; its tasks keep running.
  message DeactivateAgent {
    required AgentID agent_id = 1;
  }

  // Undoes DEACTIVATE_AGENT and DRAIN_AGENT.
  message ReactivateAgent {
    required AgentID agent_id = 1;
  }

  optional Type type = 1;
  optional GetMetrics get_metrics = 2;
  optional UpdateWeights update_weights = 6;
  optional MarkAgentGone mark_agent_gone = 17;
  optional UpdateQuota update_quota = 20;
  optional DrainAgent drain_agent = 21;
  optional DeactivateAgent deactivate_agent = 22;
  optional ReactivateAgent reactivate_agent = 23;
}

message Response {
  enum Type {
    UNKNOWN = 0;
    GET_HEALTH = 1;
    GET_FLAGS = 2;
    GET_VERSION = 3;
    GET_METRICS = 4;
    GET_LOGGING_LEVEL = 5;
    LIST_FILES = 6;
    READ_FILE = 7;
    GET_STATE = 8;
    GET_AGENTS = 9;
    GET_FRAMEWORKS = 10;
    GET_EXECUTORS = 11;
    GET_OPERATIONS = 19;
    GET_TASKS = 12;
    GET_ROLES = 13;
    GET_WEIGHTS = 14;
    GET_MASTER = 15;
    GET_MAINTENANCE_STATUS = 16;
    GET_MAINTENANCE_SCHEDULE = 17;
    GET_QUOTA = 18;
  }

  message GetHealth {
    required bool healthy = 1;
  }

  message GetFlags {
    repeated Flag flags = 1;
  }

  message GetVersion {
    required VersionInfo version_info = 1;
  }

  message GetMetrics {
    repeated Metric metrics = 1;
  }

  message GetState {
    optional GetTasks get_tasks = 1;
    optional GetExecutors get_executors = 2;
    optional GetFrameworks get_frameworks = 3;
    optional GetAgents get_agents = 4;
  }

  message GetAgents {
    message Agent {
      required AgentInfo agent_info = 1;
      required bool active = 2;
      optional bool deactivated = 12;
      required string version = 3;
      optional string pid = 4;
      optional TimeInfo registered_time = 5;
      optional TimeInfo reregistered_time = 6;
      repeated Resource total_resources = 7;
      repeated Resource allocated_resources = 8;
      repeated Resource offered_resources = 9;
      repeated AgentInfo.Capability capabilities = 10;
    }

    repeated Agent agents = 1;
    repeated AgentInfo recovered_agents = 2;
  }

  message GetFrameworks {
    message Framework {
      required FrameworkInfo framework_info = 1;
      required bool active = 2;
      required bool connected = 3;
      required bool recovered = 11;
      optional TimeInfo registered_time = 4;
      optional TimeInfo reregistered_time = 5;
      optional TimeInfo unregistered_time = 6;
      repeated Offer offers = 7;
      repeated InverseOffer inverse_offers = 8;
      repeated Resource allocated_resources = 9;
      repeated Resource offered_resources = 10;
    }

    repeated Framework frameworks = 1;
    repeated Framework completed_frameworks = 2;
  }

  message GetExecutors {
    message Executor {
      required ExecutorInfo executor_info = 1;
      required AgentID agent_id = 2;
    }

    repeated Executor executors = 1;
  }

  message GetTasks {
    repeated Task pending_tasks = 1;
    repeated Task tasks = 2;
    repeated Task unreachable_tasks = 5;
    repeated Task completed_tasks = 3;
  }

  message GetRoles {
    repeated Role roles = 1;
  }

  message GetWeights {
    repeated WeightInfo weight_infos = 1;
  }

  message GetMaster {
    optional MasterInfo master_info = 1;
    // Seconds since the epoch.
    optional double start_time = 2;
    optional double elected_time = 3;
  }

  message GetMaintenanceStatus {
    required maintenance.ClusterStatus status = 1;
  }

  message GetMaintenanceSchedule {
    required maintenance.Schedule schedule = 1;
  }

  message GetQuota {
    required quota.QuotaStatus status = 1;
  }

  optional Type type = 1;
  optional GetHealth get_health = 2;
  optional GetFlags get_flags = 3;
  optional GetVersion get_version = 4;
  optional GetMetrics get_metrics = 5;
  optional GetState get_state = 9;
  optional GetAgents get_agents = 10;
  optional GetFrameworks get_frameworks = 11;
  optional GetExecutors get_executors = 12;
  optional GetTasks get_tasks = 13;
  optional GetRoles get_roles = 14;
  optional GetWeights get_weights = 15;
  optional GetMaster get_master = 16;
  optional GetMaintenanceStatus get_maintenance_status = 17;
  optional GetMaintenanceSchedule get_maintenance_schedule = 18;
  optional GetQuota get_quota = 19;
}

// The stream SUBSCRIBE answers with: the whole state first, then what changes.
message Event {
  enum Type {
    UNKNOWN = 0;
    SUBSCRIBED = 1;
    TASK_ADDED = 2;
    TASK_UPDATED = 3;
    AGENT_ADDED = 4;
    AGENT_REMOVED = 5;
    FRAMEWORK_ADDED = 6;
    FRAMEWORK_UPDATED = 7;
    FRAMEWORK_REMOVED = 8;
    // Sent every heartbeat_interval_seconds; a subscriber that hears nothing for several
    // intervals should resubscribe.
    HEARTBEAT = 9;
  }

  message Subscribed {
    optional Response.GetState get_state = 1;
    optional double heartbeat_interval_seconds = 2;
  }

  message TaskAdded {
    required Task task = 1;
  }

  message TaskUpdated {
    required FrameworkID framework_id = 1;
    required TaskStatus status = 2;
    required TaskState state = 3;
  }

  message FrameworkAdded {
    required Response.GetFrameworks.Framework framework = 1;
  }

  message FrameworkUpdated {
    required Response.GetFrameworks.Framework framework = 1;
  }

  message FrameworkRemoved {
    required FrameworkInfo framework_info = 1;
  }

  message AgentAdded {
    required Response.GetAgents.Agent agent = 1;
  }

  message AgentRemoved {
    required AgentID agent_id = 1;
  }

  optional Type type = 1;
  optional Subscribed subscribed = 2;
  optional TaskAdded task_added = 3;
  optional TaskUpdated task_updated = 4;
  optional AgentAdded agent_added = 5;
  optional AgentRemoved agent_removed = 6;
  optional FrameworkAdded framework_added = 7;
  optional FrameworkUpdated framework_updated = 8;
  optional FrameworkRemoved framework_removed = 9;
}
`,
};
