import type { Condition, TaskStatus } from '../api/types.js';
import { taskEvents, type EventSpec } from './events.js';

const scheduled = (status: Condition['status'], reason: string, message = ''): Condition => ({
  type: 'Scheduled',
  status,
  reason,
  message,
  lastTransitionTime: '2024-05-01T12:00:00Z',
});
const at = (state: TaskStatus['state'], extra: Partial<TaskStatus> = {}): TaskStatus => ({
  state,
  attempt: 1,
  nodeName: 'n1',
  message: 'm',
  ...extra,
});

describe('taskEvents', () => {
  it.each<[string, TaskStatus | undefined, TaskStatus, EventSpec[]]>([
    ['nothing changed', at('TASK_RUNNING'), at('TASK_RUNNING'), []],
    ['pending: no event', undefined, { conditions: [scheduled('False', 'Pending', 'waiting')] }, []],
    [
      'unschedulable',
      { conditions: [scheduled('False', 'Pending')] },
      { conditions: [scheduled('False', 'Unschedulable', 'no node has 64 cpu')] },
      [{ type: 'Warning', reason: 'Unschedulable', message: 'no node has 64 cpu' }],
    ],
    [
      'unschedulable, same words again: no event',
      { conditions: [scheduled('False', 'Unschedulable', 'no node has 64 cpu')] },
      { conditions: [scheduled('False', 'Unschedulable', 'no node has 64 cpu')] },
      [],
    ],
    [
      'launched',
      undefined,
      at('TASK_STAGING', { message: 'pod t-1 created', conditions: [scheduled('True', 'Launched')] }),
      [
        {
          type: 'Normal',
          reason: 'Launched',
          message: 'TASK_STAGING on node n1 (attempt 1): pod t-1 created',
        },
      ],
    ],
    ['staging → starting: no event', at('TASK_STAGING'), at('TASK_STARTING'), []],
    ['starting → running: no event', at('TASK_STARTING'), at('TASK_RUNNING'), []],
    [
      'failed with exit code',
      at('TASK_RUNNING'),
      at('TASK_FAILED', { reason: 'REASON_COMMAND_EXECUTOR_FAILED', exitCode: 2 }),
      [
        {
          type: 'Warning',
          reason: 'Failed',
          message: 'TASK_FAILED on node n1 (attempt 1) [REASON_COMMAND_EXECUTOR_FAILED]: exit code 2; m',
        },
      ],
    ],
    [
      'finished',
      at('TASK_RUNNING'),
      at('TASK_FINISHED', { exitCode: 0 }),
      [{ type: 'Normal', reason: 'Finished', message: 'TASK_FINISHED on node n1 (attempt 1): m' }],
    ],
    [
      'unreachable',
      at('TASK_RUNNING'),
      at('TASK_UNREACHABLE', { reason: 'REASON_AGENT_UNREACHABLE' }),
      [
        {
          type: 'Warning',
          reason: 'AgentUnreachable',
          message: 'TASK_UNREACHABLE on node n1 (attempt 1) [REASON_AGENT_UNREACHABLE]: m',
        },
      ],
    ],
    [
      'reachable again',
      at('TASK_UNREACHABLE'),
      at('TASK_RUNNING'),
      [
        {
          type: 'Normal',
          reason: 'AgentReachable',
          message: 'node n1 is reachable again; the task is running',
        },
      ],
    ],
    [
      'gone',
      at('TASK_UNREACHABLE'),
      at('TASK_GONE', { reason: 'REASON_AGENT_REMOVED' }),
      [
        {
          type: 'Warning',
          reason: 'AgentRemoved',
          message: 'TASK_GONE on node n1 (attempt 1) [REASON_AGENT_REMOVED]: m',
        },
      ],
    ],
    [
      'lost, and a retry is scheduled',
      at('TASK_RUNNING', { conditions: [scheduled('True', 'Launched')] }),
      at('TASK_LOST', {
        reason: 'REASON_RECONCILIATION',
        conditions: [scheduled('False', 'BackoffWaiting', 'attempt 2 of 3 after …')],
      }),
      [
        {
          type: 'Warning',
          reason: 'Lost',
          message: 'TASK_LOST on node n1 (attempt 1) [REASON_RECONCILIATION]: m',
        },
        { type: 'Normal', reason: 'BackoffWaiting', message: 'attempt 2 of 3 after …' },
      ],
    ],
    [
      'out of retries',
      at('TASK_FAILED', { conditions: [scheduled('True', 'Launched')] }),
      at('TASK_FAILED', { conditions: [scheduled('False', 'RetriesExhausted', 'no retry left')] }),
      [{ type: 'Warning', reason: 'RetriesExhausted', message: 'no retry left' }],
    ],
    [
      'the retry launched: a new attempt in the same state is news',
      at('TASK_STAGING'),
      at('TASK_STAGING', { attempt: 2, nodeName: 'n2' }),
      [{ type: 'Normal', reason: 'Launched', message: 'TASK_STAGING on node n2 (attempt 2): m' }],
    ],
    [
      'killing',
      at('TASK_RUNNING'),
      at('TASK_KILLING'),
      [{ type: 'Normal', reason: 'Killing', message: 'TASK_KILLING on node n1 (attempt 1): m' }],
    ],
    [
      'killed',
      at('TASK_KILLING'),
      at('TASK_KILLED'),
      [{ type: 'Normal', reason: 'Killed', message: 'TASK_KILLED on node n1 (attempt 1): m' }],
    ],
  ])('%s', (_name, old, next, want) => {
    expect(taskEvents(old, next)).toEqual(want);
  });
});
