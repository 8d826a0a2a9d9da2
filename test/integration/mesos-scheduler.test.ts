/**
 * A Mesos framework on kmesos: a scheduler subscribes over the v1 Scheduler HTTP API, gets
 * offers from the nodes' free capacity, launches tasks that run as pods bound to the offered
 * node, and hears every state change as an UPDATE it acknowledges.
 */
import type { Framework, Task } from '../../src/api/types.js';
import { GROUP, VERSION } from '../../src/api/constants.js';
import {
  createMesosCodec,
  loadMesosSchema,
  RecordIODecoder,
  type MediaType,
} from '../../src/scheduler/mesos/index.js';
import type { Call, Event } from '../../src/scheduler/mesos/types/scheduler.js';
import type { Offer, TaskInfo } from '../../src/scheduler/mesos/types/v1.js';
import { freshScenarioEachTest, type Scenario } from './operator-harness.js';
import { eventually, kubeConfig } from './support.js';

const kc = kubeConfig();
const codec = createMesosCodec(loadMesosSchema());

/** A scheduler's subscription read through fetch: the events as they arrive. */
class Subscription {
  readonly events: Event[] = [];
  private readonly decoder = new RecordIODecoder({ maxRecordBytes: 16 * 2 ** 20 });
  private seen = 0;
  private done = false;

  private constructor(
    readonly url: string,
    readonly mediaType: MediaType,
    readonly streamId: string,
    readonly response: Response,
    private readonly abort: AbortController,
  ) {}

  static async open(
    url: string,
    call: Call,
    mediaType: MediaType = 'application/json',
  ): Promise<Subscription> {
    const abort = new AbortController();
    const response = await fetch(`${url}/api/v1/scheduler`, {
      method: 'POST',
      headers: { 'Content-Type': mediaType, Accept: mediaType },
      body: codec.encodeCall(call, mediaType),
      signal: abort.signal,
    });
    if (response.status !== 200) throw new Error(`SUBSCRIBE: ${response.status} ${await response.text()}`);
    const s = new Subscription(
      url,
      mediaType,
      response.headers.get('mesos-stream-id') ?? '',
      response,
      abort,
    );
    void s.pump();
    return s;
  }

  private async pump(): Promise<void> {
    const body = this.response.body as ReadableStream<Uint8Array> | null;
    if (!body) return;
    try {
      for await (const value of body) {
        const records = this.decoder.push(Buffer.from(value));
        if (!records.ok) throw new Error(records.error.message);
        for (const r of records.value) {
          const e = codec.decodeEvent(r, this.mediaType);
          if (!e.ok) throw new Error(e.error.message);
          this.events.push(e.value);
        }
      }
    } catch {
      // aborted by close()
    }
    this.done = true;
  }

  get closed(): boolean {
    return this.done;
  }

