/**
 * The operator as installed on a cluster (kind in .github/workflows/e2e.yml, through the
 * overlay test/e2e): its Deployment becomes Available, exactly one replica leads, and it runs
 * tasks in the namespace and pool it serves. Its own jest project (`npm run test:e2e`), since
 * the local control plane has no kubelets to run the image.
 */
import { AppsV1Api, CoordinationV1Api, CoreV1Api } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Scenario, type ReadyzBody } from '../integration/operator-harness.js';
import { eventually, kubeConfig } from '../integration/support.js';

const run = promisify(execFile);
const NAMESPACE = 'kmesos-system';
/** What test/e2e/kustomization.yaml confines the deployed operator to. */
const SERVED = { namespace: 'kmesos-e2e', pool: 'kmesos-e2e' };

/** GET /readyz of a pod through the API server's proxy, so the test needs no route to pods. */
async function podReadyz(pod: string): Promise<ReadyzBody> {
  const { stdout } = await run(
    'kubectl',
    ['get', '--raw', `/api/v1/namespaces/${NAMESPACE}/pods/${pod}:8080/proxy/readyz`],
    { env: process.env },
  );
  return JSON.parse(stdout) as ReadyzBody;
}

describe('the deployed operator', () => {
  const kc = kubeConfig();

  it('is Available with one leader among its two replicas', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    await eventually(
      async () => {
        const d = await apps.readNamespacedDeployment({ name: 'kmesos', namespace: NAMESPACE });
        expect(d.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
        expect(d.status?.readyReplicas).toBe(2);
      },
      120_000,
      1_000,
    );
    const core = kc.makeApiClient(CoreV1Api);
    const pods = (
      await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: 'app.kubernetes.io/name=kmesos' })
    ).items
      .filter((p) => !p.metadata?.deletionTimestamp)
      .map((p) => p.metadata?.name ?? '');
    expect(pods).toHaveLength(2);
    const leaders = await eventually(async () => {
      const bodies = await Promise.all(pods.map(podReadyz));
      expect(bodies.map((b) => b.ready)).toEqual([true, true]);
      const leading = pods.filter((_, i) => bodies[i]?.leader);
      expect(leading).toHaveLength(1);
      return leading;
    }, 60_000);
    const lease = await kc
      .makeApiClient(CoordinationV1Api)
      .readNamespacedLease({ name: 'kmesos-leader', namespace: NAMESPACE });
    expect(lease.spec?.holderIdentity).toBe(leaders[0]);
  }, 200_000);

  it('serves the web UI built into its image', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const [pod] = (
      await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: 'app.kubernetes.io/name=kmesos' })
    ).items.filter((p) => !p.metadata?.deletionTimestamp);
    const proxy = `/api/v1/namespaces/${NAMESPACE}/pods/${pod?.metadata?.name ?? ''}:8080/proxy`;
    const page = await run('kubectl', ['get', '--raw', `${proxy}/`], { env: process.env });
    expect(page.stdout).toContain('<div id="app">');
    const bundle = await run('kubectl', ['get', '--raw', `${proxy}/ui/app.js`], { env: process.env });
    expect(bundle.stdout.length).toBeGreaterThan(1000);
  });

  it('runs tasks in the namespace it serves to TASK_FINISHED', async () => {
    const s = new Scenario(kc, SERVED);
    await s.setup();
    try {
      await s.nodes(2);
      await s.framework('e2e');
      await s.tasks(
        'e2e',
        5,
        { framework: 'e2e', resources: { cpu: '1', memory: '1Gi' } },
        { 'kmesos.io/fake-exit-code': '0', 'kmesos.io/fake-run-duration': '1s' },
      );
      await s.waitForStates('e2e', 'TASK_FINISHED', 5, 120_000);
    } finally {
      await s.teardown();
    }
  }, 200_000);
});
