/**
 * The egress path into real nodes over real sockets: the router finds a target's dialer in
 * the registry and passes the CONNECT on; the dialer opens the TCP connection and answers.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDialer, startEgressProxy } from '../../dev/egress-proxy.js';

function close(server: Server): Promise<void> {
  return new Promise((r) => server.close(() => r()));
}

/** Sends `request` over the Unix socket `path` and resolves with all that comes back. */
function exchange(path: string, request: string): Promise<string> {
  return new Promise((resolveReply, reject) => {
    const socket = connect(path, () => socket.write(request));
    let reply = '';
    socket.on('data', (d: Buffer) => {
      reply += d.toString('latin1');
      // The echo server's answer ends the exchange.
      if (reply.includes('echo:')) socket.end();
    });
    socket.on('end', () => resolveReply(reply));
    socket.on('error', reject);
  });
}

describe('egress proxy and dialer', () => {
  let dir: string;
  const servers: Server[] = [];
  let echoPort: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'egress-'));
    const echo = createServer((s) => s.once('data', (d: Buffer) => s.end(`echo:${d.toString()}`)));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    echoPort = (echo.address() as AddressInfo).port;
    servers.push(echo);
    servers.push(await startDialer(join(dir, 'dialer.sock')));
    servers.push(await startEgressProxy(join(dir, 'proxy.sock'), dir));
    await writeFile(join(dir, '127.0.0'), join(dir, 'dialer.sock'));
  });

  afterAll(async () => {
    for (const s of servers) await close(s);
    await rm(dir, { recursive: true, force: true });
  });

  it('joins a CONNECT to a registered range through its dialer, bytes after the head included', async () => {
    const reply = await exchange(
      join(dir, 'proxy.sock'),
      `CONNECT 127.0.0.1:${echoPort} HTTP/1.1\r\nHost: x\r\n\r\nhello`,
    );
    expect(reply).toBe('HTTP/1.1 200 Connection established\r\n\r\necho:hello');
  });

  it('answers 404 for a target no node registered', async () => {
    expect(await exchange(join(dir, 'proxy.sock'), 'CONNECT 10.9.9.9:80 HTTP/1.1\r\n\r\n')).toBe(
      'HTTP/1.1 404 Not Found\r\n\r\n',
    );
  });

  it('answers 502 when nothing listens at the target', async () => {
    const unused = createServer();
    await new Promise<void>((r) => unused.listen(0, '127.0.0.1', r));
    const port = (unused.address() as AddressInfo).port;
    await close(unused);
    expect(await exchange(join(dir, 'proxy.sock'), `CONNECT 127.0.0.1:${port} HTTP/1.1\r\n\r\n`)).toBe(
      'HTTP/1.1 502 Bad Gateway\r\n\r\n',
    );
  });

  it('answers 400 to anything but CONNECT', async () => {
    expect(await exchange(join(dir, 'dialer.sock'), 'GET / HTTP/1.1\r\n\r\n')).toBe(
      'HTTP/1.1 400 Bad Request\r\n\r\n',
    );
  });
});
