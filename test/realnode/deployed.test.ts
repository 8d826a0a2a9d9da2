/**
 * kmesos deployed for real: `kubectl apply -k` of deploy/ (through the overlay
 * test/realnode/deploy) on the local plane, its image written offline by
 * scripts/build-image.sh and imported on two real nodes. The replicas run as pods in real
 * containers, non-root on a read-only root, reach the API server through the `kubernetes`
 * Service, elect a leader through the Lease, and the leader runs the DRF paper's example on
 * a pool of fake nodes. Killing the leader moves leadership and launches nothing twice.
 */
import {
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  loadAllYaml,
  type KubernetesObject,
  type V1Pod,
} from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { readManifests } from '../../dev/manifests.js';
import { startRealNode, type RealNode } from '../../dev/real-node.js';
import { LABELS } from '../../src/api/constants.js';
import { Scenario, type ReadyzBody } from '../integration/operator-harness.js';
import { eventually, kubeConfig } from '../integration/support.js';
import { hostFootprint, type HostFootprint } from './host-footprint.js';
import { localPlane } from './local-plane.js';

const run = promisify(execFile);
const kc = kubeConfig();
const root = resolve(import.meta.dirname, '../..');
const OVERLAY = resolve(import.meta.dirname, 'deploy');
const SYSTEM = 'kmesos-system';
/** What the overlay confines the deployed operator to, and where its replicas run. */
const SERVED = { namespace: 'kmesos-deployed', pool: 'kmesos-deployed' };
const OPERATOR_POOL = 'kmesos-operators';
const SELECTOR = 'app.kubernetes.io/name=kmesos';

async function kubectl(...args: string[]): Promise<string> {
  return (await run('kubectl', args, { env: process.env, maxBuffer: 64 << 20 })).stdout;
}

/** GET /readyz of a pod through the API server's pod proxy (into the node's namespace). */
async function podReadyz(pod: string): Promise<ReadyzBody> {
  return JSON.parse(
    await kubectl('get', '--raw', `/api/v1/namespaces/${SYSTEM}/pods/${pod}:8080/proxy/readyz`),
  ) as ReadyzBody;
}

/** The operator's process in a pod's container, found by the POD_NAME the Deployment gives it. */
async function operatorProcess(pod: string): Promise<number> {
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const environ = await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => '');
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'latin1').catch(() => '');
    if (environ.split('\0').includes(`POD_NAME=${pod}`) && cmdline.includes('dist/bin/kmesos.mjs'))
      return Number(pid);
  }
  throw new Error(`no operator process of pod ${pod}`);
}

/** Waits for A's and B's running tasks to number `a` and `b`, both at dominant share 2/3. */
async function runningAtTwoThirds(s: Scenario, a: number, b: number): Promise<void> {
  await s.waitForStates('a', 'TASK_RUNNING', a, 90_000);
  await s.waitForStates('b', 'TASK_RUNNING', b, 90_000);
  await eventually(async () => {
    for (const name of ['a', 'b']) expect((await s.getFramework(name)).status?.dominantShare).toBe('0.6667');
  }, 60_000);
}

