import { ApiException } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { Auth, type AuthBackend } from '../scheduler/external/auth.js';
import { RecordIODecoder, createMesosCodec, loadMesosSchema } from '../scheduler/mesos/index.js';
import type { Call, Event } from '../scheduler/mesos/types/master.js';
import { startHttpServer, type HttpServer } from '../server/http.js';
import { ManualClock } from '../util/clock.js';
import type { HostPort, MasterInputs } from './inputs.js';
import { metricsRouter, operatorApiRouter, readOnlyRouter, type MasterRoutesDeps } from './routes.js';
import type { WriteStep } from './operator-writes.js';
import { NODE_UID, clusterInputs, node } from './test-inputs.js';

const codec = createMesosCodec(loadMesosSchema());
const backend: AuthBackend = {
  tokenReview: () => Promise.resolve({ authenticated: true, username: 'alice', groups: [] }),
  accessReview: () => Promise.resolve({ allowed: false, reason: 'no role' }),
  credentials: () => Promise.resolve(new Map()),
};

interface World {
  synced?: boolean;
  leader?: HostPort | undefined;
  anonymous?: boolean;
  /** What the caches hold now; the cluster of test-inputs.ts unless set. */
  inputs?: MasterInputs;
  /** What the Kubernetes API answers the writes with: success unless set. */
  writeError?: Error;
}

let server: HttpServer | undefined;
const clock = new ManualClock(0);
/** The writes the operator API asked for, in order. */
let written: WriteStep[] = [];

