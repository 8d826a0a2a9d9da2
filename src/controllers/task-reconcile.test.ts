import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { Framework, Task, TaskStatus } from '../api/types.js';
import { ManualClock } from '../util/clock.js';
import { reconcileTask, type TaskInputs } from './task-reconcile.js';

const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));

function task(over: Partial<Task['metadata']> = {}, retry = { maxAttempts: 2 }): Task {
  return {
    apiVersion: 'kmesos.io/v1alpha1',
    kind: 'Task',
    metadata: { name: 't', namespace: 'ns', uid: 'u1', generation: 1, ...over },
    spec: {
      framework: 'fw',
      resources: { cpu: '1' },
      command: 'true',
      priority: 0,
      preemptible: true,
      killGracePeriodSeconds: 30,
      retry: { backoffSeconds: 0, backoffFactor: 2, maxBackoffSeconds: 300, ...retry },
    },
  };
}

const framework = { metadata: { name: 'fw', namespace: 'ns' }, spec: {} } as unknown as Framework;
const ready: V1Node = {
  metadata: { name: 'n1' },
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
};
const notReady: V1Node = {
  metadata: { name: 'n1' },
  status: { conditions: [{ type: 'Ready', status: 'False' }] },
};

function pod(attempt: number, phase: string, exitCode?: number): V1Pod {
  return {
    metadata: { name: `t-${attempt}`, namespace: 'ns', labels: { 'kmesos.io/attempt': String(attempt) } },
    spec: { nodeName: 'n1', containers: [] },
    status: {
      phase,
      ...(exitCode !== undefined
        ? {
            containerStatuses: [
              {
                name: 'task',
                image: 'x',
                ready: false,
                restartCount: 0,
                imageID: '',
                state: { terminated: { exitCode } },
              },
            ],
          }
        : {}),
    },
  };
}

const staged: TaskStatus = { state: 'TASK_STAGING', attempt: 1, podName: 't-1', nodeName: 'n1' };

function inputs(over: Partial<TaskInputs>): TaskInputs {
  return {
    task: task(),
    status: undefined,
    pods: [],
    nodes: new Map([['n1', ready]]),
    framework,
    launching: () => false,
    ...over,
  };
}

