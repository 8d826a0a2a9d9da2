/**
 * HTTP/1.1 over a bare `node:net` socket. node:http's client joins and re-splits chunks,
 * which would hide exactly what the stream checks look at; here the bytes the server
 * wrote reach ResponseParser unchanged.
 */
import { connect, type Socket } from 'node:net';
import { systemClock, type Clock } from '../../src/util/clock.js';
import {
  ResponseParser,
  type HeaderMap,
  type Parsed,
  type ResponseEvent,
  type ResponseHead,
} from './http-response.js';
import { LiveStream, type Failure, type LiveStreamOptions, type RawStream } from './live-stream.js';

export type { RawStream, StreamChunk, StreamEnd } from './live-stream.js';

export interface RawRequest {
  /** POST unless given: every v1 API call is a POST. */
  readonly method?: string;
  readonly path: string;
  /** Sent as given, after Host; Host and Content-Length are added unless present. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | string;
  readonly clock?: Clock;
  /** How long to wait for the whole response (rawRequest) or its head (openStream). */
  readonly timeoutMs?: number;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: HeaderMap;
  readonly body: Buffer;
}

export type StreamRequest = RawRequest & LiveStreamOptions;

const DEFAULT_TIMEOUT_MS = 10_000;

/** Sends one request and reads its whole response; the connection is closed after. */
export function rawRequest(url: string, request: RawRequest): Promise<RawResponse> {
  const method = request.method ?? 'POST';
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const socket = send(url, request, method);
    const parser = new ResponseParser(method);
    let head: ResponseHead | undefined;
    const body: Buffer[] = [];
    const timer = (request.clock ?? systemClock).after(timeoutMs, () =>
      fail(`no whole response within ${timeoutMs} ms`),
    );
    const done = (): void => {
      timer.cancel();
      socket.destroy();
    };
    const fail = (message: string): void => {
      done();
      reject(new Error(`${method} ${url}${request.path}: ${message}`));
    };
    const take = (event: ResponseEvent): void => {
      if (event.type === 'head') head = event.head;
      else if (event.type === 'chunk' || event.type === 'data') body.push(event.data);
      else if (head !== undefined) {
        done();
        resolve({ status: head.status, headers: head.headers, body: Buffer.concat(body) });
      }
    };
    listen(socket, parser, { take, fail, closed: () => deliver(parser.close(), take, fail) });
  });
}

/**
 * Sends a request whose response streams (SUBSCRIBE). Resolves as soon as the head has
 * arrived; the chunks are checked as they come, whether or not anyone iterates.
 */
export function openStream(url: string, request: StreamRequest): Promise<RawStream> {
  const method = request.method ?? 'POST';
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const socket = send(url, request, method);
    const parser = new ResponseParser(method);
    let stream: LiveStream | undefined;
    const timer = (request.clock ?? systemClock).after(timeoutMs, () =>
      fail(`no response head within ${timeoutMs} ms`),
    );
    const fail = (message: string, failure: Failure = 'socket'): void => {
      timer.cancel();
      if (stream !== undefined) return stream.fail(message, failure);
      socket.destroy();
      reject(new Error(`${method} ${url}${request.path}: ${message}`));
    };
    const take = (event: ResponseEvent): void => {
      if (event.type !== 'head') return stream?.take(event);
      timer.cancel();
      stream = new LiveStream(event.head, socket, request);
      resolve(stream);
    };
    const closed = (): void =>
      stream === undefined ? fail('connection closed before the head') : stream.closed();
    listen(socket, parser, { take, fail, closed });
  });
}

interface Listener {
  readonly take: (event: ResponseEvent) => void;
  readonly fail: (message: string, failure: Failure) => void;
  readonly closed: () => void;
}

/** Feeds the socket's bytes to the parser; after the first failure nothing more is delivered. */
function listen(socket: Socket, parser: ResponseParser, listener: Listener): void {
  let failed = false;
  const fail = (message: string, failure: Failure): void => {
    if (failed) return;
    failed = true;
    listener.fail(message, failure);
  };
  socket.on('data', (bytes: Buffer) => {
    if (!failed) deliver(parser.push(bytes), listener.take, fail);
  });
  socket.on('error', (error) => fail(error.message, 'socket'));
  socket.on('close', () => {
    if (!failed) listener.closed();
  });
}

function deliver(parsed: Parsed, take: Listener['take'], fail: Listener['fail']): void {
  if (!parsed.ok) return fail(parsed.error, 'http');
  for (const event of parsed.events) take(event);
}

function send(url: string, request: RawRequest, method: string): Socket {
  const target = new URL(url);
  if (target.protocol !== 'http:') throw new Error(`only http: URLs are supported, not ${url}`);
  // URL keeps the brackets of an IPv6 literal; connect() wants the bare address.
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const socket = connect({ host, port: Number(target.port || 80) });
  socket.write(requestBytes(target.host, request, method));
  return socket;
}

/** The request as it goes on the wire. */
export function requestBytes(host: string, request: RawRequest, method: string): Buffer {
  const body = Buffer.from(request.body ?? '');
  const given = Object.entries(request.headers ?? {});
  const has = (name: string): boolean => given.some(([key]) => key.toLowerCase() === name);
  const bodyless = body.length === 0 && (method === 'GET' || method === 'HEAD');
  const headers = [
    ...(has('host') ? [] : [['Host', host]]),
    ...given,
    ...(has('content-length') || bodyless ? [] : [['Content-Length', String(body.length)]]),
  ];
  const lines = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return Buffer.concat([Buffer.from(`${method} ${request.path} HTTP/1.1\r\n${lines}\r\n`, 'latin1'), body]);
}
