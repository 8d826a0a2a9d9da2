/**
 * A short chaos campaign (bench/lib/chaos.ts) on a control plane of its own, since it crashes
 * the API server: 500 Tasks while the leading operator is SIGKILLed three times and the API
 * server once. Afterwards every Task runs with exactly one pod, and none was lost, stuck or
 * launched twice.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { runChaos } from '../../bench/lib/chaos.js';
import { createNamespace, POOL_LABEL } from '../../bench/lib/cluster.js';
import { ApiClient } from '../../bench/lib/http.js';
import { startControlPlane, type ControlPlane } from '../../dev/controlplane.js';
import { createFakeNodes, isNodeReady } from '../../dev/fake-nodes.js';
import { applyManifests, readManifests } from '../../dev/manifests.js';
import { eventually } from './support.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const NODES = 20;

describe('kmesos under chaos', () => {
  let plane!: ControlPlane;
  let api!: ApiClient;

  beforeAll(async () => {
    plane = await startControlPlane();
    const kc = new KubeConfig();
    kc.loadFromFile(plane.kubeconfig);
    api = await ApiClient.fromKubeConfig(kc, 24);
    await applyManifests(kc, await readManifests(join(repoRoot, 'crds')));
    const core = kc.makeApiClient(CoreV1Api);
    await createFakeNodes(
      core,
      NODES,
      (i) => ({ name: `chaos-n${i}`, cpu: '16', memory: '64Gi', labels: { [POOL_LABEL]: 'chaos' } }),
      8,
    );
    await eventually(async () => {
      const nodes = await core.listNode({ labelSelector: `${POOL_LABEL}=chaos` });
      if (nodes.items.filter(isNodeReady).length !== NODES) throw new Error('nodes not Ready yet');
    }, 60_000);
    await createNamespace(api, 'chaos');
  }, 180_000);

  afterAll(async () => {
    api?.close();
    await plane?.stop();
  });

  it('leaves every Task running with one pod after operator kills and an API server crash', async () => {
    const logDir = await mkdtemp(join(tmpdir(), 'kmesos-chaos-'));
    const result = await runChaos(
      {
        plane,
        api,
        kubeconfig: plane.kubeconfig,
        namespace: 'chaos',
        pool: 'chaos',
        main: join(repoRoot, 'dist/bin/kmesos.mjs'),
        logDir,
        log: () => undefined,
      },
      {
        tasks: 500,
        kills: 3,
        apiserverRestarts: 1,
        etcdRestarts: 0,
        seed: 7,
        concurrency: 16,
        settleTimeoutMs: 180_000,
        // Short, so each failover takes seconds; a replica that misses its renewal restarts.
        lease: { durationSeconds: 4, renewDeadlineSeconds: 3, retryPeriodSeconds: 1 },
      },
    );
    expect(result.disruptions.map((d) => d.kind).sort()).toEqual([
      'kill-leader',
      'kill-leader',
      'kill-leader',
      'kube-apiserver',
    ]);
    const f = result.findings;
    expect({ settled: result.settled, tasks: f.tasks, pods: f.pods }).toEqual({
      settled: true,
      tasks: 500,
      pods: 500,
    });
    expect({
      duplicates: f.duplicates,
      twiceLive: f.twiceLive,
      lost: f.lost,
      stuck: f.stuck,
      unsettled: f.unsettled,
      orphans: f.orphans,
      relaunched: f.relaunched,
    }).toEqual({
      duplicates: [],
      twiceLive: [],
      lost: [],
      stuck: [],
      unsettled: [],
      orphans: [],
      relaunched: [],
    });
    expect(plane.crashed()).toEqual([]);
  }, 600_000);
});
