import { Writable } from 'node:stream';
import type { Framework, Task } from '../../api/types.js';
import { frameworkObject, taskObject } from '../../api/test-builders.js';
import { ClusterState } from '../../cluster/state.js';
import { createLogger } from '../../logging/logger.js';
import { ManualClock } from '../../util/clock.js';
import { createMesosCodec, loadMesosSchema, RecordIODecoder } from '../mesos/index.js';
import type { Call, Event } from '../mesos/types/scheduler.js';
import { ExternalScheduler } from './external-scheduler.js';
import type { ExternalWrites } from './kube-writes.js';
import type { EventSink } from './session.js';

const quiet = createLogger({ level: 'error', stream: new Writable({ write: (_c, _e, cb) => cb() }) });
const codec = createMesosCodec(loadMesosSchema());

/** A stream's events as a scheduler would read them. */
class Sink implements EventSink {
  streamId: string | undefined;
  ended = false;
  private readonly decoder = new RecordIODecoder({ maxRecordBytes: 2 ** 20 });
  readonly events: Event[] = [];
  begin(streamId: string): void {
    this.streamId = streamId;
  }
  write(record: Buffer): void {
    const records = this.decoder.push(record);
    if (!records.ok) throw new Error(records.error.message);
    // One record per write: the HTTP layer turns each write into one chunk.
    expect(records.value).toHaveLength(1);
    for (const r of records.value) {
      const e = codec.decodeEvent(r, 'application/json');
      if (!e.ok) throw new Error(e.error.message);
      this.events.push(e.value);
    }
  }
  end(): void {
    this.ended = true;
  }
  types(): string[] {
    return this.events.map((e) => e.type ?? '');
  }
}

function world() {
  const clock = new ManualClock(1_000_000);
  const state = new ClusterState();
  const deleted: string[] = [];
  let n = 0;
  const writes: ExternalWrites = {
    createFramework: (namespace, body) => {
      const b = body as Framework;
      const fw = frameworkObject(`fw-${n++}`, { namespace, scheduler: 'External' });
      fw.metadata.annotations = b.metadata.annotations ?? {};
      fw.spec = { ...fw.spec, ...b.spec };
      state.upsert('framework', fw);
      return Promise.resolve(fw);
    },
    patchFramework: (namespace, name) =>
      Promise.resolve(state.frameworks.get(`${namespace}/${name}`) as Framework),
    deleteFramework: (namespace, name) => {
      deleted.push(`${namespace}/${name}`);
      return Promise.resolve();
    },
    createTask: () => Promise.reject(new Error('unused')),
    deleteTask: () => Promise.resolve(),
  };
  let bytes = 0;
  const scheduler = new ExternalScheduler(
    {
      heartbeatSeconds: 5,
      updateResend: { minMs: 10_000, maxMs: 600_000 },
      master: { id: 'm', ip: 0, port: 5050 },
    },
    {
      state,
      allocator: { rescindOffer: () => null },
      writes,
      taskStatus: () => undefined,
      requestCycle: () => undefined,
      refreshTask: () => undefined,
      codec,
      clock,
      random: () => (bytes++ % 256) / 256,
      logger: quiet,
    },
  );
  return { clock, state, deleted, scheduler };
}

const WHO = { principal: '', namespace: 'ns' };

const subscribe = (name: string, failover: number, id?: string): Call => ({
  type: 'SUBSCRIBE',
  subscribe: {
    framework_info: { user: 'u', name, failover_timeout: failover, ...(id ? { id: { value: id } } : {}) },
  },
});

async function subscribed(w: ReturnType<typeof world>, call: Call): Promise<{ sink: Sink; id: string }> {
  const sink = new Sink();
  const r = await w.scheduler.subscribe(call, 'application/json', sink, WHO);
  if (!r.ok) throw new Error(r.message);
  return { sink, id: r.session.frameworkId };
}

