import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  ServerConfiguration,
  createConfiguration,
} from '@kubernetes/client-node';
import { DispatcherHttpLibrary } from './request-library.js';
import { loadLocalServer } from './test-kubeconfig.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let seen: Seen[];
let reply: { code: number; body: unknown };

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(reply.code, { 'content-type': 'application/json', 'x-answer': ['a', 'b'] });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
});

function coreApi(): CoreV1Api {
  const { port } = server.address() as AddressInfo;
  const kc = loadLocalServer(new KubeConfig(), port, 'secret-token');
  const cluster = kc.getCurrentCluster();
  return new CoreV1Api(
    createConfiguration({
      baseServer: new ServerConfiguration(cluster?.server ?? '', {}),
      authMethods: { default: kc },
      httpApi: new DispatcherHttpLibrary(),
    }),
  );
}

describe('DispatcherHttpLibrary', () => {
  it('sends the request with its credentials and body over the KubeConfig dispatcher, and reads the answer', async () => {
    reply = { code: 201, body: { kind: 'Pod', metadata: { name: 'p', namespace: 'ns' } } };
    const pod = await coreApi().createNamespacedPod({
      namespace: 'ns',
      body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    });
    expect(pod.metadata?.name).toBe('p');
    expect(seen).toHaveLength(1);
    const [req] = seen;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/api/v1/namespaces/ns/pods');
    expect(req?.headers.authorization).toBe('Bearer secret-token');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body ?? '{}')).toMatchObject({ metadata: { name: 'p' } });
    // undici's fetch would add its own: the request went through `request`, not fetch.
    expect(req?.headers['sec-fetch-mode']).toBeUndefined();
    expect(req?.headers['accept-encoding']).toBeUndefined();
  });

  it('keeps the query string and turns an error answer into the ApiException with its code and body', async () => {
    reply = { code: 422, body: { kind: 'Status', reason: 'Invalid', message: 'spec.containers: Required' } };
    const err: unknown = await coreApi()
      .createNamespacedPod({ namespace: 'ns', body: { metadata: { name: 'p' } }, dryRun: 'All' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiException);
    expect((err as ApiException<string>).code).toBe(422);
    expect(String((err as ApiException<string>).body)).toContain('spec.containers: Required');
    expect((err as ApiException<string>).headers['x-answer']).toBe('a, b');
    expect(seen[0]?.url).toBe('/api/v1/namespaces/ns/pods?dryRun=All');
  });
});
