import type { Flavor, PlainValue } from './plain.js';
import { fail, ok, type CodecError, type Result } from './result.js';

const TWO_31 = 2 ** 31;
const TWO_32 = 2 ** 32;
const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;

/** [min, max] of each integer type; 64-bit ones are doubles, as in Mesos' JSON. */
const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  int32: [-TWO_31, TWO_31 - 1],
  sint32: [-TWO_31, TWO_31 - 1],
  sfixed32: [-TWO_31, TWO_31 - 1],
  uint32: [0, TWO_32 - 1],
  fixed32: [0, TWO_32 - 1],
  int64: [-TWO_63, TWO_63],
  sint64: [-TWO_63, TWO_63],
  sfixed64: [-TWO_63, TWO_63],
  uint64: [0, TWO_64],
  fixed64: [0, TWO_64],
};

// Standard alphabet; padding may be left out, but if present it completes a group of four.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Checks one scalar value (`protoType` is protobufjs' name: string, bool, uint64, …). */
export function readScalar(
  protoType: string,
  raw: unknown,
  path: string,
  flavor: Flavor,
): Result<PlainValue, CodecError> {
  switch (protoType) {
    case 'string':
      return typeof raw === 'string' ? ok(raw) : fail(path, 'must be a string');
    case 'bool':
      return typeof raw === 'boolean' ? ok(raw) : fail(path, 'must be a boolean');
    case 'bytes':
      return flavor === 'json' ? readBase64(raw, path) : readWireBytes(raw, path);
    case 'double':
    case 'float':
      return typeof raw === 'number' ? ok(raw) : fail(path, 'must be a number');
    default:
      return readInteger(protoType, raw, path);
  }
}

function readInteger(protoType: string, raw: unknown, path: string): Result<PlainValue, CodecError> {
  const range = INTEGER_RANGES[protoType];
  if (range === undefined) return fail(path, `unsupported field type ${protoType}`);
  if (typeof raw !== 'number' || !Number.isInteger(raw)) return fail(path, 'must be an integer');
  const [min, max] = range;
  if (raw < min || raw > max) return fail(path, `out of range for ${protoType}`);
  return ok(raw);
}

function readBase64(raw: unknown, path: string): Result<PlainValue, CodecError> {
  if (typeof raw !== 'string' || !BASE64.test(raw) || !base64Length(raw)) {
    return fail(path, 'must be a base64 string');
  }
  return ok(Buffer.from(raw, 'base64'));
}

function readWireBytes(raw: unknown, path: string): Result<PlainValue, CodecError> {
  // A copy, so the message does not pin the whole request body in memory.
  return raw instanceof Uint8Array ? ok(Buffer.from(raw)) : fail(path, 'must be bytes');
}

function base64Length(text: string): boolean {
  return text.endsWith('=') ? text.length % 4 === 0 : text.length % 4 !== 1;
}
