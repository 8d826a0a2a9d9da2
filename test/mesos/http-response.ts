/**
 * An HTTP/1.1 response read byte by byte, as it came off the socket: the head, then the
 * body by the framing RFC 9112 §6.3 picks. Chunked bodies come out one whole HTTP chunk at
 * a time, however TCP split them, because the Mesos stream rules are stated per chunk.
 * Pure: the socket code in raw-http.ts feeds it.
 */

/** Header names lower-cased; a header sent twice keeps both values, in order. */
export type HeaderMap = Readonly<Record<string, readonly string[]>>;

export interface ResponseHead {
  readonly status: number;
  readonly reason: string;
  readonly headers: HeaderMap;
}

export type ResponseEvent =
  | { readonly type: 'head'; readonly head: ResponseHead }
  /** One HTTP chunk of a chunked body, whole. */
  | { readonly type: 'chunk'; readonly data: Buffer }
  /** Bytes of a body that is not chunked, as they arrived. */
  | { readonly type: 'data'; readonly data: Buffer }
  /** The body is complete: last chunk, Content-Length reached, or connection closed. */
  | { readonly type: 'end' };

export type Parsed =
  { readonly ok: true; readonly events: ResponseEvent[] } | { readonly ok: false; readonly error: string };

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD_BYTES = 64 * 1024;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

type State =
  | { readonly kind: 'head' }
  | { readonly kind: 'length'; remaining: number }
  | { readonly kind: 'chunk-size' }
  | { readonly kind: 'chunk-data'; readonly size: number }
  | { readonly kind: 'trailers' }
  | { readonly kind: 'until-close' }
  | { readonly kind: 'done' };

/** One step's outcome: events and whether the buffer may hold more to parse. */
type Step =
  | { readonly ok: true; readonly events: ResponseEvent[]; readonly more: boolean }
  | { readonly ok: false; readonly error: string };

const wait: Step = { ok: true, events: [], more: false };
const next = (...events: ResponseEvent[]): Step => ({ ok: true, events, more: true });
const broken = (error: string): Step => ({ ok: false, error });

/**
 * States: head → (length | chunk-size ⇄ chunk-data → trailers | until-close) → done.
 * `buffer` holds bytes not yet parsed; the first error is final.
 */
export class ResponseParser {
  private readonly requestMethod: string;
  private state: State = { kind: 'head' };
  private buffer = Buffer.alloc(0);
  private error: string | undefined;

  constructor(requestMethod: string) {
    this.requestMethod = requestMethod.toUpperCase();
  }

  get done(): boolean {
    return this.state.kind === 'done';
  }

  push(bytes: Uint8Array): Parsed {
    if (this.error !== undefined) return { ok: false, error: this.error };
    this.buffer = Buffer.concat([this.buffer, bytes]);
    const events: ResponseEvent[] = [];
    for (;;) {
      const step = this.step();
      if (!step.ok) {
        this.error = step.error;
        return step;
      }
      events.push(...step.events);
      if (!step.more) return { ok: true, events };
    }
  }

  /** The connection ended: completes a body read until close; anything else cut short is an error. */
  close(): Parsed {
    if (this.error !== undefined) return { ok: false, error: this.error };
    if (this.state.kind === 'done') return { ok: true, events: [] };
    if (this.state.kind === 'until-close') {
      this.state = { kind: 'done' };
      return { ok: true, events: [{ type: 'end' }] };
    }
    this.error = `connection closed while reading the ${this.state.kind === 'head' ? 'head' : 'body'}`;
    return { ok: false, error: this.error };
  }

  private step(): Step {
    switch (this.state.kind) {
      case 'head':
        return this.readHead();
      case 'length':
        return this.readLength(this.state);
      case 'chunk-size':
        return this.readChunkSize();
      case 'chunk-data':
        return this.readChunkData(this.state.size);
      case 'trailers':
        return this.readTrailers();
      case 'until-close':
        return this.readUntilClose();
      case 'done':
        return wait;
    }
  }

