/**
 * Maps what Kubernetes shows of a task's pod and node to a Mesos task state (DESIGN.md §3):
 *
 *   no pod, kill asked ─────────────► TASK_KILLED      pod Succeeded ─► TASK_FINISHED
 *   no pod, node deleted ───────────► TASK_GONE        pod Failed ────► TASK_FAILED (OOM, exit code, …)
 *   no pod otherwise ───────────────► TASK_LOST        node NotReady ─► TASK_UNREACHABLE
 *   pod deleting / kill asked ──────► TASK_KILLING     pod Running ───► TASK_RUNNING
 *   kubelet preparing the pod ──────► TASK_STARTING    bound, no word from the kubelet ─► TASK_STAGING
 *
 * A kill asked by kmesos turns any end into TASK_KILLED, as on Mesos.
 *
 * A task of a group is one container of the group's pod: its container's status decides
 * (exited 0 → TASK_FINISHED, else TASK_FAILED; running → TASK_RUNNING) while the pod, its node
 * and kills decide the rest.
 */
import type { V1ContainerStatus, V1Node, V1Pod } from '@kubernetes/client-node';
import { formatTime, parseTime } from '../api/time.js';
import type { TaskReason, TaskState } from '../api/task-states.js';
import type { Clock } from '../util/clock.js';

/** The node of a task's pod as the task sees it. `Gone`: the Node object was deleted. */
export type NodeHealth = 'Ready' | 'NotReady' | 'Unknown' | 'Gone';

export function nodeHealth(node: V1Node | undefined): NodeHealth {
  if (node === undefined) return 'Gone';
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  if (ready === 'True') return 'Ready';
  return ready === 'False' ? 'NotReady' : 'Unknown';
}

export interface PodObservation {
  /** The attempt's pod; undefined only when it is surely gone (not merely assumed, not yet in the cache). */
  pod: V1Pod | undefined;
  node: NodeHealth;
  /** The node of the attempt, for messages when the pod is gone. */
  nodeName?: string;
  /** kmesos asked for the pod to go (Task deleted, framework removed, …), and why. */
  kill?: { reason?: TaskReason; message?: string };
  /** The state last recorded for this attempt. */
  previousState?: TaskState;
  /** The task's container, when the pod holds several (a task group); else the pod decides. */
  container?: string;
}

export interface ObservedTaskState {
  state: TaskState;
  reason?: TaskReason;
  message: string;
  exitCode?: number;
  /** RFC 3339: when the task's container started. */
  startTime?: string;
  /** RFC 3339: when the attempt ended; set for terminal states only. */
  completionTime?: string;
}

/** Waiting reasons after which the kubelet will not succeed on its own: a failed launch on Mesos. */
const LAUNCH_FAILURES = new Set(['InvalidImageName', 'ErrImageNeverPull', 'CreateContainerConfigError']);
/** Pod reasons of a kubelet refusing the pod at admission: the task never ran. */
const ADMISSION_REJECTION =
  /^(OutOf.*|UnexpectedAdmissionError|NodeAffinity|NodeSelectorMismatching|Node.*Pressure)$/;
const LAUNCH_STATES: ReadonlySet<TaskState | undefined> = new Set([
  undefined,
  'TASK_STAGING',
  'TASK_STARTING',
]);

export function taskStateFromPod(obs: PodObservation, clock: Clock): ObservedTaskState {
  const now = formatTime(clock.now());
  const pod = obs.pod;
  if (pod === undefined) return fromMissingPod(obs, now);
  const own = obs.container === undefined ? undefined : containerStatus(pod, obs.container);
  if (own?.state?.terminated !== undefined) return fromEndedPod(pod, obs, now, own);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return fromEndedPod(pod, obs, now);
  return fromNode(pod, obs, now) ?? fromLivePod(pod, obs, now);
}

function containerStatus(pod: V1Pod, name: string): V1ContainerStatus | undefined {
  return pod.status?.containerStatuses?.find((s) => s.name === name);
}