describe('ExternalScheduler', () => {
  it('starts a stream with SUBSCRIBED and a HEARTBEAT, then heartbeats every interval', async () => {
    const w = world();
    const { sink, id } = await subscribed(w, subscribe('a', 10));
    expect(sink.streamId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sink.events[0]).toEqual({
      type: 'SUBSCRIBED',
      subscribed: {
        framework_id: { value: id },
        heartbeat_interval_seconds: 5,
        master_info: { id: 'm', ip: 0, port: 5050 },
      },
    });
    expect(sink.types()).toEqual(['SUBSCRIBED', 'HEARTBEAT']);
    w.clock.advance(15_000);
    expect(sink.types()).toEqual(['SUBSCRIBED', 'HEARTBEAT', 'HEARTBEAT', 'HEARTBEAT', 'HEARTBEAT']);
    expect(w.scheduler.wantsOffers('ns/fw-0')).toBe(true);
  });

  it('closes the old stream with an ERROR when the framework subscribes again, keeping its ID', async () => {
    const w = world();
    const first = await subscribed(w, subscribe('a', 10));
    const second = await subscribed(w, subscribe('a', 10, first.id));
    expect(second.id).toBe(first.id);
    expect(first.sink.events.at(-1)).toEqual({ type: 'ERROR', error: { message: 'Framework failed over' } });
    expect(first.sink.ended).toBe(true);
    expect(second.sink.ended).toBe(false);
    expect(w.state.frameworks.size).toBe(1);
  });

  it('removes a framework whose scheduler stays away past its failover timeout, and not one that returns', async () => {
    const w = world();
    const gone = await subscribed(w, subscribe('gone', 30));
    const back = await subscribed(w, subscribe('back', 30));
    for (const s of [gone, back]) {
      const session = w.scheduler.sessionById(s.id);
      if (session) w.scheduler.disconnected(session);
    }
    expect(w.scheduler.wantsOffers('ns/fw-0')).toBe(false);
    expect(w.scheduler.connected('ns/fw-0')).toBe(false);
    w.clock.advance(20_000);
    await subscribed(w, subscribe('back', 30, back.id));
    w.clock.advance(10_001);
    expect(w.deleted).toEqual(['ns/fw-0']);
  });

  it('resends an update until it is acknowledged, then sends the next', async () => {
    const w = world();
    const { sink, id } = await subscribed(w, subscribe('a', 10));
    const task: Task = taskObject('t', { framework: 'fw-0' });
    task.metadata.annotations = { 'kmesos.io/mesos-task-id': 'web-1' };
    w.scheduler.taskTransition('ns/t', task, undefined, { state: 'TASK_STAGING', agentID: 'a1' });
    w.scheduler.taskTransition(
      'ns/t',
      task,
      { state: 'TASK_STAGING' },
      { state: 'TASK_RUNNING', agentID: 'a1' },
    );
    w.scheduler.taskTransition(
      'ns/t',
      task,
      { state: 'TASK_RUNNING' },
      { state: 'TASK_FINISHED', agentID: 'a1' },
    );
    const updates = () => sink.events.filter((e) => e.type === 'UPDATE').map((e) => e.update?.status);
    // STAGING is never sent; FINISHED waits for RUNNING's acknowledgement.
    expect(updates().map((u) => u?.state)).toEqual(['TASK_RUNNING']);
    expect(updates()[0]).toMatchObject({
      task_id: { value: 'web-1' },
      agent_id: { value: 'a1' },
      source: 'SOURCE_AGENT',
    });
    w.clock.advance(10_000);
    expect(updates().map((u) => u?.state)).toEqual(['TASK_RUNNING', 'TASK_RUNNING']);
    // The wait doubles, as in Mesos' status update manager: the next resend is 20 s later.
    w.clock.advance(10_000);
    expect(updates()).toHaveLength(2);
    w.clock.advance(10_000);
    expect(updates()).toHaveLength(3);
    const session = w.scheduler.sessionById(id);
    if (!session) throw new Error('no session');
    w.scheduler.acknowledge(session, 'ns/t', updates()[0]?.uuid ?? new Uint8Array());
    expect(updates().map((u) => u?.state)).toEqual([
      'TASK_RUNNING',
      'TASK_RUNNING',
      'TASK_RUNNING',
      'TASK_FINISHED',
    ]);
    expect(Buffer.from(updates()[3]?.uuid ?? []).equals(Buffer.from(updates()[0]?.uuid ?? []))).toBe(false);
  });

  it('waits the whole resend interval from each update’s own send, not from a shared tick', async () => {
    const w = world();
    const { sink, id } = await subscribed(w, subscribe('a', 10));
    const task: Task = taskObject('t', { framework: 'fw-0' });
    task.metadata.annotations = { 'kmesos.io/mesos-task-id': 'web-1' };
    const updates = () => sink.events.filter((e) => e.type === 'UPDATE').map((e) => e.update?.status);
    // Sent 9.5 s into the session, just before a 10 s tick would come round.
    w.clock.advance(9_500);
    w.scheduler.taskTransition('ns/t', task, undefined, { state: 'TASK_RUNNING', agentID: 'a1' });
    expect(updates()).toHaveLength(1);
    w.clock.advance(9_000);
    expect(updates()).toHaveLength(1);
    // Acknowledged in time: never resent.
    const session = w.scheduler.sessionById(id);
    if (!session) throw new Error('no session');
    w.scheduler.acknowledge(session, 'ns/t', updates()[0]?.uuid ?? new Uint8Array());
    w.clock.advance(60_000);
    expect(updates()).toHaveLength(1);
  });

  it('refuses a FrameworkInfo it cannot serve, naming the field', async () => {
    const w = world();
    const r = await w.scheduler.subscribe(
      { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'x', role: 'Not_A_Role' } } },
      'application/json',
      new Sink(),
      WHO,
    );
    expect(r).toMatchObject({ ok: false, status: 400 });
    expect(r.ok ? '' : r.message).toContain('call.subscribe.framework_info.role');
    expect(w.state.frameworks.size).toBe(0);
  });
});
