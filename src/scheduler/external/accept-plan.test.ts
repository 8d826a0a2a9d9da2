import type { Offer } from '../../allocator/index.js';
import type { ExecutorInfo, Offer_Operation, TaskInfo } from '../mesos/types/v1.js';
import { planAccept, unsupportedOperation, type AcceptInput } from './accept-plan.js';

const offers: Record<string, Offer> = {
  o1: {
    offerId: 'o1',
    frameworkId: 'ns/fw',
    agentId: 'a1',
    hostname: 'n1',
    role: '*',
    resources: { cpu: 2000, memory: 4 * 2 ** 30 },
    expiresAt: null,
  },
  o2: {
    offerId: 'o2',
    frameworkId: 'ns/fw',
    agentId: 'a1',
    hostname: 'n1',
    role: '*',
    resources: { cpu: 1000 },
    expiresAt: null,
  },
  other: {
    offerId: 'other',
    frameworkId: 'ns/fw',
    agentId: 'a2',
    hostname: 'n2',
    role: '*',
    resources: { cpu: 1000 },
    expiresAt: null,
  },
  stranger: {
    offerId: 'stranger',
    frameworkId: 'ns/someone-else',
    agentId: 'a1',
    hostname: 'n1',
    role: '*',
    resources: { cpu: 1000 },
    expiresAt: null,
  },
};

function task(id: string, cpus: number, over: Partial<TaskInfo> = {}): TaskInfo {
  return {
    name: id,
    task_id: { value: id },
    agent_id: { value: 'a1' },
    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: cpus } }],
    command: { value: 'true' },
    ...over,
  };
}

function launch(...tasks: TaskInfo[]): Offer_Operation[] {
  return [{ type: 'LAUNCH', launch: { task_infos: tasks } }];
}

function input(
  offerIds: string[],
  operations: Offer_Operation[],
  over: Partial<AcceptInput> = {},
): AcceptInput {
  return {
    frameworkKey: 'ns/fw',
    offerIds,
    operations,
    offer: (id) => offers[id],
    taskExists: (id) => id === 'running',
    portsInOffer: (id, ports) => ports.every((p) => id === 'o1' && p >= 31000 && p <= 31002),
    partitionAware: false,
    ...over,
  };
}

