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
  type MediaType,
  type scheduler,
  type v1,
} from '../../src/scheduler/mesos/index.js';
import { writeChunk } from '../../src/server/chunk.js';
import { ManualClock } from '../../src/util/clock.js';
import { MesosTestScheduler, openStream, rawRequest, type RawStream } from '../mesos/raw-client.js';

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
    for (const data of writes) writeChunk(res, data);
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

const frameworkInfo: v1.FrameworkInfo = {
  user: 'root',
  name: 'test',
  roles: ['dev'],
  capabilities: [{ type: 'MULTI_ROLE' }],
};
const frameworkId = { value: 'fw-1' };
const offer: v1.Offer = {
  id: { value: 'o-1' },
  framework_id: frameworkId,
  agent_id: { value: 'a-1' },
  hostname: 'node-1',
  resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 2 }, allocation_info: { role: 'dev' } }],
};
const update: scheduler.Event_Update = {
  status: {
    task_id: { value: 't-1' },
    state: 'TASK_RUNNING',
    agent_id: { value: 'a-1' },
    uuid: new Uint8Array([1, 2, 255]),
  },
};
const EVENTS: scheduler.Event[] = [
  { type: 'SUBSCRIBED', subscribed: { framework_id: frameworkId, heartbeat_interval_seconds: 15 } },
  { type: 'HEARTBEAT' },
  { type: 'OFFERS', offers: { offers: [offer] } },
  { type: 'UPDATE', update },
];

const streamHeaders = (mediaType: MediaType): Record<string, string> => ({
  'Content-Type': mediaType,
  'Mesos-Stream-Id': 'stream-1',
});

interface Received {
  readonly call: scheduler.Call | string;
  readonly streamId: string | undefined;
  readonly authorization: string | undefined;
}

interface FakeMaster {
  readonly url: string;
  /** Calls other than SUBSCRIBE, decoded, or the decoder's error. */
  readonly calls: Received[];
  /** The subscribed stream's response, to write more to. */
  readonly subscribers: ServerResponse[];
}

/**
 * A master that answers SUBSCRIBE with `headers` and `EVENTS` in the asked-for media
 * type, one record per write, and every other Call with 202 and no body.
 */
async function fakeMaster(
  headers: (mediaType: MediaType) => Record<string, string | number> = streamHeaders,
): Promise<FakeMaster> {
  const calls: Received[] = [];
  const subscribers: ServerResponse[] = [];
  const url = await httpServer((req, res, body) => {
    const mediaType = req.headers['content-type'] as MediaType;
    const decoded = codec.decodeCall(body, mediaType);
    if (decoded.ok && decoded.value.type === 'SUBSCRIBE') {
      subscribers.push(res);
      res.writeHead(200, headers(mediaType));
      for (const event of EVENTS) writeChunk(res, encodeRecord(codec.encodeEvent(event, mediaType)));
      return;
    }
    calls.push({
      call: decoded.ok ? decoded.value : decoded.error.message,
      streamId: req.headers['mesos-stream-id'] as string | undefined,
      authorization: req.headers.authorization,
    });
    res.writeHead(202).end();
  });
  return { url, calls, subscribers };
}