describe('reconcileTask', () => {
  it.each([
    {
      name: 'a new task is pending for attempt 1',
      in: inputs({}),
      want: { pending: { attempt: 1, podName: 't-1', avoidNodes: [] }, state: undefined },
    },
    {
      name: 'a running pod makes the task TASK_RUNNING',
      in: inputs({ status: staged, pods: [pod(1, 'Running')] }),
      want: { pending: undefined, state: 'TASK_RUNNING' },
    },
    {
      name: 'a pod still being created is not lost',
      in: inputs({ status: staged, launching: () => true }),
      want: { pending: undefined, state: 'TASK_STAGING' },
    },
    {
      name: 'a vanished pod is TASK_LOST and retried at once (backoff 0) avoiding its node',
      in: inputs({ status: staged }),
      want: { pending: { attempt: 2, podName: 't-2', avoidNodes: ['n1'] }, state: 'TASK_LOST' },
    },
    {
      name: 'a succeeded pod finishes the task, no retry',
      in: inputs({ status: staged, pods: [pod(1, 'Succeeded', 0)] }),
      want: { pending: undefined, state: 'TASK_FINISHED' },
    },
    {
      name: 'a pod on a NotReady node is TASK_UNREACHABLE',
      in: inputs({ status: staged, pods: [pod(1, 'Running')], nodes: new Map([['n1', notReady]]) }),
      want: { pending: undefined, state: 'TASK_UNREACHABLE' },
    },
    {
      name: 'a pod of a node that was deleted is TASK_GONE',
      in: inputs({ status: staged, pods: [pod(1, 'Running')], nodes: new Map() }),
      want: { pending: { attempt: 2, podName: 't-2', avoidNodes: ['n1'] }, state: 'TASK_GONE' },
    },
    {
      name: 'the last attempt failing leaves no retry',
      in: inputs({
        status: { ...staged, attempt: 2, podName: 't-2' },
        pods: [pod(1, 'Failed', 1), pod(2, 'Failed', 3)],
      }),
      want: { pending: undefined, state: 'TASK_FAILED' },
    },
  ])('$name', ({ in: i, want }) => {
    const d = reconcileTask(i, clock);
    expect(d.pending).toEqual(want.pending);
    expect(d.status.state).toBe(want.state);
    expect(d.kill).toBeUndefined();
  });

  it('adopts a pod of an attempt the status does not know (a status write lost in a crash)', () => {
    const d = reconcileTask(inputs({ status: undefined, pods: [pod(1, 'Running')] }), clock);
    expect(d.status).toMatchObject({ attempt: 1, podName: 't-1', nodeName: 'n1', state: 'TASK_RUNNING' });
    expect(d.pending).toBeUndefined();
  });

  it('kills the live pods of a Task deleted in the foreground with its grace period, then waits', () => {
    const deleting = task({ deletionTimestamp: new Date() });
    const d = reconcileTask(
      inputs({ task: deleting, status: { ...staged, state: 'TASK_RUNNING' }, pods: [pod(1, 'Running')] }),
      clock,
    );
    expect(d.kill).toEqual({ podNames: ['t-1'], gracePeriodSeconds: 30 });
    expect(d.status.state).toBe('TASK_KILLING');
    const gone = reconcileTask(inputs({ task: deleting, status: d.status, pods: [] }), clock);
    expect(gone.kill).toBeUndefined();
    expect(gone.pending).toBeUndefined();
  });

  it('waits for a missing framework, and kills what runs when its framework is removed', () => {
    const waiting = reconcileTask(inputs({ framework: undefined }), clock);
    expect(waiting.pending).toBeUndefined();
    expect(waiting.status.conditions?.[0]).toMatchObject({
      type: 'Scheduled',
      status: 'False',
      reason: 'FrameworkNotFound',
    });
    const removed = reconcileTask(
      inputs({ framework: undefined, status: staged, pods: [pod(1, 'Running')] }),
      clock,
    );
    expect(removed.kill?.podNames).toEqual(['t-1']);
    // Its pod gone, the attempt ends as KILLED by the framework's removal, and is not retried.
    const ended = reconcileTask(
      inputs({ framework: undefined, status: { ...staged, state: 'TASK_RUNNING' } }),
      clock,
    );
    expect([ended.status.state, ended.status.reason, ended.status.message]).toEqual([
      'TASK_KILLED',
      'REASON_FRAMEWORK_REMOVED',
      'Framework fw was removed',
    ]);
    expect(ended.status.completionTime).toBeDefined();
    expect([ended.kill, ended.pending]).toEqual([undefined, undefined]);
    // And stays so.
    const again = reconcileTask(inputs({ framework: undefined, status: ended.status }), clock);
    expect(again.status.state).toBe('TASK_KILLED');
  });
});

describe('reconcileTask for a custom executor’s task', () => {
  const executorTask: Task = {
    ...task({ name: 'job' }, { maxAttempts: 1 }),
    spec: {
      ...task({ name: 'job' }, { maxAttempts: 1 }).spec,
      group: 'job',
      executor: { id: 'e1', type: 'Custom' },
    },
  };
  const launched: TaskStatus = { state: 'TASK_STAGING', attempt: 1, podName: 'job-1', nodeName: 'n1' };
  const executorPod = (phase: string, exitCode?: number): V1Pod => ({
    ...pod(1, phase),
    metadata: { name: 'job-1', namespace: 'ns', labels: { 'kmesos.io/attempt': '1' } },
    status: {
      phase,
      containerStatuses: [
        {
          name: 'executor',
          image: 'x',
          ready: true,
          restartCount: 0,
          imageID: '',
          state: exitCode === undefined ? { running: {} } : { terminated: { exitCode } },
        },
      ],
    },
  });

  it.each<[string, Partial<TaskInputs>, string, string | undefined]>([
    [
      'before the executor reports, a running pod leaves it staging',
      { pods: [executorPod('Running')] },
      'TASK_STAGING',
      undefined,
    ],
    [
      'the executor’s report decides while its pod runs',
      { pods: [executorPod('Running')], reported: { state: 'TASK_RUNNING', message: 'up' } },
      'TASK_RUNNING',
      undefined,
    ],
    [
      'an executor that exits before its task ended fails the task',
      { pods: [executorPod('Succeeded', 0)], reported: { state: 'TASK_RUNNING', message: 'up' } },
      'TASK_FAILED',
      'REASON_EXECUTOR_TERMINATED',
    ],
    ['a pod that vanished loses the task', { pods: [] }, 'TASK_LOST', 'REASON_RECONCILIATION'],
  ])('%s', (_name, over, state, reason) => {
    const d = reconcileTask(inputs({ task: executorTask, status: launched, ...over }), clock);
    expect([d.status.state, d.status.reason]).toEqual([state, reason]);
  });
});