/** A live pod on a node that is gone or not ready: the node decides. */
function fromNode(pod: V1Pod, obs: PodObservation, now: string): ObservedTaskState | undefined {
  const node = pod.spec?.nodeName ?? '';
  if (obs.node === 'Gone')
    return {
      state: 'TASK_GONE',
      reason: 'REASON_AGENT_REMOVED',
      message: `node ${node} was deleted`,
      completionTime: now,
      ...started(pod, obs.container),
    };
  if (obs.node !== 'Ready' || pod.status?.phase === 'Unknown')
    return {
      state: 'TASK_UNREACHABLE',
      reason: 'REASON_AGENT_UNREACHABLE',
      message: `node ${node} is not ready (${obs.node})`,
      ...started(pod, obs.container),
    };
  return undefined;
}

function fromLivePod(pod: V1Pod, obs: PodObservation, now: string): ObservedTaskState {
  const name = pod.metadata?.name ?? 'the pod';
  const since = started(pod, obs.container);
  if (obs.kill !== undefined)
    return { state: 'TASK_KILLING', message: obs.kill.message ?? `killing ${name}`, ...since };
  if (pod.metadata?.deletionTimestamp !== undefined)
    return { state: 'TASK_KILLING', message: `${name} is being deleted outside kmesos`, ...since };
  const running =
    obs.container === undefined
      ? pod.status?.phase === 'Running'
      : containerStatus(pod, obs.container)?.state?.running !== undefined;
  if (running)
    return {
      state: 'TASK_RUNNING',
      message:
        obs.container === undefined
          ? `${name} is running`
          : `container ${obs.container} of ${name} is running`,
      ...since,
    };
  return fromPendingPod(pod, now);
}

function fromMissingPod(obs: PodObservation, now: string): ObservedTaskState {
  if (obs.kill !== undefined)
    return {
      state: 'TASK_KILLED',
      reason:
        obs.kill.reason ??
        (LAUNCH_STATES.has(obs.previousState) ? 'REASON_TASK_KILLED_DURING_LAUNCH' : undefined),
      message: obs.kill.message ?? 'the task was killed',
      completionTime: now,
    };
  if (obs.node === 'Gone')
    return {
      state: 'TASK_GONE',
      reason: 'REASON_AGENT_REMOVED',
      message: `node ${obs.nodeName ?? ''} was deleted`,
      completionTime: now,
    };
  return {
    state: 'TASK_LOST',
    reason: 'REASON_RECONCILIATION',
    message: 'the pod disappeared without kmesos asking for it',
    completionTime: now,
  };
}

/** The container that decides the outcome: the first one that failed, else the first that exited. */
function decisiveContainer(pod: V1Pod): V1ContainerStatus | undefined {
  const statuses = pod.status?.containerStatuses ?? [];
  return (
    statuses.find((s) => s.state?.terminated !== undefined && s.state.terminated.exitCode !== 0) ??
    statuses.find((s) => s.state?.terminated !== undefined)
  );
}

function started(pod: V1Pod, container?: string): { startTime?: string } {
  const statuses = pod.status?.containerStatuses;
  const s = (container === undefined ? statuses?.[0] : statuses?.find((c) => c.name === container))?.state;
  const ms = parseTime(s?.running?.startedAt ?? s?.terminated?.startedAt);
  return ms === undefined ? {} : { startTime: formatTime(ms) };
}

/** An ended pod, or (`own`) the task's own container in a group's pod that has exited. */
function fromEndedPod(
  pod: V1Pod,
  obs: PodObservation,
  now: string,
  own?: V1ContainerStatus,
): ObservedTaskState {
  const terminated = (own ?? decisiveContainer(pod))?.state?.terminated;
  const finished = parseTime(terminated?.finishedAt);
  const base = {
    ...started(pod, obs.container),
    completionTime: finished === undefined ? now : formatTime(finished),
    ...(terminated !== undefined ? { exitCode: terminated.exitCode } : {}),
  };
  if (obs.kill !== undefined)
    return {
      ...base,
      state: 'TASK_KILLED',
      reason: obs.kill.reason,
      message: obs.kill.message ?? 'the task was killed',
    };
  if (own !== undefined ? terminated?.exitCode === 0 : pod.status?.phase === 'Succeeded')
    return { ...base, state: 'TASK_FINISHED', message: 'the command exited with status 0' };
  return { ...base, ...(fetchFailure(pod) ?? classifyFailure(pod, terminated)) };
}

