import type { JsonObject } from '../scheduler/mesos/write-json.js';
import { buildModel, type TaskModel } from './model.js';
import {
  frameworksJson,
  orderTasks,
  rolesJson,
  slavesJson,
  stateJson,
  stateSummaryJson,
  tasksJson,
  tasksQuery,
  type TasksQuery,
} from './state-json.js';
import { NODE_UID, clusterInputs } from './test-inputs.js';

const model = buildModel(clusterInputs());
const state = stateJson(model);
const frameworks = state['frameworks'] as JsonObject[];
const byName = (name: string): JsonObject => frameworks.find((f) => f['name'] === name) ?? {};

describe('stateJson', () => {
  it('describes this master, its leader and its build', () => {
    expect(state).toMatchObject({
      version: '1.11.0',
      id: 'kmesos-0',
      pid: 'master@10.0.0.9:8080',
      hostname: 'op-host',
      start_time: Date.parse('2025-01-01T00:59:00Z') / 1000,
      elected_time: Date.parse('2025-01-01T00:59:30Z') / 1000,
      leader: 'master@10.0.0.9:8080',
      leader_info: { id: 'kmesos-0', pid: 'master@10.0.0.9:8080', hostname: '10.0.0.9', port: 8080 },
      activated_slaves: 1,
      deactivated_slaves: 0,
      unreachable_slaves: 0,
      flags: { allocation_interval: '1000ms' },
      recovered_slaves: [],
      completed_frameworks: [],
    });
  });

  it('shows an agent’s resources in Mesos units: cpus, MiB of mem and disk, gpus', () => {
    expect((state['slaves'] as JsonObject[])[0]).toEqual({
      id: NODE_UID,
      hostname: 'n1',
      port: 10250,
      attributes: { 'kubernetes.io/hostname': 'n1' },
      pid: 'slave(1)@10.0.0.1:10250',
      registered_time: Date.parse('2025-01-01T00:00:00Z') / 1000,
      // 12 CPU / 20 GiB less a foreign pod's 1 CPU / 2 GiB.
      resources: { cpus: 11, disk: 102400, gpus: 0, mem: 18432 },
      // a: 3 × <1, 4096>; b: 2 × <3, 1024>; the external task <0.25, 128>.
      used_resources: { cpus: 9.25, disk: 0, gpus: 0, mem: 14464 },
      offered_resources: { cpus: 0.5, disk: 0, gpus: 0, mem: 1024 },
      reserved_resources: {},
      unreserved_resources: { cpus: 11, disk: 102400, gpus: 0, mem: 18432 },
      active: true,
      deactivated: false,
      version: '1.11.0',
      capabilities: ['MULTI_ROLE', 'HIERARCHICAL_ROLE'],
    });
  });

  it('lists a framework’s tasks by Mesos bucket, with role or roles as Mesos does', () => {
    const a = byName('ns/a');
    expect(a).toMatchObject({ id: 'uid-a', role: '*', active: true, connected: true, user: 'nobody' });
    expect(a).not.toHaveProperty('roles');
    expect((a['tasks'] as JsonObject[]).map((t) => t['id'])).toEqual(['a-0', 'a-1', 'a-2']);
    expect((a['completed_tasks'] as JsonObject[]).map((t) => t['id'])).toEqual(['a-4']);
    expect((byName('ns/b')['unreachable_tasks'] as JsonObject[]).map((t) => t['id'])).toEqual(['b-1']);
    const ext = byName('marathon');
    expect(ext).toMatchObject({
      id: 'ext-fw-id',
      roles: ['eng/ml'],
      principal: 'marathon',
      hostname: 'sched.example',
      capabilities: ['MULTI_ROLE', 'PARTITION_AWARE'],
      used_resources: { cpus: 0.25, mem: 128 },
      offered_resources: { cpus: 0.5, mem: 1024 },
      resources: { cpus: 0.75, mem: 1152 },
      offers: [
        {
          id: 'o-1',
          framework_id: 'ext-fw-id',
          allocation_info: { role: 'eng/ml' },
          slave_id: NODE_UID,
          resources: { cpus: 0.5, disk: 0, gpus: 0, mem: 1024 },
        },
      ],
    });
    expect(ext).not.toHaveProperty('role');
  });

  it('writes a task as Mesos does, times in seconds', () => {
    expect((byName('marathon')['tasks'] as JsonObject[])[0]).toEqual({
      id: 'web.1',
      name: 'web',
      framework_id: 'ext-fw-id',
      executor_id: '',
      slave_id: NODE_UID,
      state: 'TASK_RUNNING',
      resources: { cpus: 0.25, disk: 0, gpus: 0, mem: 128 },
      role: 'eng/ml',
      statuses: [
        { state: 'TASK_STAGING', timestamp: Date.parse('2025-01-01T00:10:00Z') / 1000 },
        { state: 'TASK_RUNNING', timestamp: Date.parse('2025-01-01T00:11:00Z') / 1000 },
      ],
      labels: [{ key: 'team', value: 'ml' }],
    });
  });

  it('on a standby, names the leader and has no elected time', () => {
    const inputs = clusterInputs({ leader: { hostname: '10.0.0.7', port: 8080 } });
    const standby = stateJson(buildModel({ ...inputs, self: { ...inputs.self, electedTime: undefined } }));
    expect(standby).not.toHaveProperty('elected_time');
    expect(standby).toMatchObject({
      leader: 'master@10.0.0.7:8080',
      leader_info: { pid: 'master@10.0.0.7:8080', hostname: '10.0.0.7', port: 8080 },
    });
    expect(standby['leader_info']).not.toHaveProperty('id');
    expect(stateJson(buildModel(clusterInputs({ leader: undefined })))).not.toHaveProperty('leader');
  });
});

