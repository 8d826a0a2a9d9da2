import type { TaskStatus } from '../api/types.js';
import { ManualClock } from '../util/clock.js';
import type { RetryDecision } from './retry.js';
import type { ObservedTaskState } from './task-state.js';
import {
  launchedTaskStatus,
  observedTaskStatus,
  retryTaskStatus,
  stateReason,
  waitingTaskStatus,
} from './task-status.js';

const T0 = '2024-05-01T12:00:00Z';
const clock = new ManualClock(Date.parse(T0));
const launch = { attempt: 1, podName: 't-1', nodeName: 'n1', agentID: 'uid-n1', offerID: 'o-7' };
const cond = (s: TaskStatus, type: string): string | undefined => {
  const c = s.conditions?.find((x) => x.type === type);
  return c && `${c.status}/${c.reason}`;
};

describe('stateReason', () => {
  it.each([
    ['TASK_RUNNING', 'TaskRunning'],
    ['TASK_GONE_BY_OPERATOR', 'TaskGoneByOperator'],
  ] as const)('%s → %s', (state, want) => expect(stateReason(state)).toBe(want));
});

describe('task status steps', () => {
  it('waiting sets Scheduled=False with the reason', () => {
    const s = waitingTaskStatus(
      undefined,
      { reason: 'Unschedulable', message: 'no node has 64 cpu' },
      1,
      clock,
    );
    expect(s).toEqual({
      observedGeneration: 1,
      conditions: [
        {
          type: 'Scheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: 'no node has 64 cpu',
          observedGeneration: 1,
          lastTransitionTime: T0,
        },
      ],
    });
  });

  it('a launch is TASK_STAGING with attempt, pod, node, agent and offer', () => {
    const s = launchedTaskStatus(undefined, launch, 1, clock);
    expect(s).toMatchObject({
      state: 'TASK_STAGING',
      attempt: 1,
      podName: 't-1',
      nodeName: 'n1',
      agentID: 'uid-n1',
      offerID: 'o-7',
      launchTime: T0,
    });
    expect(s.previousNodes).toBeUndefined();
    expect(cond(s, 'Scheduled')).toBe('True/Launched');
    expect(cond(s, 'Running')).toBe('False/TaskStaging');
  });

  it('a retry launch forgets the last attempt but remembers its node', () => {
    const failed: TaskStatus = {
      ...launchedTaskStatus(undefined, launch, 1, clock),
      state: 'TASK_FAILED',
      reason: 'REASON_COMMAND_EXECUTOR_FAILED',
      exitCode: 1,
      completionTime: T0,
      nextRetryTime: T0,
    };
    const s = launchedTaskStatus(failed, { ...launch, attempt: 2, podName: 't-2', nodeName: 'n2' }, 1, clock);
    expect(s).toMatchObject({ state: 'TASK_STAGING', attempt: 2, nodeName: 'n2', previousNodes: ['n1'] });
    for (const k of ['reason', 'exitCode', 'completionTime', 'nextRetryTime', 'startTime'] as const)
      expect(s[k]).toBeUndefined();
  });

  it.each<[string, ObservedTaskState, Partial<TaskStatus>, string]>([
    [
      'running',
      { state: 'TASK_RUNNING', message: 'up', startTime: T0 },
      { state: 'TASK_RUNNING', startTime: T0 },
      'True/TaskRunning',
    ],
    [
      'failed',
      {
        state: 'TASK_FAILED',
        reason: 'REASON_COMMAND_EXECUTOR_FAILED',
        message: 'exit 2',
        exitCode: 2,
        completionTime: T0,
      },
      { state: 'TASK_FAILED', reason: 'REASON_COMMAND_EXECUTOR_FAILED', exitCode: 2, completionTime: T0 },
      'False/TaskFailed',
    ],
  ])('observing %s', (_name, observed, want, running) => {
    const s = observedTaskStatus(launchedTaskStatus(undefined, launch, 1, clock), observed, 1, clock);
    expect(s).toMatchObject({ ...want, message: observed.message });
    expect(cond(s, 'Running')).toBe(running);
  });

  it('a terminal state is final for its attempt', () => {
    const done = observedTaskStatus(
      launchedTaskStatus(undefined, launch, 1, clock),
      { state: 'TASK_FINISHED', message: 'ok', exitCode: 0, completionTime: T0 },
      1,
      clock,
    );
    expect(done).toMatchObject({ state: 'TASK_FINISHED', exitCode: 0, message: 'ok', completionTime: T0 });
    expect(
      observedTaskStatus(done, { state: 'TASK_LOST', message: 'gone', completionTime: T0 }, 1, clock),
    ).toBe(done);
  });

  it('clears a stale reason when the new state has none', () => {
    const unreachable = observedTaskStatus(
      launchedTaskStatus(undefined, launch, 1, clock),
      { state: 'TASK_UNREACHABLE', reason: 'REASON_AGENT_UNREACHABLE', message: 'n1 down' },
      1,
      clock,
    );
    expect(unreachable).toMatchObject({ state: 'TASK_UNREACHABLE', reason: 'REASON_AGENT_UNREACHABLE' });
    const back = observedTaskStatus(unreachable, { state: 'TASK_RUNNING', message: 'up' }, 1, clock);
    expect(back).toMatchObject({ state: 'TASK_RUNNING', message: 'up' });
    expect(back.reason).toBeUndefined();
  });

  describe('retryTaskStatus', () => {
    const failed: TaskStatus = { state: 'TASK_FAILED', attempt: 3, nodeName: 'n1', completionTime: T0 };
    it.each<[string, RetryDecision, Partial<TaskStatus>, string | undefined]>([
      [
        'backing off',
        { retry: true, attempt: 4, notBefore: Date.parse(T0) + 10_000, due: false, avoidNodes: ['n1'] },
        { nextRetryTime: '2024-05-01T12:00:10Z' },
        'False/BackoffWaiting',
      ],
      ['exhausted', { retry: false, why: 'AttemptsExhausted' }, {}, 'False/RetriesExhausted'],
      ['not retriable', { retry: false, why: 'NotRetriable' }, {}, undefined],
    ])('%s', (_name, decision, want, scheduled) => {
      const s = retryTaskStatus({ ...failed, nextRetryTime: 'x' }, decision, 5, 1, clock);
      expect(s).toMatchObject({ ...want, state: 'TASK_FAILED' });
      if (!decision.retry) expect(s.nextRetryTime).toBeUndefined();
      expect(cond(s, 'Scheduled')).toBe(scheduled);
    });
  });
});
