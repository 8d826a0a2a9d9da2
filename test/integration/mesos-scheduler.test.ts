/**
 * A Mesos framework on kmesos: a scheduler subscribes over the v1 Scheduler HTTP API, gets
 * offers from the nodes' free capacity, launches tasks that run as pods bound to the offered
 * node, and hears every state change as an UPDATE it acknowledges.
 */
import type { Framework } from '../../src/api/types.js';
import { GROUP, VERSION } from '../../src/api/constants.js';
import { createMesosCodec, loadMesosSchema, type MediaType } from '../../src/scheduler/mesos/index.js';
import type { Call, Event_Update } from '../../src/scheduler/mesos/types/scheduler.js';
import type { FrameworkInfo, Offer, TaskInfo } from '../../src/scheduler/mesos/types/v1.js';
import { MesosTestScheduler, rawRequest } from '../mesos/raw-client.js';
import { cordonNode } from '../../dev/fake-nodes.js';
import { freshScenarioEachTest, type Scenario } from './operator-harness.js';
import { eventually, kubeConfig, uniqueName } from './support.js';

const kc = kubeConfig();
/** These tests are about the protocol; authentication has its own tests below. */
const ANONYMOUS = '--mesos-anonymous=true';
const codec = createMesosCodec(loadMesosSchema());

function scheduler(): MesosTestScheduler {
  return new MesosTestScheduler({ codec, timeoutMs: 60_000 });
}

function frameworkInfo(name: string, extra: Partial<FrameworkInfo> = {}): FrameworkInfo {
  return { user: 'nobody', name, failover_timeout: 60, ...extra };
}

/** A task that runs until it is killed: no fake-exit labels, so the simulated node keeps it running. */
function foreverTask(offer: Offer): TaskInfo {
  return { ...sleepTask('forever', offer), labels: { labels: [] } };
}

/** Launches one task that runs until killed on the offer, and acknowledges its TASK_RUNNING. */
async function launchForever(sched: MesosTestScheduler, offer: Offer): Promise<Event_Update> {
  await sched.accept([offer.id], [{ type: 'LAUNCH', launch: { task_infos: [foreverTask(offer)] } }]);
  const { update } = await sched.nextEvent('UPDATE');
  expect(update.status.state).toBe('TASK_RUNNING');
  return update;
}

function sleepTask(id: string, offer: Offer, cpus = 0.5): TaskInfo {
  return {
    name: id,
    task_id: { value: id },
    agent_id: offer.agent_id,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: cpus } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 64 } },
    ],
    command: { shell: true, value: 'sleep 1' },
    labels: {
      labels: [
        { key: 'kmesos.io/fake-exit-code', value: '0' },
        { key: 'kmesos.io/fake-run-duration', value: '500ms' },
      ],
    },
  };
}

async function frameworksOf(s: Scenario): Promise<Framework[]> {
  const list = (await s.custom.listNamespacedCustomObject({
    group: GROUP,
    version: VERSION,
    namespace: s.namespace,
    plural: 'frameworks',
  })) as { items: Framework[] };
  return list.items;
}

