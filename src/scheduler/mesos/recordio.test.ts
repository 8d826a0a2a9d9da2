import fc from 'fast-check';
import { encodeRecord, RecordIODecoder } from './recordio.js';

const MAX = 1024;

function decoder(): RecordIODecoder {
  return new RecordIODecoder({ maxRecordBytes: MAX });
}

/** Pushes each chunk and collects the records, or the first error message. */
function decodeChunks(chunks: readonly Uint8Array[]): string[] | string {
  const d = decoder();
  const records: string[] = [];
  for (const chunk of chunks) {
    const result = d.push(chunk);
    if (!result.ok) return result.error.message;
    records.push(...result.value.map((record) => record.toString('latin1')));
  }
  const end = d.end();
  return end.ok ? records : end.error.message;
}

/** Splits `bytes` at the given (sorted, deduplicated) offsets. */
function split(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

describe('encodeRecord', () => {
  it.each([
    ['{"type":"HEARTBEAT"}', '20\n{"type":"HEARTBEAT"}'],
    ['', '0\n'],
    ['\n', '1\n\n'],
  ])('frames %j', (payload, framed) => {
    expect(encodeRecord(Buffer.from(payload)).toString()).toBe(framed);
  });

  it('counts bytes, not characters', () => {
    expect(encodeRecord(Buffer.from('é')).toString('latin1')).toBe('2\n\xc3\xa9');
  });
});

describe('RecordIODecoder', () => {
  const stream = Buffer.concat(
    ['{"type":"SUBSCRIBED"}', '', 'x\ny', '{"type":"HEARTBEAT"}'].map((p) => encodeRecord(Buffer.from(p))),
  );
  const records = ['{"type":"SUBSCRIBED"}', '', 'x\ny', '{"type":"HEARTBEAT"}'];

  it('decodes several records in one chunk', () => {
    expect(decodeChunks([stream])).toEqual(records);
  });

  it('decodes one byte at a time', () => {
    expect(decodeChunks([...stream].map((byte) => Buffer.from([byte])))).toEqual(records);
  });

  it('returns each record from the chunk that completes it', () => {
    const d = decoder();
    expect(d.push(Buffer.from('3\nab'))).toEqual({ ok: true, value: [] });
    expect(d.push(Buffer.from('c2'))).toEqual({ ok: true, value: [Buffer.from('abc')] });
    expect(d.push(Buffer.from('\nde0\n'))).toEqual({ ok: true, value: [Buffer.from('de'), Buffer.alloc(0)] });
    expect(d.end()).toEqual({ ok: true, value: undefined });
  });

  it.each([
    ['a non-digit prefix', ['x\n'], 'recordio: length prefix has a non-digit byte 0x78'],
    ['a signed prefix', ['-1\n'], 'recordio: length prefix has a non-digit byte 0x2d'],
    ['a space in the prefix', ['1 \n'], 'recordio: length prefix has a non-digit byte 0x20'],
    ['an empty prefix', ['\n'], 'recordio: length prefix is empty'],
    ['a CRLF prefix', ['2\r\nab'], 'recordio: length prefix has a non-digit byte 0x0d'],
    ['a prefix longer than a uint64', ['123456789012345678901'], 'recordio: length prefix is too long'],
    ['a record over the limit', ['1025\n'], 'recordio: record of 1025 bytes exceeds the limit of 1024'],
    ['a stream that ends inside a body', ['5\nab'], 'recordio: stream ended inside a record'],
    ['a stream that ends inside a prefix', ['2\nab1'], 'recordio: stream ended inside a record'],
  ])('refuses %s', (_name, chunks, message) => {
    expect(decodeChunks(chunks.map((chunk) => Buffer.from(chunk)))).toBe(message);
  });

  it('accepts a record of exactly the limit', () => {
    expect(decodeChunks([encodeRecord(Buffer.alloc(MAX, 0x61))])).toEqual(['a'.repeat(MAX)]);
  });

  it('keeps answering its first error', () => {
    const d = decoder();
    const first = d.push(Buffer.from('z'));
    expect(first.ok).toBe(false);
    expect(d.push(encodeRecord(Buffer.from('ok')))).toEqual(first);
    expect(d.end()).toEqual(first);
  });

  it('gives the same records however the stream is split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (payloads, cuts) => {
          const bytes = Buffer.concat(payloads.map((payload) => encodeRecord(payload)));
          const expected = payloads.map((payload) => Buffer.from(payload).toString('latin1'));
          expect(decodeChunks(split(bytes, cuts))).toEqual(expected);
        },
      ),
    );
  });

  it('never throws on random bytes in random chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 32 }), { maxLength: 8 }), (chunks) => {
        const result = decodeChunks(chunks);
        expect(typeof result === 'string' ? result : 'records').toMatch(/^recordio: |^records$/);
      }),
    );
  });
});
