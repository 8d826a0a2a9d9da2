/** KubeListWatchClient against an HTTP server on a real socket. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { ApiStatusError, isGone, KubeListWatchClient, type WatchEvent } from './list-watch-client.js';
import { loadLocalServer } from './test-kubeconfig.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let handle: Handler;
let requests: IncomingMessage[];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req);
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  requests = [];
});

function kubeConfig(port = (server.address() as AddressInfo).port): KubeConfig {
  return loadLocalServer(new KubeConfig(), port, 'secret-token');
}

function client(counted: string[] = [], port?: number): KubeListWatchClient {
  return new KubeListWatchClient(
    kubeConfig(port),
    { countApiRequest: (verb, resource, code) => counted.push(`${verb} ${resource} ${code}`) },
    'kmesos-test',
  );
}

const signal = (): AbortSignal => new AbortController().signal;

describe('KubeListWatchClient', () => {
  it('lists with the credentials and query, and returns the page as plain JSON', async () => {
    handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'PodList',
          metadata: { resourceVersion: '42', continue: 'next-page' },
          items: [{ metadata: { name: 'a', namespace: 'ns', creationTimestamp: '2026-01-01T00:00:00Z' } }],
        }),
      );
    };
    const counted: string[] = [];
    const page = await client(counted).list('/api/v1/pods', { limit: '500', labelSelector: 'a=b' }, signal());
    expect(page).toEqual({
      items: [{ metadata: { name: 'a', namespace: 'ns', creationTimestamp: '2026-01-01T00:00:00Z' } }],
      resourceVersion: '42',
      continue: 'next-page',
    });
    const req = requests[0];
    expect(req?.method).toBe('GET');
    expect(new URL(req?.url ?? '', 'http://x').searchParams.toString()).toBe('limit=500&labelSelector=a%3Db');
    expect(req?.headers.authorization).toBe('Bearer secret-token');
    expect(req?.headers['user-agent']).toBe('kmesos-test');
    expect(counted).toEqual(['list pods 200']);
  });

  it('streams watch events split anywhere across chunks, multi-byte characters included', async () => {
    const events: WatchEvent[] = [
      { type: 'ADDED', object: { metadata: { name: 'café-1', resourceVersion: '1' } } },
      { type: 'MODIFIED', object: { metadata: { name: 'naïve', resourceVersion: '2' } } },
      { type: 'BOOKMARK', object: { metadata: { resourceVersion: '3' } } },
    ];
    const bytes = Buffer.from(events.map((e) => JSON.stringify(e) + '\n').join(''));
    handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // Cut inside the "é" (two bytes) and inside the second event, each piece its own chunk.
      const cuts = [bytes.indexOf('é') + 1, bytes.indexOf('naï') + 3, bytes.length - 5];
      let from = 0;
      const next = (): void => {
        const to = cuts.shift() ?? bytes.length;
        res.write(bytes.subarray(from, to));
        from = to;
        if (from < bytes.length) setTimeout(next, 5);
        else res.end();
      };
      next();
    };
    const counted: string[] = [];
    const seen: WatchEvent[] = [];
    await client(counted).watch('/api/v1/pods', { resourceVersion: '0' }, (e) => seen.push(e), signal());
    expect(seen).toEqual(events);
    expect(new URL(requests[0]?.url ?? '', 'http://x').searchParams.get('watch')).toBe('true');
    expect(counted).toEqual(['watch pods 200']);
  });

  it('throws the API server Status of a refused request, 410 Gone recognised', async () => {
    handle = (_req, res) => {
      res.writeHead(410, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' }),
      );
    };
    const counted: string[] = [];
    const err = await client(counted)
      .watch(
        '/apis/kmesos.io/v1alpha1/namespaces/n/tasks',
        { resourceVersion: '5' },
        () => undefined,
        signal(),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiStatusError);
    expect(err).toMatchObject({ code: 410, reason: 'Expired', message: '410: too old resource version' });
    expect(isGone(err)).toBe(true);
    expect(counted).toEqual(['watch tasks 410']);
  });

  it('fails the watch when the handler throws, when the stream breaks off mid-event, and when aborted', async () => {
    handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n');
    };
    const thrown = await client()
      .watch(
        '/api/v1/pods',
        {},
        () => {
          throw new Error('handler refused');
        },
        signal(),
      )
      .catch((e: unknown) => e);
    expect((thrown as Error).message).toBe('handler refused');

    handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"type":"ADDED","object":{"metadata":{"na');
    };
    await expect(client().watch('/api/v1/pods', {}, () => undefined, signal())).rejects.toThrow(
      'watch of /api/v1/pods ended in the middle of an event',
    );

    handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('\n');
    };
    const abort = new AbortController();
    const watching = client().watch('/api/v1/pods', {}, () => undefined, abort.signal);
    setTimeout(() => abort.abort(new Error('stopping')), 20);
    await expect(watching).rejects.toThrow('stopping');
  });

  it('counts a request that got no answer', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const counted: string[] = [];
    await expect(client(counted, port).list('/api/v1/nodes', {}, signal())).rejects.toThrow();
    expect(counted).toEqual(['list nodes error']);
  });
});
