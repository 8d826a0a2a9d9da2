/**
 * What one Task needs, decided from its own status, its pods and their nodes: a pure
 * function the cycle calls for every task (level-based: the same inputs give the same
 * answer, however often it runs).
 *
 *   deleting (foreground) ──▶ kill live pods (TASK_KILLING); the garbage collector removes
 *   pods of Tasks deleted in the background (they are owned by their Task)
 *   never launched / retry due ──▶ pending (the cycle places it)
 *   pod of the current attempt ──▶ state from the pod ──▶ terminal? ──▶ retry later / done
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { LABELS } from '../api/constants.js';
import type { Framework, Task, TaskStatus } from '../api/types.js';
import {
  launchedTaskStatus,
  observedTaskStatus,
  retryTaskStatus,
  waitingTaskStatus,
} from '../status/task-status.js';
import { nodeHealth, taskStateFromPod, type ObservedTaskState } from '../status/task-state.js';
import { retryDecision } from '../status/retry.js';
import { isTerminalState } from '../api/task-states.js';
import { runsOnCustomExecutor, taskContainerName, taskPodName } from '../launcher/pod.js';
import { ANNOTATIONS } from '../api/constants.js';
import type { Clock } from '../util/clock.js';

export interface TaskInputs {
  task: Task;
  /** The status as kmesos last wrote it (newer than the cache's until the watch echoes it). */
  status: TaskStatus | undefined;
  pods: readonly V1Pod[];
  nodes: ReadonlyMap<string, V1Node>;
  framework: Framework | undefined;
  /** A pod create is in flight for this pod name: it is not lost, only not yet seen. */
  launching: (podName: string) => boolean;
  /** For a task run by a custom executor: the state its executor last reported, if any. */
  reported?: ObservedTaskState;
}

export interface TaskDecision {
  status: TaskStatus;
  /** Place this attempt (the cycle decides where, or that it cannot yet). */
  pending?: { attempt: number; podName: string; avoidNodes: string[] };
  /** Delete these pods (names) with this grace period. */
  kill?: { podNames: string[]; gracePeriodSeconds: number };
}

function attemptOf(pod: V1Pod): number {
  return Number.parseInt(pod.metadata?.labels?.[LABELS.attempt] ?? '0', 10) || 0;
}

