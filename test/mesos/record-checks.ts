/**
 * The rules a SUBSCRIBE stream keeps beyond RecordIO itself (docs/recordio.md allows a
 * record to be split anywhere, but Mesos' master writes each record as one chunk, and
 * clients written against it rely on that):
 *
 *   - every HTTP chunk holds exactly one whole record, `<decimal length>\n<bytes>`,
 *     whose length is the byte length of what follows it in the chunk;
 *   - a JSON record is ASCII (every byte < 0x80) and compact (no whitespace outside strings).
 *
 * Breaking a rule is a violation: a sentence passed to `report`, for the test to assert
 * on. Records are still decoded (by the tolerant RecordIODecoder), so one fault does not
 * hide the rest.
 */
import { RecordIODecoder } from '../../src/scheduler/mesos/index.js';

/** A uint64 has at most 20 decimal digits. */
const MAX_LENGTH_DIGITS = 20;
const LF = 0x0a;

export interface RecordStreamCheckerOptions {
  /** Apply the JSON rules to each record. */
  readonly json: boolean;
  readonly maxRecordBytes: number;
  /** Called with each violation, as a sentence naming the chunk or record. */
  readonly report: (violation: string) => void;
}

/** Checks a stream chunk by chunk; numbering of chunks and records starts at 1. */
export class RecordStreamChecker {
  private readonly json: boolean;
  private readonly report: (violation: string) => void;
  private readonly decoder: RecordIODecoder;
  private chunks = 0;
  private records = 0;
  /** Set once the decoder has lost the framing: nothing after it can be read. */
  private lost = false;

  constructor(options: RecordStreamCheckerOptions) {
    this.json = options.json;
    this.report = options.report;
    this.decoder = new RecordIODecoder({ maxRecordBytes: options.maxRecordBytes });
  }

  /** Checks one HTTP chunk; returns the records it completed. */
  chunk(data: Buffer): Buffer[] {
    const index = ++this.chunks;
    if (this.lost) return [];
    const aligned = this.atRecordBoundary();
    // A chunk that continues a record was already reported with the chunk that began it.
    const shape = aligned ? chunkShape(data) : undefined;
    if (shape !== undefined) this.report(`chunk ${index}: ${shape}`);
    const decoded = this.decoder.push(data);
    if (!decoded.ok) {
      this.report(`stream: ${decoded.error.message}`);
      this.lost = true;
      return [];
    }
    const records = decoded.value;
    if (!aligned && (records.length > 1 || (records.length === 1 && !this.atRecordBoundary())))
      this.report(`chunk ${index}: holds parts of more than one record`);
    for (const record of records) this.checkRecord(record);
    return records;
  }

  /** The stream ended (either side closed, or the last chunk came). */
  end(): void {
    if (!this.lost && !this.atRecordBoundary()) this.report('stream: ended inside a record');
  }

  private checkRecord(record: Buffer): void {
    const index = ++this.records;
    if (!this.json) return;
    for (const problem of jsonRecordProblems(record)) this.report(`record ${index}: ${problem}`);
  }

  /** end() only inspects the decoder's state, so it doubles as a probe mid-stream. */
  private atRecordBoundary(): boolean {
    return this.decoder.end().ok;
  }
}

/** What is wrong with a chunk that should be exactly one record, or undefined. */
export function chunkShape(chunk: Buffer): string | undefined {
  const first = readLengthLine(chunk, 0);
  if (first === undefined) return 'does not start with a decimal length line';
  const rest = chunk.length - first.bodyStart;
  if (rest === first.length) return undefined;
  if (rest === 0) return `length line "${first.length}" arrived apart from its record`;
  if (rest < first.length) return `holds ${rest} of the ${first.length} bytes its length line announces`;
  const count = wholeRecords(chunk);
  if (count !== undefined) return `holds ${count} records; a chunk must hold exactly one`;
  return `length line says ${first.length} bytes but ${rest} follow it`;
}

interface LengthLine {
  readonly length: number;
  /** Offset of the first byte after the line feed. */
  readonly bodyStart: number;
}

function readLengthLine(bytes: Buffer, offset: number): LengthLine | undefined {
  const lf = bytes.indexOf(LF, offset);
  const digits = lf < 0 ? '' : bytes.toString('latin1', offset, lf);
  if (digits.length === 0 || digits.length > MAX_LENGTH_DIGITS || !/^\d+$/.test(digits)) return undefined;
  return { length: Number(digits), bodyStart: lf + 1 };
}

/** How many records `bytes` holds if it is nothing but whole records; else undefined. */
function wholeRecords(bytes: Buffer): number | undefined {
  let offset = 0;
  let count = 0;
  while (offset < bytes.length) {
    const line = readLengthLine(bytes, offset);
    if (line === undefined || line.bodyStart + line.length > bytes.length) return undefined;
    offset = line.bodyStart + line.length;
    count++;
  }
  return count;
}

/**
 * The JSON rules, as sentences. Compactness is judged by scanning, not by re-serialising:
 * another encoder may escape differently (`\u00E9`, `\/`) and still be compact.
 */
export function jsonRecordProblems(record: Buffer): string[] {
  const problems: string[] = [];
  const high = record.findIndex((byte) => byte >= 0x80);
  if (high >= 0) problems.push(`byte 0x${record[high]?.toString(16)} at offset ${high} is not ASCII`);
  try {
    JSON.parse(record.toString('utf8'));
  } catch (error) {
    problems.push(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
    return problems;
  }
  const space = whitespaceOutsideStrings(record);
  if (space >= 0)
    problems.push(`whitespace at offset ${space} outside strings; JSON records must be compact`);
  return problems;
}

/** Offset of the first JSON whitespace byte outside a string, or -1. Assumes valid JSON. */
function whitespaceOutsideStrings(text: Buffer): number {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i] as number;
    if (inString) {
      if (byte === 0x5c)
        i++; // a backslash escapes the next byte, a quote included
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) {
      return i;
    }
  }
  return -1;
}
