import type { V1ContainerStatus, V1Node, V1Pod } from '@kubernetes/client-node';
import { ManualClock } from '../util/clock.js';
import { nodeHealth, taskStateFromPod, type ObservedTaskState, type PodObservation } from './task-state.js';

const NOW = '2024-05-01T12:00:00Z';
const clock = new ManualClock(Date.parse(NOW));
const STARTED = '2024-05-01T11:00:00Z';
const ENDED = '2024-05-01T11:30:00Z';

/** A task pod bound to n1, with the given status. */
function pod(status: V1Pod['status'] = {}, deleting = false): V1Pod {
  return {
    metadata: { name: 't-1', ...(deleting ? { deletionTimestamp: new Date(NOW) } : {}) },
    spec: { nodeName: 'n1', containers: [{ name: 'task' }] },
    status,
  };
}
const running: V1ContainerStatus = {
  name: 'task',
  image: 'i',
  imageID: '',
  ready: true,
  restartCount: 0,
  state: { running: { startedAt: new Date(STARTED) } },
};
const exited = (exitCode: number, reason?: string): V1ContainerStatus => ({
  ...running,
  state: {
    terminated: {
      exitCode,
      ...(reason ? { reason } : {}),
      startedAt: STARTED as unknown as Date, // the watch hands out strings; both must work
      finishedAt: new Date(ENDED),
    },
  },
});
const waiting = (reason: string, message = ''): V1ContainerStatus => ({
  ...running,
  ready: false,
  state: { waiting: { reason, message } },
});

