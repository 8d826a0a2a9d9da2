// Generated from the mesos.v1.scheduler .proto by gen-types.ts: do not edit. To regenerate, run the
// unit tests of src/scheduler/mesos/generated.test.ts with KMESOS_WRITE_MESOS_GENERATED=1.

import type {
  AgentID,
  ExecutorID,
  Filters,
  FrameworkID,
  FrameworkInfo,
  InverseOffer,
  KillPolicy,
  MasterInfo,
  Offer,
  OfferID,
  Offer_Operation,
  Request,
  TaskID,
  TaskStatus,
} from './v1.js';

/** mesos.v1.scheduler.Event */
export interface Event {
  type?: Event_Type;
  subscribed?: Event_Subscribed;
  offers?: Event_Offers;
  inverse_offers?: Event_InverseOffers;
  rescind?: Event_Rescind;
  rescind_inverse_offer?: Event_RescindInverseOffer;
  update?: Event_Update;
  message?: Event_Message;
  failure?: Event_Failure;
  error?: Event_Error;
}

/** mesos.v1.scheduler.Event.Type */
export type Event_Type =
  | 'UNKNOWN'
  | 'SUBSCRIBED'
  | 'OFFERS'
  | 'INVERSE_OFFERS'
  | 'RESCIND'
  | 'RESCIND_INVERSE_OFFER'
  | 'UPDATE'
  | 'UPDATE_OPERATION_STATUS'
  | 'MESSAGE'
  | 'FAILURE'
  | 'ERROR'
  | 'HEARTBEAT';

/** mesos.v1.scheduler.Event.Subscribed */
export interface Event_Subscribed {
  framework_id: FrameworkID;
  heartbeat_interval_seconds?: number;
  master_info?: MasterInfo;
}

/** mesos.v1.scheduler.Event.Offers */
export interface Event_Offers {
  offers?: Offer[];
}

/** mesos.v1.scheduler.Event.InverseOffers */
export interface Event_InverseOffers {
  inverse_offers?: InverseOffer[];
}

/** mesos.v1.scheduler.Event.Rescind */
export interface Event_Rescind {
  offer_id: OfferID;
}

/** mesos.v1.scheduler.Event.RescindInverseOffer */
export interface Event_RescindInverseOffer {
  inverse_offer_id: OfferID;
}

/** mesos.v1.scheduler.Event.Update */
export interface Event_Update {
  status: TaskStatus;
}

/** mesos.v1.scheduler.Event.Message */
export interface Event_Message {
  agent_id: AgentID;
  executor_id: ExecutorID;
  data: Uint8Array;
}

/** mesos.v1.scheduler.Event.Failure */
export interface Event_Failure {
  agent_id?: AgentID;
  executor_id?: ExecutorID;
  status?: number;
}

/** mesos.v1.scheduler.Event.Error */
export interface Event_Error {
  message: string;
}

/** mesos.v1.scheduler.Call */
export interface Call {
  framework_id?: FrameworkID;
  type?: Call_Type;
  subscribe?: Call_Subscribe;
  accept?: Call_Accept;
  decline?: Call_Decline;
  accept_inverse_offers?: Call_AcceptInverseOffers;
  decline_inverse_offers?: Call_DeclineInverseOffers;
  revive?: Call_Revive;
  kill?: Call_Kill;
  shutdown?: Call_Shutdown;
  acknowledge?: Call_Acknowledge;
  reconcile?: Call_Reconcile;
  message?: Call_Message;
  request?: Call_Request;
  suppress?: Call_Suppress;
  update_framework?: Call_UpdateFramework;
}

/** mesos.v1.scheduler.Call.Type */
export type Call_Type =
  | 'UNKNOWN'
  | 'SUBSCRIBE'
  | 'TEARDOWN'
  | 'ACCEPT'
  | 'DECLINE'
  | 'ACCEPT_INVERSE_OFFERS'
  | 'DECLINE_INVERSE_OFFERS'
  | 'REVIVE'
  | 'KILL'
  | 'SHUTDOWN'
  | 'ACKNOWLEDGE'
  | 'ACKNOWLEDGE_OPERATION_STATUS'
  | 'RECONCILE'
  | 'RECONCILE_OPERATIONS'
  | 'MESSAGE'
  | 'REQUEST'
  | 'SUPPRESS'
  | 'UPDATE_FRAMEWORK';

/** mesos.v1.scheduler.Call.Subscribe */
export interface Call_Subscribe {
  framework_info: FrameworkInfo;
  suppressed_roles?: string[];
}

/** mesos.v1.scheduler.Call.Accept */
export interface Call_Accept {
  offer_ids?: OfferID[];
  operations?: Offer_Operation[];
  filters?: Filters;
}

/** mesos.v1.scheduler.Call.Decline */
export interface Call_Decline {
  offer_ids?: OfferID[];
  filters?: Filters;
}

/** mesos.v1.scheduler.Call.AcceptInverseOffers */
export interface Call_AcceptInverseOffers {
  inverse_offer_ids?: OfferID[];
  filters?: Filters;
}

/** mesos.v1.scheduler.Call.DeclineInverseOffers */
export interface Call_DeclineInverseOffers {
  inverse_offer_ids?: OfferID[];
  filters?: Filters;
}

/** mesos.v1.scheduler.Call.Revive */
export interface Call_Revive {
  roles?: string[];
}

/** mesos.v1.scheduler.Call.Kill */
export interface Call_Kill {
  task_id: TaskID;
  agent_id?: AgentID;
  kill_policy?: KillPolicy;
}

/** mesos.v1.scheduler.Call.Shutdown */
export interface Call_Shutdown {
  executor_id: ExecutorID;
  agent_id: AgentID;
}

/** mesos.v1.scheduler.Call.Acknowledge */
export interface Call_Acknowledge {
  agent_id: AgentID;
  task_id: TaskID;
  uuid: Uint8Array;
}

/** mesos.v1.scheduler.Call.Reconcile */
export interface Call_Reconcile {
  tasks?: Call_Reconcile_Task[];
}

/** mesos.v1.scheduler.Call.Reconcile.Task */
export interface Call_Reconcile_Task {
  task_id: TaskID;
  agent_id?: AgentID;
}

/** mesos.v1.scheduler.Call.Message */
export interface Call_Message {
  agent_id: AgentID;
  executor_id: ExecutorID;
  data: Uint8Array;
}

/** mesos.v1.scheduler.Call.Request */
export interface Call_Request {
  requests?: Request[];
}

/** mesos.v1.scheduler.Call.Suppress */
export interface Call_Suppress {
  roles?: string[];
}

/** mesos.v1.scheduler.Call.UpdateFramework */
export interface Call_UpdateFramework {
  framework_info: FrameworkInfo;
  suppressed_roles?: string[];
}
