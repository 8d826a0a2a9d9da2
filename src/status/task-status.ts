/**
 * A Task's status as pure steps, each taking the stored status and returning the next one:
 * waiting for resources → launched (attempt n) → observed from the pod → retry or done.
 *
 * Conditions: `Scheduled` (True once an attempt's pod is bound; False while waiting, with the
 * reason why) and `Running` (True in TASK_RUNNING; False otherwise, reason from the state).
 */
import { setCondition } from '../api/conditions.js';
import { isTerminalState, type TaskState } from '../api/task-states.js';
import { formatTime } from '../api/time.js';
import type { TaskStatus } from '../api/types.js';
import type { Clock } from '../util/clock.js';
import { wasPreempted, type RetryDecision } from './retry.js';
import type { ObservedTaskState } from './task-state.js';

export const TASK_CONDITIONS = { scheduled: 'Scheduled', running: 'Running' } as const;

/** Why a task is not (yet, or again) placed: the reason of its Scheduled=False condition. */
export type WaitingReason =
  | 'Pending' // waiting for an offer that fits
  | 'Unschedulable' // no agent can ever fit it now: the message names the resource or constraint
  | 'BackoffWaiting' // a retry waits for its backoff
  | 'RetriesExhausted' // the last attempt failed and no retry is left
  | 'FrameworkNotFound' // spec.framework names no Framework in the namespace
  | 'InvalidSpec' // the spec has a problem only the operator can see
  | 'Preempted'; // the last attempt was preempted; the task waits to be placed again

/** `TASK_FAILED` → `TaskFailed`, the CamelCase reason of the Running condition. */
export function stateReason(state: TaskState): string {
  return state
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** The task waits for resources (or cannot be placed, or waits for a retry). */
export function waitingTaskStatus(
  prev: TaskStatus | undefined,
  why: { reason: WaitingReason; message: string },
  generation: number,
  clock: Clock,
): TaskStatus {
  return {
    ...prev,
    observedGeneration: generation,
    conditions: setCondition(
      prev?.conditions,
      {
        type: TASK_CONDITIONS.scheduled,
        status: 'False',
        reason: why.reason,
        message: why.message,
        observedGeneration: generation,
      },
      clock,
    ),
  };
}

export interface Launch {
  attempt: number;
  podName: string;
  nodeName: string;
  agentID: string;
  offerID: string;
}

/** A new attempt's pod was created: TASK_STAGING on the offered agent; the last attempt's node is remembered. */
export function launchedTaskStatus(
  prev: TaskStatus | undefined,
  launch: Launch,
  generation: number,
  clock: Clock,
): TaskStatus {
  const previousNodes = [
    ...(prev?.previousNodes ?? []),
    ...(prev?.nodeName && prev.attempt !== launch.attempt ? [prev.nodeName] : []),
  ];
  const conditions = setCondition(
    prev?.conditions,
    {
      type: TASK_CONDITIONS.scheduled,
      status: 'True',
      reason: 'Launched',
      message: `attempt ${launch.attempt}: pod ${launch.podName} bound to node ${launch.nodeName} (offer ${launch.offerID})`,
      observedGeneration: generation,
    },
    clock,
  );
  return {
    observedGeneration: generation,
    state: 'TASK_STAGING',
    message: `pod ${launch.podName} created on node ${launch.nodeName}`,
    agentID: launch.agentID,
    nodeName: launch.nodeName,
    podName: launch.podName,
    attempt: launch.attempt,
    offerID: launch.offerID,
    launchTime: formatTime(clock.now()),
    ...(previousNodes.length > 0 ? { previousNodes } : {}),
    conditions: setCondition(conditions, runningCondition('TASK_STAGING', generation), clock),
  };
}

function runningCondition(state: TaskState, generation: number): Parameters<typeof setCondition>[1] {
  return {
    type: TASK_CONDITIONS.running,
    status: state === 'TASK_RUNNING' ? 'True' : 'False',
    reason: stateReason(state),
    message: state === 'TASK_RUNNING' ? 'the task is running' : `the task is in ${state}`,
    observedGeneration: generation,
  };
}

/**
 * What the pod shows, folded into the status. A terminal state is final for its attempt: a later
 * observation (say the finished pod was garbage-collected and now looks "lost") changes nothing.
 */
export function observedTaskStatus(
  prev: TaskStatus,
  observed: ObservedTaskState,
  generation: number,
  clock: Clock,
): TaskStatus {
  if (isTerminalState(prev.state)) return prev;
  const next: TaskStatus = {
    ...prev,
    observedGeneration: generation,
    state: observed.state,
    message: observed.message,
    conditions: setCondition(prev.conditions, runningCondition(observed.state, generation), clock),
  };
  delete next.reason;
  if (observed.reason !== undefined) next.reason = observed.reason;
  if (observed.exitCode !== undefined) next.exitCode = observed.exitCode;
  if (prev.startTime === undefined && observed.startTime !== undefined) next.startTime = observed.startTime;
  if (isTerminalState(observed.state))
    next.completionTime = observed.completionTime ?? formatTime(clock.now());
  return next;
}

/** After a terminal state: record the retry time, or that no retry is left. */
export function retryTaskStatus(
  prev: TaskStatus,
  decision: RetryDecision,
  maxAttempts: number,
  generation: number,
  clock: Clock,
): TaskStatus {
  if (decision.retry && wasPreempted(prev)) {
    const next = waitingTaskStatus(
      prev,
      {
        reason: 'Preempted',
        message: `attempt ${prev.attempt ?? 1} was preempted (${prev.preemption?.message ?? 'by kmesos'}); attempt ${decision.attempt} waits to be placed`,
      },
      generation,
      clock,
    );
    delete next.nextRetryTime;
    return next;
  }
  if (decision.retry) {
    const next = waitingTaskStatus(
      prev,
      {
        reason: 'BackoffWaiting',
        message: `attempt ${decision.attempt - (prev.preemptedAttempts ?? 0)} of ${maxAttempts} after ${formatTime(decision.notBefore)}, on another node`,
      },
      generation,
      clock,
    );
    return { ...next, nextRetryTime: formatTime(decision.notBefore) };
  }
  const next: TaskStatus = { ...prev };
  delete next.nextRetryTime;
  if (decision.why !== 'AttemptsExhausted') return next;
  const used = (prev.attempt ?? 1) - (prev.preemptedAttempts ?? 0);
  return waitingTaskStatus(
    next,
    {
      reason: 'RetriesExhausted',
      message: `attempt ${used} of ${maxAttempts} ended in ${prev.state ?? ''}; no retry left`,
    },
    generation,
    clock,
  );
}
