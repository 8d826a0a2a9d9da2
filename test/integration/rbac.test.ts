/**
 * deploy/ installs with `kubectl apply -k --server-side`, and its RBAC is enough and no more:
 * the operator runs tasks to the end with nothing but the ServiceAccount's token, and the
 * ServiceAccount may do exactly what GRANTS lists (what src/ calls), beyond what any
 * ServiceAccount may do.
 */
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { createMesosCodec, loadMesosSchema } from '../../src/scheduler/mesos/index.js';
import { MesosTestScheduler } from '../mesos/raw-client.js';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Scenario } from './operator-harness.js';
import { eventually, kubeConfig, uniqueName } from './support.js';

const run = promisify(execFile);
const kc = kubeConfig();
const repoRoot = resolve(import.meta.dirname, '../..');
/** The kustomization to install; the kind e2e run points this at its overlay of deploy/. */
const KUSTOMIZATION = resolve(repoRoot, process.env.KMESOS_DEPLOY_KUSTOMIZATION ?? 'deploy');
const NAMESPACE = 'kmesos-system';
const SERVICE_ACCOUNT = 'kmesos';
const USER = `system:serviceaccount:${NAMESPACE}:${SERVICE_ACCOUNT}`;

/**
 * What the operator calls, as `kubectl auth can-i --list` names it: resource → verbs.
 * Anywhere (ClusterRole), because Frameworks and Tasks may live in any namespace.
 */
const GRANTS: Record<string, string[]> = {
  // Node informer (src/controllers/operator.ts); the operator API cordons and deletes nodes
  // (src/server/master-writer.ts).
  nodes: ['delete', 'list', 'patch', 'watch'],
  // Pod informer; src/launcher/launcher.ts creates task pods and kills them.
  pods: ['create', 'delete', 'list', 'watch'],
  // src/kube/events.ts; the web UI's events of one object (src/ui/events.ts).
  events: ['create', 'list'],
  // The informers; the Mesos scheduler API (src/scheduler/external/kube-writes.ts) writes
  // the Frameworks and Tasks of external schedulers.
  'frameworks.kmesos.io': ['create', 'delete', 'list', 'patch', 'watch'],
  // The operator API's UPDATE_WEIGHTS and UPDATE_QUOTA (src/server/master-writer.ts).
  'resourceroles.kmesos.io': ['create', 'list', 'patch', 'watch'],
  'tasks.kmesos.io': ['create', 'delete', 'list', 'watch'],
  // Mesos API callers (src/scheduler/external/kube-auth.ts).
  'tokenreviews.authentication.k8s.io': ['create'],
  'subjectaccessreviews.authorization.k8s.io': ['create'],
  // src/controllers/status-writer.ts.
  'frameworks.kmesos.io/status': ['patch'],
  'resourceroles.kmesos.io/status': ['patch'],
  'tasks.kmesos.io/status': ['patch'],
};
/** Only in the operator's namespace: the leader Lease (src/leader/elector.ts). */
const LEADER_GRANTS: Record<string, string[]> = {
  'leases.coordination.k8s.io': ['create', 'get', 'update'],
  // Basic credentials of Mesos schedulers (src/scheduler/external/kube-auth.ts).
  'secrets [kmesos-mesos-credentials]': ['get'],
};

const CREDENTIALS = 'kmesos-mesos-credentials';
const codec = createMesosCodec(loadMesosSchema());

/**
 * A Mesos scheduler's round trip through the operator: its token is reviewed and refused (the
 * operator's own ServiceAccount may not subscribe), then Basic credentials from the Secret
 * subscribe, launch, kill and tear down — every write the API makes, under the operator's RBAC.
 */
