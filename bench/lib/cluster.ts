/**
 * The benchmarks' Kubernetes side: a local control plane with kwok nodes and kmesos' CRDs,
 * namespaces that are made and removed whole, timed bulk creates and a watch that records
 * when each pod is first seen bound.
 *
 *   const c = await startBenchCluster({nodes, sockets, scheduler?, log})   plane + N nodes ready
 *   await createNamespace(c.api, name); await deleteNamespace(c.api, name, concurrency)
 *   const w = await watchBound(c.api, ns, keyOf?)    w.bound: key → arrival time; w.stop()
 *   const r = await watchRunning(c.api, ns)         the same for the moment kwok reports Running
 *   await watchSeen(c.api, path, keyOf, seen?)      the same for any collection
 *   await waitForCount(what, () => w.bound.size, want, timeoutMs)
 *   await waitForQuietNodes(c.api, quietMs, timeoutMs)   until kwok has stopped updating nodes
 *   await createAll(c.api, path, count, concurrency, body, rate?) → {start, end, sent, done}
 * Times are performance.now() of this process.
 */
import { join, resolve } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { startControlPlane, type ControlPlane } from '../../dev/controlplane.js';
import { createFakeNodes, isNodeReady } from '../../dev/fake-nodes.js';
import { applyManifests, readManifests } from '../../dev/manifests.js';
import { ApiClient, pool, Watcher, type WatchedObject } from './http.js';

const repoRoot = resolve(import.meta.dirname, import.meta.dirname.includes('/dist/') ? '../../..' : '../..');

export const POOL_LABEL = 'kmesos.io/pool';
export const KMESOS = '/apis/kmesos.io/v1alpha1';

/** kube-apiserver limits raised so the API server's own queueing is not what is measured. */
export const APISERVER_ARGS = ['--max-requests-inflight=2000', '--max-mutating-requests-inflight=1000'];
/**
 * Nodes are marked unreachable after 3 minutes without a heartbeat instead of 40 s: on two
 * cores a burst delays kwok's lease renewals past 40 s, and every scheduler's pods would then
 * flap between reachable and not, which is the benchmark's own load and not what it measures.
 */
export const CONTROLLER_MANAGER_ARGS = ['--node-monitor-grace-period=3m'];
/** kube-scheduler's client: defaults (qps 50, burst 100) would throttle its binds. */
export const SCHEDULER_CLIENT = { qps: 5000, burst: 10000 };

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface BenchCluster {
  plane: ControlPlane;
  kc: KubeConfig;
  core: CoreV1Api;
  api: ApiClient;
  /** The label value of the benchmark's nodes (`POOL_LABEL`), the operator's --node-selector. */
  pool: string;
}

export interface BenchClusterOptions {
  nodes: number;
  /** The node pool's label value; the nodes are `bench-n0 … bench-n(N-1)`. */
  pool: string;
  /** Sockets of the API client: at least the requests the benchmark keeps in flight. */
  sockets: number;
  /** Start kube-scheduler too. */
  scheduler: boolean;
  log: (message: string) => void;
}

/**
 * Makes SIGINT and SIGTERM end the benchmark through process.exit, whose 'exit' hooks kill the
 * control plane's processes and the operator; by default a signal ends Node without them.
 */
function exitOnSignals(): void {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    if (process.listenerCount(signal) > 0) continue;
    process.once(signal, () => {
      process.stderr.write(`${signal}: stopping the control plane and the operator\n`);
      process.exit(code);
    });
  }
}

