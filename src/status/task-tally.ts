import { TASK_STATES, type TaskState } from '../api/task-states.js';
import type { TaskStatus } from '../api/types.js';

/** A framework's tasks: how many wait for resources, and the launched ones by state. */
export interface TaskCounts {
  pending: number;
  /** In TASK_STATES order, so equal counts serialise equally; states with no task are absent. */
  byState: Partial<Record<TaskState, number>>;
}

/** Whether a task waits for resources: never launched, or waiting for a retry. */
export function isPendingTask(status: TaskStatus | undefined): boolean {
  return status?.state === undefined || status.nextRetryTime !== undefined;
}

type Bucket = 'pending' | TaskState;

function bucketOf(status: TaskStatus | undefined): Bucket {
  const state = status?.state;
  return state === undefined || isPendingTask(status) ? 'pending' : state;
}

/**
 * Each framework's task counts, kept as tasks' statuses are decided, so a status pass over many
 * frameworks reads counts instead of walking every task each time.
 */
export class TaskTally {
  private readonly counted = new Map<string, { framework: string; bucket: Bucket }>();
  private readonly byFramework = new Map<string, Map<Bucket, number>>();

  /** Counts the task `key` of `framework` with `status`, in place of what it was counted as before. */
  set(key: string, framework: string, status: TaskStatus | undefined): void {
    const bucket = bucketOf(status);
    const before = this.counted.get(key);
    if (before?.framework === framework && before.bucket === bucket) return;
    if (before) this.add(before.framework, before.bucket, -1);
    this.counted.set(key, { framework, bucket });
    this.add(framework, bucket, 1);
  }

  delete(key: string): void {
    const before = this.counted.get(key);
    if (!before) return;
    this.counted.delete(key);
    this.add(before.framework, before.bucket, -1);
  }

  of(framework: string): TaskCounts {
    const counts = this.byFramework.get(framework);
    const byState: Partial<Record<TaskState, number>> = {};
    if (!counts) return { pending: 0, byState };
    for (const s of TASK_STATES) {
      const n = counts.get(s);
      if (n !== undefined) byState[s] = n;
    }
    return { pending: counts.get('pending') ?? 0, byState };
  }

  private add(framework: string, bucket: Bucket, delta: number): void {
    let counts = this.byFramework.get(framework);
    if (!counts) {
      counts = new Map();
      this.byFramework.set(framework, counts);
    }
    const n = (counts.get(bucket) ?? 0) + delta;
    if (n !== 0) counts.set(bucket, n);
    else counts.delete(bucket);
    if (counts.size === 0) this.byFramework.delete(framework);
  }
}
