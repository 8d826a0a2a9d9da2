/**
 * A tuned HTTPS client for the API server: one keep-alive agent with as many sockets as
 * requests in flight, pre-serialized bodies, nothing else. The benchmark's own load must
 * cost as little as possible, since it shares the machine with what it measures.
 */
import { Agent, request, type AgentOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export interface Reply {
  status: number;
  body: string;
}

export class ApiClient {
  readonly agent: Agent;
  readonly base: URL;

  private constructor(server: string, tls: AgentOptions, sockets: number) {
    this.base = new URL(server);
    this.agent = new Agent({ ...tls, keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  }

  /** A client with the kubeconfig's server and client certificate. */
  static async fromKubeConfig(kc: KubeConfig, sockets: number): Promise<ApiClient> {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    const opts: { ca?: Buffer; cert?: Buffer; key?: Buffer } = {};
    await kc.applyToHTTPSOptions(opts);
    return new ApiClient(cluster.server, { ca: opts.ca, cert: opts.cert, key: opts.key }, sockets);
  }

  async send(method: string, path: string, body?: string, contentType = 'application/json'): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.base.hostname,
          port: this.base.port,
          method,
          path,
          agent: this.agent,
          headers: body === undefined ? {} : { 'Content-Type': contentType },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Like send, but a status outside 2xx (other than those allowed) throws. */
  async ok(
    method: string,
    path: string,
    body?: string,
    allowed: number[] = [],
    contentType?: string,
  ): Promise<Reply> {
    const reply = await this.send(method, path, body, contentType);
    if ((reply.status < 200 || reply.status >= 300) && !allowed.includes(reply.status))
      throw new Error(`${method} ${path}: HTTP ${reply.status} ${reply.body.slice(0, 300)}`);
    return reply;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `job(i)` for i in [0, count) with `concurrency` in flight. */
export async function pool(
  count: number,
  concurrency: number,
  job: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/**
 * Watches a collection from `resourceVersion`, calling `onEvent` with each event and the
 * local time it arrived (performance.now()). Reconnects from the last version seen when
 * the server ends the watch, until stopped.
 */
export class Watcher {
  private stopped = false;
  private current: ReturnType<typeof request> | undefined;

  constructor(
    private readonly client: ApiClient,
    private readonly path: string,
    private readonly onEvent: (type: string, obj: WatchedObject, at: number) => void,
  ) {}

  /** Resolves once the watch is connected. */
  async start(resourceVersion: string): Promise<void> {
    await this.connect(resourceVersion);
  }

  stop(): void {
    this.stopped = true;
    this.current?.destroy();
  }

  private async connect(resourceVersion: string): Promise<void> {
    let rv = resourceVersion;
    const sep = this.path.includes('?') ? '&' : '?';
    await new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: this.client.base.hostname,
          port: this.client.base.port,
          path: `${this.path}${sep}watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`,
          // Its own connection, so a long-lived watch never takes a socket from the writers.
          agent: new Agent({ ...this.client.agent.options, keepAlive: false }),
        },
        (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`watch ${this.path}: HTTP ${res.statusCode ?? 0}`));
            return;
          }
          resolve();
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            const at = performance.now();
            buf += chunk;
            let nl: number;
            while ((nl = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, nl);
              buf = buf.slice(nl + 1);
              if (!line) continue;
              const ev = JSON.parse(line) as { type: string; object: WatchedObject };
              rv = ev.object.metadata?.resourceVersion ?? rv;
              if (ev.type !== 'BOOKMARK') this.onEvent(ev.type, ev.object, at);
            }
          });
          res.on('end', () => {
            if (!this.stopped) void this.connect(rv).catch(() => undefined);
          });
          res.on('error', () => undefined);
        },
      );
      req.on('error', (err) => {
        if (!this.stopped) reject(err);
      });
      req.end();
      this.current = req;
    });
  }
}

export interface WatchedObject {
  metadata?: {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { name: string; kind: string }[];
  };
  spec?: { nodeName?: string };
  status?: { phase?: string; state?: string };
}