async function mesosFramework(url: string, token: string): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  await core
    .createNamespacedSecret({
      namespace: NAMESPACE,
      body: { metadata: { name: CREDENTIALS }, stringData: { rbac: 'pw' } },
    })
    .catch((err: unknown) => {
      if ((err as { code?: number }).code !== 409) throw err;
    });
  const refused = new MesosTestScheduler({ codec, timeoutMs: 30_000 });
  await expect(
    refused.subscribe(
      url,
      { user: 'nobody', name: 'rbac' },
      { mediaType: 'application/json', headers: { Authorization: `Bearer ${token}` } },
    ),
  ).rejects.toThrow('SUBSCRIBE answered 403');
  const sched = new MesosTestScheduler({ codec, timeoutMs: 30_000 });
  const basic = `Basic ${Buffer.from('rbac:pw').toString('base64')}`;
  await sched.subscribe(
    url,
    { user: 'nobody', name: 'rbac', principal: 'rbac' },
    { mediaType: 'application/json', headers: { Authorization: basic } },
  );
  const offer = (await sched.nextEvent('OFFERS')).offers.offers?.[0];
  if (!offer) throw new Error('no offer');
  const task = {
    name: 'm',
    task_id: { value: 'm' },
    agent_id: offer.agent_id,
    resources: [{ name: 'cpus', type: 'SCALAR' as const, scalar: { value: 0.5 } }],
    command: { value: 'sleep 3600' },
  };
  expect((await sched.accept([offer.id], [{ type: 'LAUNCH', launch: { task_infos: [task] } }])).status).toBe(
    202,
  );
  await sched.acknowledge((await sched.nextEvent('UPDATE')).update);
  await sched.kill({ value: 'm' });
  const killed = await sched.nextEvent('UPDATE');
  expect(killed.update.status.state).toBe('TASK_KILLED');
  expect((await sched.teardown()).status).toBe(202);
  await sched.ended();
}

async function kubectl(args: string[]): Promise<string> {
  const { stdout } = await run('kubectl', args, {
    env: { ...process.env, KUBECONFIG: process.env.KUBECONFIG ?? '' },
    maxBuffer: 16 << 20,
  });
  return stdout;
}

/** Parses the table of `kubectl auth can-i --list` into resource (or non-resource URL) → verbs. */
function parseCanIList(table: string): Map<string, Set<string>> {
  const grants = new Map<string, Set<string>>();
  for (const line of table.split('\n').slice(1)) {
    const m = /^(\S+)?\s*\[([^\]]*)\]\s+\[([^\]]*)\]\s+\[([^\]]*)\]\s*$/.exec(line);
    if (!m) continue;
    const [, resource, urls = '', names = '', verbs = ''] = m;
    const key = resource ? (names ? `${resource} [${names}]` : resource) : `url ${urls}`;
    const set = grants.get(key) ?? new Set<string>();
    for (const v of verbs.split(' ').filter(Boolean)) set.add(v);
    grants.set(key, set);
  }
  return grants;
}

/** The grants of `user` in `namespace` beyond those of `baseline`, as sorted plain data. */
async function grantsBeyond(
  user: string,
  baseline: string,
  namespace: string,
): Promise<Record<string, string[]>> {
  const list = async (who: string): Promise<Map<string, Set<string>>> =>
    parseCanIList(await kubectl(['auth', 'can-i', '--list', `--as=${who}`, '-n', namespace]));
  const [mine, base] = await Promise.all([list(user), list(baseline)]);
  const extra: Record<string, string[]> = {};
  for (const [key, verbs] of mine) {
    const more = [...verbs].filter((v) => !base.get(key)?.has(v)).sort();
    if (more.length > 0) extra[key] = more;
  }
  return extra;
}

/** A kubeconfig for the same cluster that authenticates with `token` alone. */
function tokenKubeconfig(admin: KubeConfig, token: string): string {
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error('the admin kubeconfig has no current cluster');
  const kcfg = new KubeConfig();
  kcfg.loadFromOptions({
    clusters: [cluster],
    users: [{ name: SERVICE_ACCOUNT, token }],
    contexts: [{ name: SERVICE_ACCOUNT, cluster: cluster.name, user: SERVICE_ACCOUNT }],
    currentContext: SERVICE_ACCOUNT,
  });
  // JSON is YAML: the operator loads it like any kubeconfig.
  return kcfg.exportConfig();
}

