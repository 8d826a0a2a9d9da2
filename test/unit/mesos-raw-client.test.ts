/**
 * The Mesos test client against servers started here on port 0: node:http ones that
 * frame chunks as each write() asks, and raw node:net ones that write exact bytes. Each
 * faulty server breaks one rule, and the test names the violation it must produce.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import {
  APPLICATION_JSON,
  APPLICATION_PROTOBUF,
  createMesosCodec,
  encodeRecord,
  loadMesosSchema,
} from '../../src/scheduler/mesos/index.js';
import { ManualClock } from '../../src/util/clock.js';
import { openStream, rawRequest, type RawStream } from '../mesos/raw-http.js';

const codec = createMesosCodec(loadMesosSchema());
/** Tests of a timeout on the ManualClock: without the timer they fail here, not at jest's 120 s. */
const TIMER_TEST_MS = 5000;
const servers: Server[] = [];
const sockets = new Set<Socket>();

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/** A node:http server; the handler gets the whole request body. */
function httpServer(handler: Handler): Promise<string> {
  return listen(
    createHttpServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (part: Buffer) => parts.push(part));
      req.on('end', () => handler(req, res, Buffer.concat(parts)));
    }),
  );
}

/** A node:net server that answers the first bytes of a request with `respond`. */
function netServer(respond: (socket: Socket) => void): Promise<string> {
  return listen(createNetServer((socket) => socket.once('data', () => respond(socket))));
}

const STREAM_HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
const chunk = (data: string | Buffer): Buffer =>
  Buffer.concat([
    Buffer.from(`${Buffer.byteLength(data).toString(16)}\r\n`),
    Buffer.from(data),
    Buffer.from('\r\n'),
  ]);
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const heartbeat = json({ type: 'HEARTBEAT' });

describe('rawRequest', () => {
  it('reads a Content-Length body whole, with headers lower-cased and repeats kept', async () => {
    const url = await httpServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': '11', 'X-Twice': ['a', 'b'] });
      res.write('hello ');
      setTimeout(() => res.end('world'), 5);
    });
    const res = await rawRequest(url, { method: 'GET', path: '/' });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('hello world');
    expect(res.headers['x-twice']).toEqual(['a', 'b']);
  });

  it('reads a chunked body whole', async () => {
    const url = await httpServer((_req, res) => {
      res.write('abc');
      setTimeout(() => res.end('def'), 5);
    });
    const res = await rawRequest(url, { path: '/' });
    expect(res.headers['transfer-encoding']).toEqual(['chunked']);
    expect(res.body.toString()).toBe('abcdef');
  });

  it('reads a body that ends when the server closes', async () => {
    const url = await netServer((socket) => socket.end('HTTP/1.1 200 OK\r\n\r\nto the end'));
    expect((await rawRequest(url, { path: '/' })).body.toString()).toBe('to the end');
  });

  it('sends the method, path, headers and body as given', async () => {
    const url = await httpServer((req, res, body) =>
      res.end(
        JSON.stringify({
          line: `${req.method} ${req.url}`,
          type: req.headers['content-type'],
          body: body.toString(),
        }),
      ),
    );
    const res = await rawRequest(url, {
      path: '/api?x=1',
      headers: { 'Content-Type': 'text/plain' },
      body: 'ü',
    });
    expect(JSON.parse(res.body.toString())).toEqual({ line: 'POST /api?x=1', type: 'text/plain', body: 'ü' });
  });

  it('rejects a body cut short', async () => {
    const url = await netServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    await expect(rawRequest(url, { path: '/' })).rejects.toThrow('connection closed while reading the body');
  });

  it(
    'gives up after timeoutMs on the injected clock',
    async () => {
      const url = await netServer(() => undefined);
      const clock = new ManualClock();
      const pending = rawRequest(url, { path: '/', clock, timeoutMs: 500 });
      clock.advance(500);
      await expect(pending).rejects.toThrow('no whole response within 500 ms');
    },
    TIMER_TEST_MS,
  );
});

/** Opens a stream from a server that writes each buffer in `writes` with its own write(). */
async function streamOf(writes: Buffer[], contentType = APPLICATION_JSON): Promise<RawStream> {
  const url = await httpServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': contentType });
    for (const data of writes) res.write(data);
    res.end();
  });
  const stream = await openStream(url, { path: '/api/v1/scheduler' });
  await stream.ended;
  return stream;
}

