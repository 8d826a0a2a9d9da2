/**
 * Scheduler Calls as a framework builds them, typed by the generated proto interfaces
 * (snake_case fields, enum names, bytes as Uint8Array). Pure: MesosTestScheduler sends them.
 */
import type { scheduler, v1 } from '../../src/scheduler/mesos/index.js';

type Call = scheduler.Call;

/** SUBSCRIBE; with a framework ID, a resubscription (failover) of that framework. */
export function subscribeCall(
  frameworkInfo: v1.FrameworkInfo,
  frameworkId?: v1.FrameworkID,
  suppressedRoles?: readonly string[],
): Call {
  return {
    ...(frameworkId === undefined ? {} : { framework_id: frameworkId }),
    type: 'SUBSCRIBE',
    subscribe: {
      framework_info: frameworkId === undefined ? frameworkInfo : { ...frameworkInfo, id: frameworkId },
      ...(suppressedRoles === undefined ? {} : { suppressed_roles: [...suppressedRoles] }),
    },
  };
}

export function acceptCall(
  frameworkId: v1.FrameworkID,
  offerIds: readonly v1.OfferID[],
  operations: readonly v1.Offer_Operation[],
  filters?: v1.Filters,
): Call {
  return {
    framework_id: frameworkId,
    type: 'ACCEPT',
    accept: {
      offer_ids: [...offerIds],
      operations: [...operations],
      ...(filters === undefined ? {} : { filters }),
    },
  };
}

export function declineCall(
  frameworkId: v1.FrameworkID,
  offerIds: readonly v1.OfferID[],
  filters?: v1.Filters,
): Call {
  return {
    framework_id: frameworkId,
    type: 'DECLINE',
    decline: { offer_ids: [...offerIds], ...(filters === undefined ? {} : { filters }) },
  };
}

/**
 * Acknowledges a status update. Mesos wants no acknowledgement of an update without a
 * uuid (one the master generated itself), so asking for one is a test bug.
 */
export function acknowledgeCall(frameworkId: v1.FrameworkID, update: scheduler.Event_Update): Call {
  const { task_id, agent_id, uuid } = update.status;
  if (uuid === undefined) throw new Error(`the update of task ${task_id.value} has no uuid to acknowledge`);
  if (agent_id === undefined) throw new Error(`the update of task ${task_id.value} names no agent`);
  return { framework_id: frameworkId, type: 'ACKNOWLEDGE', acknowledge: { agent_id, task_id, uuid } };
}

/** RECONCILE; no tasks asks for all of them (implicit reconciliation). */
export function reconcileCall(
  frameworkId: v1.FrameworkID,
  tasks: readonly scheduler.Call_Reconcile_Task[] = [],
): Call {
  return { framework_id: frameworkId, type: 'RECONCILE', reconcile: { tasks: [...tasks] } };
}

export function killCall(
  frameworkId: v1.FrameworkID,
  taskId: v1.TaskID,
  agentId?: v1.AgentID,
  killPolicy?: v1.KillPolicy,
): Call {
  return {
    framework_id: frameworkId,
    type: 'KILL',
    kill: {
      task_id: taskId,
      ...(agentId === undefined ? {} : { agent_id: agentId }),
      ...(killPolicy === undefined ? {} : { kill_policy: killPolicy }),
    },
  };
}

export function teardownCall(frameworkId: v1.FrameworkID): Call {
  return { framework_id: frameworkId, type: 'TEARDOWN' };
}

/** REVIVE; no roles means all the framework's roles. */
export function reviveCall(frameworkId: v1.FrameworkID, roles?: readonly string[]): Call {
  return {
    framework_id: frameworkId,
    type: 'REVIVE',
    revive: roles === undefined ? {} : { roles: [...roles] },
  };
}

/** SUPPRESS; no roles means all the framework's roles. */
export function suppressCall(frameworkId: v1.FrameworkID, roles?: readonly string[]): Call {
  return {
    framework_id: frameworkId,
    type: 'SUPPRESS',
    suppress: roles === undefined ? {} : { roles: [...roles] },
  };
}