describe('deploy/ and its RBAC', () => {
  let s: Scenario;
  let dir = '';
  beforeAll(async () => {
    await kubectl(['apply', '-k', KUSTOMIZATION, '--server-side']);
    dir = await mkdtemp(join(tmpdir(), 'kmesos-rbac-'));
  });
  beforeEach(async () => {
    s = new Scenario(kc);
    await s.setup();
  });
  afterEach(async () => {
    await s.teardown();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is accepted by the API server, Deployment and restricted Pod Security included', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const d = await apps.readNamespacedDeployment({ name: 'kmesos', namespace: NAMESPACE });
    expect(d.spec?.replicas).toBe(2);
    // The namespace enforces the restricted Pod Security Standard: had the pod template
    // broken it, the ReplicaSet could create no pods. (Whether they run needs real kubelets.)
    await eventually(async () => {
      const now = await apps.readNamespacedDeployment({ name: 'kmesos', namespace: NAMESPACE });
      expect(now.status?.replicas).toBe(2);
    }, 60_000);
  });

  it('lets the operator run tasks with only the ServiceAccount token, and no forbidden call', async () => {
    const token = (
      await kubectl(['create', 'token', SERVICE_ACCOUNT, '-n', NAMESPACE, '--duration=1h'])
    ).trim();
    const path = join(dir, `kubeconfig-${uniqueName('sa')}`);
    await writeFile(path, tokenKubeconfig(kc, token), { mode: 0o600 });

    await s.nodes(3);
    // A role, so ResourceRole status is written too.
    const role = uniqueName('rbac');
    await s.role(role, { weight: 2 });
    await s.framework('f', { role });
    const lease = { namespace: NAMESPACE, name: uniqueName('kmesos-rbac'), identity: 'rbac' };
    const operator = await s.startReplica(
      lease,
      [`--mesos-credentials-secret=${CREDENTIALS}`, `--mesos-namespace=${s.namespace}`],
      path,
    );
    await eventually(async () => expect((await operator.readyz()).leader).toBe(true), 30_000);
    await mesosFramework(operator.url, token);

    await s.tasks(
      'ok',
      5,
      { framework: 'f', resources: { cpu: '1', memory: '1Gi' } },
      {
        'kmesos.io/fake-exit-code': '0',
        'kmesos.io/fake-run-duration': '1s',
      },
    );
    // One that runs until its Task is deleted in the foreground: kmesos kills its pod.
    await s.tasks('kill', 1, { framework: 'f', resources: { cpu: '1', memory: '1Gi' } });
    await s.waitForStates('ok', 'TASK_FINISHED', 5);
    await s.waitForStates('kill', 'TASK_RUNNING', 1);
    await s.custom.deleteNamespacedCustomObject({
      group: 'kmesos.io',
      version: 'v1alpha1',
      namespace: s.namespace,
      plural: 'tasks',
      name: 'kill-0',
      propagationPolicy: 'Foreground',
    });
    await eventually(async () => {
      expect((await s.pods()).map((p) => p.metadata?.name).filter((n) => n?.startsWith('kill-'))).toEqual([]);
      expect((await s.allTasks()).map((t) => t.metadata.name)).not.toContain('kill-0');
    });
    const events = await s.core.listNamespacedEvent({ namespace: s.namespace });
    expect(events.items.map((e) => e.reason)).toContain('Launched');
    // The web UI lists one task's events with the operator's token (Basic credentials from the Secret).
    const ui = await fetch(`${operator.url}/ui/api/events?kind=Task&namespace=${s.namespace}&name=ok-0`, {
      headers: { Authorization: `Basic ${Buffer.from('rbac:pw').toString('base64')}` },
    });
    expect(ui.status).toBe(200);
    expect(((await ui.json()) as { reason: string }[]).map((e) => e.reason)).toContain('Launched');
    expect((await s.getFramework('f')).status).toBeDefined();

    // Frees the lease with get + update, so those calls are exercised too.
    await operator.stop();
    expect(operator.logs.filter((l) => l.includes('"released leader lease"'))).toHaveLength(1);
    expect(operator.logs.filter((l) => /forbidden/i.test(l))).toEqual([]);
    expect(operator.errors()).toEqual([]);
  });

  it('grants exactly what the code calls, beyond what every ServiceAccount may do', async () => {
    // The default ServiceAccount of a fresh namespace holds only what all ServiceAccounts
    // and authenticated users hold (discovery, self reviews), on any cluster.
    const baseline = `system:serviceaccount:${s.namespace}:default`;
    expect(await grantsBeyond(USER, baseline, s.namespace)).toEqual(GRANTS);
    expect(await grantsBeyond(USER, baseline, NAMESPACE)).toEqual({ ...GRANTS, ...LEADER_GRANTS });
  });
});
