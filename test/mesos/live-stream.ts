/**
 * A streamed response after its head: takes the parser's events, checks each chunk with
 * RecordStreamChecker, and keeps what the test reads.
 */
import type { Socket } from 'node:net';
import type { MediaType } from '../../src/scheduler/mesos/index.js';
import { AsyncQueue } from './async-queue.js';
import type { HeaderMap, ResponseEvent, ResponseHead } from './http-response.js';
import { RecordStreamChecker } from './record-checks.js';

/**
 * How a stream ended: `complete` when its framing said so (last chunk, Content-Length),
 * `server-close` when the server closed the connection first, `error` for a broken
 * response or connection.
 */
export type StreamEnd =
  | { readonly by: 'complete' }
  | { readonly by: 'server-close' }
  | { readonly by: 'client-close' }
  | { readonly by: 'error'; readonly message: string };

export interface StreamChunk {
  /** One HTTP chunk, as the server framed it. */
  readonly data: Buffer;
  /** The records this chunk completed. */
  readonly records: readonly Buffer[];
}

/** A response being read; iterating it yields each HTTP chunk once it is whole. */
export interface RawStream extends AsyncIterable<StreamChunk> {
  readonly status: number;
  readonly headers: HeaderMap;
  /** Broken stream rules (record-checks.ts) and HTTP framing errors, in arrival order. */
  readonly violations: readonly string[];
  /** Every record decoded so far. */
  readonly records: readonly Buffer[];
  /** Every body byte received so far (chunk data joined, for a chunked body). */
  readonly body: Buffer;
  readonly endedBy: StreamEnd | undefined;
  readonly ended: Promise<StreamEnd>;
  /** Destroys the socket. */
  close(): void;
}

/** Why a response could not be read: the server broke HTTP, or the connection failed. */
export type Failure = 'http' | 'socket';

export interface LiveStreamOptions {
  /** Media type of the records; JSON ones are checked as JSON. Default: the response's Content-Type. */
  readonly mediaType?: MediaType;
  readonly maxRecordBytes?: number;
}

const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** Made by openStream once the head is in; the socket code calls take/fail/closed. */
export class LiveStream implements RawStream {
  readonly status: number;
  readonly headers: HeaderMap;
  readonly violations: string[] = [];
  readonly records: Buffer[] = [];
  readonly ended: Promise<StreamEnd>;
  private readonly received: Buffer[] = [];
  private readonly chunks = new AsyncQueue<StreamChunk>();
  private readonly checker: RecordStreamChecker;
  private readonly socket: Socket;
  private end: StreamEnd | undefined;
  private resolveEnded: (end: StreamEnd) => void = () => undefined;

  constructor(head: ResponseHead, socket: Socket, options: LiveStreamOptions) {
    this.status = head.status;
    this.headers = head.headers;
    this.socket = socket;
    const json = (options.mediaType ?? essence(head.headers['content-type']?.[0])) === 'application/json';
    this.checker = new RecordStreamChecker({
      json,
      maxRecordBytes: options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
      report: (violation) => this.violations.push(violation),
    });
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  get body(): Buffer {
    return Buffer.concat(this.received);
  }

  get endedBy(): StreamEnd | undefined {
    return this.end;
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamChunk> {
    return this.chunks[Symbol.asyncIterator]();
  }

  close(): void {
    this.finish({ by: 'client-close' });
  }

  take(event: ResponseEvent): void {
    if (event.type === 'end') return this.finish({ by: 'complete' });
    if (event.type === 'head') return;
    this.received.push(event.data);
    if (event.type === 'data') return;
    const records = this.checker.chunk(event.data);
    this.records.push(...records);
    this.chunks.push({ data: event.data, records });
  }

  fail(message: string, failure: Failure): void {
    if (this.end === undefined && failure === 'http') this.violations.push(`http: ${message}`);
    this.finish({ by: 'error', message });
  }

  closed(): void {
    this.finish({ by: 'server-close' });
  }

  private finish(end: StreamEnd): void {
    if (this.end !== undefined) return;
    this.end = end;
    // Only the server can leave a record half sent.
    if (end.by !== 'client-close') this.checker.end();
    this.chunks.end();
    this.socket.destroy();
    this.resolveEnded(end);
  }
}

function essence(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