/** An init container (the fetcher) that failed: the task's launch failed, as when Mesos' fetcher fails. */
function fetchFailure(pod: V1Pod): Pick<ObservedTaskState, 'state' | 'reason' | 'message'> | undefined {
  const init = (pod.status?.initContainerStatuses ?? []).find(
    (c) => (c.state?.terminated?.exitCode ?? 0) !== 0,
  )?.state?.terminated;
  if (init === undefined) return undefined;
  const detail = init.message ? `: ${init.message}` : '';
  return {
    state: 'TASK_FAILED',
    reason: 'REASON_CONTAINER_LAUNCH_FAILED',
    message: `fetching the task's URIs failed with status ${init.exitCode}${detail}`,
  };
}

function classifyFailure(
  pod: V1Pod,
  terminated: { exitCode: number; reason?: string; message?: string } | undefined,
): Pick<ObservedTaskState, 'state' | 'reason' | 'message'> {
  const reason = pod.status?.reason ?? '';
  const message = pod.status?.message ?? '';
  if (terminated?.reason === 'OOMKilled')
    return {
      state: 'TASK_FAILED',
      reason: 'REASON_CONTAINER_LIMITATION_MEMORY',
      message: 'the container exceeded its memory limit (OOMKilled)',
    };
  if (reason === 'Evicted' && /ephemeral/i.test(message))
    return { state: 'TASK_FAILED', reason: 'REASON_CONTAINER_LIMITATION_DISK', message };
  if (reason === 'Evicted') return { state: 'TASK_LOST', reason: 'REASON_CONTAINER_PREEMPTED', message };
  if (reason === 'DeadlineExceeded')
    return { state: 'TASK_FAILED', reason: 'REASON_MAX_COMPLETION_TIME_REACHED', message };
  if (reason === 'Terminated' || reason === 'Shutdown')
    return { state: 'TASK_LOST', reason: 'REASON_AGENT_RESTARTED', message };
  if (terminated === undefined && ADMISSION_REJECTION.test(reason))
    return {
      state: 'TASK_DROPPED',
      reason: 'REASON_CONTAINER_LAUNCH_FAILED',
      message: `the node refused the pod: ${reason} ${message}`.trim(),
    };
  if (terminated !== undefined && terminated.exitCode !== 0)
    return {
      state: 'TASK_FAILED',
      reason: 'REASON_COMMAND_EXECUTOR_FAILED',
      message: `the command exited with status ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''}`,
    };
  return {
    state: 'TASK_FAILED',
    reason: 'REASON_EXECUTOR_TERMINATED',
    message: message || `the pod failed${reason ? `: ${reason}` : ''}`,
  };
}

function waitingText(status: V1ContainerStatus | undefined): string {
  const w = status?.state?.waiting;
  if (w?.reason === undefined) return '';
  return w.message ? `${w.reason}: ${w.message}` : w.reason;
}

function fromPendingPod(pod: V1Pod, now: string): ObservedTaskState {
  const name = pod.metadata?.name ?? 'the pod';
  const status = pod.status ?? {};
  const statuses = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
  const fatal = statuses.find((s) => LAUNCH_FAILURES.has(s.state?.waiting?.reason ?? ''));
  if (fatal !== undefined)
    return {
      state: 'TASK_FAILED',
      reason: 'REASON_CONTAINER_LAUNCH_FAILED',
      message: waitingText(fatal),
      completionTime: now,
    };
  // The kubelet has acknowledged the pod once it reports anything about it.
  const acknowledged =
    status.startTime !== undefined || statuses.length > 0 || (status.conditions ?? []).length > 0;
  if (!acknowledged)
    return { state: 'TASK_STAGING', message: `${name} is bound to node ${pod.spec?.nodeName ?? ''}` };
  const waiting = waitingText(statuses.find((s) => s.state?.waiting !== undefined));
  return { state: 'TASK_STARTING', message: waiting || `${name} is starting` };
}