describe('taskStateFromPod', () => {
  it.each<[string, PodObservation, ObservedTaskState]>([
    [
      'bound, no word from the kubelet',
      { pod: pod(), node: 'Ready' },
      { state: 'TASK_STAGING', message: 't-1 is bound to node n1' },
    ],
    [
      'kubelet creating the container',
      {
        pod: pod({
          phase: 'Pending',
          startTime: new Date(NOW),
          containerStatuses: [waiting('ContainerCreating')],
        }),
        node: 'Ready',
      },
      { state: 'TASK_STARTING', message: 'ContainerCreating' },
    ],
    [
      'image pull backing off (transient)',
      {
        pod: pod({ phase: 'Pending', containerStatuses: [waiting('ImagePullBackOff', 'back-off')] }),
        node: 'Ready',
      },
      { state: 'TASK_STARTING', message: 'ImagePullBackOff: back-off' },
    ],
    [
      'config error: the launch failed',
      {
        pod: pod({
          phase: 'Pending',
          containerStatuses: [waiting('CreateContainerConfigError', 'secret "s" not found')],
        }),
        node: 'Ready',
      },
      {
        state: 'TASK_FAILED',
        reason: 'REASON_CONTAINER_LAUNCH_FAILED',
        message: 'CreateContainerConfigError: secret "s" not found',
        completionTime: NOW,
      },
    ],
    [
      'running',
      { pod: pod({ phase: 'Running', containerStatuses: [running] }), node: 'Ready' },
      { state: 'TASK_RUNNING', message: 't-1 is running', startTime: STARTED },
    ],
    [
      'succeeded',
      { pod: pod({ phase: 'Succeeded', containerStatuses: [exited(0, 'Completed')] }), node: 'Ready' },
      {
        state: 'TASK_FINISHED',
        message: 'the command exited with status 0',
        exitCode: 0,
        startTime: STARTED,
        completionTime: ENDED,
      },
    ],
    [
      'failed with an exit code',
      { pod: pod({ phase: 'Failed', containerStatuses: [exited(3, 'Error')] }), node: 'Ready' },
      {
        state: 'TASK_FAILED',
        reason: 'REASON_COMMAND_EXECUTOR_FAILED',
        message: 'the command exited with status 3 (Error)',
        exitCode: 3,
        startTime: STARTED,
        completionTime: ENDED,
      },
    ],
    [
      'OOMKilled',
      { pod: pod({ phase: 'Failed', containerStatuses: [exited(137, 'OOMKilled')] }), node: 'Ready' },
      {
        state: 'TASK_FAILED',
        reason: 'REASON_CONTAINER_LIMITATION_MEMORY',
        message: 'the container exceeded its memory limit (OOMKilled)',
        exitCode: 137,
        startTime: STARTED,
        completionTime: ENDED,
      },
    ],
    [
      'evicted for ephemeral storage',
      {
        pod: pod({
          phase: 'Failed',
          reason: 'Evicted',
          message: 'ephemeral local storage usage exceeds the limit',
        }),
        node: 'Ready',
      },
      {
        state: 'TASK_FAILED',
        reason: 'REASON_CONTAINER_LIMITATION_DISK',
        message: 'ephemeral local storage usage exceeds the limit',
        completionTime: NOW,
      },
    ],
    [
      'evicted under node pressure',
      {
        pod: pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }),
        node: 'Ready',
      },
      {
        state: 'TASK_LOST',
        reason: 'REASON_CONTAINER_PREEMPTED',
        message: 'The node was low on resource: memory.',
        completionTime: NOW,
      },
    ],
    [
      'refused by the kubelet at admission',
      {
        pod: pod({ phase: 'Failed', reason: 'OutOfcpu', message: 'Node didn’t have enough resource: cpu' }),
        node: 'Ready',
      },
      {
        state: 'TASK_DROPPED',
        reason: 'REASON_CONTAINER_LAUNCH_FAILED',
        message: 'the node refused the pod: OutOfcpu Node didn’t have enough resource: cpu',
        completionTime: NOW,
      },
    ],
    [
      'deadline exceeded',
      { pod: pod({ phase: 'Failed', reason: 'DeadlineExceeded', message: 'too long' }), node: 'Ready' },
      {
        state: 'TASK_FAILED',
        reason: 'REASON_MAX_COMPLETION_TIME_REACHED',
        message: 'too long',
        completionTime: NOW,
      },
    ],
    [
      'killed by kmesos: pod still terminating',
      { pod: pod({ phase: 'Running', containerStatuses: [running] }, true), node: 'Ready', kill: {} },
      { state: 'TASK_KILLING', message: 'killing t-1', startTime: STARTED },
    ],
    [
      'kill asked, delete not yet seen',
      {
        pod: pod({ phase: 'Running', containerStatuses: [running] }),
        node: 'Ready',
        kill: { message: 'the Task is being deleted' },
      },
      { state: 'TASK_KILLING', message: 'the Task is being deleted', startTime: STARTED },
    ],
    [
      'deleted by someone else',
      { pod: pod({ phase: 'Running', containerStatuses: [running] }, true), node: 'Ready' },
      { state: 'TASK_KILLING', message: 't-1 is being deleted outside kmesos', startTime: STARTED },
    ],
    [
      'killed: container exited on SIGTERM',
      {
        pod: pod({ phase: 'Failed', containerStatuses: [exited(143)] }, true),
        node: 'Ready',
        kill: { reason: 'REASON_FRAMEWORK_REMOVED' },
      },
      {
        state: 'TASK_KILLED',
        reason: 'REASON_FRAMEWORK_REMOVED',
        message: 'the task was killed',
        exitCode: 143,
        startTime: STARTED,
        completionTime: ENDED,
      },
    ],
    [
      'killed: pod gone',
      { pod: undefined, node: 'Ready', kill: {}, previousState: 'TASK_KILLING' },
      { state: 'TASK_KILLED', reason: undefined, message: 'the task was killed', completionTime: NOW },
    ],
    [
      'killed during launch',
      { pod: undefined, node: 'Ready', kill: {}, previousState: 'TASK_STAGING' },
      {
        state: 'TASK_KILLED',
        reason: 'REASON_TASK_KILLED_DURING_LAUNCH',
        message: 'the task was killed',
        completionTime: NOW,
      },
    ],
    [
      'node NotReady',
      { pod: pod({ phase: 'Running', containerStatuses: [running] }), node: 'NotReady' },
      {
        state: 'TASK_UNREACHABLE',
        reason: 'REASON_AGENT_UNREACHABLE',
        message: 'node n1 is not ready (NotReady)',
        startTime: STARTED,
      },
    ],
    [
      'node Ready=Unknown',
      { pod: pod({ phase: 'Running', containerStatuses: [running] }), node: 'Unknown' },
      {
        state: 'TASK_UNREACHABLE',
        reason: 'REASON_AGENT_UNREACHABLE',
        message: 'node n1 is not ready (Unknown)',
        startTime: STARTED,
      },
    ],
    [
      'node deleted, pod still listed',
      { pod: pod({ phase: 'Running', containerStatuses: [running] }), node: 'Gone' },
      {
        state: 'TASK_GONE',
        reason: 'REASON_AGENT_REMOVED',
        message: 'node n1 was deleted',
        startTime: STARTED,
        completionTime: NOW,
      },
    ],
    [
      'node deleted, pod gone',
      { pod: undefined, node: 'Gone', nodeName: 'n1' },
      {
        state: 'TASK_GONE',
        reason: 'REASON_AGENT_REMOVED',
        message: 'node n1 was deleted',
        completionTime: NOW,
      },
    ],
    [
      'pod vanished otherwise',
      { pod: undefined, node: 'Ready' },
      {
        state: 'TASK_LOST',
        reason: 'REASON_RECONCILIATION',
        message: 'the pod disappeared without kmesos asking for it',
        completionTime: NOW,
      },
    ],
    [
      'a pod that ended before its node went away keeps its outcome',
      { pod: pod({ phase: 'Succeeded', containerStatuses: [exited(0)] }), node: 'Gone' },
      {
        state: 'TASK_FINISHED',
        message: 'the command exited with status 0',
        exitCode: 0,
        startTime: STARTED,
        completionTime: ENDED,
      },
    ],
  ])('%s', (_name, obs, want) => {
    expect(taskStateFromPod(obs, clock)).toEqual(want);
  });
});

