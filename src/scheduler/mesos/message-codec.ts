import { checkTypeAndBody } from './call-rules.js';
import { parseJsonBody, stringifyAscii } from './json-text.js';
import type { MediaType } from './media-type.js';
import type { PlainMessage } from './plain.js';
import { readMessage } from './read-message.js';
import type { CodecError, Result } from './result.js';
import type { MesosSchema } from './schema.js';
import { decodeWire, encodeWire } from './wire.js';
import { writeJson } from './write-json.js';

/** Decodes and encodes one message type (a Call, an Event, …) in either media type. */
export interface MessageCodec<T> {
  decode(body: Uint8Array, mediaType: MediaType): Result<T, CodecError>;
  encode(message: T, mediaType: MediaType): Buffer;
}

export interface MessageCodecOptions {
  /** Full proto name: `mesos.v1.scheduler.Call`. */
  readonly fullName: string;
  /** The first segment of error paths: `call`, `event`. */
  readonly path: string;
  /**
   * For a top-level Call or Event: `type` and the body it names are required (see
   * call-rules.ts), except the body of the types listed here. Absent: no such rule.
   */
  readonly typed?: { readonly bodyOptional: readonly string[] };
}

/**
 * `T` is the generated interface for `fullName` (types/); decode only returns values that
 * passed readMessage against the same schema, which is what makes the cast below sound.
 */
export function createMessageCodec<T>(schema: MesosSchema, options: MessageCodecOptions): MessageCodec<T> {
  const declared = schema.declared.lookupType(options.fullName);
  const wire = schema.wire.lookupType(options.fullName);
  const bodyOptional = options.typed === undefined ? undefined : new Set(options.typed.bodyOptional);
  const root = options.path;
  return {
    decode(body: Uint8Array, mediaType: MediaType): Result<T, CodecError> {
      const parsed =
        mediaType === 'application/json' ? parseJsonBody(body, root) : decodeWire(wire, body, root);
      if (!parsed.ok) return parsed;
      const read = readMessage(
        declared,
        parsed.value,
        root,
        mediaType === 'application/json' ? 'json' : 'wire',
      );
      if (!read.ok || bodyOptional === undefined) return read as Result<T, CodecError>;
      return checkTypeAndBody(declared, read.value, root, bodyOptional) as Result<T, CodecError>;
    },
    encode(message: T, mediaType: MediaType): Buffer {
      const plain = message as PlainMessage;
      return mediaType === 'application/json'
        ? Buffer.from(stringifyAscii(writeJson(declared, plain)), 'ascii')
        : encodeWire(wire, plain);
    },
  };
}