describe('MesosTestScheduler', () => {
  it.each<MediaType>([APPLICATION_JSON, APPLICATION_PROTOBUF])(
    'round-trips events and calls in %s',
    async (mediaType) => {
      const master = await fakeMaster();
      const s = new MesosTestScheduler({ codec });
      await s.subscribe(master.url, frameworkInfo, { mediaType, headers: { Authorization: 'Bearer t' } });
      expect(await s.nextEvent('UPDATE')).toEqual(EVENTS[3]);
      expect((await s.nextEvent('OFFERS')).offers.offers).toEqual([offer]);
      expect(s.events).toEqual(EVENTS);
      expect([s.frameworkId, s.streamId]).toEqual([frameworkId, 'stream-1']);

      const responses = [
        await s.accept([offer.id], [{ type: 'LAUNCH', launch: { task_infos: [] } }], { refuse_seconds: 5 }),
        await s.decline([offer.id]),
        await s.acknowledge(update),
        await s.reconcile(),
        await s.kill({ value: 't-1' }),
        await s.teardown(),
      ];
      for (const res of responses)
        expect([res.status, res.body.length, res.headers['content-type']]).toEqual([202, 0, undefined]);
      expect(master.calls).toEqual(
        [
          {
            type: 'ACCEPT',
            accept: {
              offer_ids: [offer.id],
              operations: [{ type: 'LAUNCH', launch: {} }],
              filters: { refuse_seconds: 5 },
            },
          },
          { type: 'DECLINE', decline: { offer_ids: [offer.id] } },
          {
            type: 'ACKNOWLEDGE',
            acknowledge: {
              agent_id: { value: 'a-1' },
              task_id: { value: 't-1' },
              uuid: new Uint8Array([1, 2, 255]),
            },
          },
          { type: 'RECONCILE', reconcile: {} },
          { type: 'KILL', kill: { task_id: { value: 't-1' } } },
          { type: 'TEARDOWN' },
        ].map((call) => ({
          call: { framework_id: frameworkId, ...call },
          streamId: 'stream-1',
          authorization: 'Bearer t',
        })),
      );
      expect(s.violations).toEqual([]);
      s.close();
    },
  );

  it.each([
    [
      'a charset parameter',
      { 'Content-Type': 'application/json; charset=utf-8', 'Mesos-Stream-Id': 's' },
      ['Content-Type is "application/json; charset=utf-8", not exactly "application/json"'],
    ],
    [
      'no stream ID',
      { 'Content-Type': 'application/json' },
      ['Mesos-Stream-Id is absent; want one non-empty value'],
    ],
    [
      'a Content-Length instead of chunks',
      { 'Content-Type': 'application/json', 'Mesos-Stream-Id': 's', 'Content-Length': 1000 },
      ['Transfer-Encoding is absent, not "chunked"', 'Content-Length "1000" is set; a stream has none'],
    ],
  ])('reports a SUBSCRIBE response with %s', async (_name, headers, problems) => {
    const master = await fakeMaster(() => headers);
    const s = new MesosTestScheduler({ codec });
    await s.subscribe(master.url, frameworkInfo, { mediaType: APPLICATION_JSON });
    expect(s.violations).toEqual(problems.map((problem) => `SUBSCRIBE response: ${problem}`));
    s.close();
  });

  it('throws a refused SUBSCRIBE with its status and body', async () => {
    const url = await httpServer((_req, res) => res.writeHead(403).end('not allowed'));
    const s = new MesosTestScheduler({ codec });
    await expect(s.subscribe(url, frameworkInfo, { mediaType: APPLICATION_JSON })).rejects.toThrow(
      'SUBSCRIBE answered 403: not allowed',
    );
  });

  it('resubscribes with the framework ID in the call and in FrameworkInfo', async () => {
    let received: scheduler.Call | undefined;
    const url = await httpServer((_req, res, body) => {
      const decoded = codec.decodeCall(body, APPLICATION_JSON);
      if (decoded.ok) received = decoded.value;
      res.writeHead(200, streamHeaders(APPLICATION_JSON)).write(encodeRecord(heartbeat));
    });
    const s = new MesosTestScheduler({ codec });
    await s.subscribe(url, frameworkInfo, { mediaType: APPLICATION_JSON, frameworkId });
    await s.nextEvent('HEARTBEAT');
    expect(received).toEqual({
      framework_id: frameworkId,
      type: 'SUBSCRIBE',
      subscribe: { framework_info: { ...frameworkInfo, id: frameworkId } },
    });
    expect(s.frameworkId).toEqual(frameworkId);
    s.close();
  });

  it(
    'waits on the injected clock, naming what it saw',
    async () => {
      const master = await fakeMaster();
      const clock = new ManualClock();
      const s = new MesosTestScheduler({ codec, clock });
      await s.subscribe(master.url, frameworkInfo, { mediaType: APPLICATION_JSON });
      await s.nextEvent('UPDATE');
      const rescind = s.nextEvent('RESCIND', 1000);
      clock.advance(1000);
      await expect(rescind).rejects.toThrow(
        'no RESCIND event within 1000 ms; saw SUBSCRIBED, HEARTBEAT, OFFERS, UPDATE',
      );
      s.close();
    },
    TIMER_TEST_MS,
  );

  it('hands each event out once per type, in order', async () => {
    const master = await fakeMaster();
    const s = new MesosTestScheduler({ codec });
    await s.subscribe(master.url, frameworkInfo, { mediaType: APPLICATION_JSON });
    await s.nextEvent('UPDATE');
    master.subscribers[0]?.write(encodeRecord(json({ type: 'HEARTBEAT' })));
    expect([await s.nextEvent('HEARTBEAT'), await s.nextEvent('HEARTBEAT')]).toEqual([
      { type: 'HEARTBEAT' },
      { type: 'HEARTBEAT' },
    ]);
    expect(s.events.filter((event) => event.type === 'HEARTBEAT')).toHaveLength(2);
    s.close();
  });

  it('reports a record that is no Event, and a stream that ends before the event awaited', async () => {
    const master = await fakeMaster();
    const s = new MesosTestScheduler({ codec });
    await s.subscribe(master.url, frameworkInfo, { mediaType: APPLICATION_JSON });
    await s.nextEvent('UPDATE');
    master.subscribers[0]?.end(encodeRecord(json({ type: 'OFFERS' })));
    await expect(s.nextEvent('RESCIND')).rejects.toThrow(
      'the stream ended (complete) before a RESCIND event',
    );
    expect(await s.ended()).toEqual({ by: 'complete' });
    expect(s.violations).toEqual(['record 5: not a scheduler Event: event.offers: required for type OFFERS']);
  });

  it('refuses to acknowledge an update without a uuid', async () => {
    const master = await fakeMaster();
    const s = new MesosTestScheduler({ codec });
    await s.subscribe(master.url, frameworkInfo, { mediaType: APPLICATION_JSON });
    await s.nextEvent('SUBSCRIBED');
    await expect(s.acknowledge({ status: { ...update.status, uuid: undefined } })).rejects.toThrow(
      'has no uuid to acknowledge',
    );
    s.close();
  });
});
