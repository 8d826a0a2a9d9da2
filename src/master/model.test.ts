import { add } from '../resources/index.js';
import { frameworkObject } from '../api/test-builders.js';
import type { Framework } from '../api/types.js';
import { buildModel } from './model.js';
import { GIB, NODE_UID, clusterInputs, externalFramework, node, task } from './test-inputs.js';

const MIB = 2 ** 20;

describe('buildModel', () => {
  const m = buildModel(clusterInputs());

  it('counts an agent’s capacity without the pods kmesos does not own', () => {
    // 12 CPU / 20 GiB allocatable, 1 CPU / 2 GiB held by a foreign pod.
    expect(m.agents).toHaveLength(1);
    expect(m.agents[0]).toMatchObject({
      id: NODE_UID,
      hostname: 'n1',
      ip: '10.0.0.1',
      port: 10250,
      total: { cpu: 11_000, memory: 18 * GIB, 'ephemeral-storage': 100 * GIB },
      active: true,
      deactivated: false,
      reachable: true,
    });
  });

  it('counts launched, unended tasks as used on their agent and framework, and offers as offered', () => {
    const [a, b, ext] = m.frameworks;
    // a: a-0, a-1 running and a-2 staging (a-3 waits, a-4 finished): 3 × <1 CPU, 4 GiB>.
    expect(a).toMatchObject({ key: 'ns/a', used: { cpu: 3000, memory: 12 * GIB }, offered: {} });
    // b: b-0 running and b-1 unreachable, whose pod still holds its resources.
    expect(b).toMatchObject({ key: 'ns/b', used: { cpu: 6000, memory: 2 * GIB } });
    expect(ext).toMatchObject({
      key: 'ns/ext',
      used: { cpu: 250, memory: 128 * MIB },
      offered: { cpu: 500, memory: GIB },
    });
    expect(m.agents[0]?.used).toEqual({ cpu: 9250, memory: 14 * GIB + 128 * MIB });
    expect(m.agents[0]?.offered).toEqual({ cpu: 500, memory: GIB });
  });

  it('keeps its invariant: what agents hold is what frameworks hold', () => {
    const byFrameworks = m.frameworks.reduce((acc, f) => add(acc, f.used), {});
    expect(m.used).toEqual(byFrameworks);
    expect(m.offered).toEqual(m.frameworks.reduce((acc, f) => add(acc, f.offered), {}));
  });

  it('lists launched tasks only, in Mesos’ buckets, with their Mesos IDs', () => {
    expect(m.tasks.map((t) => [t.id, t.state, t.bucket])).toEqual([
      ['a-0', 'TASK_RUNNING', 'active'],
      ['a-1', 'TASK_RUNNING', 'active'],
      ['a-2', 'TASK_STAGING', 'active'],
      ['a-4', 'TASK_FINISHED', 'completed'],
      ['b-0', 'TASK_RUNNING', 'active'],
      ['b-1', 'TASK_UNREACHABLE', 'unreachable'],
      ['web.1', 'TASK_RUNNING', 'active'],
    ]);
    expect(m.tasks.find((t) => t.id === 'web.1')).toMatchObject({
      name: 'web',
      frameworkId: 'ext-fw-id',
      agentId: NODE_UID,
      role: 'eng/ml',
      labels: [{ key: 'team', value: 'ml' }],
    });
    expect(m.agents[0]?.tasksByState).toEqual({
      TASK_RUNNING: 4,
      TASK_STAGING: 1,
      TASK_FINISHED: 1,
      TASK_UNREACHABLE: 1,
    });
  });

  it('shows Builtin frameworks by their object and External ones by their FrameworkInfo', () => {
    expect(m.frameworks.map((f) => [f.id, f.name, f.user, f.multiRole, f.connected])).toEqual([
      ['uid-a', 'ns/a', 'nobody', false, true],
      ['uid-b', 'ns/b', 'nobody', false, true],
      ['ext-fw-id', 'marathon', 'root', true, true],
    ]);
    expect(m.offers).toEqual([
      {
        id: 'o-1',
        frameworkId: 'ext-fw-id',
        agentId: NODE_UID,
        hostname: 'n1',
        role: 'eng/ml',
        resources: { cpu: 500, memory: GIB },
      },
    ]);
  });

  it('takes the status the operator decided over the cached one', () => {
    const inputs = clusterInputs();
    const model = buildModel({
      ...inputs,
      taskStatus: (key) =>
        key === 'ns/a-3' ? { state: 'TASK_STAGING', agentID: NODE_UID } : inputs.taskStatus(key),
    });
    expect(model.tasks.find((t) => t.id === 'a-3')?.state).toBe('TASK_STAGING');
  });

  it('knows an External framework’s connection from its Ready condition where its scheduler is not subscribed', () => {
    const ext = externalFramework('ext');
    const ready = (status: 'True' | 'False'): Framework => ({
      ...ext,
      status: {
        conditions: [
          { type: 'Ready', status, reason: 'X', message: '', lastTransitionTime: '2025-01-01T00:00:00Z' },
        ],
      },
    });
    for (const [status, want] of [
      ['True', true],
      ['False', false],
    ] as const) {
      const model = buildModel(
        clusterInputs({ frameworks: new Map([['ns/ext', ready(status)]]), connected: () => undefined }),
      );
      expect(model.frameworks[0]).toMatchObject({ connected: want, active: want });
    }
  });

  it('knows roles of frameworks and ResourceRoles, with their ancestors; a role counts its subtree', () => {
    const roles = buildModel(
      clusterInputs({
        roles: [
          {
            apiVersion: 'kmesos.io/v1alpha1',
            kind: 'ResourceRole',
            metadata: { name: 'eng' },
            spec: { weight: 2, preemptionPolicy: 'GuaranteeOnly', quota: { guarantee: { cpu: '2' } } },
          },
        ],
      }),
    ).roles;
    expect(roles.map((r) => [r.name, r.weight, r.frameworkIds])).toEqual([
      ['*', 1, ['uid-a', 'uid-b']],
      ['eng', 2, []],
      ['eng/ml', 1, ['ext-fw-id']],
    ]);
    // eng holds nothing itself: everything below it is eng/ml's.
    expect(roles[1]).toMatchObject({
      allocated: { cpu: 250, memory: 128 * MIB },
      offered: { cpu: 500, memory: GIB },
      guarantee: { cpu: 2000 },
    });
  });

  it('marks a cordoned agent deactivated and a NotReady one unreachable, both inactive', () => {
    const cordoned = node('c', { spec: { unschedulable: true } });
    const notReady = node('d');
    notReady.status = { ...notReady.status, conditions: [{ type: 'Ready', status: 'False' }] };
    const model = buildModel(clusterInputs({ nodes: [cordoned, notReady] }));
    expect(model.agents.map((a) => [a.hostname, a.active, a.deactivated, a.reachable])).toEqual([
      ['c', false, true, true],
      ['d', false, false, false],
    ]);
  });

  it('leaves out tasks whose Framework is gone and counts an unreadable spec as nothing', () => {
    const orphan = task('o-0', 'gone', { cpu: '1' }, 'TASK_RUNNING');
    const odd = task('z-0', 'a', { cpu: 'lots' }, 'TASK_RUNNING');
    const tasks = new Map([
      ['ns/o-0', orphan],
      ['ns/z-0', odd],
    ]);
    const model = buildModel(
      clusterInputs({
        frameworks: new Map([['ns/a', frameworkObject('a')]]),
        tasks,
        taskStatus: (k) => tasks.get(k)?.status,
        offers: [],
      }),
    );
    expect(model.tasks.map((t) => [t.id, t.resources])).toEqual([['z-0', {}]]);
  });
});