describe('stateSummaryJson', () => {
  it('counts tasks by state per agent and framework, and names who runs where', () => {
    const summary = stateSummaryJson(model);
    const agent = (summary['slaves'] as JsonObject[])[0];
    expect(agent).toMatchObject({
      TASK_RUNNING: 4,
      TASK_STAGING: 1,
      TASK_FINISHED: 1,
      TASK_UNREACHABLE: 1,
      TASK_FAILED: 0,
      framework_ids: ['ext-fw-id', 'uid-a', 'uid-b'],
    });
    const a = (summary['frameworks'] as JsonObject[])[0];
    expect(a).toMatchObject({
      id: 'uid-a',
      TASK_RUNNING: 2,
      TASK_STAGING: 1,
      TASK_FINISHED: 1,
      slave_ids: [NODE_UID],
    });
    expect(a).not.toHaveProperty('tasks');
  });
});

describe('frameworksJson and slavesJson', () => {
  it('filter by ID', () => {
    expect((frameworksJson(model, 'uid-b')['frameworks'] as JsonObject[]).map((f) => f['id'])).toEqual([
      'uid-b',
    ]);
    expect(frameworksJson(model)['frameworks']).toHaveLength(3);
    expect(slavesJson(model, 'nope')['slaves']).toEqual([]);
  });

  it('add the full Resource objects to /slaves', () => {
    expect((slavesJson(model)['slaves'] as JsonObject[])[0]).toMatchObject({
      offered_resources_full: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 }, role: '*' },
        { name: 'mem', type: 'SCALAR', scalar: { value: 1024 }, role: '*' },
      ],
      reserved_resources_full: {},
    });
  });
});

describe('tasks', () => {
  it.each<[string, Record<string, unknown>, TasksQuery]>([
    ['Mesos’ defaults', {}, { limit: 100, offset: 0, order: 'des' }],
    ['a page, ascending', { limit: '2', offset: '4', order: 'asc' }, { limit: 2, offset: 4, order: 'asc' }],
    ['bad numbers are the defaults', { limit: '-1', offset: 'x' }, { limit: 100, offset: 0, order: 'des' }],
    ['any order but asc is des', { order: 'ASC' }, { limit: 100, offset: 0, order: 'des' }],
    [
      'filters',
      { framework_id: 'f', task_id: 't' },
      { limit: 100, offset: 0, order: 'des', frameworkId: 'f', taskId: 't' },
    ],
  ])('query: %s', (_name, query, want) => {
    expect(tasksQuery(query)).toEqual(want);
  });

  const at = (id: string, timestamp?: number): TaskModel =>
    ({
      id,
      statuses: timestamp === undefined ? [] : [{ state: 'TASK_STAGING', timestamp }],
    }) as unknown as TaskModel;

  it('orders by the first status’ time; a task without statuses sorts as oldest', () => {
    const tasks = [at('b', 20), at('a', 10), at('none'), at('c', 30)];
    expect(orderTasks(tasks, 'asc').map((t) => t.id)).toEqual(['none', 'a', 'b', 'c']);
    expect(orderTasks(tasks, 'des').map((t) => t.id)).toEqual(['c', 'b', 'a', 'none']);
  });

  it('pages through every framework’s tasks', () => {
    const page = (q: Partial<TasksQuery>): unknown[] =>
      (tasksJson(model, { limit: 100, offset: 0, order: 'asc', ...q })['tasks'] as JsonObject[]).map(
        (t) => t['id'],
      );
    expect(page({})).toHaveLength(7);
    expect(page({ limit: 2 })).toEqual(['a-0', 'a-1']);
    expect(page({ limit: 2, offset: 6 })).toEqual(['web.1']);
    expect(page({ frameworkId: 'uid-b' })).toEqual(['b-0', 'b-1']);
    expect(page({ taskId: 'web.1' })).toEqual(['web.1']);
  });
});

describe('rolesJson', () => {
  it('gives each role its weight, frameworks and what is allocated and offered below it', () => {
    const roles = rolesJson(model)['roles'] as JsonObject[];
    expect(roles.map((r) => r['name'])).toEqual(['*', 'eng', 'eng/ml']);
    expect(roles[0]).toMatchObject({
      weight: 1,
      frameworks: ['uid-a', 'uid-b'],
      // a 3 × <1, 4096> + b 2 × <3, 1024>
      allocated: { cpus: 9, mem: 14336 },
      offered: {},
      quota: { role: '*', guarantee: {}, limit: {}, consumed: { cpus: 9, mem: 14336 } },
    });
    expect(roles[2]).toMatchObject({ resources: { cpus: 0.75, mem: 1152 }, frameworks: ['ext-fw-id'] });
  });
});
