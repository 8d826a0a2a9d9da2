import protobuf from 'protobufjs';
import type { PlainMessage } from './plain.js';
import { fail, ok, type CodecError, type Result } from './result.js';

// Enum names and plain numbers, as in the JSON form; bytes stay Uint8Array.
const TO_OBJECT: protobuf.IConversionOptions = { enums: String, longs: Number };

/**
 * Decodes protobuf bytes with a `wire` type (required relaxed, see schema.ts) into
 * protobufjs' object form; the caller validates it. protobufjs throws on truncated or
 * malformed input, which becomes a CodecError here.
 */
export function decodeWire(type: protobuf.Type, body: Uint8Array, path: string): Result<unknown, CodecError> {
  try {
    return ok(type.toObject(type.decode(body), TO_OBJECT));
  } catch (error) {
    return fail(path, `invalid protobuf: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Encodes a plain message. Proto2 presence: every field that is set is written, even at
 * its zero value (TaskStatus.state = TASK_STARTING = 0).
 */
export function encodeWire(type: protobuf.Type, message: PlainMessage): Buffer {
  const bytes = type.encode(type.fromObject(message)).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