describe('reconcileTask: preemption', () => {
  const preempted: TaskStatus = {
    ...staged,
    state: 'TASK_RUNNING',
    preemption: {
      attempt: 1,
      reason: 'FairShare',
      preemptor: 'ns/p',
      message: 'restores the fair share of ns/b',
    },
    preemptedAttempts: 1,
  };

  it('kills the pod of a preempted attempt with its grace period, ends it KILLED/PREEMPTED and requeues it at once', () => {
    const running = reconcileTask(inputs({ status: preempted, pods: [pod(1, 'Running')] }), clock);
    expect(running.kill).toEqual({ podNames: ['t-1'], gracePeriodSeconds: 30 });
    expect(running.status.state).toBe('TASK_KILLING');
    // Being deleted: not killed twice.
    const deleting = pod(1, 'Running');
    deleting.metadata = { ...deleting.metadata, deletionTimestamp: new Date() };
    expect(reconcileTask(inputs({ status: running.status, pods: [deleting] }), clock).kill).toBeUndefined();
    // Gone: TASK_KILLED with Mesos' preemption reason, and attempt 2 is pending now, anywhere.
    const gone = reconcileTask(inputs({ status: running.status, pods: [] }), clock);
    expect([gone.status.state, gone.status.reason]).toEqual(['TASK_KILLED', 'REASON_CONTAINER_PREEMPTED']);
    expect(gone.status.message).toBe('preempted for task ns/p: restores the fair share of ns/b');
    expect(gone.pending).toEqual({ attempt: 2, podName: 't-2', avoidNodes: [] });
    expect(gone.status.conditions?.find((c) => c.type === 'Scheduled')).toMatchObject({
      status: 'False',
      reason: 'Preempted',
    });
  });

  it('does not use up a retry: a task with one attempt allowed runs again, and fails for good only on its own failure', () => {
    // maxAttempts 1: the preempted attempt 1 is followed by attempt 2.
    const one = task({}, { maxAttempts: 1 });
    const gone = reconcileTask(inputs({ task: one, status: preempted, pods: [] }), clock);
    expect(gone.pending?.attempt).toBe(2);
    // Attempt 2 fails on its own: 2 attempts − 1 preempted = 1 used of 1, no retry left.
    const failed = reconcileTask(
      inputs({
        task: one,
        status: { ...gone.status, state: 'TASK_STAGING', attempt: 2, podName: 't-2' },
        pods: [pod(2, 'Failed', 1)],
      }),
      clock,
    );
    expect(failed.status.state).toBe('TASK_FAILED');
    expect(failed.pending).toBeUndefined();
  });

  it("leaves an External framework's preempted task to its scheduler", () => {
    const external = { ...framework, spec: { scheduler: 'External' } } as unknown as Framework;
    const gone = reconcileTask(inputs({ framework: external, status: preempted, pods: [] }), clock);
    expect([gone.status.state, gone.status.reason, gone.pending]).toEqual([
      'TASK_KILLED',
      'REASON_CONTAINER_PREEMPTED',
      undefined,
    ]);
  });
});
