import { fail, ok, type CodecError, type Result } from './result.js';

/**
 * Mesos' RecordIO framing (docs/recordio.md): each record is its byte length in decimal
 * ASCII, a line feed, then that many bytes. Proxies may split the stream anywhere.
 */
export function encodeRecord(payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${payload.byteLength}\n`, 'ascii'), payload]);
}

/** A uint64 has at most 20 decimal digits; a longer prefix can never be valid. */
const MAX_PREFIX_DIGITS = 20;
const LF = 0x0a;

export interface RecordIODecoderOptions {
  /** Larger records are refused before they are buffered. */
  readonly maxRecordBytes: number;
}

/**
 * Streaming RecordIO decoder. `push` takes chunks split at any point and returns the
 * records each completes. The first error is final: later calls return it again, since
 * after a bad prefix the stream can no longer be framed.
 *
 * States: reading a length prefix (`prefix` holds its digits so far) → reading a body
 * of `expected` bytes (`parts` holds them, `have` counts them) → back to the prefix.
 */
export class RecordIODecoder {
  private readonly maxRecordBytes: number;
  private prefix = '';
  private expected: number | undefined;
  private parts: Buffer[] = [];
  private have = 0;
  private error: CodecError | undefined;

  constructor(options: RecordIODecoderOptions) {
    this.maxRecordBytes = options.maxRecordBytes;
  }

  push(chunk: Uint8Array): Result<Buffer[], CodecError> {
    if (this.error !== undefined) return { ok: false, error: this.error };
    const records: Buffer[] = [];
    let offset = 0;
    while (offset < chunk.byteLength) {
      const step =
        this.expected === undefined ? this.readPrefix(chunk, offset) : this.readBody(chunk, offset, records);
      if (!step.ok) {
        this.error = step.error;
        return step;
      }
      offset = step.value;
      // A zero-length record is complete as soon as its prefix is.
      if (this.expected === 0) this.completeRecord(records);
    }
    return ok(records);
  }

  /** Ends the stream: an error if it stopped inside a record. */
  end(): Result<void, CodecError> {
    if (this.error !== undefined) return { ok: false, error: this.error };
    if (this.expected !== undefined || this.prefix !== '')
      return fail('recordio', 'stream ended inside a record');
    return ok(undefined);
  }

  private readPrefix(chunk: Uint8Array, offset: number): Result<number, CodecError> {
    for (let i = offset; i < chunk.byteLength; i++) {
      const byte = chunk[i] as number;
      if (byte === LF) return this.finishPrefix(i + 1);
      if (byte < 0x30 || byte > 0x39)
        return fail('recordio', `length prefix has a non-digit byte 0x${hex(byte)}`);
      if (this.prefix.length === MAX_PREFIX_DIGITS) return fail('recordio', 'length prefix is too long');
      this.prefix += String.fromCharCode(byte);
    }
    return ok(chunk.byteLength);
  }

  private finishPrefix(next: number): Result<number, CodecError> {
    if (this.prefix === '') return fail('recordio', 'length prefix is empty');
    const length = Number(this.prefix);
    if (length > this.maxRecordBytes) {
      return fail('recordio', `record of ${this.prefix} bytes exceeds the limit of ${this.maxRecordBytes}`);
    }
    this.prefix = '';
    this.expected = length;
    return ok(next);
  }

  private readBody(chunk: Uint8Array, offset: number, records: Buffer[]): Result<number, CodecError> {
    const expected = this.expected as number;
    const take = Math.min(expected - this.have, chunk.byteLength - offset);
    this.parts.push(Buffer.from(chunk.subarray(offset, offset + take)));
    this.have += take;
    if (this.have === expected) this.completeRecord(records);
    return ok(offset + take);
  }

  private completeRecord(records: Buffer[]): void {
    records.push(Buffer.concat(this.parts, this.have));
    this.parts = [];
    this.have = 0;
    this.expected = undefined;
  }
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