function isLive(pod: V1Pod): boolean {
  return pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

function deleting(inputs: TaskInputs, clock: Clock): TaskDecision {
  const { task } = inputs;
  const live = inputs.pods.filter((p) => isLive(p) && !p.metadata?.deletionTimestamp);
  const remaining = inputs.pods.filter(isLive);
  const prev = inputs.status ?? {};
  const generation = task.metadata.generation ?? 0;
  if (remaining.length === 0) return { status: prev };
  const current = remaining.find((p) => p.metadata?.name === prev.podName) ?? remaining[0];
  const observed = taskStateFromPod(
    {
      pod: current,
      node: nodeHealth(inputs.nodes.get(current?.spec?.nodeName ?? '')),
      kill: { message: 'the Task was deleted' },
      ...containerOf(task),
    },
    clock,
  );
  return {
    status: prev.attempt ? observedTaskStatus(prev, observed, generation, clock) : prev,
    ...(live.length > 0
      ? {
          kill: {
            podNames: live.map((p) => p.metadata?.name ?? ''),
            gracePeriodSeconds: task.spec.killGracePeriodSeconds,
          },
        }
      : {}),
  };
}

/** The status after noticing a pod of an attempt newer than the status knows (a create whose status write was lost). */
function adoptAttempt(
  prev: TaskStatus | undefined,
  pod: V1Pod,
  attempt: number,
  generation: number,
  clock: Clock,
): TaskStatus {
  return launchedTaskStatus(
    prev,
    {
      attempt,
      podName: pod.metadata?.name ?? '',
      nodeName: pod.spec?.nodeName ?? '',
      agentID: pod.metadata?.annotations?.[ANNOTATIONS.agentID] ?? '',
      offerID: pod.metadata?.annotations?.[ANNOTATIONS.offerID] ?? '',
    },
    generation,
    clock,
  );
}

function livePodNames(inputs: TaskInputs): string[] {
  return inputs.pods
    .filter((p) => isLive(p) && !p.metadata?.deletionTimestamp)
    .map((p) => p.metadata?.name ?? '');
}

/** No Framework: kill what runs (the framework was removed) and end the attempt, else wait for one to appear. */
function withoutFramework(
  inputs: TaskInputs,
  status: TaskStatus | undefined,
  clock: Clock,
): TaskDecision | undefined {
  const { task } = inputs;
  const attempt = status?.attempt ?? 0;
  const live = livePodNames(inputs);
  if (attempt > 0 && live.length > 0) {
    return {
      status: status ?? {},
      kill: { podNames: live, gracePeriodSeconds: task.spec.killGracePeriodSeconds },
    };
  }
  if (attempt > 0 && isTerminalState(status?.state)) return undefined;
  // Its pods are gone: the attempt ends as Mesos ends the tasks of a removed framework, and the
  // Task stays as the record.
  if (attempt > 0 && status) {
    const ended = {
      state: 'TASK_KILLED' as const,
      reason: 'REASON_FRAMEWORK_REMOVED' as const,
      message: `Framework ${task.spec.framework} was removed`,
    };
    return { status: observedTaskStatus(status, ended, task.metadata.generation ?? 0, clock) };
  }
  const why = {
    reason: 'FrameworkNotFound' as const,
    message: `Framework ${task.spec.framework} does not exist in namespace ${task.metadata.namespace ?? ''}`,
  };
  return { status: waitingTaskStatus(status, why, task.metadata.generation ?? 0, clock) };
}

/** A grouped task's own container; a task alone is its pod. */
function containerOf(task: Task): { container?: string } {
  return task.spec.group !== undefined ? { container: taskContainerName(task) } : {};
}

/** States a custom executor's task is in before its executor says otherwise. */
const BEFORE_EXECUTOR: ReadonlySet<string> = new Set(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING']);

/**
 * A custom executor's task: while the executor's pod lives, the executor's own reports decide
 * (before the first one the task stays as it was, TASK_STAGING after its launch); the pod's
 * end, its node, a kill or a lost pod decide as for any task, the executor having failed to
 * end the task first.
 */
function executorTaskState(
  observed: ObservedTaskState,
  inputs: TaskInputs,
  prev: TaskStatus,
): ObservedTaskState {
  if (!BEFORE_EXECUTOR.has(observed.state)) {
    if (observed.state !== 'TASK_FINISHED' && observed.state !== 'TASK_FAILED') return observed;
    return {
      ...observed,
      state: 'TASK_FAILED',
      reason: 'REASON_EXECUTOR_TERMINATED',
      message: `the executor ended before the task did: ${observed.message}`,
    };
  }
  if (inputs.reported !== undefined) return inputs.reported;
  return { state: prev.state ?? 'TASK_STAGING', message: prev.message ?? 'waiting for the executor' };
}

/** kmesos chose the current attempt as a preemption victim: its pod goes, and it ends TASK_KILLED. */
function isPreempted(status: TaskStatus): boolean {
  return status.preemption !== undefined && status.preemption.attempt === status.attempt;
}

/** What the attempt's pod shows, folded into its status (a preempted attempt is being killed). */
function observeAttempt(
  inputs: TaskInputs,
  prev: TaskStatus,
  pod: V1Pod | undefined,
  clock: Clock,
): TaskStatus {
  if (isTerminalState(prev.state)) return prev;
  const nodeName = pod?.spec?.nodeName ?? prev.nodeName ?? '';
  let observed = taskStateFromPod(
    {
      pod,
      node: nodeHealth(inputs.nodes.get(nodeName)),
      nodeName,
      previousState: prev.state,
      ...containerOf(inputs.task),
      ...(isPreempted(prev)
        ? { kill: { reason: 'REASON_CONTAINER_PREEMPTED' as const, message: preemptionText(prev) } }
        : {}),
    },
    clock,
  );
  if (runsOnCustomExecutor(inputs.task)) observed = executorTaskState(observed, inputs, prev);
  return observedTaskStatus(prev, observed, inputs.task.metadata.generation ?? 0, clock);
}

/** The current attempt's state from its pod, then the retry decision once it ended. */
function currentAttempt(inputs: TaskInputs, prev: TaskStatus, clock: Clock): TaskDecision {
  const { task } = inputs;
  const generation = task.metadata.generation ?? 0;
  const current = taskPodName(task, prev.attempt ?? 0);
  const pod = inputs.pods.find((p) => p.metadata?.name === current);
  if (!pod && inputs.launching(current)) return { status: prev };
  let status = observeAttempt(inputs, prev, pod, clock);
  if (!isTerminalState(status.state)) {
    const kill = isPreempted(prev) && pod && isLive(pod) && !pod.metadata?.deletionTimestamp;
    if (!kill) return { status };
    return {
      status,
      kill: { podNames: [pod.metadata?.name ?? ''], gracePeriodSeconds: task.spec.killGracePeriodSeconds },
    };
  }
  const requeue = inputs.framework?.spec.scheduler !== 'External';
  const decision = retryDecision(task.spec.retry, status, clock, requeue);
  status = retryTaskStatus(status, decision, task.spec.retry.maxAttempts, generation, clock);
  if (!decision.retry || !decision.due) return { status };
  return {
    status,
    pending: {
      attempt: decision.attempt,
      podName: taskPodName(task, decision.attempt),
      avoidNodes: decision.avoidNodes,
    },
  };
}

function preemptionText(status: TaskStatus): string {
  const p = status.preemption;
  return `preempted for task ${p?.preemptor ?? '(unknown)'}: ${p?.message ?? ''}`.trim();
}

export function reconcileTask(inputs: TaskInputs, clock: Clock): TaskDecision {
  const { task } = inputs;
  if (task.metadata.deletionTimestamp) return deleting(inputs, clock);
  const generation = task.metadata.generation ?? 0;
  let status = inputs.status;
  // A pod of a newer attempt than the status knows: its create's status write was lost.
  const newest = inputs.pods.reduce<V1Pod | undefined>(
    (a, p) => (a && attemptOf(a) >= attemptOf(p) ? a : p),
    undefined,
  );
  if (newest && attemptOf(newest) > (status?.attempt ?? 0)) {
    status = adoptAttempt(status, newest, attemptOf(newest), generation, clock);
  }
  if (!inputs.framework) {
    const decision = withoutFramework(inputs, status, clock);
    if (decision) return decision;
  }
  if ((status?.attempt ?? 0) === 0) {
    const waiting = { reason: 'Pending' as const, message: 'waiting for an offer that fits' };
    return {
      status: status ?? waitingTaskStatus(undefined, waiting, generation, clock),
      pending: { attempt: 1, podName: taskPodName(task, 1), avoidNodes: [] },
    };
  }
  return currentAttempt(inputs, status ?? {}, clock);
}
