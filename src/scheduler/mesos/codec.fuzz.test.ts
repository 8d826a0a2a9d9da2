import fc from 'fast-check';
import { createMesosCodec } from './codec.js';
import { APPLICATION_JSON, APPLICATION_PROTOBUF, type MediaType } from './media-type.js';
import { createMessageCodec } from './message-codec.js';
import type { PlainMessage } from './plain.js';
import { arbitraryMessage } from '../../../test/mesos/arbitrary.js';
import type { CodecError, Result } from './result.js';
import { loadMesosSchema } from './schema.js';

const schema = loadMesosSchema();
const codec = createMesosCodec(schema);
const MEDIA: readonly MediaType[] = [APPLICATION_JSON, APPLICATION_PROTOBUF];

const decoders: [string, (body: Uint8Array, media: MediaType) => Result<unknown, CodecError>][] = [
  ['call', (body, media) => codec.decodeCall(body, media)],
  ['event', (body, media) => codec.decodeEvent(body, media)],
  ['call', (body, media) => codec.decodeExecutorCall(body, media)],
  ['event', (body, media) => codec.decodeExecutorEvent(body, media)],
];

/** Decoding answers a value or a CodecError under the right root, and never throws. */
function expectValueOrCodecError(result: Result<unknown, CodecError>, root: string): void {
  if (result.ok) {
    expect(typeof result.value).toBe('object');
  } else {
    expect(result.error.kind).toBe('CodecError');
    expect(result.error.path === root || result.error.path.startsWith(`${root}.`)).toBe(true);
    expect(result.error.message).toBe(`${result.error.path}: ${result.error.reason}`);
  }
}

const messageTypes = [
  'mesos.v1.TaskInfo',
  'mesos.v1.TaskStatus',
  'mesos.v1.Offer',
  'mesos.v1.FrameworkInfo',
  'mesos.v1.InverseOffer',
  'mesos.v1.scheduler.Call.Accept',
  'mesos.v1.executor.Event.Subscribed',
];

describe('any valid message survives both encodings', () => {
  it.each(messageTypes)('%s', (fullName) => {
    const messages = createMessageCodec<PlainMessage>(schema, { fullName, path: 'm' });
    fc.assert(
      fc.property(arbitraryMessage(schema.declared.lookupType(fullName)), (message) => {
        for (const media of MEDIA) {
          expect(messages.decode(messages.encode(message, media), media)).toEqual({
            ok: true,
            value: message,
          });
        }
        const json = messages.encode(message, APPLICATION_JSON);
        expect([...json].every((byte) => byte < 0x80)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('scheduler Calls whose type has its body', () => {
    const callType = schema.declared.lookupType('mesos.v1.scheduler.Call');
    const calls = arbitraryMessage(callType).filter((call) => {
      const body = typeof call['type'] === 'string' ? call['type'].toLowerCase() : '';
      return call['type'] !== undefined && (callType.fields[body] === undefined || call[body] !== undefined);
    });
    fc.assert(
      fc.property(calls, (call) => {
        for (const media of MEDIA) {
          const encoded = codec.encodeCall(call, media);
          expect(codec.decodeCall(encoded, media)).toEqual({ ok: true, value: call });
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('decoding never throws', () => {
  it.each(decoders.flatMap(([root, decode]) => MEDIA.map((media) => [root, media, decode] as const)))(
    '%s from random bytes as %s',
    (root, media, decode) => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) =>
          expectValueOrCodecError(decode(bytes, media), root),
        ),
        { numRuns: 300 },
      );
    },
  );

  it.each(decoders)('%s from random JSON values and malformed JSON text', (root, decode) => {
    const text = fc.oneof(
      fc.json(),
      fc.string(),
      fc.json().map((json) => json.slice(0, Math.max(0, json.length - 1))),
      fc.jsonValue().map((value) => JSON.stringify({ type: 'SUBSCRIBE', subscribe: value, update: value })),
    );
    fc.assert(
      fc.property(text, (json) => expectValueOrCodecError(decode(Buffer.from(json), APPLICATION_JSON), root)),
      { numRuns: 300 },
    );
  });

  it('Calls of random field values', () => {
    const call = fc.record(
      {
        type: fc.constantFrom('SUBSCRIBE', 'ACCEPT', 'ACKNOWLEDGE', 'KILL', 'BOGUS'),
        framework_id: fc.jsonValue(),
        subscribe: fc.record({
          framework_info: fc.dictionary(fc.constantFrom('user', 'name', 'roles', 'id'), fc.jsonValue()),
        }),
        accept: fc.record({ offer_ids: fc.array(fc.jsonValue()), operations: fc.jsonValue() }),
        acknowledge: fc.dictionary(fc.constantFrom('agent_id', 'task_id', 'uuid'), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(call, (value) =>
        expectValueOrCodecError(
          codec.decodeCall(Buffer.from(JSON.stringify(value)), APPLICATION_JSON),
          'call',
        ),
      ),
      { numRuns: 300 },
    );
  });

  it('truncated and corrupted protobuf Calls', () => {
    const valid = codec.encodeCall(
      {
        framework_id: { value: 'f' },
        type: 'ACCEPT',
        accept: {
          offer_ids: [{ value: 'o' }],
          operations: [
            {
              type: 'LAUNCH',
              launch: {
                task_infos: [
                  {
                    name: 'n',
                    task_id: { value: 't' },
                    agent_id: { value: 'a' },
                    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }],
                  },
                ],
              },
            },
          ],
        },
      },
      APPLICATION_PROTOBUF,
    );
    const corrupt = fc.tuple(
      fc.nat({ max: valid.length }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(corrupt, ([length, flips]) => {
        const bytes = Buffer.from(valid.subarray(0, length));
        for (const [at, value] of flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
        expectValueOrCodecError(codec.decodeCall(bytes, APPLICATION_PROTOBUF), 'call');
      }),
      { numRuns: 500 },
    );
  });
});
