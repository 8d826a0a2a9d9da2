/**
 * The scheduler API's call handlers, fuzzed over a real socket: any Call (valid by the schema
 * or not, JSON or protobuf, with or without the stream ID) and any bytes get a 2xx or 4xx
 * answer, never a 5xx; the server stays up, the subscribed stream keeps its framing, and the
 * allocator's books still balance (every allocation is a launch the ledger holds).
 */
import fc from 'fast-check';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { Allocator } from '../../src/allocator/index.js';
import { frameworkObject, readyNode } from '../../src/api/test-builders.js';
import type { Framework, Task } from '../../src/api/types.js';
import { ClusterState } from '../../src/cluster/state.js';
import { LaunchLedger } from '../../src/launcher/ledger.js';
import { createLogger } from '../../src/logging/logger.js';
import { Auth } from '../../src/scheduler/external/auth.js';
import { CallHandler } from '../../src/scheduler/external/calls.js';
import { ExternalScheduler } from '../../src/scheduler/external/external-scheduler.js';
import { schedulerApiRouter } from '../../src/scheduler/external/http-api.js';
import type { ExternalWrites } from '../../src/scheduler/external/kube-writes.js';
import { RateLimiter } from '../../src/scheduler/external/rate-limit.js';
import { createMesosCodec, loadMesosSchema, type MediaType } from '../../src/scheduler/mesos/index.js';
import type { PlainMessage } from '../../src/scheduler/mesos/plain.js';
import type { Call } from '../../src/scheduler/mesos/types/scheduler.js';
import { startHttpServer, type HttpServer } from '../../src/server/http.js';
import { ManualClock, systemClock } from '../../src/util/clock.js';
import { arbitraryMessage } from '../mesos/arbitrary.js';
import { MesosTestScheduler, rawRequest } from '../mesos/raw-client.js';

const quiet = createLogger({ level: 'error', stream: new Writable({ write: (_c, _e, cb) => cb() }) });
const schema = loadMesosSchema();
const codec = createMesosCodec(schema);
const MEDIA: readonly MediaType[] = ['application/json', 'application/x-protobuf'];
const ANSWERS = new Set([202, 400, 403, 406, 413, 415, 429]);

interface World {
  server: HttpServer;
  allocator: Allocator;
  ledger: LaunchLedger;
  scheduler: ExternalScheduler;
  state: ClusterState;
}

function world(): Promise<World> {
  const clock = new ManualClock(1_000_000);
  const state = new ClusterState();
  state.upsert('node', readyNode('n1'));
  const allocator = new Allocator({ clock, offerTimeoutMs: 60_000 });
  allocator.addAgent({
    agentId: 'uid-n1',
    hostname: 'n1',
    attributes: {},
    total: { cpu: 4000, memory: 8 * 2 ** 30 },
  });
  const ledger = new LaunchLedger({ clock, unseenTtlMs: 60_000, release: (k) => allocator.removeTask(k) });
  let n = 0;
  const writes: ExternalWrites = {
    createFramework: (namespace, body) => {
      const fw = frameworkObject(`fw-${n++}`, { namespace, scheduler: 'External' });
      const b = body as Framework;
      fw.metadata.annotations = b.metadata.annotations ?? {};
      state.upsert('framework', fw);
      allocator.addFramework({ frameworkId: `${namespace}/${fw.metadata.name ?? ''}`, kind: 'External' });
      return Promise.resolve(fw);
    },
    patchFramework: (namespace, name) =>
      Promise.resolve(state.frameworks.get(`${namespace}/${name}`) as Framework),
    deleteFramework: () => Promise.resolve(),
    // Half the creates are refused, as an API server refuses an invalid object.
    createTask: (_ns, body) =>
      n++ % 2 === 0 ? Promise.resolve(body as Task) : Promise.reject(new Error('refused')),
    deleteTask: () => Promise.resolve(),
  };
  const scheduler = new ExternalScheduler(
    {
      heartbeatSeconds: 5,
      updateResend: { minMs: 10_000, maxMs: 600_000 },
      master: { id: 'm', ip: 0, port: 0 },
    },
    {
      state,
      allocator,
      writes,
      taskStatus: () => undefined,
      requestCycle: () => undefined,
      refreshTask: () => undefined,
      codec,
      clock,
      random: Math.random,
      logger: quiet,
    },
  );
  const calls = new CallHandler({
    scheduler,
    allocator,
    ledger,
    launcher: { launch: () => undefined },
    state,
    writes,
    defaults: { image: 'busybox' },
    codec,
    logger: quiet,
  });
  const router = schedulerApiRouter({
    scheduler,
    calls,
    codec,
    availability: () => ({ serving: true }),
    auth: new Auth(
      {
        tokenReview: () => Promise.resolve({ authenticated: false }),
        accessReview: () => Promise.resolve({ allowed: false }),
        credentials: () => Promise.resolve(new Map()),
      },
      { anonymous: true, cacheMs: 1000, clock: systemClock },
    ),
    namespaceFor: () => 'ns',
    limiter: new RateLimiter(1e9, 1e9, () => Date.now()),
    logger: quiet,
    maxBodyBytes: 1 << 16,
  });
  return startHttpServer({
    registry: new Registry(),
    host: '127.0.0.1',
    port: 0,
    readiness: () => ({ cachesSynced: true, leader: true, allocatorRunning: true }),
    routers: [{ path: '/api/v1/scheduler', router }],
    log: quiet,
  }).then((server) => ({ server, allocator, ledger, scheduler, state }));
}

