/**
 * The Mesos v1 operator API's stream and writes against a live API server: SUBSCRIBE over a real
 * socket (JSON and protobuf) tells of tasks, agents and heartbeats as they happen; DRAIN_AGENT,
 * REACTIVATE_AGENT, UPDATE_WEIGHTS and UPDATE_QUOTA change the Nodes, Pods and ResourceRoles the
 * API server holds; a ServiceAccount without the Kubernetes verb a write needs is refused.
 */
import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { GROUP, LABELS, VERSION } from '../../src/api/constants.js';
import type { ResourceRole } from '../../src/api/types.js';
import { createMesosCodec, loadMesosSchema, type MediaType } from '../../src/scheduler/mesos/index.js';
import type { Call, Event, Response as MasterResponse } from '../../src/scheduler/mesos/types/master.js';
import { openStream, rawRequest, type RawResponse, type RawStream } from '../mesos/raw-client.js';
import { Scenario, type OperatorProcess } from './operator-harness.js';
import { eventually, kubeConfig, uniqueName } from './support.js';

const kc = kubeConfig();
const codec = createMesosCodec(loadMesosSchema());
const MEDIA: readonly MediaType[] = ['application/json', 'application/x-protobuf'];
const HEARTBEAT_SECONDS = 2;

function post(
  url: string,
  call: Call,
  headers: Record<string, string> = {},
  media: MediaType = 'application/json',
): Promise<RawResponse> {
  return rawRequest(url, {
    path: '/api/v1',
    headers: { 'Content-Type': media, Accept: media, ...headers },
    body: codec.encodeMasterCall(call, media),
    timeoutMs: 30_000,
  });
}

async function read(url: string, call: Call): Promise<MasterResponse> {
  const res = await post(url, call);
  expect(res.status).toBe(200);
  const decoded = codec.decodeMasterResponse(res.body, 'application/json');
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value;
}

/** A SUBSCRIBE stream and the events it has delivered so far. */
class Subscriber {
  private constructor(
    readonly stream: RawStream,
    readonly media: MediaType,
  ) {}

  static async open(url: string, media: MediaType): Promise<Subscriber> {
    const stream = await openStream(url, {
      path: '/api/v1',
      headers: { 'Content-Type': media, Accept: media },
      body: codec.encodeMasterCall({ type: 'SUBSCRIBE' }, media),
      mediaType: media,
      timeoutMs: 30_000,
    });
    return new Subscriber(stream, media);
  }

  get events(): Event[] {
    return this.stream.records.map((r) => {
      const decoded = codec.decodeMasterEvent(r, this.media);
      if (!decoded.ok) throw new Error(decoded.error.message);
      return decoded.value;
    });
  }

  /** The first event delivered that matches, once there is one. */
  waitFor(what: string, match: (e: Event) => boolean, timeoutMs = 60_000): Promise<Event> {
    return eventually(
      () => {
        const found = this.events.find(match);
        if (!found)
          throw new Error(`${this.media}: no ${what} yet; got ${this.events.map((e) => e.type).join(', ')}`);
        return found;
      },
      timeoutMs,
      100,
    );
  }
}

