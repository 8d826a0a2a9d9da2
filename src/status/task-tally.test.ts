import fc from 'fast-check';
import { TASK_STATES, type TaskState } from '../api/task-states.js';
import type { TaskStatus } from '../api/types.js';
import { isPendingTask, TaskTally, type TaskCounts } from './task-tally.js';

const T0 = '2024-05-01T12:00:00Z';

/** The counts of a list of tasks, worked out from scratch. */
function countAll(statuses: readonly (TaskStatus | undefined)[]): TaskCounts {
  let pending = 0;
  const byState: Partial<Record<TaskState, number>> = {};
  for (const s of statuses) {
    if (isPendingTask(s) || s?.state === undefined) pending++;
    else byState[s.state] = (byState[s.state] ?? 0) + 1;
  }
  const ordered: Partial<Record<TaskState, number>> = {};
  for (const s of TASK_STATES) if (byState[s] !== undefined) ordered[s] = byState[s];
  return { pending, byState: ordered };
}

describe('TaskTally', () => {
  it('counts launched tasks by state; never-launched and retrying ones as pending', () => {
    const tally = new TaskTally();
    const statuses: (TaskStatus | undefined)[] = [
      undefined,
      { conditions: [] },
      { state: 'TASK_RUNNING' },
      { state: 'TASK_RUNNING' },
      { state: 'TASK_FINISHED' },
      { state: 'TASK_FAILED', nextRetryTime: T0 },
      { state: 'TASK_FAILED' },
    ];
    statuses.forEach((s, i) => tally.set(`ns/t${i}`, 'ns/fw', s));
    expect(tally.of('ns/fw')).toEqual({
      pending: 3,
      byState: { TASK_RUNNING: 2, TASK_FINISHED: 1, TASK_FAILED: 1 },
    });
    expect(tally.of('ns/other')).toEqual({ pending: 0, byState: {} });
  });

  it('moves a task between states and frameworks, and forgets a deleted one', () => {
    const tally = new TaskTally();
    tally.set('ns/a', 'ns/fw', undefined);
    tally.set('ns/a', 'ns/fw', { state: 'TASK_STAGING' });
    tally.set('ns/a', 'ns/fw', { state: 'TASK_RUNNING' });
    expect(tally.of('ns/fw')).toEqual({ pending: 0, byState: { TASK_RUNNING: 1 } });
    tally.set('ns/a', 'ns/fw2', { state: 'TASK_RUNNING' });
    expect(tally.of('ns/fw')).toEqual({ pending: 0, byState: {} });
    tally.delete('ns/a');
    tally.delete('ns/a');
    expect(tally.of('ns/fw2')).toEqual({ pending: 0, byState: {} });
  });

  it('lists states in their fixed order, whatever order they were counted in', () => {
    const tally = new TaskTally();
    tally.set('ns/b', 'ns/fw', { state: 'TASK_FINISHED' });
    tally.set('ns/a', 'ns/fw', { state: 'TASK_RUNNING' });
    expect(JSON.stringify(tally.of('ns/fw').byState)).toBe('{"TASK_RUNNING":1,"TASK_FINISHED":1}');
  });

  it('always equals a count of the tasks as they are now', () => {
    const status = fc.option(
      fc.record(
        { state: fc.constantFrom(...TASK_STATES), nextRetryTime: fc.constant(T0) },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    );
    const op = fc.oneof(
      fc.record({
        set: fc.constant(true),
        task: fc.integer({ min: 0, max: 5 }),
        framework: fc.constantFrom('ns/a', 'ns/b'),
        status,
      }),
      fc.record({ set: fc.constant(false), task: fc.integer({ min: 0, max: 5 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const tally = new TaskTally();
        const now = new Map<number, { framework: string; status: TaskStatus | undefined }>();
        for (const o of ops) {
          if ('framework' in o) {
            tally.set(`ns/t${o.task}`, o.framework, o.status);
            now.set(o.task, { framework: o.framework, status: o.status });
          } else {
            tally.delete(`ns/t${o.task}`);
            now.delete(o.task);
          }
        }
        for (const fw of ['ns/a', 'ns/b']) {
          const statuses = [...now.values()].filter((t) => t.framework === fw).map((t) => t.status);
          expect(tally.of(fw)).toEqual(countAll(statuses));
        }
      }),
    );
  });
});