describe('nodeHealth', () => {
  const node = (status?: string): V1Node => ({
    status: { conditions: status ? [{ type: 'Ready', status }] : [] },
  });
  it.each<[string, V1Node | undefined, string]>([
    ['ready', node('True'), 'Ready'],
    ['not ready', node('False'), 'NotReady'],
    ['unknown', node('Unknown'), 'Unknown'],
    ['no condition yet', node(), 'Unknown'],
    ['deleted', undefined, 'Gone'],
  ])('%s', (_name, n, want) => expect(nodeHealth(n)).toBe(want));
});

describe('taskStateFromPod for a task of a group (its own container)', () => {
  const named = (name: string, status: V1ContainerStatus): V1ContainerStatus => ({ ...status, name });
  const groupPod = (phase: string, a: V1ContainerStatus, b: V1ContainerStatus): V1Pod =>
    pod({ phase, startTime: new Date(STARTED), containerStatuses: [named('a', a), named('b', b)] });

  it.each<[string, V1Pod, string, Partial<ObservedTaskState>]>([
    [
      'its container exited 0 while another runs',
      groupPod('Running', exited(0), running),
      'a',
      { state: 'TASK_FINISHED', exitCode: 0 },
    ],
    [
      'the other container, still running',
      groupPod('Running', exited(0), running),
      'b',
      { state: 'TASK_RUNNING' },
    ],
    [
      'its container failed while the pod runs on',
      groupPod('Running', running, exited(3)),
      'b',
      { state: 'TASK_FAILED', reason: 'REASON_COMMAND_EXECUTOR_FAILED', exitCode: 3 },
    ],
    [
      'its container exited 0 in a pod that failed',
      groupPod('Failed', exited(0), exited(1)),
      'a',
      { state: 'TASK_FINISHED' },
    ],
    [
      'its container OOM-killed',
      groupPod('Running', exited(137, 'OOMKilled'), running),
      'a',
      { state: 'TASK_FAILED', reason: 'REASON_CONTAINER_LIMITATION_MEMORY' },
    ],
    [
      'its container still waiting in a running pod',
      groupPod('Running', running, waiting('PodInitializing')),
      'b',
      { state: 'TASK_STARTING' },
    ],
  ])('%s', (_what, p, container, want) => {
    expect(taskStateFromPod({ pod: p, node: 'Ready', container }, clock)).toMatchObject(want);
  });

  it('is killed with its group when kmesos kills the pod', () => {
    const p = groupPod('Running', running, running);
    expect(taskStateFromPod({ pod: p, node: 'Ready', container: 'a', kill: {} }, clock).state).toBe(
      'TASK_KILLING',
    );
    expect(taskStateFromPod({ pod: undefined, node: 'Ready', container: 'a', kill: {} }, clock).state).toBe(
      'TASK_KILLED',
    );
  });
});

describe('taskStateFromPod when the fetcher fails', () => {
  it('is a failed launch', () => {
    const failed = pod({
      phase: 'Failed',
      initContainerStatuses: [{ ...exited(1), name: 'fetch' }],
      containerStatuses: [waiting('PodInitializing')],
    });
    expect(taskStateFromPod({ pod: failed, node: 'Ready' }, clock)).toMatchObject({
      state: 'TASK_FAILED',
      reason: 'REASON_CONTAINER_LAUNCH_FAILED',
      message: "fetching the task's URIs failed with status 1",
    });
  });
});
