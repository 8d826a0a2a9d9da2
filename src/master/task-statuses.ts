import { isTerminalState, type TaskState } from '../api/task-states.js';
import { parseTime } from '../api/time.js';
import type { TaskStatus } from '../api/types.js';

/** One entry of a Mesos task's `statuses`: a state and when it was reached, in seconds. */
export interface StatusEntry {
  readonly state: TaskState;
  readonly timestamp: number;
}

const seconds = (ms: number): number => ms / 1000;

/**
 * A task's status history as Mesos lists it, oldest first, rebuilt from what kmesos keeps of
 * the current attempt: TASK_STAGING at its launch, TASK_RUNNING when it started, its terminal
 * state when it ended, and the current state if none of those is it (TASK_STARTING, say,
 * dated by the latest time known). Empty for a task that was never launched.
 */
export function taskStatuses(status: TaskStatus | undefined, nowMs: number): StatusEntry[] {
  const state = status?.state;
  if (state === undefined) return [];
  const out: StatusEntry[] = [];
  const launched = parseTime(status?.launchTime);
  const started = parseTime(status?.startTime);
  const ended = parseTime(status?.completionTime);
  if (launched !== undefined) out.push({ state: 'TASK_STAGING', timestamp: seconds(launched) });
  if (started !== undefined) out.push({ state: 'TASK_RUNNING', timestamp: seconds(started) });
  if (ended !== undefined && isTerminalState(state)) out.push({ state, timestamp: seconds(ended) });
  if (out.at(-1)?.state !== state) out.push({ state, timestamp: seconds(latestChange(status, nowMs)) });
  return out.sort((a, b) => a.timestamp - b.timestamp);
}

/** The last time the status is known to have changed: its times and its Running condition's. */
function latestChange(status: TaskStatus | undefined, nowMs: number): number {
  const running = status?.conditions?.find((c) => c.type === 'Running');
  const times = [status?.launchTime, status?.startTime, status?.completionTime, running?.lastTransitionTime]
    .map((t) => parseTime(t))
    .filter((t): t is number => t !== undefined);
  return times.length > 0 ? Math.max(...times) : nowMs;
}