/** Starts the plane, applies the CRDs and creates N kwok nodes of 16 CPU / 64 GiB; resolves once all are Ready. */
export async function startBenchCluster(o: BenchClusterOptions): Promise<BenchCluster> {
  exitOnSignals();
  o.log('starting the control plane');
  const plane = await startControlPlane({
    scheduler: o.scheduler,
    apiserverArgs: APISERVER_ARGS,
    controllerManagerArgs: CONTROLLER_MANAGER_ARGS,
    ...(o.scheduler ? { schedulerConfig: { clientConnection: SCHEDULER_CLIENT } } : {}),
    log: o.log,
  });
  const kc = new KubeConfig();
  kc.loadFromFile(plane.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const api = await ApiClient.fromKubeConfig(kc, o.sockets);
  await applyManifests(kc, await readManifests(join(repoRoot, 'crds')));
  o.log(`creating ${o.nodes} nodes`);
  await createFakeNodes(
    core,
    o.nodes,
    (i) => ({ name: `bench-n${i}`, cpu: '16', memory: '64Gi', labels: { [POOL_LABEL]: o.pool } }),
    64,
  );
  for (;;) {
    const nodes = await core.listNode({ labelSelector: `${POOL_LABEL}=${o.pool}` });
    if (nodes.items.filter(isNodeReady).length === o.nodes) break;
    await sleep(1000);
  }
  o.log('nodes ready');
  return { plane, kc, core, api, pool: o.pool };
}

/** Creates a namespace and waits for its default ServiceAccount, which pods need. */
export async function createNamespace(api: ApiClient, name: string): Promise<void> {
  await api.ok('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name } }));
  // The controller manager adds the ServiceAccount shortly after.
  for (let i = 0; ; i++) {
    const r = await api.send('GET', `/api/v1/namespaces/${name}/serviceaccounts/default`);
    if (r.status === 200) return;
    if (i > 300) throw new Error(`no default ServiceAccount in ${name}`);
    await sleep(100);
  }
}

/** Deletes a namespace and waits until it, and so every pod in it, is gone. */
export async function deleteNamespace(api: ApiClient, ns: string, concurrency: number): Promise<void> {
  // Force-deleting the pods first frees the nodes at once, without kwok's graceful path;
  // one by one, since a deletecollection of 10,000 pods outlives the API server's timeout.
  const list = await api.ok('GET', `/api/v1/namespaces/${ns}/pods`);
  const pods = (JSON.parse(list.body) as { items: WatchedObject[] }).items.map((p) => p.metadata?.name ?? '');
  await pool(pods.length, concurrency, async (i) => {
    await api.ok(
      'DELETE',
      `/api/v1/namespaces/${ns}/pods/${pods[i] ?? ''}?gracePeriodSeconds=0`,
      undefined,
      [404],
    );
  });
  await api.ok('DELETE', `/api/v1/namespaces/${ns}`, undefined, [404]);
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    const r = await api.send('GET', `/api/v1/namespaces/${ns}`);
    if (r.status === 404) return;
    await sleep(500);
  }
  throw new Error(`namespace ${ns} was not deleted within 10 minutes`);
}

export async function listResourceVersion(api: ApiClient, path: string): Promise<string> {
  const r = await api.ok('GET', `${path}?limit=1`);
  return (JSON.parse(r.body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
}

export interface SeenWatch {
  /** Local arrival time of each object's first watch event that `seen` accepts, by `keyOf(obj)`. */
  bound: Map<string, number>;
  stop: () => void;
}

/** A watch of pods for the moment each is bound. */
export type BoundWatch = SeenWatch;

/** Watches a collection from now on, recording when each object is first seen as `seen` accepts. */
export async function watchSeen(
  api: ApiClient,
  path: string,
  keyOf: (obj: WatchedObject) => string,
  seen: (obj: WatchedObject) => boolean = () => true,
): Promise<SeenWatch> {
  const bound = new Map<string, number>();
  const watcher = new Watcher(api, path, (type: string, obj: WatchedObject, at: number) => {
    const key = keyOf(obj);
    if (type !== 'DELETED' && seen(obj) && !bound.has(key)) bound.set(key, at);
  });
  await watcher.start(await listResourceVersion(api, path));
  return { bound, stop: () => watcher.stop() };
}

/** Watches a namespace's pods for their first event with spec.nodeName; keyed by name unless `keyOf` says otherwise. */
export function watchBound(
  api: ApiClient,
  ns: string,
  keyOf: (pod: WatchedObject) => string = (pod) => pod.metadata?.name ?? '',
): Promise<BoundWatch> {
  return watchSeen(api, `/api/v1/namespaces/${ns}/pods`, keyOf, (pod) => !!pod.spec?.nodeName);
}

/** Watches a namespace's pods for their first event with phase Running (or past it), keyed by name. */
export function watchRunning(api: ApiClient, ns: string): Promise<SeenWatch> {
  return watchSeen(
    api,
    `/api/v1/namespaces/${ns}/pods`,
    (pod) => pod.metadata?.name ?? '',
    (pod) => ['Running', 'Succeeded', 'Failed'].includes(pod.status?.phase ?? ''),
  );
}

/** Waits until `count()` reaches `want`; fails past the timeout or after 120 s without progress. */
export async function waitForCount(
  what: string,
  count: () => number,
  want: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let lastChange = Date.now();
  while (count() < want) {
    if (count() !== last) {
      last = count();
      lastChange = Date.now();
    }
    if (Date.now() > deadline || Date.now() - lastChange > 120_000)
      throw new Error(`${what}: ${count()} of ${want} after ${timeoutMs} ms`);
    await sleep(20);
  }
}

/**
 * Waits until no Node has changed for `quietMs` (at most `timeoutMs`). kwok keeps updating
 * new nodes' status for about 40 s after they are Ready; each update is a node change that
 * makes kmesos run an allocation cycle, so a measurement in that time sees extra cycles.
 */
export async function waitForQuietNodes(api: ApiClient, quietMs: number, timeoutMs: number): Promise<void> {
  let last = performance.now();
  const watcher = new Watcher(api, '/api/v1/nodes', () => (last = performance.now()));
  await watcher.start(await listResourceVersion(api, '/api/v1/nodes'));
  const deadline = performance.now() + timeoutMs;
  try {
    while (performance.now() - last < quietMs && performance.now() < deadline) await sleep(500);
  } finally {
    watcher.stop();
  }
}

export interface Creates {
  start: number;
  end: number;
  /** When each create was sent, and when it was answered. */
  sent: Float64Array;
  done: Float64Array;
}

/** Creates `count` objects through `path` with `concurrency` in flight, at `rate`/s if above 0. */
export async function createAll(
  api: ApiClient,
  path: string,
  count: number,
  concurrency: number,
  body: (i: number) => string,
  rate = 0,
): Promise<Creates> {
  const bodies = Array.from({ length: count }, (_, i) => body(i));
  const sent = new Float64Array(count);
  const done = new Float64Array(count);
  const start = performance.now();
  await pool(count, concurrency, async (i) => {
    const due = rate > 0 ? start + (i * 1000) / rate : 0;
    if (due > performance.now()) await sleep(due - performance.now());
    sent[i] = performance.now();
    await api.ok('POST', path, bodies[i]);
    done[i] = performance.now();
  });
  return { start, end: performance.now(), sent, done };
}
