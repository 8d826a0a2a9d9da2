/**
 * Whether and when a task that ended is launched again (`spec.retry`): failed, lost, dropped and
 * gone tasks are retried on another agent while attempts remain, after an exponential backoff with
 * a cap. The wait counts from the attempt's completionTime, so a restarted operator computes the
 * same retry time as the one that saw the failure. A preempted attempt (TASK_KILLED,
 * REASON_CONTAINER_PREEMPTED) is launched again at once, anywhere, and never counts against
 * maxAttempts: the task did nothing wrong.
 */
import { isTerminalState, type TaskState } from '../api/task-states.js';
import { parseTime } from '../api/time.js';
import type { RetryPolicy, TaskStatus } from '../api/types.js';
import type { Clock } from '../util/clock.js';

export const RETRIABLE_STATES: ReadonlySet<TaskState> = new Set<TaskState>([
  'TASK_FAILED',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
]);

export type RetryDecision =
  | {
      retry: true;
      /** The attempt to launch next. */
      attempt: number;
      /** Epoch ms before which it must not launch. */
      notBefore: number;
      /** Whether notBefore has passed. */
      due: boolean;
      /** Nodes the next attempt should avoid: every node an earlier attempt ran on. */
      avoidNodes: string[];
    }
  | { retry: false; why: 'NotTerminal' | 'NotRetriable' | 'AttemptsExhausted' };

/** The wait before retry number `retryNumber` (1 for the first retry): backoff × factor^(n-1), capped. */
export function backoffDelayMs(policy: RetryPolicy, retryNumber: number): number {
  const seconds = policy.backoffSeconds * Math.pow(policy.backoffFactor, Math.max(0, retryNumber - 1));
  return Math.round(Math.min(seconds, policy.maxBackoffSeconds) * 1000);
}

/** The attempt ended because kmesos preempted it. */
export function wasPreempted(status: TaskStatus): boolean {
  return status.state === 'TASK_KILLED' && status.reason === 'REASON_CONTAINER_PREEMPTED';
}

/**
 * `requeuePreempted`: launch a preempted attempt again (built-in frameworks); an external
 * framework's scheduler decides that itself, as on Mesos.
 */
export function retryDecision(
  policy: RetryPolicy,
  status: TaskStatus,
  clock: Clock,
  requeuePreempted = true,
): RetryDecision {
  if (!isTerminalState(status.state)) return { retry: false, why: 'NotTerminal' };
  const attempt = status.attempt ?? 1;
  const ended = parseTime(status.completionTime) ?? clock.now();
  if (requeuePreempted && wasPreempted(status))
    return { retry: true, attempt: attempt + 1, notBefore: ended, due: clock.now() >= ended, avoidNodes: [] };
  if (status.state === undefined || !RETRIABLE_STATES.has(status.state))
    return { retry: false, why: 'NotRetriable' };
  // Preempted attempts are not the task's failures.
  const used = attempt - (status.preemptedAttempts ?? 0);
  if (used >= policy.maxAttempts) return { retry: false, why: 'AttemptsExhausted' };
  const notBefore = ended + backoffDelayMs(policy, used);
  const avoidNodes = [...(status.previousNodes ?? []), ...(status.nodeName ? [status.nodeName] : [])];
  return {
    retry: true,
    attempt: attempt + 1,
    notBefore,
    due: clock.now() >= notBefore,
    avoidNodes: [...new Set(avoidNodes)],
  };
}
