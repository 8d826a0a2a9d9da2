/**
 * The API server's way to real nodes' kubelets (logs, exec, port-forward): its egress
 * selector sends each connection to the cluster as an HTTP CONNECT over a Unix socket to
 * this proxy, which joins it to the Unix socket a node's relay serves inside the node's
 * network namespace. Nodes register by writing a file named `<ip>:<port>` in the registry
 * folder, holding that socket's path; nothing listens on the host's network.
 */
import { readFile, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';

/** The target of a CONNECT request head, or undefined when it is not one. */
export function connectTarget(head: string): string | undefined {
  const m = /^CONNECT ([^\s/]+:\d+) HTTP\/1\.[01]\r\n/.exec(head);
  return m?.[1];
}

function refuse(client: Socket, status: string): void {
  client.end(`HTTP/1.1 ${status}\r\n\r\n`);
}

/** Serves CONNECT on the Unix socket `path`, routing by the files in `registry`. */
export async function startEgressProxy(path: string, registry: string): Promise<Server> {
  await rm(path, { force: true });
  const server = createServer((client) => {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 8192) refuse(client, '431 Request Header Fields Too Large');
        return;
      }
      client.off('data', onData);
      const target = connectTarget(head.subarray(0, end + 4).toString('latin1'));
      const rest = head.subarray(end + 4);
      if (!target || target.includes('/')) return refuse(client, '400 Bad Request');
      void readFile(join(registry, target), 'utf8').then(
        (socketPath) => {
          let established = false;
          const upstream = connect(socketPath.trim(), () => {
            established = true;
            client.write('HTTP/1.1 200 Connection established\r\n\r\n');
            if (rest.length > 0) upstream.write(rest);
            client.pipe(upstream);
            upstream.pipe(client);
          });
          const end = (): void => {
            client.destroy();
            upstream.destroy();
          };
          upstream.on('error', () => (established ? end() : refuse(client, '502 Bad Gateway')));
          upstream.on('close', end);
          client.on('error', end).on('close', end);
        },
        () => refuse(client, '404 Not Found'),
      );
    };
    client.on('data', onData);
    client.on('error', () => client.destroy());
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  return server;
}
