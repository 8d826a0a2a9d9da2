import { Registry } from 'prom-client';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { Task } from '../api/types.js';
import type { MasterInputs } from '../master/inputs.js';
import { clusterInputs } from '../master/test-inputs.js';
import { Auth, type AuthBackend } from '../scheduler/external/auth.js';
import { startHttpServer, type HttpServer } from '../server/http.js';
import { ManualClock } from '../util/clock.js';
import { makeAssets } from './assets.js';
import type { EventQuery } from './events.js';
import { ViewPublisher } from './publisher.js';
import { uiRouter } from './routes.js';
import type { UiEvent, UiView } from './wire.js';

const backend: AuthBackend = {
  tokenReview: (token) =>
    Promise.resolve({
      authenticated: true,
      username: token === 'reader' ? 'reader' : 'stranger',
      groups: [],
    }),
  accessReview: (user) => Promise.resolve({ allowed: user.username === 'reader', reason: 'no role' }),
  credentials: () => Promise.resolve(new Map()),
};

const INDEX = '<!doctype html><title>kmesos</title>';

interface World {
  inputs: MasterInputs | undefined;
  anonymous: boolean;
  built: boolean;
  asked: EventQuery[];
}

let server: HttpServer | undefined;
let clock: ManualClock;
let publisher: ViewPublisher;

async function serve(over: Partial<World> = {}): Promise<{ url: string; world: World }> {
  const world: World = { inputs: clusterInputs(), anonymous: false, built: true, asked: [], ...over };
  clock = new ManualClock(0);
  publisher = new ViewPublisher({ inputs: () => world.inputs, clock, intervalMs: 1000 });
  const router = uiRouter({
    assets: world.built
      ? makeAssets([
          ['index.html', Buffer.from(INDEX)],
          ['app.js', Buffer.from('console.log(1)')],
        ])
      : undefined,
    publisher,
    synced: () => world.inputs !== undefined,
    auth: new Auth(backend, { anonymous: world.anonymous, cacheMs: 0, clock }),
    events: (q) => {
      world.asked.push(q);
      const e: UiEvent = {
        type: 'Warning',
        reason: 'Unschedulable',
        message: 'too big',
        count: 1,
        last: undefined,
        source: 'kmesos',
      };
      return Promise.resolve([e]);
    },
    clock,
    keepAliveMs: 15_000,
  });
  server = await startHttpServer({
    registry: new Registry(),
    host: '127.0.0.1',
    port: 0,
    readiness: () => ({ cachesSynced: true, leader: true }),
    routers: [{ path: '/', router }],
  });
  return { url: server.url, world };
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A raw GET, so the body comes as sent (fetch would undo the gzip). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    })
      .on('error', reject)
      .end();
  });
}

describe('the web UI’s files', () => {
  it('serves the page at / gzipped to a client that accepts it, with a policy that allows only this origin', async () => {
    const { url } = await serve();
    const res = await rawGet(`${url}/`, { 'Accept-Encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(gunzipSync(res.body).toString()).toBe(INDEX);
    const plain = await rawGet(`${url}/ui/app.js`, {});
    expect([plain.status, plain.headers['content-encoding'], plain.body.toString()]).toEqual([
      200,
      undefined,
      'console.log(1)',
    ]);
  });

  it.each<[string, boolean, number, RegExp]>([
    ['/', false, 404, /not built/],
    ['/ui/nothing.js', true, 404, /No such file/],
  ])('answers %s (built: %s) with %i', async (path, built, status, body) => {
    const { url } = await serve({ built, anonymous: true });
    const res = await fetch(`${url}${path}`);
    expect(res.status).toBe(status);
    expect(await res.text()).toMatch(body);
  });
});

describe('the web UI’s data', () => {
  it.each<[string, Partial<World>, Record<string, string>, number]>([
    ['no credentials', {}, {}, 401],
    ['a token without the right to list tasks', {}, { Authorization: 'Bearer someone' }, 403],
    ['a token that may list tasks', {}, { Authorization: 'Bearer reader' }, 200],
    [
      'unknown Basic credentials',
      {},
      { Authorization: `Basic ${Buffer.from('x:y').toString('base64')}` },
      401,
    ],
    ['no credentials with anonymous reads allowed', { anonymous: true }, {}, 200],
    ['caches not synced', { anonymous: true, inputs: undefined }, {}, 503],
  ])(
    'GET /ui/api/view with %s → %i, as the master’s read endpoints',
    async (_name, world, headers, status) => {
      const { url } = await serve(world);
      for (const path of ['/ui/api/view', '/ui/api/events?kind=Task&namespace=ns&name=a-0']) {
        const res = await fetch(`${url}${path}`, { headers });
        expect([path, res.status]).toEqual([path, status]);
        // The page asks for credentials itself: no Basic challenge that would make the browser prompt.
        if (status === 401) expect(res.headers.get('www-authenticate')).toBe('Bearer realm="kmesos"');
      }
    },
  );

  it('answers the view for the query’s filter', async () => {
    const { url } = await serve({ anonymous: true });
    const view = (await (await fetch(`${url}/ui/api/view?framework=ns/b`)).json()) as UiView;
    expect(view.tasks.map((t) => t.name)).toEqual(['b-0', 'b-1']);
    expect(view.filter).toEqual({ framework: 'ns/b' });
  });

  it('streams the view at once and again when a task ends', async () => {
    const { url, world } = await serve({ anonymous: true });
    const abort = new AbortController();
    const res = await fetch(`${url}/ui/api/stream?state=TASK_RUNNING`, { signal: abort.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const views = (): UiView[] =>
      [...text.matchAll(/^event: view\ndata: (.*)$/gm)].map((m) => JSON.parse(m[1] ?? '') as UiView);
    const until = async (n: number): Promise<UiView[]> => {
      while (views().length < n) text += (await reader.read()).value ?? '';
      return views();
    };
    expect((await until(1))[0]?.tasks.map((t) => t.name)).toEqual(['a-0', 'a-1', 'b-0', 'web-x1']);
    const inputs = world.inputs as MasterInputs;
    const tasks = new Map(inputs.tasks);
    const b0 = tasks.get('ns/b-0') as Task;
    tasks.set('ns/b-0', { ...b0, status: { ...b0.status, state: 'TASK_FINISHED' } });
    world.inputs = { ...inputs, tasks, taskStatus: (k) => tasks.get(k)?.status };
    clock.advance(1000);
    expect((await until(2))[1]?.tasks.map((t) => t.name)).toEqual(['a-0', 'a-1', 'web-x1']);
    // At shutdown the stream ends, so the server can drain.
    publisher.close();
    for (;;) if ((await reader.read()).done) break;
    abort.abort();
  });

  it.each<[string, number, EventQuery | undefined]>([
    ['kind=Task&namespace=ns&name=a-0', 200, { kind: 'Task', namespace: 'ns', name: 'a-0' }],
    ['kind=Node&name=n1', 200, { kind: 'Node', namespace: '', name: 'n1' }],
    ['kind=Pod&namespace=ns&name=a-0', 400, undefined],
    ['kind=Task&namespace=ns&name=a,involvedObject.name=b', 400, undefined],
    ['kind=Task&name=a-0', 400, undefined],
  ])('GET /ui/api/events?%s → %i', async (query, status, asked) => {
    const { url, world } = await serve({ anonymous: true });
    const res = await fetch(`${url}/ui/api/events?${query}`);
    expect(res.status).toBe(status);
    expect(world.asked).toEqual(asked ? [asked] : []);
  });
});