async function serve(world: World = {}): Promise<string> {
  written = [];
  const deps: MasterRoutesDeps = {
    inputs: (): MasterInputs | undefined =>
      world.synced === false ? undefined : (world.inputs ?? clusterInputs()),
    leader: () => ('leader' in world ? world.leader : { hostname: '10.0.0.9', port: 8080 }),
    auth: new Auth(backend, { anonymous: world.anonymous ?? true, cacheMs: 0, clock }),
    codec,
    maxBodyBytes: 1024,
    writer: {
      run: (step) => {
        written.push(step);
        return world.writeError === undefined ? Promise.resolve() : Promise.reject(world.writeError);
      },
    },
    subscription: { clock, heartbeatSeconds: 15, pollMs: 500 },
  };
  const readOnly = readOnlyRouter(deps);
  server = await startHttpServer({
    registry: new Registry(),
    host: '127.0.0.1',
    port: 0,
    readiness: () => ({ cachesSynced: true, leader: true }),
    routers: [
      { path: '/master', router: readOnly },
      { path: '/', router: readOnly },
      { path: '/metrics', router: metricsRouter(deps) },
      { path: '/api/v1', router: operatorApiRouter(deps) },
    ],
  });
  return server.url;
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function post(url: string, call: Call, media = 'application/json', accept = media): Promise<Response> {
  return fetch(`${url}/api/v1`, {
    method: 'POST',
    headers: { 'Content-Type': media, Accept: accept },
    body: codec.encodeMasterCall(call, media as 'application/json'),
  });
}

describe('the master’s read-only endpoints', () => {
  it.each<[string, string]>([
    ['/master/state', 'slaves'],
    ['/state', 'frameworks'],
    ['/master/state.json', 'frameworks'],
    ['/state-summary', 'slaves'],
    ['/master/frameworks', 'frameworks'],
    ['/slaves', 'slaves'],
    ['/master/roles', 'roles'],
    ['/roles.json', 'roles'],
    ['/master/tasks.json', 'tasks'],
  ])('%s answers JSON with %s', async (path, key) => {
    const res = await fetch(`${await serve()}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toHaveProperty(key);
  });

  it('wraps JSON in the callback ?jsonp names', async () => {
    const res = await fetch(`${await serve()}/master/state?jsonp=cb`);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    const body = await res.text();
    expect(body).toMatch(/^cb\(\{.*\}\);$/s);
    expect(JSON.parse(body.slice(3, -2))).toMatchObject({ id: 'kmesos-0' });
    expect((await fetch(`${server?.url}/master/state?jsonp=alert(1)`)).status).toBe(400);
  });

  it('pages tasks', async () => {
    const res = await fetch(`${await serve()}/master/tasks?limit=2&order=asc`);
    expect(((await res.json()) as { tasks: { id: string }[] }).tasks.map((t) => t.id)).toEqual([
      'a-0',
      'a-1',
    ]);
  });

  it('serves /metrics/snapshot beside the Prometheus /metrics', async () => {
    const url = await serve();
    const snapshot = (await (await fetch(`${url}/metrics/snapshot`)).json()) as Record<string, number>;
    expect(snapshot['master/cpus_used']).toBe(9.25);
    expect((await fetch(`${url}/metrics`)).headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it('redirects to the leader, answers 503 while there is none', async () => {
    const res = await fetch(`${await serve()}/master/redirect`, { redirect: 'manual' });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe('//10.0.0.9:8080');
    await server?.close();
    const none = await fetch(`${await serve({ leader: undefined })}/redirect`, { redirect: 'manual' });
    expect(none.status).toBe(503);
  });

  it('answers /health with an empty 200, even before the caches synced', async () => {
    const url = await serve({ synced: false });
    const res = await fetch(`${url}/master/health`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect((await fetch(`${url}/master/state`)).status).toBe(503);
  });

  it('asks for credentials unless anonymous reads are allowed, and for the right to list tasks', async () => {
    const url = await serve({ anonymous: false });
    const res = await fetch(`${url}/master/state`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    const forbidden = await fetch(`${url}/master/state`, { headers: { Authorization: 'Bearer t' } });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).toContain('alice may not list tasks (kmesos.io) in all namespaces');
  });
});

describe('the v1 operator API', () => {
  it('answers a call in JSON', async () => {
    const res = await post(await serve(), { type: 'GET_HEALTH' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ type: 'GET_HEALTH', get_health: { healthy: true } });
  });

  it('answers a call in protobuf', async () => {
    const res = await post(await serve(), { type: 'GET_STATE' }, 'application/x-protobuf');
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    const decoded = codec.decodeMasterResponse(
      new Uint8Array(await res.arrayBuffer()),
      'application/x-protobuf',
    );
    expect(decoded.ok && decoded.value.get_state?.get_tasks?.tasks).toHaveLength(5);
  });

  it.each<[string, RequestInit, number, RegExp]>([
    ['a GET', { method: 'GET' }, 405, /Expecting one of \{ 'POST' \}/],
    ['no Content-Type', { method: 'POST', body: new TextEncoder().encode('{}') }, 400, /Content-Type/],
    ['text', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' }, 415, /Content-Type/],
    [
      'no type',
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' },
      400,
      /call\.type: required/,
    ],
    [
      'a call kmesos does not serve',
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"type":"TEARDOWN"}' },
      400,
      /^TEARDOWN is not supported by kmesos yet; it serves GET_HEALTH, .*SUBSCRIBE, DEACTIVATE_AGENT/,
    ],
    [
      'a body over the limit',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: `{"x":"${'y'.repeat(2000)}"}`,
      },
      413,
      /larger than 1024 bytes/,
    ],
  ])('refuses %s', async (_name, init, status, message) => {
    const res = await fetch(`${await serve()}/api/v1`, init);
    expect(res.status).toBe(status);
    expect(await res.text()).toMatch(message);
  });
});

describe('the operator API’s writes', () => {
  it('cordons the agent’s node for DEACTIVATE_AGENT and answers 200 with no body', async () => {
    const res = await post(await serve(), {
      type: 'DEACTIVATE_AGENT',
      deactivate_agent: { agent_id: { value: NODE_UID } },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(written).toEqual([{ op: 'cordon', node: 'n1', unschedulable: true }]);
  });

  it('drains in protobuf too: cordon, then the task pods with the grace period capped', async () => {
    const call: Call = {
      type: 'DRAIN_AGENT',
      drain_agent: { agent_id: { value: NODE_UID }, max_grace_period: { nanoseconds: 5e9 } },
    };
    const res = await post(await serve(), call, 'application/x-protobuf');
    expect(res.status).toBe(200);
    expect(written).toEqual([
      { op: 'cordon', node: 'n1', unschedulable: true },
      { op: 'deleteTaskPods', node: 'n1', gracePeriodSeconds: 5 },
    ]);
  });

  it('refuses an unknown agent with a 400 naming the field, and writes nothing', async () => {
    const res = await post(await serve(), {
      type: 'MARK_AGENT_GONE',
      mark_agent_gone: { agent_id: { value: 'x' } },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe("call.mark_agent_gone.agent_id: no agent with ID 'x'\n");
    expect(written).toEqual([]);
  });

  it.each<[string, Error, number, string]>([
    [
      'a conflict',
      new ApiException(
        409,
        'Conflict',
        JSON.stringify({ message: 'resourceroles "dev" already exists' }),
        {},
      ),
      409,
      'createResourceRole ResourceRole dev failed: 409: resourceroles "dev" already exists\n',
    ],
    [
      'an invalid object',
      new ApiException(422, 'Invalid', JSON.stringify({ message: 'spec.weight: Invalid value' }), {}),
      400,
      'createResourceRole ResourceRole dev failed: 422: spec.weight: Invalid value\n',
    ],
    [
      'a transport error',
      new Error('socket hang up'),
      500,
      'createResourceRole ResourceRole dev failed: socket hang up\n',
    ],
  ])(
    'answers %s from the Kubernetes API with what it means to the caller',
    async (_name, error, status, body) => {
      const url = await serve({ writeError: error });
      const res = await post(url, {
        type: 'UPDATE_WEIGHTS',
        update_weights: { weight_infos: [{ role: 'dev', weight: 2 }] },
      });
      expect([res.status, await res.text()]).toEqual([status, body]);
    },
  );

  it('refuses a token caller without the Kubernetes verb with a 403, and writes nothing', async () => {
    const url = await serve({ anonymous: false });
    const res = await fetch(`${url}/api/v1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' },
      body: JSON.stringify({
        type: 'UPDATE_WEIGHTS',
        update_weights: { weight_infos: [{ role: 'dev', weight: 2 }] },
      }),
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('alice may not create resourceroles (kmesos.io) in all namespaces');
    expect(written).toEqual([]);
  });
});

/** Reads a SUBSCRIBE stream's events as they come. */
async function subscribe(url: string, media: 'application/json' | 'application/x-protobuf') {
  const res = await post(url, { type: 'SUBSCRIBE' }, media);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe(media);
  expect(res.headers.get('content-length')).toBeNull();
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new RecordIODecoder({ maxRecordBytes: 1 << 20 });
  const queue: Event[] = [];
  const next = async (): Promise<Event> => {
    while (queue.length === 0) {
      const chunk = await reader.read();
      if (chunk.done) throw new Error('stream ended');
      const records = decoder.push(chunk.value);
      if (!records.ok) throw new Error(records.error.message);
      for (const r of records.value) {
        const event = codec.decodeMasterEvent(r, media);
        if (!event.ok) throw new Error(event.error.message);
        queue.push(event.value);
      }
    }
    return queue.shift() as Event;
  };
  return { next, close: () => reader.cancel() };
}

describe('the operator API’s SUBSCRIBE stream', () => {
  it.each(['application/json', 'application/x-protobuf'] as const)(
    'sends SUBSCRIBED with the state, then what changes, and heartbeats (%s)',
    async (media) => {
      const world: World = { inputs: clusterInputs() };
      const stream = await subscribe(await serve(world), media);
      const subscribed = await stream.next();
      expect(subscribed.type).toBe('SUBSCRIBED');
      expect(subscribed.subscribed?.heartbeat_interval_seconds).toBe(15);
      expect(subscribed.subscribed?.get_state?.get_agents?.agents?.map((a) => a.agent_info.hostname)).toEqual(
        ['n1'],
      );
      expect(await stream.next()).toEqual({ type: 'HEARTBEAT' });
      world.inputs = clusterInputs({ nodes: [node(), node('n2')] });
      clock.advance(500);
      expect(await stream.next()).toMatchObject({
        type: 'AGENT_ADDED',
        agent_added: { agent: { agent_info: { hostname: 'n2' } } },
      });
      world.inputs = clusterInputs();
      clock.advance(500);
      expect(await stream.next()).toEqual({
        type: 'AGENT_REMOVED',
        agent_removed: { agent_id: { value: 'uid-n2' } },
      });
      clock.advance(14_000);
      expect(await stream.next()).toEqual({ type: 'HEARTBEAT' });
      await stream.close();
    },
  );

  it('tells each subscriber only what changed since it subscribed', async () => {
    const world: World = { inputs: clusterInputs() };
    const url = await serve(world);
    const early = await subscribe(url, 'application/json');
    expect((await early.next()).type).toBe('SUBSCRIBED');
    expect((await early.next()).type).toBe('HEARTBEAT');
    world.inputs = clusterInputs({ nodes: [node(), node('n2')] });
    clock.advance(500);
    expect((await early.next()).type).toBe('AGENT_ADDED');
    const late = await subscribe(url, 'application/x-protobuf');
    const subscribed = await late.next();
    expect(subscribed.subscribed?.get_state?.get_agents?.agents).toHaveLength(2);
    expect((await late.next()).type).toBe('HEARTBEAT');
    world.inputs = clusterInputs();
    clock.advance(500);
    const removed = { type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: 'uid-n2' } } };
    expect(await early.next()).toEqual(removed);
    expect(await late.next()).toEqual(removed);
    await early.close();
    await late.close();
  });

  it('is refused to a caller who may not read the state', async () => {
    const url = await serve({ anonymous: false });
    const res = await fetch(`${url}/api/v1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' },
      body: JSON.stringify({ type: 'SUBSCRIBE' }),
    });
    expect(res.status).toBe(403);
  });
});
