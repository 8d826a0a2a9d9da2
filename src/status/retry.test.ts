import type { RetryPolicy, TaskStatus } from '../api/types.js';
import { ManualClock } from '../util/clock.js';
import { backoffDelayMs, retryDecision, type RetryDecision } from './retry.js';

const policy: RetryPolicy = { maxAttempts: 4, backoffSeconds: 10, backoffFactor: 2, maxBackoffSeconds: 30 };
const ENDED = Date.parse('2024-05-01T12:00:00Z');

describe('backoffDelayMs', () => {
  it.each([
    [1, 10_000], // 10 s
    [2, 20_000], // 10 × 2
    [3, 30_000], // 10 × 4 = 40, capped at 30
    [9, 30_000],
  ])('retry %i waits %i ms', (n, want) => expect(backoffDelayMs(policy, n)).toBe(want));
});

describe('retryDecision', () => {
  const failed = (attempt: number, extra: Partial<TaskStatus> = {}): TaskStatus => ({
    state: 'TASK_FAILED',
    attempt,
    nodeName: 'n2',
    previousNodes: ['n1'],
    completionTime: '2024-05-01T12:00:00Z',
    ...extra,
  });
  it.each<[string, TaskStatus, number, RetryDecision]>([
    [
      'running: nothing to decide',
      { state: 'TASK_RUNNING', attempt: 1 },
      ENDED,
      { retry: false, why: 'NotTerminal' },
    ],
    ['pending: nothing to decide', {}, ENDED, { retry: false, why: 'NotTerminal' }],
    ['finished', { state: 'TASK_FINISHED', attempt: 1 }, ENDED, { retry: false, why: 'NotRetriable' }],
    ['killed on request', { state: 'TASK_KILLED', attempt: 1 }, ENDED, { retry: false, why: 'NotRetriable' }],
    ['task error', { state: 'TASK_ERROR', attempt: 1 }, ENDED, { retry: false, why: 'NotRetriable' }],
    [
      'failed attempt 2: retry 3 after 20 s, avoiding n1 and n2',
      failed(2),
      ENDED + 5_000,
      { retry: true, attempt: 3, notBefore: ENDED + 20_000, due: false, avoidNodes: ['n1', 'n2'] },
    ],
    [
      'due once the backoff passed',
      failed(1, { state: 'TASK_LOST', previousNodes: [] }),
      ENDED + 10_000,
      { retry: true, attempt: 2, notBefore: ENDED + 10_000, due: true, avoidNodes: ['n2'] },
    ],
    [
      'gone, attempts left',
      failed(3, { state: 'TASK_GONE' }),
      ENDED,
      { retry: true, attempt: 4, notBefore: ENDED + 30_000, due: false, avoidNodes: ['n1', 'n2'] },
    ],
    ['attempts exhausted', failed(4), ENDED, { retry: false, why: 'AttemptsExhausted' }],
    [
      'preempted attempts do not count: 4 attempts, 1 preempted, retry 5 after 30 s',
      failed(4, { preemptedAttempts: 1 }),
      ENDED,
      { retry: true, attempt: 5, notBefore: ENDED + 30_000, due: false, avoidNodes: ['n1', 'n2'] },
    ],
    [
      'a preempted attempt is launched again at once, anywhere, even the last one',
      failed(4, { state: 'TASK_KILLED', reason: 'REASON_CONTAINER_PREEMPTED', preemptedAttempts: 1 }),
      ENDED,
      { retry: true, attempt: 5, notBefore: ENDED, due: true, avoidNodes: [] },
    ],
  ])('%s', (_name, status, now, want) => {
    expect(retryDecision(policy, status, new ManualClock(now))).toEqual(want);
  });

  it('counts from the clock when the completion time is unknown', () => {
    const d = retryDecision(policy, { state: 'TASK_DROPPED', attempt: 1 }, new ManualClock(1_000));
    expect(d).toEqual({ retry: true, attempt: 2, notBefore: 11_000, due: false, avoidNodes: [] });
  });
});
