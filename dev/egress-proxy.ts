/**
 * The API server's way into real nodes' network namespaces (kubelet logs and exec, and the
 * pods and services proxy to pod addresses): its egress selector sends each connection to
 * the cluster as an HTTP CONNECT over a Unix socket to the router here, which passes the
 * request on to the dialer a node runs inside its namespace; the dialer opens the TCP
 * connection there and answers the CONNECT. Nothing listens on the host's network.
 *
 * Nodes register by writing files in the registry folder, each holding their dialer's
 * socket path: one named by the node IP, one by the first three octets of its pod range.
 *
 * Run as `node egress-proxy.js dial SOCKET` inside a node's namespace (with nsenter).
 * No local imports, so Node runs it as is.
 */
import { readFile, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX_HEAD = 8192;

/** The target of a CONNECT request head, or undefined when it is not one. */
export function connectTarget(head: string): string | undefined {
  const m = /^CONNECT ([^\s/]+:\d+) HTTP\/1\.[01]\r\n/.exec(head);
  return m?.[1];
}

/**
 * The registry names under which a target's node may be found, most specific first: the
 * node IP itself, then a pod address's /24 (`10.251.3` for 10.251.3.7). Targets that are no
 * IPv4 address (names, paths) have none.
 */
export function registryKeys(target: string): string[] {
  const m = /^((\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}):\d+$/.exec(target);
  return m?.[1] && m[2] ? [m[1], m[2]] : [];
}

function refuse(client: Socket, status: string): void {
  client.end(`HTTP/1.1 ${status}\r\n\r\n`);
}

/** Reads one CONNECT head from `client`, then hands over the target, the head and any bytes after it. */
function onConnect(client: Socket, then: (target: string, head: Buffer, rest: Buffer) => void): void {
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) {
      if (head.length > MAX_HEAD) refuse(client, '431 Request Header Fields Too Large');
      return;
    }
    client.off('data', onData);
    const target = connectTarget(head.subarray(0, end + 4).toString('latin1'));
    if (!target) return refuse(client, '400 Bad Request');
    then(target, head.subarray(0, end + 4), head.subarray(end + 4));
  };
  client.on('data', onData);
  client.on('error', () => client.destroy());
}

/**
 * Joins `client` to a connection made by `dial`; `greet` runs once it is up. A failure
 * before that answers 502, after it ends both sides, as a reset would without the proxy.
 */
function splice(client: Socket, upstream: Socket, greet: () => void, rest: Buffer): void {
  let established = false;
  upstream.once('connect', () => {
    established = true;
    greet();
    if (rest.length > 0) upstream.write(rest);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const end = (): void => {
    client.destroy();
    upstream.destroy();
  };
  upstream.on('error', () => (established ? end() : refuse(client, '502 Bad Gateway')));
  upstream.on('close', () => established && end());
  client.on('close', end);
}

async function listen(server: Server, path: string): Promise<Server> {
  await rm(path, { force: true });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  return server;
}

/** Serves CONNECT on the Unix socket `path`, passing each request to the node's dialer. */
export function startEgressProxy(path: string, registry: string): Promise<Server> {
  const server = createServer((client) =>
    onConnect(client, (target, head, rest) => {
      const lookup = async (): Promise<string | undefined> => {
        for (const key of registryKeys(target)) {
          const socket = await readFile(join(registry, key), 'utf8').catch(() => undefined);
          if (socket) return socket.trim();
        }
        return undefined;
      };
      void lookup().then((socket) => {
        if (!socket) return refuse(client, '404 Not Found');
        // The dialer answers the CONNECT itself; its reply flows back through the pipe.
        splice(client, connect(socket), () => undefined, Buffer.concat([head, rest]));
      });
    }),
  );
  return listen(server, path);
}

/** Serves CONNECT on the Unix socket `path` by opening the TCP connection from here. */
export function startDialer(path: string): Promise<Server> {
  const server = createServer((client) =>
    onConnect(client, (target, _head, rest) => {
      const colon = target.lastIndexOf(':');
      const upstream = connect(Number(target.slice(colon + 1)), target.slice(0, colon));
      splice(client, upstream, () => client.write('HTTP/1.1 200 Connection established\r\n\r\n'), rest);
    }),
  );
  return listen(server, path);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mode, socket] = process.argv.slice(2);
  if (mode !== 'dial' || !socket) {
    console.error('usage: egress-proxy dial SOCKET');
    process.exit(2);
  }
  startDialer(socket).then(
    () => console.log(`dialing for CONNECT requests on ${socket}`),
    (err: unknown) => {
      console.error(`dialer on ${socket} failed: ${String(err)}`);
      process.exit(1);
    },
  );
}