describe('openStream', () => {
  it('passes a stream of one record per chunk', async () => {
    const records = [json({ type: 'SUBSCRIBED' }), heartbeat, json({ s: 'a b\\u00e9' })];
    const stream = await streamOf(records.map(encodeRecord));
    expect(stream.violations).toEqual([]);
    expect(stream.records).toEqual(records);
    expect(stream.endedBy).toEqual({ by: 'complete' });
  });

  it('yields each chunk whole however TCP splits it', async () => {
    const framed = chunk(encodeRecord(heartbeat));
    const url = await netServer((socket) => {
      socket.write(STREAM_HEAD + framed.subarray(0, 5).toString());
      setTimeout(() => socket.write(framed.subarray(5)), 10);
    });
    const stream = await openStream(url, { path: '/' });
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual({ data: encodeRecord(heartbeat), records: [heartbeat] });
    expect(stream.violations).toEqual([]);
    stream.close();
  });

  it.each([
    [
      'two records in one chunk',
      [encodeRecord(heartbeat), Buffer.concat([encodeRecord(heartbeat), encodeRecord(heartbeat)])],
      ['chunk 2: holds 2 records; a chunk must hold exactly one'],
    ],
    [
      'a length line apart from its record',
      [Buffer.from(`${heartbeat.length}\n`), heartbeat],
      ['chunk 1: length line "20" arrived apart from its record'],
    ],
    [
      'a length that counts characters, not bytes',
      [Buffer.from('9\n{"m":"é"}'), encodeRecord(heartbeat)],
      [
        'chunk 1: length line says 9 bytes but 10 follow it',
        'stream: recordio: length prefix has a non-digit byte 0x7d',
      ],
    ],
    [
      'non-ASCII JSON',
      [encodeRecord(Buffer.from('{"m":"é"}'))],
      ['record 1: byte 0xc3 at offset 6 is not ASCII'],
    ],
    [
      'pretty JSON',
      [encodeRecord(Buffer.from(JSON.stringify({ type: 'HEARTBEAT' }, null, 2)))],
      ['record 1: whitespace at offset 1 outside strings; JSON records must be compact'],
    ],
  ])('reports %s', async (_name, writes, violations) => {
    expect((await streamOf(writes)).violations).toEqual(violations);
  });

  it('applies no JSON rules to protobuf records', async () => {
    const record = codec.encodeEvent({ type: 'ERROR', error: { message: 'é' } }, APPLICATION_PROTOBUF);
    const stream = await streamOf([encodeRecord(record)], APPLICATION_PROTOBUF);
    expect(stream.violations).toEqual([]);
    expect(stream.records).toEqual([record]);
  });

  it('resolves with the head before any record, and tells a server close from the last chunk', async () => {
    let sendRecord = (): void => undefined;
    const url = await netServer((socket) => {
      socket.write(STREAM_HEAD);
      sendRecord = () => socket.end(chunk(encodeRecord(heartbeat)));
    });
    const stream = await openStream(url, { path: '/' });
    expect([stream.status, stream.headers['content-type'], stream.records]).toEqual([
      200,
      ['application/json'],
      [],
    ]);
    sendRecord();
    expect(await stream.ended).toEqual({ by: 'server-close' });
    expect(stream.records).toEqual([heartbeat]);
    expect(stream.violations).toEqual([]);
  });

  it('reports a server that closes inside a record', async () => {
    const url = await netServer((socket) => socket.end(STREAM_HEAD + chunk('20\n{"ty').toString()));
    const stream = await openStream(url, { path: '/' });
    expect(await stream.ended).toEqual({ by: 'server-close' });
    expect(stream.violations).toEqual([
      'chunk 1: holds 4 of the 20 bytes its length line announces',
      'stream: ended inside a record',
    ]);
  });

  it('close() drops the connection', async () => {
    let closedOnServer = (): void => undefined;
    const closed = new Promise<void>((resolve) => (closedOnServer = resolve));
    const url = await netServer((socket) => {
      socket.write(STREAM_HEAD);
      socket.on('close', closedOnServer);
    });
    const stream = await openStream(url, { path: '/' });
    stream.close();
    await closed;
    expect(stream.endedBy).toEqual({ by: 'client-close' });
  });
});
