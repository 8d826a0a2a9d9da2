/**
 * A byte relay between a TCP port and a Unix socket. Network namespaces do not share
 * loopback, but they share the file system: a real node's kubelet reaches the API server
 * (on the host's 127.0.0.1) through a relay listening on the node namespace's own
 * 127.0.0.1, connected over a Unix socket to a relay in the host namespace.
 *
 * Run as `node relay.js LISTEN TARGET` (inside a namespace, with nsenter) or used in process.
 * Endpoints are `tcp:HOST:PORT` or `unix:PATH`. No local imports, so Node runs it as is.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export type Endpoint = { path: string } | { host: string; port: number };

export function parseEndpoint(text: string): Endpoint {
  if (text.startsWith('unix:') && text.length > 5) return { path: text.slice(5) };
  const m = /^tcp:(.+):(\d+)$/.exec(text);
  if (m?.[1] && m[2]) return { host: m[1], port: Number(m[2]) };
  throw new Error(`relay endpoint ${JSON.stringify(text)} is neither tcp:HOST:PORT nor unix:PATH`);
}

function dial(target: Endpoint): Socket {
  return 'path' in target ? connect(target.path) : connect(target.port, target.host);
}

/** Listens on `listen` and pipes each connection to a fresh connection to `target`. */
export async function startRelay(listen: Endpoint, target: Endpoint): Promise<Server> {
  if ('path' in listen) await rm(listen.path, { force: true });
  const server = createServer((inbound) => {
    const outbound = dial(target);
    // Either side failing ends both: the peer sees a reset, as it would without the relay.
    const end = (): void => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', end).on('close', end);
    outbound.on('error', end).on('close', end);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    const ready = (): void => {
      server.off('error', reject);
      resolveListen();
    };
    if ('path' in listen) server.listen(listen.path, ready);
    else server.listen(listen.port, listen.host, ready);
  });
  return server;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [listen, target] = process.argv.slice(2);
  if (!listen || !target) {
    console.error('usage: relay LISTEN TARGET (tcp:HOST:PORT or unix:PATH)');
    process.exit(2);
  }
  startRelay(parseEndpoint(listen), parseEndpoint(target)).then(
    () => console.log(`relaying ${listen} to ${target}`),
    (err: unknown) => {
      console.error(`relay ${listen} -> ${target} failed: ${String(err)}`);
      process.exit(1);
    },
  );
}
