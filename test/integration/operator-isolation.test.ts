/**
 * One tenant cannot stop another: an object of each kind that the operator cannot use (stored
 * before the CRDs refused it, as after an upgrade) sits beside healthy tenants; the healthy
 * tasks are placed, the bad objects say what is wrong with them, and no cycle fails.
 */
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { ResourceRole } from '../../src/api/types.js';
import { GROUP, VERSION } from '../../src/api/constants.js';
import { createUnderOlderCrds } from './older-crds.js';
import { freshScenarioEachTest, type Scenario } from './operator-harness.js';
import { afterCycles, cyclesRun } from './poll.js';
import { eventually, kubeConfig } from './support.js';

const kc = kubeConfig();
/** The most bytes of annotation keys and values an object may have (apimachinery's TotalAnnotationSizeLimitB). */
const ANNOTATIONS_LIMIT = 256 * 1024;
const PADDING = 'example.com/padding';

function specValid(o: {
  status?: { conditions?: { type: string; status: string; reason: string; message?: string }[] };
}) {
  return o.status?.conditions?.find((c) => c.type === 'SpecValid');
}

describe('kmesos isolates tenants', () => {
  let s!: Scenario;
  freshScenarioEachTest(kc, (x) => (s = x));

  it('places healthy tasks beside a Task, a Framework and a ResourceRole it cannot read', async () => {
    const badRole = `${s.pool}-bad`;
    await s.nodes(1, { cpu: '4', memory: '8Gi' });
    // Quantities no integer holds, which today's CRDs refuse.
    await createUnderOlderCrds(kc, s.namespace, async () => {
      await s.role(badRole, { quota: { limit: { cpu: '1e400' } } });
      await s.framework('badfw', { offerFilters: { minAllocatable: { cpu: '100000000000000000000' } } });
      await s.tasks('huge', 1, { framework: 'good', resources: { cpu: '1e400' } });
    });
    await s.framework('good');
    await s.framework('inbad', { role: badRole });
    await s.tasks('ok', 3, { framework: 'good', resources: { cpu: '1', memory: '1Gi' } });
    const operator = await s.startOperator();

    await s.waitForStates('ok', 'TASK_RUNNING', 3);
    await eventually(async () => {
      const huge = await s.task('huge-0');
      expect(huge.status?.state).toBeUndefined();
      const scheduled = huge.status?.conditions?.find((c) => c.type === 'Scheduled');
      expect(scheduled).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
      expect(scheduled?.message).toContain('spec.resources.cpu: ');
      expect(specValid(await s.getFramework('badfw'))).toMatchObject({
        status: 'False',
        reason: 'InvalidSpec',
      });
      expect(specValid(await s.getFramework('badfw'))?.message).toContain(
        'spec.offerFilters.minAllocatable.cpu',
      );
      const rr = (await s.custom.getClusterCustomObject({
        group: GROUP,
        version: VERSION,
        plural: 'resourceroles',
        name: badRole,
      })) as ResourceRole;
      expect(specValid(rr)).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
      expect(specValid(rr)?.message).toContain('spec.quota.limit.cpu');
      // The healthy framework's status is written as on any cycle.
      expect(specValid(await s.getFramework('good'))).toBeUndefined();
      expect((await s.getFramework('good')).status?.dominantShare).toBe('0.7500');
    });
    // Cycles go on and none fails.
    const before = await cyclesRun(operator);
    await afterCycles(operator);
    expect(await cyclesRun(operator)).toBeGreaterThan(before);
    expect(operator.errors()).toEqual([]);
    const metrics = await (await fetch(`${operator.url}/metrics`)).text();
    expect(metrics).toMatch(/^kmesos_cycle_errors_total 0$/m);
    expect(metrics).toMatch(/^kmesos_reconcile_errors_total 0$/m);
    expect(operator.logs.some((l) => l.includes('allocation cycle failed'))).toBe(false);
    const events = await s.core.listNamespacedEvent({ namespace: s.namespace });
    expect(events.items.some((e) => e.involvedObject.name === 'huge-0' && e.reason === 'InvalidSpec')).toBe(
      true,
    );
  });
});

