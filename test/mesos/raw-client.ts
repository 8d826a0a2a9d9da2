/**
 * The Mesos test client: checks a server's wire behaviour the way real Mesos clients
 * depend on it, over raw HTTP/1.1 sockets so chunk boundaries stay visible.
 *
 * Ordinary requests:
 *   rawRequest(url, {method?, path, headers?, body?, clock?, timeoutMs?})
 *     → {status, headers: {name: [values]}, body: Buffer}       Content-Length, chunked or close
 * Streams (SUBSCRIBE):
 *   openStream(url, {path, headers?, body?, mediaType?, ...}) → RawStream, once the head is in
 *     stream.status, .headers, .records, .body, .violations: string[]
 *     for await (const {data, records} of stream)                   each HTTP chunk, whole
 *     stream.ended → {by: 'complete' | 'server-close' | 'client-close' | 'error'}; stream.close()
 *   Checked per chunk: exactly one record, `<decimal length>\n<bytes>`, the length equal to
 *   the bytes; per JSON record: ASCII only and compact (record-checks.ts).
 * A framework:
 *   const s = new MesosTestScheduler({codec, clock?, timeoutMs?, path?})
 *   await s.subscribe(url, frameworkInfo, {mediaType, frameworkId?, headers?, suppressedRoles?})
 *     checks 200, Transfer-Encoding: chunked, no Content-Length, Content-Type exactly the
 *     media type, one Mesos-Stream-Id (subscribeHeaderProblems)
 *   await s.nextEvent('OFFERS', timeoutMs?)        the next OFFERS event, body typed; s.events
 *   await s.call(call) → RawResponse               with Mesos-Stream-Id, on a new connection
 *   s.accept / decline / acknowledge / reconcile / kill / revive / suppress / teardown
 *   s.violations, s.frameworkId, s.streamId, s.close(), await s.ended()
 * Calls alone: acceptCall, declineCall, … (scheduler-calls.ts), pure.
 */
export type { HeaderMap } from './http-response.js';
export {
  openStream,
  rawRequest,
  type RawRequest,
  type RawResponse,
  type RawStream,
  type StreamChunk,
  type StreamEnd,
  type StreamRequest,
} from './raw-http.js';
export * from './scheduler-calls.js';
export { subscribeHeaderProblems } from './subscribe-checks.js';
export {
  MesosTestScheduler,
  type EventOf,
  type MesosTestSchedulerOptions,
  type SubscribeOptions,
} from './test-scheduler.js';
