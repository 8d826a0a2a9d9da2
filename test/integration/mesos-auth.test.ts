/**
 * Who may use the Mesos scheduler API: a ServiceAccount token granted `create` on
 * `frameworks/scheduler` subscribes (its framework lives in the ServiceAccount's namespace),
 * one without the grant is refused, Basic credentials from the configured Secret work, and a
 * call without credentials is refused unless anonymous access is on.
 */
import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { createMesosCodec, loadMesosSchema } from '../../src/scheduler/mesos/index.js';
import { subscribeCall, MesosTestScheduler, openStream } from '../mesos/raw-client.js';
import { freshScenarioEachTest, type Scenario } from './operator-harness.js';
import { kubeConfig, uniqueName } from './support.js';

const kc = kubeConfig();
const codec = createMesosCodec(loadMesosSchema());
const info = { user: 'nobody', name: 'authn' };

/** A SUBSCRIBE with these headers: the status and body of a refusal, or 200 (stream closed). */
async function trySubscribe(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const stream = await openStream(url, {
    path: '/api/v1/scheduler',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: codec.encodeCall(subscribeCall(info), 'application/json'),
    mediaType: 'application/json',
  });
  if (stream.status === 200) {
    stream.close();
    return { status: 200, body: '' };
  }
  await stream.ended;
  return { status: stream.status, body: stream.body.toString('utf8') };
}

async function serviceAccountToken(s: Scenario, name: string, granted: boolean): Promise<string> {
  await s.core.createNamespacedServiceAccount({ namespace: s.namespace, body: { metadata: { name } } });
  if (granted) {
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace: s.namespace,
      body: {
        metadata: { name },
        rules: [{ apiGroups: ['kmesos.io'], resources: ['frameworks/scheduler'], verbs: ['create'] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: s.namespace,
      body: {
        metadata: { name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [{ kind: 'ServiceAccount', name, namespace: s.namespace }],
      },
    });
  }
  const t = await s.core.createNamespacedServiceAccountToken({
    namespace: s.namespace,
    name,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  return t.status?.token ?? '';
}

describe('Mesos scheduler API authentication', () => {
  let s!: Scenario;
  freshScenarioEachTest(kc, (x) => (s = x));

  it('accepts a granted ServiceAccount token and refuses an ungranted one or none', async () => {
    await s.nodes(1);
    // The Mesos namespace by default is elsewhere: a ServiceAccount's frameworks live in its own.
    const operator = await s.startOperator();
    const allowed = await serviceAccountToken(s, uniqueName('sched'), true);
    const denied = await serviceAccountToken(s, uniqueName('other'), false);

    const none = await trySubscribe(operator.url, {});
    expect(none.status).toBe(401);
    const bogus = await trySubscribe(operator.url, { Authorization: 'Bearer not-a-token' });
    expect(bogus.status).toBe(401);
    const forbidden = await trySubscribe(operator.url, { Authorization: `Bearer ${denied}` });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toContain('may not create frameworks/scheduler (kmesos.io)');

    const sched = new MesosTestScheduler({ codec, timeoutMs: 30_000 });
    await sched.subscribe(operator.url, info, {
      mediaType: 'application/json',
      headers: { Authorization: `Bearer ${allowed}` },
    });
    await sched.nextEvent('SUBSCRIBED');
    await sched.nextEvent('OFFERS');
    expect((await sched.revive()).status).toBe(202);
    const frameworks = (await s.custom.listNamespacedCustomObject({
      group: 'kmesos.io',
      version: 'v1alpha1',
      namespace: s.namespace,
      plural: 'frameworks',
    })) as { items: unknown[] };
    expect(frameworks.items).toHaveLength(1);
    sched.close();
    expect(sched.violations).toEqual([]);
  });

  it('accepts Basic credentials of the configured Secret', async () => {
    await s.nodes(1);
    const secret = uniqueName('mesos-credentials');
    await s.core.createNamespacedSecret({
      namespace: s.namespace,
      body: { metadata: { name: secret }, stringData: { marathon: 's3cret' } },
    });
    const operator = await s.startOperator([
      `--mesos-credentials-secret=${secret}`,
      `--lease-namespace=${s.namespace}`,
    ]);
    const basic = (p: string, x: string) => `Basic ${Buffer.from(`${p}:${x}`).toString('base64')}`;
    expect((await trySubscribe(operator.url, { Authorization: basic('marathon', 'wrong') })).status).toBe(
      401,
    );
    expect((await trySubscribe(operator.url, { Authorization: basic('nobody', 's3cret') })).status).toBe(401);
    const sched = new MesosTestScheduler({ codec, timeoutMs: 30_000 });
    await sched.subscribe(
      operator.url,
      { ...info, principal: 'marathon' },
      { mediaType: 'application/json', headers: { Authorization: basic('marathon', 's3cret') } },
    );
    await sched.nextEvent('SUBSCRIBED');
    sched.close();
    // A principal in FrameworkInfo that is not the authenticated one is refused.
    const mismatch = await openStream(operator.url, {
      path: '/api/v1/scheduler',
      headers: { 'Content-Type': 'application/json', Authorization: basic('marathon', 's3cret') },
      body: codec.encodeCall(subscribeCall({ ...info, principal: 'chronos' }), 'application/json'),
      mediaType: 'application/json',
    });
    await mismatch.ended;
    expect(mismatch.status).toBe(403);
  });
});