describe('the scheduler API under fuzzed calls', () => {
  let w!: World;
  let sched!: MesosTestScheduler;
  beforeAll(async () => {
    w = await world();
    sched = new MesosTestScheduler({ codec, timeoutMs: 10_000 });
    await sched.subscribe(w.server.url, { user: 'u', name: 'fuzz' }, { mediaType: 'application/json' });
    await sched.nextEvent('SUBSCRIBED');
  });
  afterAll(async () => {
    sched.close();
    await w.server.close();
  });

  const post = (body: Uint8Array | string, media: MediaType, streamId = sched.streamId ?? '') =>
    rawRequest(w.server.url, {
      path: '/api/v1/scheduler',
      headers: { 'Content-Type': media, 'Mesos-Stream-Id': streamId },
      body,
    });

  /** Offers made to the fuzzed framework, so some ACCEPTs and DECLINEs name real ones. */
  function offer(): string[] {
    const made = w.allocator.allocate();
    const decided = w.scheduler.cycle({
      pending: [],
      agentNames: new Set(['n1']),
      place: () => ({ placements: [], unschedulable: [] }),
      offers: made.offers,
      rescinded: made.rescinded,
    });
    // As the operator's cycle does: offers nobody can answer go back.
    for (const d of decided.declines) w.allocator.decline(d.offerId, d.refuseSeconds);
    return [...w.scheduler.offered.keys()];
  }

  function booksBalance(): void {
    w.allocator.checkInvariants();
    for (const id of w.allocator.outstandingOffers().map((o) => o.offerId))
      expect(w.scheduler.offered.has(id)).toBe(true);
  }

  it('answers any schema-valid Call of its framework with 202 or a 4xx', async () => {
    // TEARDOWN would end the one subscription every other call runs on; its own tests cover it.
    const calls = arbitraryMessage(schema.declared.lookupType('mesos.v1.scheduler.Call')).filter(
      (c) => c['type'] !== 'TEARDOWN',
    );
    await fc.assert(
      fc.asyncProperty(calls, fc.constantFrom(...MEDIA), fc.boolean(), async (call, media, own) => {
        const offers = offer();
        const c = { ...call, ...(own ? { framework_id: sched.frameworkId } : {}) } as Call & PlainMessage;
        if (c.accept && offers[0]) c.accept = { ...c.accept, offer_ids: [{ value: offers[0] }] };
        const res = await post(codec.encodeCall(c, media), media);
        expect(ANSWERS.has(res.status)).toBe(true);
        booksBalance();
      }),
      { numRuns: 150 },
    );
  });

  it('launches what a real offer holds and refuses the rest, whatever the TaskInfos say', async () => {
    const tasks = fc.array(arbitraryMessage(schema.declared.lookupType('mesos.v1.TaskInfo')), {
      maxLength: 4,
    });
    await fc.assert(
      fc.asyncProperty(tasks, fc.boolean(), async (infos, sameAgent) => {
        const [offerId] = offer();
        if (!offerId) return;
        const agent = w.scheduler.offered.get(offerId)?.agentId ?? '';
        const task_infos = infos.map((t) => (sameAgent ? { ...t, agent_id: { value: agent } } : t));
        const res = await sched.accept(
          [{ value: offerId }],
          [{ type: 'LAUNCH', launch: { task_infos } as never }],
        );
        expect(res.status).toBe(202);
        await new Promise((r) => setImmediate(r));
        booksBalance();
      }),
      { numRuns: 100 },
    );
  });

  it('answers malformed bodies with 400 and keeps the stream whole', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...MEDIA), async (bytes, media) => {
        const res = await post(bytes, media);
        expect(ANSWERS.has(res.status)).toBe(true);
      }),
      { numRuns: 150 },
    );
    const json = await post('{"type":"ACCEPT","framework_id":{"value":7}}', 'application/json');
    expect(json.status).toBe(400);
    expect(json.body.toString()).toContain('call.framework_id.value');
    const big = await post(Buffer.alloc(1 << 17, 0x20), 'application/json');
    expect(big.status).toBe(413);
    const health = await rawRequest(w.server.url, { method: 'GET', path: '/healthz' });
    expect(health.status).toBe(200);
    expect(sched.violations).toEqual([]);
  });
});
