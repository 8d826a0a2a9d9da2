import { setCondition } from '../api/conditions.js';
import type { ResourceRole, Task } from '../api/types.js';
import { ManualClock } from '../util/clock.js';
import { clusterInputs, GIB, NODE_UID, task } from '../master/test-inputs.js';
import type { MasterInputs } from '../master/inputs.js';
import { parseTaskFilter, uiBase, uiView } from './view.js';
import { WAITING, type UiTaskFilter } from './wire.js';

/** a-3 waits: no state, Scheduled=False with the allocator's words. */
function withWaiting(): MasterInputs {
  const base = clusterInputs();
  const tasks = new Map(base.tasks);
  const waiting = tasks.get('ns/a-3') as Task;
  tasks.set('ns/a-3', {
    ...waiting,
    status: {
      conditions: setCondition(
        undefined,
        { type: 'Scheduled', status: 'False', reason: 'Unschedulable', message: 'no agent has 64 cpu' },
        new ManualClock(0),
      ),
    },
  });
  return { ...base, tasks, taskStatus: (k) => tasks.get(k)?.status };
}

describe('uiBase', () => {
  const base = uiBase(withWaiting());

  it('shows the cluster as the master model counts it: capacity, used, offered and what is left', () => {
    // n1: 12 CPU / 20 GiB less a foreign pod's 1 CPU / 2 GiB → 11 CPU / 18 GiB.
    expect(base.cluster.total).toMatchObject({ cpu: 11_000, memory: 18 * GIB });
    // Live tasks: a-0, a-1, a-2 (1 CPU, 4 GiB each), b-0 and b-1 (3 CPU, 1 GiB; b-1 is unreachable,
    // still holding its resources) and web-x1 (250m, 128 MiB) = 9.25 CPU, 14.125 GiB.
    expect(base.cluster.used).toMatchObject({ cpu: 9_250, memory: 14 * GIB + 128 * 2 ** 20 });
    // The offer: 500m, 1 GiB.
    expect(base.cluster.offered).toMatchObject({ cpu: 500, memory: GIB });
    expect(base.cluster.free).toMatchObject({ cpu: 1_250, memory: 3 * GIB - 128 * 2 ** 20 });
    expect(base.cluster.agents).toEqual({ active: 1, draining: 0, unreachable: 0 });
  });

  it('lists waiting tasks with the Scheduled condition’s reason and message', () => {
    expect(base.tasks.find((t) => t.name === 'a-3')).toMatchObject({
      state: WAITING,
      scheduled: 'Unschedulable',
      message: 'no agent has 64 cpu',
      framework: 'ns/a',
      resources: { cpu: 1000, memory: 4 * GIB },
    });
  });

  it('counts every task by state, waiting included, in total and per framework', () => {
    expect(base.taskCounts).toEqual({
      TASK_RUNNING: 4,
      TASK_STAGING: 1,
      TASK_FINISHED: 1,
      TASK_UNREACHABLE: 1,
      WAITING: 1,
    });
    expect(base.frameworks.find((f) => f.key === 'ns/a')?.tasks).toEqual({
      TASK_RUNNING: 2,
      TASK_STAGING: 1,
      TASK_FINISHED: 1,
      WAITING: 1,
    });
  });

  it('gives frameworks the shares of their status and roles the allocator’s weighted share', () => {
    const inputs = clusterInputs();
    const frameworks = new Map(inputs.frameworks);
    const a = frameworks.get('ns/a');
    if (!a) throw new Error('no framework a');
    frameworks.set('ns/a', { ...a, status: { dominantShare: '0.6667', weightedShare: '0.3333' } });
    const shares: Record<string, number> = { '*': 0.5, eng: 0.25, 'eng/ml': 0.125 };
    const b = uiBase({
      ...inputs,
      frameworks,
      allocator: { roleShare: (r) => shares[r] ?? 0, runs: 1, runTimes: undefined },
    });
    expect(b.frameworks.find((f) => f.key === 'ns/a')).toMatchObject({
      share: 0.6667,
      weightedShare: 0.3333,
    });
    expect(b.frameworks.find((f) => f.key === 'ns/b')?.share).toBeUndefined();
    expect(b.roles.map((r) => [r.name, r.depth, r.share])).toEqual([
      ['*', 0, 0.5],
      ['eng', 0, 0.25],
      ['eng/ml', 1, 0.125],
    ]);
    expect(b.leading).toBe(true);
  });

  it('on a standby takes role shares from the ResourceRole status, and knows none for implicit roles', () => {
    const rr: ResourceRole = {
      apiVersion: 'kmesos.io/v1alpha1',
      kind: 'ResourceRole',
      metadata: { name: 'eng' },
      spec: { weight: 2, preemptionPolicy: 'GuaranteeOnly', quota: { guarantee: { cpu: '2' } } },
      status: { weightedShare: '0.1250' },
    };
    const b = uiBase({ ...clusterInputs(), roles: [rr] });
    expect(b.leading).toBe(false);
    expect(b.roles.find((r) => r.name === 'eng')).toMatchObject({
      weight: 2,
      share: 0.125,
      guarantee: { cpu: 2000 },
    });
    expect(b.roles.find((r) => r.name === '*')?.share).toBeUndefined();
  });

  it('shows each agent’s state and its tasks that have not ended', () => {
    expect(base.agents).toEqual([
      expect.objectContaining({ id: NODE_UID, hostname: 'n1', state: 'active', tasks: 6 }),
    ]);
  });
});