describe('kmesos ends a launch the API server refuses', () => {
  let s!: Scenario;
  freshScenarioEachTest(kc, (x) => (s = x));

  it('as TASK_ERROR after one create, with no retry storm', async () => {
    await s.nodes(1, { cpu: '4', memory: '8Gi' });
    await s.framework('fw');
    await s.custom.createNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: s.namespace,
      plural: 'tasks',
      body: {
        apiVersion: `${GROUP}/${VERSION}`,
        kind: 'Task',
        // Annotations a Task may have but its pod, with the operator's own added, may not: the
        // Task is admitted, its pod is refused as over the API server's 256 KiB for annotations.
        metadata: {
          name: 'refused',
          annotations: { [PADDING]: 'x'.repeat(ANNOTATIONS_LIMIT - PADDING.length - 16) },
        },
        spec: { framework: 'fw', resources: { cpu: '1' }, container: { image: 'busybox' } },
      },
    });
    await s.tasks('fine', 1, { framework: 'fw', resources: { cpu: '1' } });
    const operator = await s.startOperator();
    await eventually(async () => {
      const t = await s.task('refused');
      expect(t.status?.state).toBe('TASK_ERROR');
      expect(t.status?.reason).toBe('REASON_TASK_INVALID');
      expect(t.status?.message).toContain('the API server refused the pod: 422');
    });
    await s.waitForStates('fine', 'TASK_RUNNING', 1);
    // Several cycles later, still the one refused create and the one that worked.
    await afterCycles(operator, 4);
    const metrics = await (await fetch(`${operator.url}/metrics`)).text();
    const creates = (code: string): number =>
      Number(
        new RegExp(
          `^kmesos_kubernetes_api_requests_total\\{[^}]*verb="create"[^}]*resource="pods"[^}]*code="${code}"[^}]*\\} (\\S+)$`,
          'm',
        ).exec(metrics)?.[1] ?? '0',
      );
    expect([creates('422'), creates('201')]).toEqual([1, 1]);
    expect((await s.task('refused')).status?.state).toBe('TASK_ERROR');
  });
});

describe('kmesos counts only its own pods and keeps the status it observes', () => {
  let s!: Scenario;
  freshScenarioEachTest(kc, (x) => (s = x));

  it('ignores a pod that claims to be a later attempt of a Task, and puts back a forged status', async () => {
    const [node] = await s.nodes(1, { cpu: '4', memory: '8Gi' });
    await s.framework('f');
    await s.tasks('t', 1, { framework: 'f', resources: { cpu: '1', memory: '1Gi' } });
    await s.startOperator();
    await s.waitForStates('t', 'TASK_RUNNING', 1);
    const task = await s.task('t-0');
    // A user with pod rights makes one that looks like attempt 7 of the Task.
    await s.core.createNamespacedPod({
      namespace: s.namespace,
      body: {
        metadata: {
          name: 't-0-7',
          labels: {
            'kmesos.io/framework': 'f',
            'kmesos.io/task': 't-0',
            'kmesos.io/attempt': '7',
            'app.kubernetes.io/managed-by': 'kmesos',
          },
          ownerReferences: [
            {
              apiVersion: task.apiVersion,
              kind: 'Task',
              name: 't-0',
              uid: task.metadata.uid ?? '',
              controller: true,
            },
          ],
        },
        spec: {
          nodeName: node,
          containers: [
            { name: 'x', image: 'busybox', resources: { requests: { cpu: '2' }, limits: { cpu: '2' } } },
          ],
        },
      },
    });
    await eventually(async () => {
      const events = await s.core.listNamespacedEvent({ namespace: s.namespace });
      expect(events.items.some((e) => e.involvedObject.name === 't-0' && e.reason === 'ForeignPod')).toBe(
        true,
      );
    });
    const after = await s.task('t-0');
    expect(after.status).toMatchObject({ state: 'TASK_RUNNING', attempt: 1 });
    // Its 2 cpus are not the framework's: only the real task's 1 cpu is.
    await eventually(async () => expect((await s.getFramework('f')).status?.allocated?.cpu).toBe('1'));

    // A status forged through the status subresource is overwritten with what kmesos observes.
    await s.custom.patchNamespacedCustomObjectStatus(
      {
        group: GROUP,
        version: VERSION,
        namespace: s.namespace,
        plural: 'tasks',
        name: 't-0',
        body: { status: { state: 'TASK_FINISHED', exitCode: 0 } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await eventually(async () => expect((await s.task('t-0')).status?.state).toBe('TASK_RUNNING'));
    expect((await s.task('t-0')).status?.exitCode).toBeUndefined();
  });
});
