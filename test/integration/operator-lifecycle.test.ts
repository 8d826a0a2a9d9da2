/**
 * Task lifecycle through the live API: success, failure and retry on another node, node
 * trouble, Task deletion, foreign pods, unschedulable tasks, a burst, and a crash.
 */
import { setNodeReady, cordonNode, deleteNode } from '../../dev/fake-nodes.js';
import { LABELS } from '../../src/api/constants.js';
import { freshScenarioEachTest, type Scenario } from './operator-harness.js';
import { eventually, kubeConfig } from './support.js';

const kc = kubeConfig();
const small = { cpu: '1', memory: '1Gi' };
const exits = (code: number, after = '1s'): Record<string, string> => ({
  'kmesos.io/fake-exit-code': String(code),
  'kmesos.io/fake-run-duration': after,
});

describe('kmesos runs tasks through their lifecycle', () => {
  let s!: Scenario;
  freshScenarioEachTest(kc, (x) => (s = x));

  it('finishes a task that exits 0 and retries one that fails on another node until attempts run out', async () => {
    await s.nodes(3);
    await s.framework('f');
    await s.startOperator();
    await s.tasks('ok', 1, { framework: 'f', resources: small }, exits(0));
    await s.tasks(
      'bad',
      1,
      { framework: 'f', resources: small, retry: { maxAttempts: 2, backoffSeconds: 0 } },
      exits(3),
    );
    await s.waitForStates('ok', 'TASK_FINISHED', 1);
    const ok = await s.task('ok-0');
    expect(ok.status).toMatchObject({ state: 'TASK_FINISHED', exitCode: 0, attempt: 1 });
    expect(ok.status?.completionTime).toBeDefined();

    await eventually(async () => {
      const bad = await s.task('bad-0');
      expect(bad.status).toMatchObject({ state: 'TASK_FAILED', exitCode: 3, attempt: 2 });
      expect(bad.status?.conditions?.find((c) => c.type === 'Scheduled')?.reason).toBe('RetriesExhausted');
    }, 60_000);
    const bad = await s.task('bad-0');
    const pods = (await s.pods()).filter((p) => p.metadata?.name?.startsWith('bad-0-'));
    expect(pods.map((p) => p.metadata?.labels?.[LABELS.attempt]).sort()).toEqual(['1', '2']);
    // The retry ran on another node than the failed attempt.
    expect(bad.status?.previousNodes).toHaveLength(1);
    expect(bad.status?.previousNodes?.[0]).not.toBe(bad.status?.nodeName);
    expect(new Set(pods.map((p) => p.spec?.nodeName)).size).toBe(2);
    const events = await s.core.listNamespacedEvent({
      namespace: s.namespace,
      fieldSelector: 'involvedObject.name=bad-0',
    });
    expect(events.items.map((e) => e.reason)).toEqual(
      expect.arrayContaining(['Launched', 'Failed', 'BackoffWaiting', 'RetriesExhausted']),
    );
  });

  it('reports a task on a NotReady node as unreachable, and a task on a deleted node as gone and relaunches it', async () => {
    const [n0, n1] = await s.nodes(2);
    await s.framework('f', { placement: 'BinPack' });
    await s.startOperator();
    await s.tasks('t', 1, { framework: 'f', resources: small, retry: { maxAttempts: 2, backoffSeconds: 0 } });
    await s.waitForStates('t', 'TASK_RUNNING', 1);
    const first = (await s.task('t-0')).status?.nodeName ?? '';
    expect([n0, n1]).toContain(first);

    await setNodeReady(s.core, first, false);
    await s.waitForStates('t', 'TASK_UNREACHABLE', 1);
    expect((await s.task('t-0')).status?.reason).toBe('REASON_AGENT_UNREACHABLE');

    await deleteNode(s.core, first);
    await eventually(async () => {
      const t = await s.task('t-0');
      expect(t.status).toMatchObject({ state: 'TASK_RUNNING', attempt: 2 });
      expect(t.status?.nodeName).not.toBe(first);
    }, 60_000);
    const events = await s.core.listNamespacedEvent({
      namespace: s.namespace,
      fieldSelector: 'involvedObject.name=t-0',
    });
    expect(events.items.map((e) => e.reason)).toEqual(
      expect.arrayContaining(['AgentUnreachable', 'AgentRemoved']),
    );
  });

  it('keeps running tasks on a cordoned node but places no new ones there', async () => {
    const [n0, n1] = await s.nodes(2, { cpu: '4', memory: '8Gi' });
    await s.framework('f', { placement: 'BinPack' });
    await s.startOperator();
    await s.tasks('a', 1, { framework: 'f', resources: small });
    await s.waitForStates('a', 'TASK_RUNNING', 1);
    const node = (await s.task('a-0')).status?.nodeName ?? '';
    await cordonNode(s.core, node, true);
    await s.tasks('b', 3, { framework: 'f', resources: small });
    await s.waitForStates('b', 'TASK_RUNNING', 3);
    const other = node === n0 ? n1 : n0;
    for (const name of ['b-0', 'b-1', 'b-2']) expect((await s.task(name)).status?.nodeName).toBe(other);
    expect((await s.task('a-0')).status?.state).toBe('TASK_RUNNING');
  });

  it('deletes the pods of a deleted Task, in the background or the foreground', async () => {
    await s.nodes(1);
    await s.framework('f');
    await s.startOperator();
    await s.tasks('k', 2, { framework: 'f', resources: small, killGracePeriodSeconds: 5 });
    await s.waitForStates('k', 'TASK_RUNNING', 2);
    // No finalizer: the pods are owned by their Task, and the garbage collector deletes them.
    expect((await s.task('k-0')).metadata.finalizers).toBeUndefined();
    for (const [name, propagationPolicy] of [
      ['k-0', 'Background'],
      ['k-1', 'Foreground'],
    ] as const) {
      await s.custom.deleteNamespacedCustomObject({
        group: 'kmesos.io',
        version: 'v1alpha1',
        namespace: s.namespace,
        plural: 'tasks',
        name,
        propagationPolicy,
      });
    }
    await eventually(async () => {
      expect(await s.pods()).toEqual([]);
      expect(await s.allTasks()).toEqual([]);
    });
  });

  it('ends the Tasks of a deleted Framework as TASK_KILLED once their pods are gone, and keeps them', async () => {
    await s.nodes(1);
    await s.framework('doomed');
    await s.startOperator();
    await s.tasks('d', 2, { framework: 'doomed', resources: small, killGracePeriodSeconds: 0 });
    await s.waitForStates('d', 'TASK_RUNNING', 2);
    await s.custom.deleteNamespacedCustomObject({
      group: 'kmesos.io',
      version: 'v1alpha1',
      namespace: s.namespace,
      plural: 'frameworks',
      name: 'doomed',
    });
    await eventually(async () => {
      expect(await s.pods()).toEqual([]);
      const tasks = await s.allTasks();
      expect(tasks.map((t) => [t.metadata.name, t.status?.state, t.status?.reason])).toEqual([
        ['d-0', 'TASK_KILLED', 'REASON_FRAMEWORK_REMOVED'],
        ['d-1', 'TASK_KILLED', 'REASON_FRAMEWORK_REMOVED'],
      ]);
      for (const t of tasks) expect(t.status?.completionTime).toBeDefined();
    }, 60_000);
  });

  it('counts foreign pods against free capacity', async () => {
    const [node] = await s.nodes(1, { cpu: '4', memory: '8Gi' });
    await s.core.createNamespacedPod({
      namespace: s.namespace,
      body: {
        metadata: { name: 'foreign' },
        spec: {
          nodeName: node,
          containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '3', memory: '1Gi' } } }],
        },
      },
    });
    await s.framework('f');
    await s.startOperator();
    await s.tasks('big', 1, { framework: 'f', resources: { cpu: '2', memory: '1Gi' } });
    await eventually(async () => {
      const cond = (await s.task('big-0')).status?.conditions?.find((c) => c.type === 'Scheduled');
      expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable' });
      expect(cond?.message).toContain('cpu');
    });
    await s.core.deleteNamespacedPod({ namespace: s.namespace, name: 'foreign' });
    await s.waitForStates('big', 'TASK_RUNNING', 1);
  });

  it('marks a task larger than every node unschedulable without blocking others, and runs it once a node fits', async () => {
    await s.nodes(2, { cpu: '4', memory: '8Gi' });
    await s.framework('f');
    await s.startOperator();
    await s.tasks('huge', 1, { framework: 'f', resources: { cpu: '16', memory: '1Gi' } });
    await s.tasks('small', 3, { framework: 'f', resources: small });
    await s.waitForStates('small', 'TASK_RUNNING', 3);
    await eventually(async () => {
      const cond = (await s.task('huge-0')).status?.conditions?.find((c) => c.type === 'Scheduled');
      expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable' });
      expect(cond?.message).toMatch(/cpu/);
    });
    await s.nodes(1, { cpu: '32', memory: '64Gi' });
    await s.waitForStates('huge', 'TASK_RUNNING', 1);
  });

  it('runs 500 tasks over 50 nodes to TASK_FINISHED', async () => {
    await s.nodes(50, { cpu: '8', memory: '16Gi' });
    await s.framework('burst');
    await s.startOperator();
    await s.tasks(
      't',
      500,
      { framework: 'burst', resources: { cpu: '500m', memory: '256Mi' } },
      exits(0, '500ms'),
    );
    await s.waitForStates('t', 'TASK_FINISHED', 500, 180_000);
    const pods = await s.pods();
    expect(pods).toHaveLength(500);
    expect(new Set(pods.map((p) => p.spec?.nodeName)).size).toBe(50);
  }, 240_000);

  it('launches nothing twice and forgets nothing when killed mid-burst and restarted', async () => {
    await s.nodes(20, { cpu: '8', memory: '16Gi' });
    await s.framework('f');
    await s.tasks('t', 300, { framework: 'f', resources: { cpu: '250m', memory: '128Mi' } }, exits(0, '2s'));
    await s.startOperator(['--launch-concurrency=4']);
    await eventually(async () => expect((await s.pods()).length).toBeGreaterThan(20), 60_000, 20);
    s.operator?.kill();
    const atKill = (await s.pods()).length;
    expect(atKill).toBeLessThan(300);
    await s.startOperator();
    await s.waitForStates('t', 'TASK_FINISHED', 300, 180_000);
    const pods = await s.pods();
    // One pod per task, all first attempts: nothing launched twice.
    expect(pods).toHaveLength(300);
    expect(new Set(pods.map((p) => p.metadata?.labels?.[LABELS.attempt]))).toEqual(new Set(['1']));
    for (const t of await s.allTasks()) expect(t.status?.attempt).toBe(1);
  }, 240_000);
});
