import type { TaskStatus } from '../api/types.js';
import { taskStatuses, type StatusEntry } from './task-statuses.js';

const NOW = Date.parse('2025-01-01T00:10:00Z');
const T0 = '2025-01-01T00:00:00Z';
const T1 = '2025-01-01T00:00:05Z';
const T2 = '2025-01-01T00:01:00Z';
const s = (iso: string): number => Date.parse(iso) / 1000;

describe('taskStatuses', () => {
  it.each<[string, TaskStatus | undefined, StatusEntry[]]>([
    ['a task never launched has none', { conditions: [] }, []],
    ['no status at all', undefined, []],
    [
      'staging since its launch',
      { state: 'TASK_STAGING', launchTime: T0 },
      [{ state: 'TASK_STAGING', timestamp: s(T0) }],
    ],
    [
      'running: staged, then started',
      { state: 'TASK_RUNNING', launchTime: T0, startTime: T1 },
      [
        { state: 'TASK_STAGING', timestamp: s(T0) },
        { state: 'TASK_RUNNING', timestamp: s(T1) },
      ],
    ],
    [
      'finished: the terminal state at the completion time',
      { state: 'TASK_FINISHED', launchTime: T0, startTime: T1, completionTime: T2 },
      [
        { state: 'TASK_STAGING', timestamp: s(T0) },
        { state: 'TASK_RUNNING', timestamp: s(T1) },
        { state: 'TASK_FINISHED', timestamp: s(T2) },
      ],
    ],
    [
      'killing: the current state dated by the Running condition’s transition',
      {
        state: 'TASK_KILLING',
        launchTime: T0,
        startTime: T1,
        conditions: [
          { type: 'Running', status: 'False', reason: 'TaskKilling', message: '', lastTransitionTime: T2 },
        ],
      },
      [
        { state: 'TASK_STAGING', timestamp: s(T0) },
        { state: 'TASK_RUNNING', timestamp: s(T1) },
        { state: 'TASK_KILLING', timestamp: s(T2) },
      ],
    ],
    [
      'starting, with no time but the launch',
      { state: 'TASK_STARTING', launchTime: T0 },
      [
        { state: 'TASK_STAGING', timestamp: s(T0) },
        { state: 'TASK_STARTING', timestamp: s(T0) },
      ],
    ],
    [
      'a state without any time is dated now',
      { state: 'TASK_LOST' },
      [{ state: 'TASK_LOST', timestamp: NOW / 1000 }],
    ],
  ])('%s', (_name, status, want) => {
    expect(taskStatuses(status, NOW)).toEqual(want);
  });
});