  /** The next event of this type not yet taken. */
  async next(type: Event['type'], timeoutMs = 30_000): Promise<Event> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.events.findIndex((e, n) => n >= this.seen && e.type === type);
      if (i >= 0) {
        const e = this.events[i] as Event;
        this.events.splice(i, 1);
        return e;
      }
      if (Date.now() > deadline)
        throw new Error(`no ${type} event; got ${this.events.map((e) => e.type).join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async call(call: Call): Promise<Response> {
    return fetch(`${this.url}/api/v1/scheduler`, {
      method: 'POST',
      headers: { 'Content-Type': this.mediaType, 'Mesos-Stream-Id': this.streamId },
      body: codec.encodeCall(call, this.mediaType),
    });
  }

  close(): void {
    this.abort.abort();
  }
}

function subscribeCall(
  name: string,
  extra: Partial<NonNullable<Call['subscribe']>['framework_info']> = {},
): Call {
  return {
    type: 'SUBSCRIBE',
    subscribe: { framework_info: { user: 'nobody', name, failover_timeout: 60, ...extra } },
  };
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

describe('Mesos v1 Scheduler HTTP API', () => {
  let s!: Scenario;
  freshScenarioEachTest(kc, (x) => (s = x));

  it.each<MediaType>(['application/json', 'application/x-protobuf'])(
    'runs a framework’s tasks to TASK_FINISHED over %s, every update acknowledged',
    async (mediaType) => {
      const nodes = await s.nodes(2, { cpu: '4', memory: '8Gi' });
      const operator = await s.startOperator(['--mesos-heartbeat-seconds=1']);
      const sub = await Subscription.open(operator.url, subscribeCall('sleeper'), mediaType);
      expect(sub.response.headers.get('content-type')).toBe(mediaType);
      expect(sub.streamId).not.toBe('');
      const subscribed = await sub.next('SUBSCRIBED');
      const frameworkId = subscribed.subscribed?.framework_id.value ?? '';
      expect(subscribed.subscribed?.heartbeat_interval_seconds).toBe(1);
      await sub.next('HEARTBEAT');

      // The Framework object holds what the scheduler subscribed with.
      const frameworks = (await s.custom.listNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: s.namespace,
        plural: 'frameworks',
      })) as { items: Framework[] };
      const fw = frameworks.items.find((f) => f.spec.frameworkInfo?.name === 'sleeper');
      expect(fw?.spec).toMatchObject({ scheduler: 'External', failoverTimeoutSeconds: 60 });

      const offers = (await sub.next('OFFERS')).offers?.offers ?? [];
      expect(offers.length).toBeGreaterThan(0);
      const offer = offers[0] as Offer;
      expect(offer.framework_id.value).toBe(frameworkId);
      expect(nodes).toContain(offer.hostname);
      const names = Object.fromEntries((offer.resources ?? []).map((r) => [r.name, r.scalar?.value]));
      expect(names).toMatchObject({ cpus: 4, mem: 8192 });
      expect(offer.resources?.every((r) => r.role === '*')).toBe(true);

      const accept = await sub.call({
        framework_id: { value: frameworkId },
        type: 'ACCEPT',
        accept: {
          offer_ids: [offer.id],
          operations: [
            { type: 'LAUNCH', launch: { task_infos: [sleepTask('t1', offer), sleepTask('t2', offer)] } },
          ],
          filters: { refuse_seconds: 1 },
        },
      });
      expect(accept.status).toBe(202);
      expect(await accept.text()).toBe('');
      expect(accept.headers.get('content-type')).toBeNull();

      const finished = new Set<string>();
      const states: string[] = [];
      while (finished.size < 2) {
        const status = (await sub.next('UPDATE', 60_000)).update?.status;
        if (!status) continue;
        states.push(`${status.task_id.value}:${status.state}`);
        expect(status.uuid?.length).toBe(16);
        expect(status.agent_id?.value).toBe(offer.agent_id.value);
        const ack = await sub.call({
          framework_id: { value: frameworkId },
          type: 'ACKNOWLEDGE',
          acknowledge: {
            agent_id: offer.agent_id,
            task_id: status.task_id,
            uuid: status.uuid ?? new Uint8Array(),
          },
        });
        expect(ack.status).toBe(202);
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
        const tasks = (await s.custom.listNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace: s.namespace,
          plural: 'tasks',
        })) as { items: Task[] };
        expect(tasks.items).toHaveLength(2);
        for (const t of tasks.items) {
          expect(t.spec.framework).toBe(fw?.metadata.name);
          expect(t.status?.state).toBe('TASK_FINISHED');
          expect(t.status?.nodeName).toBe(offer.hostname);
        }
      });

      // Explicit reconciliation answers with the true state and no uuid.
      await sub.call({
        framework_id: { value: frameworkId },
        type: 'RECONCILE',
        reconcile: { tasks: [{ task_id: { value: 't1' } }, { task_id: { value: 'nope' } }] },
      });
      const r1 = (await sub.next('UPDATE')).update?.status;
      const r2 = (await sub.next('UPDATE')).update?.status;
      expect([r1, r2].map((r) => [r?.task_id.value, r?.state, r?.reason, r?.uuid])).toEqual([
        ['t1', 'TASK_FINISHED', 'REASON_RECONCILIATION', undefined],
        ['nope', 'TASK_LOST', 'REASON_RECONCILIATION', undefined],
      ]);

      const teardown = await sub.call({ framework_id: { value: frameworkId }, type: 'TEARDOWN' });
      expect(teardown.status).toBe(202);
      await eventually(() => expect(sub.closed).toBe(true));
      expect(operator.errors()).toEqual([]);
    },
  );

  it('checks the stream ID of every call and refuses calls of frameworks not subscribed', async () => {
    await s.nodes(1);
    const operator = await s.startOperator();
    const sub = await Subscription.open(operator.url, subscribeCall('checker'));
    const frameworkId = (await sub.next('SUBSCRIBED')).subscribed?.framework_id.value ?? '';
    const post = (headers: Record<string, string>, call: Call) =>
      fetch(`${operator.url}/api/v1/scheduler`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(call),
      });
    const revive: Call = { framework_id: { value: frameworkId }, type: 'REVIVE' };
    const missing = await post({}, revive);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('Mesos-Stream-Id');
    const wrong = await post({ 'Mesos-Stream-Id': 'not-the-stream' }, revive);
    expect(wrong.status).toBe(400);
    const ok = await post({ 'Mesos-Stream-Id': sub.streamId }, revive);
    expect(ok.status).toBe(202);
    const stranger = await post(
      { 'Mesos-Stream-Id': sub.streamId },
      { framework_id: { value: 'other' }, type: 'REVIVE' },
    );
    expect(stranger.status).toBe(403);
    const get = await fetch(`${operator.url}/api/v1/scheduler`);
    expect(get.status).toBe(405);
    const badType = await post({}, { type: 'SUBSCRIBE' });
    expect(badType.status).toBe(400);
    expect(await badType.text()).toContain('call.subscribe');
    const version = (await (await fetch(`${operator.url}/version`)).json()) as { version: string };
    expect(version.version).toMatch(/^\d+\.\d+\.\d+$/);
    sub.close();
  });

  it('gives a framework the same ID when it subscribes again, and offers nothing while it is away', async () => {
    await s.nodes(1, { cpu: '2', memory: '4Gi' });
    const operator = await s.startOperator();
    const first = await Subscription.open(operator.url, subscribeCall('again'));
    const frameworkId = (await first.next('SUBSCRIBED')).subscribed?.framework_id.value ?? '';
    await first.next('OFFERS');
    first.close();
    await eventually(async () => {
      const fw = (await s.custom.listNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: s.namespace,
        plural: 'frameworks',
      })) as { items: Framework[] };
      expect(fw.items[0]?.status?.outstandingOffers ?? 0).toBe(0);
    });
    const second = await Subscription.open(
      operator.url,
      subscribeCall('again', { id: { value: frameworkId } }),
    );
    expect((await second.next('SUBSCRIBED')).subscribed?.framework_id.value).toBe(frameworkId);
    const offers = (await second.next('OFFERS')).offers?.offers ?? [];
    expect(offers[0]?.framework_id.value).toBe(frameworkId);
    second.close();
  });
});
