import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpMethod, RequestContext } from '@kubernetes/client-node';
import { ManualClock } from '../util/clock.js';
import { KeepAliveKubeConfig } from './keepalive.js';
import { loadLocalServer } from './test-kubeconfig.js';

let server: Server;
let port: number;
const peers: number[] = [];
const authorizations: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    peers.push(req.socket.remotePort ?? 0);
    authorizations.push(req.headers.authorization ?? '');
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function load(kc: KeepAliveKubeConfig, token: string): void {
  loadLocalServer(kc, port, token);
}

async function send(kc: KeepAliveKubeConfig): Promise<RequestContext> {
  const context = new RequestContext(`http://127.0.0.1:${port}/api/v1/nodes`, HttpMethod.GET);
  context.setHeaderParam('Accept', 'application/json');
  await kc.applySecurityAuthentication(context);
  const dispatcher = context.getDispatcher();
  if (!dispatcher) throw new Error('no dispatcher');
  const res = await dispatcher.request({
    origin: `http://127.0.0.1:${port}`,
    path: '/api/v1/nodes',
    method: 'GET',
    headers: context.getHeaders(),
  });
  await res.body.text();
  return context;
}

describe('KeepAliveKubeConfig', () => {
  it('sends requests on kept-alive connections of one Agent, each with its own headers kept', async () => {
    const kc = new KeepAliveKubeConfig(new ManualClock(0));
    load(kc, 'first');
    peers.length = 0;
    const contexts: RequestContext[] = [];
    for (let i = 0; i < 6; i++) contexts.push(await send(kc));
    // A new Agent per request would open six; undici may open a second while the first is being freed.
    expect(new Set(peers).size).toBeLessThanOrEqual(2);
    expect(new Set(contexts.map((c) => c.getDispatcher())).size).toBe(1);
    expect(contexts[0]?.getHeaders()).toMatchObject({
      Accept: 'application/json',
      Authorization: 'Bearer first',
    });
  });

  it('picks up renewed credentials once a second has passed', async () => {
    const clock = new ManualClock(0);
    const kc = new KeepAliveKubeConfig(clock);
    load(kc, 'old');
    authorizations.length = 0;
    await send(kc);
    load(kc, 'new');
    clock.advance(999);
    await send(kc);
    clock.advance(1);
    await send(kc);
    expect(authorizations).toEqual(['Bearer old', 'Bearer old', 'Bearer new']);
  });

  it('does not keep credentials it failed to work out', async () => {
    const kc = new KeepAliveKubeConfig(new ManualClock(0));
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'u', certFile: '/nonexistent/client.crt', keyFile: '/nonexistent/client.key' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    await expect(send(kc)).rejects.toThrow(/ENOENT/);
    load(kc, 'fixed');
    authorizations.length = 0;
    await send(kc);
    expect(authorizations).toEqual(['Bearer fixed']);
  });
});
