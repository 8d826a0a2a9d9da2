/**
 * The pure halves of the Mesos test client: the HTTP response parser and the stream
 * rules, fed bytes directly. The same rules over real sockets: mesos-raw-client.test.ts.
 */
import { ResponseParser, type ResponseEvent } from '../mesos/http-response.js';
import { chunkShape, jsonRecordProblems, RecordStreamChecker } from '../mesos/record-checks.js';

/** Feeds `bytes` to a parser in pieces of `step` bytes; returns the events, or the error. */
function parse(text: string, step: number, method = 'POST'): ResponseEvent[] | string {
  const parser = new ResponseParser(method);
  const bytes = Buffer.from(text, 'latin1');
  const events: ResponseEvent[] = [];
  for (let i = 0; i < bytes.length; i += step) {
    const parsed = parser.push(bytes.subarray(i, i + step));
    if (!parsed.ok) return parsed.error;
    events.push(...parsed.events);
  }
  const closed = parser.close();
  if (!closed.ok) return closed.error;
  return [...events, ...closed.events];
}

/** Events as short strings: `head 200`, `chunk "abc"`, `data "abc"`, `end`. */
function summary(events: ResponseEvent[] | string): string[] | string {
  if (typeof events === 'string') return events;
  return events.map((event) => {
    if (event.type === 'head') return `head ${event.head.status}`;
    if (event.type === 'end') return 'end';
    return `${event.type} ${JSON.stringify(event.data.toString('latin1'))}`;
  });
}

/** Joins `data` events, which arrive as TCP happened to split them. */
function joined(events: string[] | string): string[] | string {
  if (typeof events === 'string') return events;
  const out: string[] = [];
  for (const event of events) {
    const last = out[out.length - 1];
    if (event.startsWith('data ') && last?.startsWith('data ')) {
      out[out.length - 1] = `data ${JSON.stringify(
        (JSON.parse(last.slice(5)) as string) + (JSON.parse(event.slice(5)) as string),
      )}`;
    } else out.push(event);
  }
  return out;
}

describe('ResponseParser', () => {
  const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
  it.each([
    [
      'Content-Length',
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello',
      ['head 200', 'data "hello"', 'end'],
    ],
    ['empty Content-Length', 'HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n', ['head 202', 'end']],
    [
      'no framing: read until close',
      'HTTP/1.1 200 OK\r\n\r\nuntil close',
      ['head 200', 'data "until close"', 'end'],
    ],
    ['204 has no body', 'HTTP/1.1 204 No Content\r\n\r\n', ['head 204', 'end']],
    [
      '100 Continue skipped',
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 OK\r\nContent-Length: 0\r\n\r\n',
      ['head 202', 'end'],
    ],
    [
      'chunks whole, extensions and trailers ignored',
      `${chunked}3;x=y\r\nabc\r\n1\r\n\n\r\n0\r\nX-Trailer: 1\r\n\r\n`,
      ['head 200', 'chunk "abc"', 'chunk "\\n"', 'end'],
    ],
    ['bad chunk size', `${chunked}zz\r\nabc\r\n`, 'bad chunk size line "zz"'],
    ['chunk without its CRLF', `${chunked}3\r\nabcd\r\n`, 'chunk of 3 bytes is not followed by CRLF'],
    ['closed inside a chunk', `${chunked}5\r\nab`, 'connection closed while reading the body'],
    ['closed inside the head', 'HTTP/1.1 200 OK\r\n', 'connection closed while reading the head'],
    ['bad status line', 'HTTP/2 200\r\n\r\n', 'bad status line "HTTP/2 200"'],
    [
      'conflicting lengths',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
      'bad Content-Length "1, 2"',
    ],
  ])('%s', (_name, text, want) => {
    // Whole, and one byte at a time: chunks come out whole either way.
    for (const step of [text.length, 1]) expect(joined(summary(parse(text, step)))).toEqual(want);
  });

  it('keeps header names lower-cased and repeated headers in order', () => {
    const events = parse('HTTP/1.1 200 OK\r\nSet-Thing: a\r\nset-thing:  b \r\nContent-Length: 0\r\n\r\n', 7);
    expect(typeof events !== 'string' && events[0]?.type === 'head' && events[0].head.headers).toEqual({
      'set-thing': ['a', 'b'],
      'content-length': ['0'],
    });
  });

  it('reads no body for HEAD', () => {
    expect(summary(parse('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n', 100, 'HEAD'))).toEqual([
      'head 200',
      'end',
    ]);
  });
});