describe('Mesos v1 Scheduler HTTP API', () => {
  let s!: Scenario;
  freshScenarioEachTest(kc, (x) => (s = x));

  it.each<MediaType>(['application/json', 'application/x-protobuf'])(
    'runs a framework’s tasks to TASK_FINISHED over %s, every update acknowledged',
    async (mediaType) => {
      const nodes = await s.nodes(2, { cpu: '4', memory: '8Gi' });
      const operator = await s.startOperator(['--mesos-heartbeat-seconds=1', ANONYMOUS]);
      const sched = scheduler();
      await sched.subscribe(operator.url, frameworkInfo('sleeper'), { mediaType });
      const subscribed = await sched.nextEvent('SUBSCRIBED');
      const frameworkId = subscribed.subscribed.framework_id;
      expect(subscribed.subscribed.heartbeat_interval_seconds).toBe(1);
      await sched.nextEvent('HEARTBEAT');
      // Heartbeats keep coming, one interval apart.
      await sched.nextEvent('HEARTBEAT', 5_000);

      // The Framework object holds what the scheduler subscribed with.
      const fw = (await frameworksOf(s)).find((f) => f.spec.frameworkInfo?.name === 'sleeper');
      expect(fw?.spec).toMatchObject({ scheduler: 'External', failoverTimeoutSeconds: 60 });

      const offer = (await sched.nextEvent('OFFERS')).offers.offers?.[0] as Offer;
      expect(offer.framework_id).toEqual(frameworkId);
      expect(nodes).toContain(offer.hostname);
      const amounts = Object.fromEntries((offer.resources ?? []).map((r) => [r.name, r.scalar?.value]));
      expect(amounts).toEqual({ cpus: 4, mem: 8192, disk: 102400 });
      expect(offer.resources?.every((r) => r.role === '*')).toBe(true);
      expect(offer.resources?.find((r) => r.name === 'ports')).toMatchObject({
        type: 'RANGES',
        ranges: { range: [{ begin: 31000, end: 32000 }] },
      });
      expect(offer.url?.address.hostname).toBe(offer.hostname);

      const accept = await sched.accept(
        [offer.id],
        [{ type: 'LAUNCH', launch: { task_infos: [sleepTask('t1', offer), sleepTask('t2', offer)] } }],
        { refuse_seconds: 1 },
      );
      expect(accept.status).toBe(202);
      expect(accept.body.length).toBe(0);
      expect(accept.headers['content-type']).toBeUndefined();

      const finished = new Set<string>();
      const states: string[] = [];
      while (finished.size < 2) {
        const { update } = await sched.nextEvent('UPDATE');
        const { status } = update;
        states.push(`${status.task_id.value}:${status.state}`);
        expect(status.uuid?.length).toBe(16);
        expect(status.agent_id).toEqual(offer.agent_id);
        expect((await sched.acknowledge(update)).status).toBe(202);
        if (status.state === 'TASK_FINISHED') finished.add(status.task_id.value);
      }
      for (const t of ['t1', 't2']) {
        expect(states.filter((x) => x.startsWith(`${t}:`))).toEqual([
          `${t}:TASK_RUNNING`,
          `${t}:TASK_FINISHED`,
        ]);
      }
      // The tasks are Task objects of the framework, their pods bound to the offered node.
      await eventually(async () => {
        const tasks = await s.allTasks();
        expect(tasks).toHaveLength(2);
        for (const t of tasks) {
          expect(t.spec.framework).toBe(fw?.metadata.name);
          expect(t.status?.state).toBe('TASK_FINISHED');
          expect(t.status?.nodeName).toBe(offer.hostname);
        }
      });

      // Explicit reconciliation answers with the true state and no uuid.
      await sched.reconcile([{ task_id: { value: 't1' } }, { task_id: { value: 'nope' } }]);
      const r1 = (await sched.nextEvent('UPDATE')).update.status;
      const r2 = (await sched.nextEvent('UPDATE')).update.status;
      expect([r1, r2].map((r) => [r.task_id.value, r.state, r.reason, r.source, r.uuid])).toEqual([
        ['t1', 'TASK_FINISHED', 'REASON_RECONCILIATION', 'SOURCE_MASTER', undefined],
        ['nope', 'TASK_LOST', 'REASON_RECONCILIATION', 'SOURCE_MASTER', undefined],
      ]);

      expect((await sched.teardown()).status).toBe(202);
      expect((await sched.ended()).by).toBe('complete');
      expect(sched.violations).toEqual([]);
      await eventually(async () => expect(await frameworksOf(s)).toEqual([]));
      expect(operator.errors()).toEqual([]);
    },
  );

  it('checks the stream ID of every call and refuses calls of frameworks not subscribed', async () => {
    await s.nodes(1);
    const operator = await s.startOperator([ANONYMOUS, '--mesos-heartbeat-seconds=1']);
    const sched = scheduler();
    await sched.subscribe(operator.url, frameworkInfo('checker'), { mediaType: 'application/json' });
    const frameworkId = (await sched.nextEvent('SUBSCRIBED')).subscribed.framework_id;
    const post = (headers: Record<string, string>, call: Call | string, method = 'POST') =>
      rawRequest(operator.url, {
        method,
        path: '/api/v1/scheduler',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: typeof call === 'string' ? call : JSON.stringify(call),
      });
    const revive: Call = { framework_id: frameworkId, type: 'REVIVE' };
    const text = (r: { body: Buffer }) => r.body.toString('utf8');
    const missing = await post({}, revive);
    expect([missing.status, text(missing)]).toEqual([
      400,
      "All non-subscribe calls should include the 'Mesos-Stream-Id' header\n",
    ]);
    const wrong = await post({ 'Mesos-Stream-Id': 'not-the-stream' }, revive);
    expect(wrong.status).toBe(400);
    expect(text(wrong)).toContain("The stream ID 'not-the-stream' included in this request didn't match");
    expect((await post({ 'Mesos-Stream-Id': sched.streamId ?? '' }, revive)).status).toBe(202);
    const stranger = await post(
      { 'Mesos-Stream-Id': sched.streamId ?? '' },
      { framework_id: { value: 'other' }, type: 'REVIVE' },
    );
    expect(stranger.status).toBe(403);
    expect((await post({}, '', 'GET')).status).toBe(405);
    const noBody = await post({}, { type: 'SUBSCRIBE' });
    expect([noBody.status, text(noBody)]).toEqual([
      400,
      'Failed to validate scheduler::Call: call.subscribe: required for type SUBSCRIBE\n',
    ]);
    const junk = await post({}, '{"type": ');
    expect(junk.status).toBe(400);
    expect((await post({ 'Content-Type': 'text/plain' }, revive)).status).toBe(415);
    expect((await post({ Accept: 'text/html' }, revive)).status).toBe(406);
    const reserve = await sched.accept([{ value: 'x' }], [{ type: 'RESERVE', reserve: {} }]);
    expect([reserve.status, reserve.body.toString()]).toEqual([
      400,
      'accept.operations: RESERVE is not supported by kmesos; only LAUNCH and LAUNCH_GROUP are\n',
    ]);
    // A client that asks to close the connection still gets a stream that stays open.
    const closing = scheduler();
    await closing.subscribe(operator.url, frameworkInfo('closer'), {
      mediaType: 'application/json',
      headers: { Connection: 'close' },
    });
    await closing.nextEvent('HEARTBEAT');
    await closing.nextEvent('HEARTBEAT', 10_000);
    expect(closing.stream.endedBy).toBeUndefined();
    closing.close();
    expect(closing.violations).toEqual([]);
    const version = await rawRequest(operator.url, { method: 'GET', path: '/version' });
    expect((JSON.parse(version.body.toString()) as { version: string }).version).toMatch(/^\d+\.\d+\.\d+$/);
    sched.close();
    expect(sched.violations).toEqual([]);
  });

  it('gives a framework the same ID when it subscribes again, and offers nothing while it is away', async () => {
    await s.nodes(1, { cpu: '2', memory: '4Gi' });
    const operator = await s.startOperator([ANONYMOUS]);
    const first = scheduler();
    await first.subscribe(operator.url, frameworkInfo('again'), { mediaType: 'application/json' });
    const frameworkId = (await first.nextEvent('SUBSCRIBED')).subscribed.framework_id;
    await first.nextEvent('OFFERS');
    first.close();
    await eventually(async () => {
      const [fw] = await frameworksOf(s);
      expect(fw?.status?.outstandingOffers).toBe(0);
      expect(fw?.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
        status: 'False',
        reason: 'SchedulerDisconnected',
      });
    });
    const second = scheduler();
    await second.subscribe(operator.url, frameworkInfo('again'), {
      mediaType: 'application/json',
      frameworkId,
    });
    expect((await second.nextEvent('SUBSCRIBED')).subscribed.framework_id).toEqual(frameworkId);
    expect((await second.nextEvent('OFFERS')).offers.offers?.[0]?.framework_id).toEqual(frameworkId);
    expect(await frameworksOf(s)).toHaveLength(1);
    second.close();
  });

  it('ends invalid tasks with TASK_ERROR, declines what an accept leaves, and kills a task on KILL', async () => {
    await s.nodes(1, { cpu: '2', memory: '4Gi' });
    const operator = await s.startOperator([ANONYMOUS]);
    const sched = scheduler();
    await sched.subscribe(operator.url, frameworkInfo('killer'), { mediaType: 'application/json' });
    const offer = (await sched.nextEvent('OFFERS')).offers.offers?.[0] as Offer;
    const forever = foreverTask(offer);
    const tooBig = sleepTask('too-big', offer, 64);
    const noCommand = { ...sleepTask('no-command', offer) };
    delete noCommand.command;
    const res = await sched.accept(
      [offer.id],
      [{ type: 'LAUNCH', launch: { task_infos: [forever, tooBig, noCommand] } }],
      { refuse_seconds: 3600 },
    );
    expect(res.status).toBe(202);
    const errors = new Map<string, string>();
    let running = false;
    while (errors.size < 2 || !running) {
      const { update } = await sched.nextEvent('UPDATE');
      if (update.status.state === 'TASK_ERROR') {
        expect(update.status.uuid).toBeUndefined();
        expect(update.status.reason).toBe('REASON_TASK_INVALID');
        errors.set(update.status.task_id.value, update.status.message ?? '');
      }
      if (update.status.state === 'TASK_RUNNING') {
        running = true;
        await sched.acknowledge(update);
      }
    }
    expect(Object.fromEntries(errors)).toEqual({
      'too-big': 'Task uses more resources than offered',
      'no-command': 'Task should have at least one (but not both) of CommandInfo or ExecutorInfo present',
    });
    // The unused rest of the offer was declined with the accept's filter: no new offer of the agent.
    expect(sched.events.filter((e) => e.type === 'OFFERS')).toHaveLength(1);

    await sched.kill({ value: 'forever' });
    const killed = await sched.nextEvent('UPDATE');
    expect(killed.update.status).toMatchObject({ task_id: { value: 'forever' }, state: 'TASK_KILLED' });
    expect(killed.update.status.uuid?.length).toBe(16);
    await sched.acknowledge(killed.update);
    await eventually(async () =>
      expect((await s.pods()).filter((p) => !p.metadata?.deletionTimestamp)).toEqual([]),
    );
    sched.close();
    expect(sched.violations).toEqual([]);
  });

  it('sends an unacknowledged update again after an operator restart, and launches nothing twice', async () => {
    await s.nodes(1, { cpu: '2', memory: '4Gi' });
    const first = await s.startOperator([ANONYMOUS]);
    const sched = scheduler();
    await sched.subscribe(first.url, frameworkInfo('patient'), { mediaType: 'application/json' });
    const frameworkId = (await sched.nextEvent('SUBSCRIBED')).subscribed.framework_id;
    const offer = (await sched.nextEvent('OFFERS')).offers.offers?.[0] as Offer;
    const running = await launchForever(sched, offer);
    const uuid = Buffer.from(running.status.uuid ?? []).toString('base64');
    // Not acknowledged: the Task's status keeps it for whichever operator comes next.
    await eventually(async () => {
      const [task] = await s.allTasks();
      expect(task?.status?.pendingUpdates?.map((u) => [u.state, u.uuid])).toEqual([['TASK_RUNNING', uuid]]);
    });
    first.kill();
    sched.close();

    const second = await s.startOperator([ANONYMOUS]);
    const again = scheduler();
    await again.subscribe(second.url, frameworkInfo('patient'), {
      mediaType: 'application/json',
      frameworkId,
    });
    const resent = (await again.nextEvent('UPDATE')).update;
    expect(resent.status.state).toBe('TASK_RUNNING');
    expect(Buffer.from(resent.status.uuid ?? []).toString('base64')).toBe(uuid);
    expect((await again.acknowledge(resent)).status).toBe(202);
    await eventually(async () => {
      const [task] = await s.allTasks();
      expect(task?.status?.pendingUpdates).toBeUndefined();
      expect(task?.status?.state).toBe('TASK_RUNNING');
    });
    // Reconciliation after the restart tells the true state, and the task runs once.
    await again.reconcile([]);
    const r = (await again.nextEvent('UPDATE')).update.status;
    expect([r.task_id.value, r.state, r.reason]).toEqual([
      'forever',
      'TASK_RUNNING',
      'REASON_RECONCILIATION',
    ]);
    expect((await s.pods()).length).toBe(1);
    again.close();
    expect(second.errors()).toEqual([]);
  });

  it('removes a framework whose scheduler stays away past its failover timeout, ending its tasks', async () => {
    await s.nodes(1, { cpu: '2', memory: '4Gi' });
    const operator = await s.startOperator([ANONYMOUS]);
    const sched = scheduler();
    await sched.subscribe(operator.url, frameworkInfo('brief', { failover_timeout: 2 }), {
      mediaType: 'application/json',
    });
    const offer = (await sched.nextEvent('OFFERS')).offers.offers?.[0] as Offer;
    await sched.acknowledge(await launchForever(sched, offer));
    sched.close();
    await eventually(async () => {
      expect(await frameworksOf(s)).toEqual([]);
      const [task] = await s.allTasks();
      expect(task?.status).toMatchObject({ state: 'TASK_KILLED', reason: 'REASON_FRAMEWORK_REMOVED' });
      expect((await s.pods()).filter((p) => !p.metadata?.deletionTimestamp)).toEqual([]);
    }, 60_000);
  });

  it('redirects a scheduler from the standby to the leader, and after a failover it reconciles with nothing launched twice', async () => {
    await s.nodes(1, { cpu: '2', memory: '4Gi' });
    const lease = { namespace: s.namespace, name: uniqueName('kmesos-leader') };
    const extra = [
      ANONYMOUS,
      '--advertise-host=127.0.0.1',
      '--lease-duration-seconds=4',
      '--renew-deadline-seconds=3',
      '--retry-period-seconds=1',
    ];
    const replicas = await Promise.all(
      ['a', 'b'].map((identity) => s.startReplica({ ...lease, identity }, extra)),
    );
    const leading = await eventually(async () => {
      const flags = await Promise.all(replicas.map(async (r) => (await r.readyz()).leader));
      const i = flags.indexOf(true);
      if (i < 0 || flags.filter(Boolean).length !== 1) throw new Error(`leaders: ${JSON.stringify(flags)}`);
      return i;
    }, 20_000);
    const leader = replicas[leading];
    const standby = replicas[1 - leading];
    if (!leader || !standby) throw new Error('no leader and standby');
    // The standby knows the leader once it has read the Lease.
    const redirect = await eventually(async () => {
      const r = await rawRequest(standby.url, {
        path: '/api/v1/scheduler',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo('moving') } }),
      });
      expect(r.status).toBe(307);
      return r;
    }, 20_000);
    const location = redirect.headers.location?.[0] ?? '';
    expect(location).toBe(`//${new URL(leader.url).host}/api/v1/scheduler`);

    const sched = scheduler();
    await sched.subscribe(`http:${location.replace(/\/api\/v1\/scheduler$/, '')}`, frameworkInfo('moving'), {
      mediaType: 'application/json',
    });
    const frameworkId = (await sched.nextEvent('SUBSCRIBED')).subscribed.framework_id;
    const offer = (await sched.nextEvent('OFFERS')).offers.offers?.[0] as Offer;
    await sched.acknowledge(await launchForever(sched, offer));

    leader.kill();
    expect((await sched.ended()).by).not.toBe('client-close');
    await eventually(async () => expect((await standby.readyz()).leader).toBe(true), 30_000);
    const again = scheduler();
    await again.subscribe(standby.url, frameworkInfo('moving'), {
      mediaType: 'application/json',
      frameworkId,
    });
    expect((await again.nextEvent('SUBSCRIBED')).subscribed.framework_id).toEqual(frameworkId);
    await again.reconcile([]);
    const r = (await again.nextEvent('UPDATE')).update.status;
    expect([r.task_id.value, r.state]).toEqual(['forever', 'TASK_RUNNING']);
    expect((await s.pods()).length).toBe(1);
    expect(await frameworksOf(s)).toHaveLength(1);
    again.close();
    expect([...sched.violations, ...again.violations]).toEqual([]);
  });

  it('sends an inverse offer for a cordoned node the framework runs on, rescinds it on uncordon, and takes UPDATE_FRAMEWORK', async () => {
    const [node] = await s.nodes(1, { cpu: '2', memory: '4Gi' });
    const operator = await s.startOperator([ANONYMOUS]);
    const sched = scheduler();
    await sched.subscribe(operator.url, frameworkInfo('maintained'), { mediaType: 'application/json' });
    const frameworkId = (await sched.nextEvent('SUBSCRIBED')).subscribed.framework_id;
    const offer = (await sched.nextEvent('OFFERS')).offers.offers?.[0] as Offer;
    await sched.acknowledge(await launchForever(sched, offer));

    await cordonNode(s.core, node ?? '', true);
    const inverse = (await sched.nextEvent('INVERSE_OFFERS')).inverse_offers.inverse_offers?.[0];
    expect(inverse?.agent_id).toEqual(offer.agent_id);
    expect(inverse?.framework_id).toEqual(frameworkId);
    expect(
      (
        await sched.call({
          framework_id: frameworkId,
          type: 'DECLINE_INVERSE_OFFERS',
          decline_inverse_offers: { inverse_offer_ids: [inverse?.id ?? { value: '' }] },
        })
      ).status,
    ).toBe(202);
    await cordonNode(s.core, node ?? '', false);
    const rescind = await sched.nextEvent('RESCIND_INVERSE_OFFER');
    expect(rescind.rescind_inverse_offer.inverse_offer_id).toEqual(inverse?.id);

    const update = await sched.call({
      framework_id: frameworkId,
      type: 'UPDATE_FRAMEWORK',
      update_framework: {
        framework_info: { ...frameworkInfo('maintained'), id: frameworkId, failover_timeout: 120 },
      },
    });
    expect(update.status).toBe(202);
    await eventually(async () => {
      const [fw] = await frameworksOf(s);
      expect(fw?.spec.failoverTimeoutSeconds).toBe(120);
    });
    const wrongId = await sched.call({
      framework_id: frameworkId,
      type: 'UPDATE_FRAMEWORK',
      update_framework: { framework_info: { ...frameworkInfo('maintained'), id: { value: 'other' } } },
    });
    expect(wrongId.status).toBe(400);
    sched.close();
    expect(sched.violations).toEqual([]);
  });

  it('offers host ports as RANGES, gives a task the ports it names, and offers them to nobody else meanwhile', async () => {
    await s.nodes(1, { cpu: '4', memory: '8Gi' });
    const operator = await s.startOperator([ANONYMOUS, '--mesos-ports=31000-31009']);
    const sched = scheduler();
    await sched.subscribe(operator.url, frameworkInfo('ports'), { mediaType: 'application/json' });
    const offer = (await sched.nextEvent('OFFERS')).offers.offers?.[0] as Offer;
    const portsOf = (o: Offer) => o.resources?.find((r) => r.name === 'ports')?.ranges?.range;
    expect(portsOf(offer)).toEqual([{ begin: 31000, end: 31009 }]);
    const ports = (begin: number, end: number) => ({
      name: 'ports',
      type: 'RANGES' as const,
      ranges: { range: [{ begin, end }] },
    });
    const web = { ...sleepTask('web', offer), labels: { labels: [] } };
    web.resources = [...(web.resources ?? []), ports(31003, 31004)];
    const outside = { ...sleepTask('outside', offer), labels: { labels: [] } };
    outside.resources = [...(outside.resources ?? []), ports(40000, 40000)];
    await sched.accept([offer.id], [{ type: 'LAUNCH', launch: { task_infos: [web, outside] } }], {
      refuse_seconds: 0,
    });
    const seen = new Map<string, string>();
    while (seen.size < 2) {
      const { update } = await sched.nextEvent('UPDATE');
      seen.set(update.status.task_id.value, update.status.state);
      if (update.status.uuid) await sched.acknowledge(update);
    }
    expect(Object.fromEntries(seen)).toEqual({ web: 'TASK_RUNNING', outside: 'TASK_ERROR' });
    const [pod] = await s.pods();
    expect(pod?.spec?.containers[0]?.ports?.map((p) => [p.containerPort, p.hostPort])).toEqual([
      [31003, 31003],
      [31004, 31004],
    ]);
    // The rest of the node comes back (after the shortest filter), without the task's ports.
    const next = (await sched.nextEvent('OFFERS')).offers.offers?.[0] as Offer;
    expect(portsOf(next)).toEqual([
      { begin: 31000, end: 31002 },
      { begin: 31005, end: 31009 },
    ]);
    sched.close();
    expect(sched.violations).toEqual([]);
  });
});