describe('the Mesos v1 operator API against a live cluster', () => {
  const s = new Scenario(kc);
  let operator!: OperatorProcess;
  let nodes!: string[];
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  const cleanups: (() => Promise<unknown>)[] = [];

  const uid = async (node: string): Promise<string> =>
    (await s.core.readNode({ name: node })).metadata?.uid ?? '';
  const cordoned = async (node: string): Promise<boolean> =>
    (await s.core.readNode({ name: node })).spec?.unschedulable === true;

  beforeAll(async () => {
    await s.setup();
    nodes = await s.nodes(2, { cpu: '4', memory: '8Gi' });
    await s.framework('a');
    operator = await s.startOperator([
      '--mesos-anonymous=true',
      '--advertise-host=127.0.0.1',
      `--mesos-heartbeat-seconds=${HEARTBEAT_SECONDS}`,
    ]);
  });

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    expect(operator.errors()).toEqual([]);
    await s.teardown();
  });

  it('SUBSCRIBE streams SUBSCRIBED with the state, then tasks, agents and heartbeats, in JSON and protobuf', async () => {
    const subscribers = await Promise.all(MEDIA.map((m) => Subscriber.open(operator.url, m)));
    for (const sub of subscribers) {
      expect(sub.stream.status).toBe(200);
      expect(sub.stream.headers['content-type']).toEqual([sub.media]);
      expect(sub.stream.headers['transfer-encoding']).toEqual(['chunked']);
      expect(sub.stream.headers['content-length']).toBeUndefined();
      const subscribed = await sub.waitFor('SUBSCRIBED', (e) => e.type === 'SUBSCRIBED');
      expect(sub.events[0]?.type).toBe('SUBSCRIBED');
      expect(subscribed.subscribed?.heartbeat_interval_seconds).toBe(HEARTBEAT_SECONDS);
      const agents = subscribed.subscribed?.get_state?.get_agents?.agents ?? [];
      expect(agents.map((a) => a.agent_info.hostname).sort()).toEqual([...nodes].sort());
    }

    // A task that runs for a moment and exits 0: launched, then finished.
    await s.tasks(
      'fin',
      1,
      { framework: 'a', resources: { cpu: '1', memory: '1Gi' } },
      {
        'kmesos.io/fake-exit-code': '0',
        'kmesos.io/fake-run-duration': '2s',
      },
    );
    const framework = await s.getFramework('a');
    for (const sub of subscribers) {
      const added = await sub.waitFor(
        'TASK_ADDED fin-0',
        (e) => e.task_added?.task.task_id.value === 'fin-0',
      );
      expect(added.task_added?.task.framework_id.value).toBe(framework.metadata.uid);
      const finished = await sub.waitFor(
        'TASK_UPDATED fin-0 TASK_FINISHED',
        (e) => e.task_updated?.status.task_id.value === 'fin-0' && e.task_updated.state === 'TASK_FINISHED',
      );
      expect(finished.task_updated?.framework_id.value).toBe(framework.metadata.uid);
      expect(finished.task_updated?.status.state).toBe('TASK_FINISHED');
    }

    // A node joins the pool, then is deleted.
    const [extra = ''] = await s.nodes(1, { cpu: '1', memory: '1Gi' });
    const extraUid = await uid(extra);
    for (const sub of subscribers)
      await sub.waitFor('AGENT_ADDED', (e) => e.agent_added?.agent.agent_info.hostname === extra);
    await s.core.deleteNode({ name: extra });
    for (const sub of subscribers) {
      await sub.waitFor('AGENT_REMOVED', (e) => e.agent_removed?.agent_id.value === extraUid);
      await sub.waitFor('HEARTBEAT', (e) => e.type === 'HEARTBEAT');
      // One record per chunk, JSON compact and ASCII (test/mesos/record-checks.ts).
      expect(sub.stream.violations).toEqual([]);
      sub.stream.close();
    }
  });

  it('DRAIN_AGENT cordons the node and its task pods go; REACTIVATE_AGENT uncordons it', async () => {
    await s.tasks('run', 1, { framework: 'a', resources: { cpu: '1', memory: '1Gi' } });
    await s.waitForStates('run', 'TASK_RUNNING', 1);
    const node = (await s.task('run-0')).status?.nodeName ?? '';
    const agentId = await uid(node);
    const podsOn = async (): Promise<string[]> =>
      (await s.pods())
        .filter((p) => p.spec?.nodeName === node && p.metadata?.labels?.[LABELS.task] !== undefined)
        .map((p) => p.metadata?.name ?? '');
    expect(await podsOn()).not.toEqual([]);

    const drained = await post(operator.url, {
      type: 'DRAIN_AGENT',
      drain_agent: { agent_id: { value: agentId } },
    });
    expect([drained.status, drained.body.toString()]).toEqual([200, '']);
    expect(await cordoned(node)).toBe(true);
    await eventually(async () => expect(await podsOn()).toEqual([]), 60_000);
    // Cordoned with no kmesos task left on it: a machine down for maintenance.
    await eventually(async () => {
      const status = (await read(operator.url, { type: 'GET_MAINTENANCE_STATUS' })).get_maintenance_status
        ?.status;
      expect(status?.down_machines?.map((m) => m.hostname)).toEqual([node]);
    });

    const back = await post(
      operator.url,
      { type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: { value: agentId } } },
      {},
      'application/x-protobuf',
    );
    expect([back.status, back.body.toString()]).toEqual([200, '']);
    expect(await cordoned(node)).toBe(false);
  });

  it('MARK_AGENT_GONE deletes the node, and the agent leaves the state', async () => {
    const [gone = ''] = await s.nodes(1, { cpu: '1', memory: '1Gi' });
    const agentId = await uid(gone);
    const agents = async (): Promise<string[]> =>
      ((await read(operator.url, { type: 'GET_AGENTS' })).get_agents?.agents ?? []).map(
        (a) => a.agent_info.hostname,
      );
    await eventually(async () => expect(await agents()).toContain(gone));
    const res = await post(operator.url, {
      type: 'MARK_AGENT_GONE',
      mark_agent_gone: { agent_id: { value: agentId } },
    });
    expect([res.status, res.body.toString()]).toEqual([200, '']);
    await expect(s.core.readNode({ name: gone })).rejects.toMatchObject({ code: 404 });
    await eventually(async () => expect(await agents()).not.toContain(gone));
    const again = await post(operator.url, {
      type: 'MARK_AGENT_GONE',
      mark_agent_gone: { agent_id: { value: agentId } },
    });
    expect([again.status, again.body.toString()]).toEqual([
      400,
      `call.mark_agent_gone.agent_id: no agent with ID '${agentId}'\n`,
    ]);
  });

  it('UPDATE_WEIGHTS and UPDATE_QUOTA write the ResourceRole the operator then reports', async () => {
    const role = uniqueName('ops');
    const rr = { group: GROUP, version: VERSION, plural: 'resourceroles', name: role };
    cleanups.push(() => s.custom.deleteClusterCustomObject(rr));
    const weights = await post(operator.url, {
      type: 'UPDATE_WEIGHTS',
      update_weights: { weight_infos: [{ role, weight: 3 }] },
    });
    expect([weights.status, weights.body.toString()]).toEqual([200, '']);
    expect(((await s.custom.getClusterCustomObject(rr)) as ResourceRole).spec.weight).toBe(3);
    await eventually(async () => {
      const got = (await read(operator.url, { type: 'GET_WEIGHTS' })).get_weights?.weight_infos ?? [];
      expect(got).toContainEqual({ role, weight: 3 });
    });

    const quota = await post(operator.url, {
      type: 'UPDATE_QUOTA',
      update_quota: {
        quota_configs: [
          { role, guarantees: { cpus: { value: 1 } }, limits: { cpus: { value: 2 }, mem: { value: 512 } } },
        ],
      },
    });
    expect([quota.status, quota.body.toString()]).toEqual([200, '']);
    const spec = ((await s.custom.getClusterCustomObject(rr)) as ResourceRole).spec;
    expect(spec).toEqual({
      weight: 3,
      // Defaulted by the CRD's schema.
      preemptionPolicy: 'GuaranteeOnly',
      quota: { guarantee: { cpu: '1000m' }, limit: { cpu: '2000m', memory: '512Mi' } },
    });
    await eventually(async () => {
      const configs = (await read(operator.url, { type: 'GET_QUOTA' })).get_quota?.status.configs ?? [];
      expect(configs).toContainEqual({
        role,
        guarantees: { cpus: { value: 1 } },
        limits: { cpus: { value: 2 }, mem: { value: 512 } },
      });
    });
  });

  it('refuses a ServiceAccount without the Kubernetes verb a write needs, and serves one with it', async () => {
    const token = async (name: string): Promise<string> => {
      await s.core.createNamespacedServiceAccount({ namespace: s.namespace, body: { metadata: { name } } });
      const t = await s.core.createNamespacedServiceAccountToken({
        namespace: s.namespace,
        name,
        body: { spec: { audiences: [], expirationSeconds: 3600 } },
      });
      return t.status?.token ?? '';
    };
    const denied = await token(uniqueName('reader'));
    const grantedName = uniqueName('cordoner');
    const granted = await token(grantedName);
    await rbac.createClusterRole({
      body: {
        metadata: { name: grantedName },
        rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['patch'] }],
      },
    });
    cleanups.push(() => rbac.deleteClusterRole({ name: grantedName }));
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: grantedName },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: grantedName },
        subjects: [{ kind: 'ServiceAccount', name: grantedName, namespace: s.namespace }],
      },
    });
    cleanups.push(() => rbac.deleteClusterRoleBinding({ name: grantedName }));

    const node = nodes[0] ?? '';
    const deactivate: Call = {
      type: 'DEACTIVATE_AGENT',
      deactivate_agent: { agent_id: { value: await uid(node) } },
    };
    const refused = await post(operator.url, deactivate, { Authorization: `Bearer ${denied}` });
    expect(refused.status).toBe(403);
    expect(refused.body.toString()).toContain('may not patch nodes in all namespaces');
    const weights: Call = {
      type: 'UPDATE_WEIGHTS',
      update_weights: { weight_infos: [{ role: uniqueName('x'), weight: 2 }] },
    };
    const noRole = await post(operator.url, weights, { Authorization: `Bearer ${denied}` });
    expect(noRole.status).toBe(403);
    expect(noRole.body.toString()).toContain('may not create resourceroles (kmesos.io)');
    expect(await cordoned(node)).toBe(false);

    // RBAC takes a moment to reach the authorizer's cache.
    await eventually(
      async () => {
        const res = await post(operator.url, deactivate, { Authorization: `Bearer ${granted}` });
        expect(res.status).toBe(200);
      },
      30_000,
      500,
    );
    expect(await cordoned(node)).toBe(true);
    const back = await post(
      operator.url,
      { type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: { value: await uid(node) } } },
      { Authorization: `Bearer ${granted}` },
    );
    expect(back.status).toBe(200);
    expect(await cordoned(node)).toBe(false);
  });
});