describe('chunkShape', () => {
  it.each([
    ['one record', '5\nhello', undefined],
    ['an empty record', '0\n', undefined],
    ['no length line', 'hello', 'does not start with a decimal length line'],
    ['a length line alone', '20\n', 'length line "20" arrived apart from its record'],
    ['part of a record', '20\n{"ty', 'holds 4 of the 20 bytes its length line announces'],
    ['two records', '1\na2\nbc', 'holds 2 records; a chunk must hold exactly one'],
    ['a character count, not bytes', '1\n\xc3\xa9', 'length line says 1 bytes but 2 follow it'],
  ])('%s', (_name, chunk, want) => {
    expect(chunkShape(Buffer.from(chunk, 'latin1'))).toBe(want);
  });
});

describe('jsonRecordProblems', () => {
  it.each([
    ['compact ASCII', '{"type":"HEARTBEAT","s":"a b\\"  c"}', []],
    ['escaped non-ASCII', '{"m":"\\u00e9"}', []],
    ['raw non-ASCII', '{"m":"\xc3\xa9"}', ['byte 0xc3 at offset 6 is not ASCII']],
    ['pretty', '{\n  "a": 1\n}', ['whitespace at offset 1 outside strings; JSON records must be compact']],
    [
      'space after a colon',
      '{"a": 1}',
      ['whitespace at offset 5 outside strings; JSON records must be compact'],
    ],
    ['not JSON', '{"a":', [expect.stringMatching(/^not JSON: /)]],
  ])('%s', (_name, record, want) => {
    expect(jsonRecordProblems(Buffer.from(record, 'latin1'))).toEqual(want);
  });
});

describe('RecordStreamChecker', () => {
  /** The records and violations from a stream delivered as these chunks. */
  function check(chunks: string[], json = true): { records: string[]; violations: string[] } {
    const violations: string[] = [];
    const checker = new RecordStreamChecker({
      json,
      maxRecordBytes: 1024,
      report: (v) => violations.push(v),
    });
    const records = chunks.flatMap((chunk) => checker.chunk(Buffer.from(chunk, 'latin1')));
    checker.end();
    return { records: records.map((record) => record.toString('latin1')), violations };
  }

  it.each([
    ['one record a chunk', ['2\n{}', '5\n[1,2]'], ['{}', '[1,2]'], []],
    [
      'a length line apart',
      ['2\n', '{}'],
      ['{}'],
      ['chunk 1: length line "2" arrived apart from its record'],
    ],
    [
      'a record over three chunks, then a straddling chunk',
      ['7\n{"a"', ':', '1}2\n[', ']'],
      ['{"a":1}', '[]'],
      [
        'chunk 1: holds 4 of the 7 bytes its length line announces',
        'chunk 3: holds parts of more than one record',
      ],
    ],
    [
      'ended inside a record',
      ['5\n[1'],
      [],
      ['chunk 1: holds 2 of the 5 bytes its length line announces', 'stream: ended inside a record'],
    ],
    [
      'framing lost',
      ['1\n\xc3\xa9', '2\n{}'],
      [],
      [
        'chunk 1: length line says 1 bytes but 2 follow it',
        'stream: recordio: length prefix has a non-digit byte 0xa9',
      ],
    ],
    [
      'JSON rules per record',
      ['3\n{ }'],
      ['{ }'],
      ['record 1: whitespace at offset 1 outside strings; JSON records must be compact'],
    ],
  ])('%s', (_name, chunks, records, violations) => {
    expect(check(chunks)).toEqual({ records, violations });
  });

  it('applies no JSON rules to protobuf records', () => {
    expect(check(['2\n\x08\xff'], false)).toEqual({ records: ['\x08\xff'], violations: [] });
  });
});