  private readHead(): Step {
    const end = this.buffer.indexOf(HEAD_END);
    if (end < 0) return this.buffer.length > MAX_HEAD_BYTES ? broken('response head is too large') : wait;
    const parsed = parseHead(this.buffer.subarray(0, end).toString('latin1'));
    this.buffer = this.buffer.subarray(end + HEAD_END.length);
    if (typeof parsed === 'string') return broken(parsed);
    // An interim response (100 Continue) is followed by the real one.
    if (parsed.status >= 100 && parsed.status < 200 && parsed.status !== 101) return next();
    const framing = bodyFraming(this.requestMethod, parsed);
    if (typeof framing === 'string') return broken(framing);
    this.state = framing;
    return next(
      { type: 'head', head: parsed },
      ...(framing.kind === 'done' ? [{ type: 'end' } as const] : []),
    );
  }

  private readLength(state: { remaining: number }): Step {
    if (state.remaining === 0) {
      this.state = { kind: 'done' };
      return next({ type: 'end' });
    }
    if (this.buffer.length === 0) return wait;
    const data = this.take(Math.min(state.remaining, this.buffer.length));
    state.remaining -= data.length;
    return next({ type: 'data', data });
  }

  private readChunkSize(): Step {
    const line = this.takeLine();
    if (line === undefined) return this.buffer.length > 1024 ? broken('chunk size line is too long') : wait;
    // Extensions (`;name=value`) are allowed and mean nothing here.
    const hex = line.split(';')[0]?.trim() ?? '';
    if (!/^[0-9a-fA-F]{1,15}$/.test(hex)) return broken(`bad chunk size line ${JSON.stringify(line)}`);
    const size = parseInt(hex, 16);
    this.state = size === 0 ? { kind: 'trailers' } : { kind: 'chunk-data', size };
    return next();
  }

  private readChunkData(size: number): Step {
    if (this.buffer.length < size + CRLF.length) return wait;
    if (!this.buffer.subarray(size, size + CRLF.length).equals(CRLF))
      return broken(`chunk of ${size} bytes is not followed by CRLF`);
    const data = Buffer.from(this.take(size));
    this.take(CRLF.length);
    this.state = { kind: 'chunk-size' };
    return next({ type: 'chunk', data });
  }

  private readTrailers(): Step {
    const line = this.takeLine();
    if (line === undefined) return wait;
    if (line !== '') return next();
    this.state = { kind: 'done' };
    return next({ type: 'end' });
  }

  private readUntilClose(): Step {
    if (this.buffer.length === 0) return wait;
    return next({ type: 'data', data: this.take(this.buffer.length) });
  }

  private take(count: number): Buffer {
    const taken = this.buffer.subarray(0, count);
    this.buffer = this.buffer.subarray(count);
    return taken;
  }

  /** The next CRLF-terminated line without its CRLF, or undefined until it is complete. */
  private takeLine(): string | undefined {
    const end = this.buffer.indexOf(CRLF);
    if (end < 0) return undefined;
    const line = this.take(end).toString('latin1');
    this.take(CRLF.length);
    return line;
  }
}

/** The status line and header fields, or why they cannot be read. */
function parseHead(text: string): ResponseHead | string {
  const [statusLine = '', ...lines] = text.split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!status) return `bad status line ${JSON.stringify(statusLine)}`;
  const headers: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    if (colon < 0 || !TOKEN.test(name)) return `bad header line ${JSON.stringify(line)}`;
    const key = name.toLowerCase();
    (headers[key] ??= []).push(line.slice(colon + 1).trim());
  }
  return { status: Number(status[1]), reason: status[2] ?? '', headers };
}

/** How the body ends (RFC 9112 §6.3), as the state that reads it. */
function bodyFraming(method: string, head: ResponseHead): State | string {
  if (method === 'HEAD' || head.status === 204 || head.status === 304) return { kind: 'done' };
  const coding = head.headers['transfer-encoding'];
  if (coding !== undefined) {
    const codings = coding.join(',').split(',');
    const last = codings[codings.length - 1]?.trim().toLowerCase();
    return last === 'chunked' ? { kind: 'chunk-size' } : { kind: 'until-close' };
  }
  const length = head.headers['content-length'];
  if (length === undefined) return { kind: 'until-close' };
  const values = new Set(
    length
      .join(',')
      .split(',')
      .map((value) => value.trim()),
  );
  const [only] = values;
  if (values.size !== 1 || only === undefined || !/^\d{1,15}$/.test(only))
    return `bad Content-Length ${JSON.stringify(length.join(', '))}`;
  return { kind: 'length', remaining: Number(only) };
}
