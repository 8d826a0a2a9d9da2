/**
 * The Kubernetes Events a person would want for a Task's status change: one per transition that
 * raises "why?" — launched (where), ended (how), unreachable, unschedulable, backing off, out
 * of retries. Starting to run is what a launched task is expected to do, and the status and
 * the pod's own events show it: an Event for it would double the writes of every task.
 * Pure: the controller records them (reason CamelCase, type Normal or Warning).
 */
import type { TaskState } from '../api/task-states.js';
import type { Condition, TaskStatus } from '../api/types.js';
import { TASK_CONDITIONS } from './task-status.js';

export interface EventSpec {
  type: 'Normal' | 'Warning';
  /** CamelCase, e.g. `Launched`. */
  reason: string;
  message: string;
}

const STATE_EVENTS: Record<TaskState, { type: EventSpec['type']; reason: string } | undefined> = {
  TASK_STAGING: { type: 'Normal', reason: 'Launched' },
  TASK_STARTING: undefined,
  TASK_RUNNING: undefined,
  TASK_KILLING: { type: 'Normal', reason: 'Killing' },
  TASK_FINISHED: { type: 'Normal', reason: 'Finished' },
  TASK_FAILED: { type: 'Warning', reason: 'Failed' },
  TASK_KILLED: { type: 'Normal', reason: 'Killed' },
  TASK_ERROR: { type: 'Warning', reason: 'Error' },
  TASK_LOST: { type: 'Warning', reason: 'Lost' },
  TASK_DROPPED: { type: 'Warning', reason: 'Dropped' },
  TASK_UNREACHABLE: { type: 'Warning', reason: 'AgentUnreachable' },
  TASK_GONE: { type: 'Warning', reason: 'AgentRemoved' },
  TASK_GONE_BY_OPERATOR: { type: 'Warning', reason: 'AgentRemoved' },
  TASK_UNKNOWN: { type: 'Warning', reason: 'Unknown' },
};

/** Scheduled=False reasons worth an event, and their type. Pending is the normal wait: no event. */
const WAITING_EVENTS: Record<string, EventSpec['type'] | undefined> = {
  Unschedulable: 'Warning',
  BackoffWaiting: 'Normal',
  RetriesExhausted: 'Warning',
  FrameworkNotFound: 'Warning',
  InvalidSpec: 'Warning',
};

function stateMessage(s: TaskStatus): string {
  const where = s.nodeName ? ` on node ${s.nodeName}` : '';
  const attempt = s.attempt ? ` (attempt ${s.attempt})` : '';
  const reason = s.reason ? ` [${s.reason}]` : '';
  const exit = s.exitCode !== undefined && s.state !== 'TASK_FINISHED' ? ` exit code ${s.exitCode};` : '';
  return `${s.state ?? ''}${where}${attempt}${reason}:${exit} ${s.message ?? ''}`.trim();
}

function scheduled(s: TaskStatus | undefined): Condition | undefined {
  return s?.conditions?.find((c) => c.type === TASK_CONDITIONS.scheduled);
}

function stateEvents(old: TaskStatus | undefined, next: TaskStatus): EventSpec[] {
  if (next.state === undefined) return [];
  const changed = old?.state !== next.state || old.attempt !== next.attempt;
  if (!changed) return [];
  if (old?.state === 'TASK_UNREACHABLE' && next.state === 'TASK_RUNNING' && old.attempt === next.attempt)
    return [
      {
        type: 'Normal',
        reason: 'AgentReachable',
        message: `node ${next.nodeName ?? ''} is reachable again; the task is running`,
      },
    ];
  const e = STATE_EVENTS[next.state];
  return e === undefined ? [] : [{ ...e, message: stateMessage(next) }];
}

function waitingEvents(old: TaskStatus | undefined, next: TaskStatus): EventSpec[] {
  const c = scheduled(next);
  if (c === undefined || c.status !== 'False') return [];
  const type = WAITING_EVENTS[c.reason];
  const before = scheduled(old);
  // A new reason, or new words for the same reason (another resource is short), is news; a rewrite is not.
  if (
    type === undefined ||
    (before?.status === 'False' && before.reason === c.reason && before.message === c.message)
  )
    return [];
  return [{ type, reason: c.reason, message: c.message }];
}

export function taskEvents(old: TaskStatus | undefined, next: TaskStatus): EventSpec[] {
  return [...stateEvents(old, next), ...waitingEvents(old, next)];
}