describe('kmesos deployed from its image on real nodes', () => {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const leases = kc.makeApiClient(CoordinationV1Api);
  let nodes: RealNode[] = [];
  let installed: KubernetesObject[] = [];
  let before: HostFootprint;
  let scenario: Scenario | undefined;

  const operatorPods = async (): Promise<V1Pod[]> =>
    (await core.listNamespacedPod({ namespace: SYSTEM, labelSelector: SELECTOR })).items.filter(
      (p) => !p.metadata?.deletionTimestamp,
    );
  const leaseHolder = async (): Promise<string | undefined> =>
    (await leases.readNamespacedLease({ name: 'kmesos-leader', namespace: SYSTEM })).spec?.holderIdentity;
  /** Both replicas Ready, exactly one leading, and the Lease held by it; returns the leader. */
  const oneLeader = async (): Promise<string> =>
    eventually(
      async () => {
        const d = await apps.readNamespacedDeployment({ name: 'kmesos', namespace: SYSTEM });
        expect(d.status?.readyReplicas).toBe(2);
        const pods = (await operatorPods()).map((p) => p.metadata?.name ?? '');
        expect(pods).toHaveLength(2);
        const bodies = await Promise.all(pods.map(podReadyz));
        expect(bodies.map((b) => b.ready)).toEqual([true, true]);
        const leading = pods.filter((_, i) => bodies[i]?.leader);
        expect(leading).toHaveLength(1);
        expect(await leaseHolder()).toBe(leading[0]);
        return leading[0] ?? '';
      },
      120_000,
      1_000,
    );

  beforeAll(async () => {
    before = await hostFootprint();
    const built = await run('bash', [resolve(root, 'scripts/build-image.sh')], { maxBuffer: 1 << 20 });
    const image = /^kmesos-image=(.+)$/m.exec(built.stdout)?.[1];
    if (!image) throw new Error(`build-image.sh printed no image: ${built.stdout}`);
    for (const index of [2, 3]) {
      nodes.push(
        await startRealNode(localPlane(kc), {
          name: `operators-${index}`,
          index,
          labels: { 'kmesos.io/pool': OPERATOR_POOL },
          images: [image],
        }),
      );
    }
    await kubectl('apply', '--server-side', '--force-conflicts', '-k', OVERLAY);
    // What the overlay adds to the plane; the CRDs and admission policies stay (the plane had them).
    const shared = new Set(
      (await readManifests(resolve(root, 'crds'))).map((o) => `${o.kind}/${o.metadata?.name}`),
    );
    installed = (loadAllYaml(await kubectl('kustomize', OVERLAY)) as KubernetesObject[]).filter(
      (o) => !shared.has(`${o.kind}/${o.metadata?.name}`),
    );
  }, 900_000);

  afterAll(async () => {
    await scenario?.teardown();
    const objects = KubernetesObjectApi.makeApiClient(kc);
    for (const o of [...installed].reverse()) await objects.delete(o).catch(() => undefined);
    // The replicas end before their nodes do, so nothing is left for a kubelet that is gone.
    await eventually(async () => expect(await operatorPods()).toEqual([]), 60_000, 500).catch(
      () => undefined,
    );
    for (const node of nodes) await node.stop();
    nodes = [];
    expect(await hostFootprint()).toEqual(before);
  }, 180_000);

  afterEach(() => {
    expect(nodes.flatMap((n) => n.crashed())).toEqual([]);
  });

  it('runs two replicas on the real nodes, non-root on a read-only root, one of them leading', async () => {
    await oneLeader();
    const pods = await operatorPods();
    const names = nodes.map((n) => n.name);
    for (const pod of pods) {
      expect(names).toContain(pod.spec?.nodeName);
      const status = pod.status?.containerStatuses?.[0];
      expect(status).toMatchObject({ ready: true, started: true, restartCount: 0 });
      expect(status?.imageID).toMatch(/^sha256:|@sha256:/);
      // The kernel's view of the process: user 65532, and / mounted read-only.
      const pid = await operatorProcess(pod.metadata?.name ?? '');
      const uid = /^Uid:\s+(\d+)\s+(\d+)/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
      expect([uid?.[1], uid?.[2]]).toEqual(['65532', '65532']);
      const rootMount = (await readFile(`/proc/${pid}/mountinfo`, 'utf8'))
        .split('\n')
        .map((line) => line.split(' '))
        .find((fields) => fields[4] === '/');
      expect(rootMount?.[5]?.split(',')).toContain('ro');
    }
    // Served from the image: the web UI through the pod proxy.
    const page = await kubectl(
      'get',
      '--raw',
      `/api/v1/namespaces/${SYSTEM}/pods/${pods[0]?.metadata?.name}:8080/proxy/`,
    );
    expect(page).toContain('<div id="app">');
  }, 200_000);

  it("runs the DRF paper's example to the shares the process-based tests see", async () => {
    scenario = new Scenario(kc, SERVED);
    const s = scenario;
    await s.setup();
    await s.framework('a');
    await s.framework('b');
    await s.tasks('a', 6, { framework: 'a', resources: { cpu: '1', memory: '4Gi' } });
    await s.tasks('b', 6, { framework: 'b', resources: { cpu: '3', memory: '1Gi' } });
    // The node comes last, so both demands exist before anything can be placed.
    await s.nodes(1, { cpu: '9', memory: '18Gi' });
    // A: 3 tasks = 3 CPU, 12 GiB → share max(3/9, 12/18) = 2/3; B: 2 tasks = 6 CPU, 2 GiB → 6/9 = 2/3.
    await runningAtTwoThirds(s, 3, 2);
  }, 300_000);

  it('moves leadership when the leader is killed, and launches nothing twice', async () => {
    const s = scenario;
    if (!s) throw new Error('the DRF example did not run');
    // SIGKILL: the process cannot hand the Lease over. Its container restarts under the same
    // pod name, the Lease's identity, so either replica may lead afterwards, but only one.
    const killedLeader = await oneLeader();
    process.kill(await operatorProcess(killedLeader), 'SIGKILL');
    await eventually(
      async () => {
        const pod = (await operatorPods()).find((p) => p.metadata?.name === killedLeader);
        expect(pod?.status?.containerStatuses?.[0]?.restartCount).toBe(1);
      },
      60_000,
      500,
    );
    // Deleting the leader's pod: it hands the Lease over on SIGTERM and the standby leads.
    const deleted = await oneLeader();
    await core.deleteNamespacedPod({ name: deleted, namespace: SYSTEM });
    await eventually(
      async () => {
        const holder = await leaseHolder();
        expect(holder).toBeDefined();
        expect(holder).not.toBe(deleted);
      },
      60_000,
      500,
    );
    // The Deployment replaces the pod; again two replicas, one leading.
    const next = await oneLeader();
    expect(next).not.toBe(deleted);
    expect((await operatorPods()).map((p) => p.metadata?.name)).not.toContain(deleted);

    // The new leader goes on: a second node of the same size lets A and B each reach 2/3 of
    // the doubled cluster. A: 6 tasks = 6 CPU, 24 GiB → 24/36; B: 4 tasks = 12 CPU → 12/18.
    await s.nodes(1, { cpu: '9', memory: '18Gi' });
    await runningAtTwoThirds(s, 6, 4);
    // One pod per running task, none for the two B tasks that still wait.
    const perTask = new Map<string, number>();
    for (const pod of await s.pods()) {
      const task = pod.metadata?.labels?.[LABELS.task] ?? '';
      perTask.set(task, (perTask.get(task) ?? 0) + 1);
    }
    expect([...perTask.values()].every((n) => n === 1)).toBe(true);
    expect(perTask.size).toBe(10);
  }, 400_000);
});