describe('planAccept', () => {
  it('puts each task on an offer that still holds its resources', () => {
    const plan = planAccept(input(['o1', 'o2'], launch(task('a', 1.5), task('b', 1), task('c', 0.5))));
    expect(plan.launches.map((l) => [l.tasks[0]?.info.task_id.value, l.offerId])).toEqual([
      ['a', 'o1'],
      ['b', 'o2'],
      ['c', 'o1'],
    ]);
    expect(plan.ended).toEqual([]);
    expect(plan.offerIds).toEqual(['o1', 'o2']);
  });

  it('ends tasks that do not fit, reuse an ID, or name another agent with TASK_ERROR', () => {
    const plan = planAccept(
      input(
        ['o1'],
        launch(
          task('big', 3),
          task('running', 0.1),
          task('twice', 0.1),
          task('twice', 0.1),
          task('elsewhere', 0.1, { agent_id: { value: 'a2' } }),
          task('bad/id', 0.1),
        ),
      ),
    );
    expect(plan.launches.map((l) => l.tasks[0]?.info.task_id.value)).toEqual(['twice']);
    expect(plan.ended.map((e) => [e.info.task_id.value, e.state, e.reason, e.message])).toEqual([
      ['big', 'TASK_ERROR', 'REASON_TASK_INVALID', 'Task uses more resources than offered'],
      ['running', 'TASK_ERROR', 'REASON_TASK_INVALID', 'Task has duplicate ID: running'],
      ['twice', 'TASK_ERROR', 'REASON_TASK_INVALID', 'Task has duplicate ID: twice'],
      ['elsewhere', 'TASK_ERROR', 'REASON_TASK_INVALID', 'Task uses invalid agent: a2; the offer is for a1'],
      ['bad/id', 'TASK_ERROR', 'REASON_TASK_INVALID', 'Task ID must not contain /, \\, whitespace or NUL'],
    ]);
  });

  it('drops every task of an accept with an invalid offer (TASK_LOST, or TASK_DROPPED when partition-aware)', () => {
    const gone = planAccept(input(['o1', 'expired'], launch(task('a', 0.1))));
    expect(gone.launches).toEqual([]);
    expect(gone.ended.map((e) => [e.state, e.reason, e.message])).toEqual([
      ['TASK_LOST', 'REASON_INVALID_OFFERS', 'Offer expired is no longer valid'],
    ]);
    // The valid offer is still given back (declined).
    expect(gone.offerIds).toEqual(['o1']);
    const aware = planAccept(input(['o1', 'other'], launch(task('a', 0.1)), { partitionAware: true }));
    expect(aware.ended.map((e) => [e.state, e.message])).toEqual([
      ['TASK_DROPPED', 'Aggregated offers must belong to one single agent'],
    ]);
    const theirs = planAccept(input(['stranger'], launch(task('a', 0.1))));
    expect(theirs.ended[0]?.message).toBe('Offer stranger is not for this framework');
    expect(theirs.offerIds).toEqual([]);
  });

  it('treats an accept without operations as a decline of its offers', () => {
    const plan = planAccept(input(['o1'], []));
    expect(plan).toEqual({ launches: [], ended: [], offerIds: ['o1'] });
  });

  it('names the operations it cannot carry out yet', () => {
    expect(unsupportedOperation([{ type: 'RESERVE', reserve: {} }])).toBe(
      'accept.operations: RESERVE is not supported by kmesos; only LAUNCH and LAUNCH_GROUP are',
    );
    expect(unsupportedOperation(launch(task('a', 1)))).toBeUndefined();
  });

  function group(executor: ExecutorInfo, ...tasks: TaskInfo[]): Offer_Operation[] {
    return [{ type: 'LAUNCH_GROUP', launch_group: { executor, task_group: { tasks } } }];
  }
  const defaultExecutor = {
    executor_id: { value: 'ex' },
    type: 'DEFAULT' as const,
    resources: [{ name: 'cpus', type: 'SCALAR' as const, scalar: { value: 0.1 } }],
  };

  it('launches a task group as one pod holding every task’s and the executor’s resources', () => {
    const plan = planAccept(input(['o1'], group(defaultExecutor, task('a', 0.5), task('b', 0.25))));
    expect(plan.ended).toEqual([]);
    expect(plan.launches).toHaveLength(1);
    const pod = plan.launches[0];
    expect(pod?.tasks.map((t) => t.info.task_id.value)).toEqual(['a', 'b']);
    // 0.5 + 0.25 cpus for the tasks, 0.1 for the executor.
    expect(pod?.resources).toEqual({ cpu: 850 });
    expect(pod?.executor?.type).toBe('Default');
    expect(pod?.tasks[0]?.spec.executor).toEqual({ id: 'ex', type: 'Default', resources: { cpu: '100m' } });
  });

  it.each<[string, TaskInfo[], string]>([
    [
      'one task too big for the offer',
      [task('a', 1.5), task('b', 1)],
      'Task group uses more resources than offered',
    ],
    [
      'one task with a bad ID',
      [task('a', 0.1), task('b/c', 0.1)],
      'Task b/c: Task ID must not contain /, \\, whitespace or NUL',
    ],
    [
      'a task naming its own executor',
      [task('a', 0.1), task('b', 0.1, { executor: { executor_id: { value: 'x' } } })],
      "Task b: 'TaskInfo.executor' must not be set for a task of a task group",
    ],
    [
      'tasks on two agents',
      [task('a', 0.1), task('b', 0.1, { agent_id: { value: 'a2' } })],
      'Task group has tasks on more than one agent',
    ],
    [
      'a duplicate task ID',
      [task('a', 0.1), task('running', 0.1)],
      'Task running: Task has duplicate ID: running',
    ],
  ])('ends the whole group TASK_ERROR for %s', (_what, tasks, message) => {
    const plan = planAccept(input(['o1'], group(defaultExecutor, ...tasks)));
    expect(plan.launches).toEqual([]);
    expect(plan.ended.map((e) => [e.info.task_id.value, e.state, e.message])).toEqual(
      tasks.map((t) => [t.task_id.value, 'TASK_ERROR', message]),
    );
  });

  it('launches a custom executor once per agent', () => {
    const executor = { executor_id: { value: 'ex' }, command: { value: './executor' } };
    const withExecutor = (id: string): TaskInfo => {
      const t = task(id, 0.1, { executor });
      delete t.command;
      return t;
    };
    const plan = planAccept(input(['o1'], launch(withExecutor('a'), withExecutor('b'))));
    expect(plan.launches.map((l) => [l.tasks[0]?.info.task_id.value, l.executor?.type])).toEqual([
      ['a', 'Custom'],
    ]);
    expect(plan.ended.map((e) => e.message)).toEqual([
      'Executor ex is already running on agent a1; kmesos launches an executor once, with the tasks of one LAUNCH or LAUNCH_GROUP',
    ]);
    const running = planAccept(
      input(['o1'], launch(withExecutor('c')), { executorExists: (id) => id === 'ex' }),
    );
    expect(running.launches).toEqual([]);
  });
});