describe('uiView', () => {
  const base = uiBase(withWaiting());
  const names = (filter: UiTaskFilter): string[] => uiView(base, filter).tasks.map((t) => t.name);

  it.each<[string, UiTaskFilter, string[]]>([
    ['no filter', {}, ['a-0', 'a-1', 'a-2', 'a-3', 'a-4', 'b-0', 'b-1', 'web-x1']],
    ['a framework', { framework: 'ns/b' }, ['b-0', 'b-1']],
    ['a state', { state: 'TASK_RUNNING' }, ['a-0', 'a-1', 'b-0', 'web-x1']],
    ['waiting', { state: WAITING }, ['a-3']],
    ['active (launched, not ended)', { state: 'active' }, ['a-0', 'a-1', 'a-2', 'b-0', 'b-1', 'web-x1']],
    ['ended', { state: 'ended' }, ['a-4']],
    ['text in the reason a task waits', { text: 'AGENT HAS' }, ['a-3']],
    ['text in a name', { text: 'web' }, ['web-x1']],
    ['framework and state together', { framework: 'ns/a', state: 'TASK_STAGING' }, ['a-2']],
  ])('filters tasks by %s', (_name, filter, want) => {
    expect(names(filter)).toEqual(want);
  });

  it('caps the lists and says how many matched and how many agents were left out', () => {
    const v = uiView(base, {}, { tasks: 3, agents: 0 });
    expect(v.tasks.map((t) => t.name)).toEqual(['a-0', 'a-1', 'a-2']);
    expect(v.tasksMatched).toBe(8);
    expect([v.agents.length, v.agentsOmitted]).toEqual([0, 1]);
  });
});

describe('parseTaskFilter', () => {
  it.each<[Record<string, unknown>, UiTaskFilter]>([
    [{}, {}],
    [
      { framework: 'ns/a', state: 'WAITING', text: ' gpu ' },
      { framework: 'ns/a', state: 'WAITING', text: 'gpu' },
    ],
    [{ framework: '', state: ['x'], text: 5 }, {}],
    [{ text: 'x'.repeat(500) }, { text: 'x'.repeat(200) }],
  ])('%j → %j', (query, want) => {
    expect(parseTaskFilter(query)).toEqual(want);
  });
});

describe('a task without a framework', () => {
  it('is listed under the framework it names', () => {
    const inputs = clusterInputs();
    const tasks = new Map(inputs.tasks);
    tasks.set('ns/z-0', task('z-0', 'gone', { cpu: '1' }));
    const b = uiBase({ ...inputs, tasks, taskStatus: (k) => tasks.get(k)?.status });
    expect(b.tasks.find((t) => t.name === 'z-0')).toMatchObject({ framework: 'ns/gone', state: WAITING });
  });
});
