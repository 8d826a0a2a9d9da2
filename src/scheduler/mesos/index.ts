/**
 * kmesos' Mesos wire layer — schemas, codecs and RecordIO for the v1 scheduler, executor
 * and operator HTTP APIs. Pure: no HTTP server, no Kubernetes, no module-level state.
 *
 *   const codec = createMesosCodec(loadMesosSchema());   once, when the server starts
 *
 * Media types (headers → 'application/json' | 'application/x-protobuf'):
 *   negotiate(contentType, accept): Result<{request, response}, {status: 400|406|415, message}>
 *   requestMediaType(contentType), responseMediaType(accept)        the two halves
 * Messages (types from types/, one per proto message: Call, Event, Offer_Operation, …):
 *   codec.decodeCall(body, mediaType): Result<Call, CodecError>     untrusted body
 *   codec.encodeEvent(event, mediaType): Buffer
 *   codec.encodeCall / decodeEvent                                  for test clients
 *   codec.decodeExecutorCall / encodeExecutorEvent (+ the reverse)  executor API
 *   codec.decodeMasterCall / encodeMasterResponse (+ the reverse)    operator API (/api/v1)
 *   codec.encodeMasterEvent / decodeMasterEvent                      its SUBSCRIBE stream
 *   CodecError {path: 'call.accept.offer_ids[0].value', reason: 'must be a string', message}
 * Streams:
 *   encodeRecord(payload): Buffer                                   `<length>\n<payload>`
 *   new RecordIODecoder({maxRecordBytes}).push(chunk): Result<Buffer[], CodecError>; .end()
 *
 * The in-memory form is the same for both encodings: proto field names, enum names,
 * bytes as Uint8Array, 64-bit integers as numbers. proto/ is the schema's one source;
 * proto-sources.ts and types/ are generated from it (see generated.test.ts).
 */
export { createMesosCodec, type MesosCodec } from './codec.js';
export { createMessageCodec, type MessageCodec, type MessageCodecOptions } from './message-codec.js';
export {
  APPLICATION_JSON,
  APPLICATION_PROTOBUF,
  negotiate,
  requestMediaType,
  responseMediaType,
  type MediaType,
  type Negotiated,
  type NegotiationError,
} from './media-type.js';
export { encodeRecord, RecordIODecoder, type RecordIODecoderOptions } from './recordio.js';
export type { CodecError, Result } from './result.js';
export { loadMesosSchema, type MesosSchema } from './schema.js';
export type * as executor from './types/executor.js';
export type * as maintenance from './types/maintenance.js';
export type * as master from './types/master.js';
export type * as quota from './types/quota.js';
export type * as scheduler from './types/scheduler.js';
export type * as v1 from './types/v1.js';
