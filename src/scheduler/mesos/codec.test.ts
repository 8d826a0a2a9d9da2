import { createMesosCodec } from './codec.js';
import { APPLICATION_JSON, APPLICATION_PROTOBUF, type MediaType } from './media-type.js';
import { loadMesosSchema } from './schema.js';
import type { Call as ExecutorCall, Event as ExecutorEvent } from './types/executor.js';
import type { Call as MasterCall, Event as MasterEvent, Response as MasterResponse } from './types/master.js';
import type { Call, Event } from './types/scheduler.js';
import type { FrameworkInfo, Resource, TaskInfo, TaskStatus } from './types/v1.js';

const codec = createMesosCodec(loadMesosSchema());
const MEDIA: readonly MediaType[] = [APPLICATION_JSON, APPLICATION_PROTOBUF];

const uuid = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
const frameworkId = { value: 'fw-1' };
const agentId = { value: 'agent-1' };

function scalar(name: string, value: number): Resource {
  return { name, type: 'SCALAR', scalar: { value }, allocation_info: { role: 'dev' } };
}

const frameworkInfo: FrameworkInfo = {
  user: 'root',
  name: 'marathon',
  roles: ['dev', 'prod'],
  failover_timeout: 604800,
  checkpoint: true,
  capabilities: [{ type: 'MULTI_ROLE' }, { type: 'GPU_RESOURCES' }, { type: 'PARTITION_AWARE' }],
  labels: { labels: [{ key: 'team', value: 'ünïcode ✓' }] },
};

const task: TaskInfo = {
  name: 'web',
  task_id: { value: 'web.1' },
  agent_id: agentId,
  resources: [
    scalar('cpus', 0.5),
    scalar('mem', 128),
    { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31009 }] } },
  ],
  command: {
    shell: false,
    value: '/bin/server',
    arguments: ['--port', '31000'],
    uris: [{ value: 'https://example.com/a.tgz', extract: true }],
    environment: { variables: [{ name: 'MODE', type: 'VALUE', value: 'prod' }] },
  },
  container: { type: 'DOCKER', docker: { image: 'nginx:1.27', network: 'BRIDGE' } },
  kill_policy: { grace_period: { nanoseconds: 30_000_000_000 } },
  data: Buffer.from([0, 1, 2, 254, 255]),
};

const status: TaskStatus = {
  task_id: { value: 'web.1' },
  state: 'TASK_STARTING',
  source: 'SOURCE_MASTER',
  reason: 'REASON_COMMAND_EXECUTOR_FAILED',
  message: 'starting',
  agent_id: agentId,
  executor_id: { value: 'exec-1' },
  timestamp: 1722000000.123456,
  uuid,
  healthy: false,
  labels: { labels: [{ key: 'k' }] },
  unreachable_time: { nanoseconds: 1_722_000_000_000_000_000 },
};

const calls: [string, Call][] = [
  [
    'SUBSCRIBE',
    { type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo, suppressed_roles: ['prod'] } },
  ],
  [
    'ACCEPT with LAUNCH and LAUNCH_GROUP',
    {
      framework_id: frameworkId,
      type: 'ACCEPT',
      accept: {
        offer_ids: [{ value: 'o-1' }, { value: 'o-2' }],
        operations: [
          { type: 'LAUNCH', launch: { task_infos: [task] } },
          {
            type: 'LAUNCH_GROUP',
            launch_group: {
              executor: {
                type: 'DEFAULT',
                executor_id: { value: 'exec-1' },
                framework_id: frameworkId,
                resources: [scalar('cpus', 0.1)],
              },
              task_group: { tasks: [{ ...task, command: { value: 'sleep 10' } }] },
            },
          },
          {
            type: 'RESERVE',
            reserve: {
              resources: [{ ...scalar('cpus', 1), reservations: [{ type: 'DYNAMIC', role: 'dev' }] }],
            },
          },
        ],
        filters: { refuse_seconds: 0 },
      },
    },
  ],
  [
    'DECLINE',
    {
      framework_id: frameworkId,
      type: 'DECLINE',
      decline: { offer_ids: [{ value: 'o-3' }], filters: { refuse_seconds: 3600 } },
    },
  ],
  [
    'ACCEPT_INVERSE_OFFERS',
    {
      framework_id: frameworkId,
      type: 'ACCEPT_INVERSE_OFFERS',
      accept_inverse_offers: { inverse_offer_ids: [{ value: 'io-1' }] },
    },
  ],
  [
    'DECLINE_INVERSE_OFFERS',
    {
      framework_id: frameworkId,
      type: 'DECLINE_INVERSE_OFFERS',
      decline_inverse_offers: { inverse_offer_ids: [{ value: 'io-1' }] },
    },
  ],
  ['REVIVE without body', { framework_id: frameworkId, type: 'REVIVE' }],
  ['REVIVE with roles', { framework_id: frameworkId, type: 'REVIVE', revive: { roles: ['dev'] } }],
  ['SUPPRESS', { framework_id: frameworkId, type: 'SUPPRESS', suppress: { roles: ['dev'] } }],
  [
    'KILL',
    {
      framework_id: frameworkId,
      type: 'KILL',
      kill: { task_id: { value: 't' }, agent_id: agentId, kill_policy: { grace_period: { nanoseconds: 5 } } },
    },
  ],
  [
    'SHUTDOWN',
    {
      framework_id: frameworkId,
      type: 'SHUTDOWN',
      shutdown: { executor_id: { value: 'e' }, agent_id: agentId },
    },
  ],
  [
    'ACKNOWLEDGE',
    {
      framework_id: frameworkId,
      type: 'ACKNOWLEDGE',
      acknowledge: { agent_id: agentId, task_id: { value: 't' }, uuid },
    },
  ],
  [
    'RECONCILE explicit',
    {
      framework_id: frameworkId,
      type: 'RECONCILE',
      reconcile: { tasks: [{ task_id: { value: 't' }, agent_id: agentId }] },
    },
  ],
  ['RECONCILE implicit', { framework_id: frameworkId, type: 'RECONCILE', reconcile: {} }],
  [
    'MESSAGE',
    {
      framework_id: frameworkId,
      type: 'MESSAGE',
      message: { agent_id: agentId, executor_id: { value: 'e' }, data: Buffer.from('hi') },
    },
  ],
  [
    'REQUEST',
    {
      framework_id: frameworkId,
      type: 'REQUEST',
      request: { requests: [{ agent_id: agentId, resources: [scalar('cpus', 2)] }] },
    },
  ],
  [
    'UPDATE_FRAMEWORK',
    {
      framework_id: frameworkId,
      type: 'UPDATE_FRAMEWORK',
      update_framework: { framework_info: { ...frameworkInfo, id: frameworkId } },
    },
  ],
  ['TEARDOWN', { framework_id: frameworkId, type: 'TEARDOWN' }],
];

const offer = {
  id: { value: 'o-1' },
  framework_id: frameworkId,
  agent_id: agentId,
  hostname: 'node-1',
  url: { scheme: 'http', address: { hostname: 'node-1', ip: '10.0.0.1', port: 5051 }, path: '/slave(1)' },
  resources: [scalar('cpus', 4), { name: 'gpus', type: 'SCALAR' as const, scalar: { value: 1 } }],
  attributes: [
    { name: 'zone', type: 'TEXT' as const, text: { value: 'a' } },
    { name: 'disks', type: 'SET' as const, set: { item: ['ssd', 'hdd'] } },
  ],
  executor_ids: [{ value: 'exec-1' }],
  allocation_info: { role: 'dev' },
};

const events: [string, Event][] = [
  [
    'SUBSCRIBED',
    {
      type: 'SUBSCRIBED',
      subscribed: {
        framework_id: frameworkId,
        heartbeat_interval_seconds: 15,
        master_info: { id: 'kmesos', ip: 16777343, port: 5050, hostname: 'kmesos', version: '1.11.0' },
      },
    },
  ],
  ['OFFERS', { type: 'OFFERS', offers: { offers: [offer] } }],
  [
    'INVERSE_OFFERS',
    {
      type: 'INVERSE_OFFERS',
      inverse_offers: {
        inverse_offers: [
          {
            id: { value: 'io-1' },
            framework_id: frameworkId,
            agent_id: agentId,
            unavailability: {
              start: { nanoseconds: 1_722_000_000_000_000_000 },
              duration: { nanoseconds: 3600e9 },
            },
          },
        ],
      },
    },
  ],
  ['RESCIND', { type: 'RESCIND', rescind: { offer_id: { value: 'o-1' } } }],
  [
    'RESCIND_INVERSE_OFFER',
    { type: 'RESCIND_INVERSE_OFFER', rescind_inverse_offer: { inverse_offer_id: { value: 'io-1' } } },
  ],
  ['UPDATE', { type: 'UPDATE', update: { status } }],
  [
    'MESSAGE',
    {
      type: 'MESSAGE',
      message: { agent_id: agentId, executor_id: { value: 'e' }, data: Buffer.from([0xff]) },
    },
  ],
  ['FAILURE', { type: 'FAILURE', failure: { agent_id: agentId, executor_id: { value: 'e' }, status: -9 } }],
  ['ERROR', { type: 'ERROR', error: { message: 'Framework has been removed' } }],
  ['HEARTBEAT', { type: 'HEARTBEAT' }],
];

const executorCalls: [string, ExecutorCall][] = [
  [
    'SUBSCRIBE',
    {
      executor_id: { value: 'e' },
      framework_id: frameworkId,
      type: 'SUBSCRIBE',
      subscribe: { unacknowledged_tasks: [task], unacknowledged_updates: [{ status }] },
    },
  ],
  ['UPDATE', { executor_id: { value: 'e' }, framework_id: frameworkId, type: 'UPDATE', update: { status } }],
  [
    'MESSAGE',
    {
      executor_id: { value: 'e' },
      framework_id: frameworkId,
      type: 'MESSAGE',
      message: { data: Buffer.from('x') },
    },
  ],
  ['HEARTBEAT', { executor_id: { value: 'e' }, framework_id: frameworkId, type: 'HEARTBEAT' }],
];

const executorEvents: [string, ExecutorEvent][] = [
  [
    'SUBSCRIBED',
    {
      type: 'SUBSCRIBED',
      subscribed: {
        executor_info: { executor_id: { value: 'e' }, command: { value: './exec' } },
        framework_info: frameworkInfo,
        agent_info: { hostname: 'node-1', id: agentId, resources: [scalar('cpus', 4)] },
        container_id: { value: 'c-2', parent: { value: 'c-1' } },
      },
    },
  ],
  ['LAUNCH', { type: 'LAUNCH', launch: { task } }],
  ['LAUNCH_GROUP', { type: 'LAUNCH_GROUP', launch_group: { task_group: { tasks: [task] } } }],
  ['KILL', { type: 'KILL', kill: { task_id: { value: 't' } } }],
  ['ACKNOWLEDGED', { type: 'ACKNOWLEDGED', acknowledged: { task_id: { value: 't' }, uuid } }],
  ['MESSAGE', { type: 'MESSAGE', message: { data: Buffer.from('x') } }],
  ['ERROR', { type: 'ERROR', error: { message: 'bad' } }],
  ['SHUTDOWN', { type: 'SHUTDOWN' }],
];

function cases<T>(table: [string, T][]): [string, MediaType, T][] {
  return table.flatMap(([name, value]) => MEDIA.map((media): [string, MediaType, T] => [name, media, value]));
}

describe('round trips', () => {
  it.each(cases(calls))('scheduler Call %s in %s', (_name, media, call) => {
    expect(codec.decodeCall(codec.encodeCall(call, media), media)).toEqual({ ok: true, value: call });
  });
  it.each(cases(events))('scheduler Event %s in %s', (_name, media, event) => {
    expect(codec.decodeEvent(codec.encodeEvent(event, media), media)).toEqual({ ok: true, value: event });
  });
  it.each(cases(executorCalls))('executor Call %s in %s', (_name, media, call) => {
    expect(codec.decodeExecutorCall(codec.encodeExecutorCall(call, media), media)).toEqual({
      ok: true,
      value: call,
    });
  });
  it.each(cases(executorEvents))('executor Event %s in %s', (_name, media, event) => {
    expect(codec.decodeExecutorEvent(codec.encodeExecutorEvent(event, media), media)).toEqual({
      ok: true,
      value: event,
    });
  });
  it.each(cases(calls))(
    'scheduler Call %s decodes the same from JSON and from protobuf (%s)',
    (_name, media, call) => {
      const other = media === APPLICATION_JSON ? APPLICATION_PROTOBUF : APPLICATION_JSON;
      const decoded = codec.decodeCall(codec.encodeCall(call, media), media);
      expect(decoded.ok && codec.decodeCall(codec.encodeCall(decoded.value, other), other)).toEqual(decoded);
    },
  );
});

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

/** Encodes a value the types would reject, to build invalid protobuf bodies. */
function protobufCall(value: unknown): Buffer {
  return codec.encodeCall(value as Call, APPLICATION_PROTOBUF);
}

const ack = { agent_id: agentId, task_id: { value: 't' }, uuid: uuid.toString('base64') };

describe('decodeCall rejects invalid JSON Calls with the field and the reason', () => {
  it.each<[string, Buffer, string]>([
    ['no type', json({}), 'call.type: required'],
    ['type of the wrong kind', json({ type: 3 }), 'call.type: must be a mesos.v1.scheduler.Call.Type name'],
    [
      'unknown type name',
      json({ type: 'NOPE' }),
      'call.type: unknown value "NOPE" of mesos.v1.scheduler.Call.Type',
    ],
    ['no body for the type', json({ type: 'SUBSCRIBE' }), 'call.subscribe: required for type SUBSCRIBE'],
    [
      'required field missing deep down',
      json({ type: 'SUBSCRIBE', subscribe: { framework_info: { name: 'x' } } }),
      'call.subscribe.framework_info.user: required',
    ],
    [
      'required field null',
      json({ type: 'SUBSCRIBE', subscribe: { framework_info: { name: 'x', user: null } } }),
      'call.subscribe.framework_info.user: required',
    ],
    [
      'string field given a number',
      json({ type: 'ACCEPT', accept: { offer_ids: [{ value: 'a' }, { value: 5 }] } }),
      'call.accept.offer_ids[1].value: must be a string',
    ],
    [
      'repeated field given an object',
      json({ type: 'DECLINE', decline: { offer_ids: { value: 'a' } } }),
      'call.decline.offer_ids: must be an array',
    ],
    [
      'null inside a list',
      json({ type: 'DECLINE', decline: { offer_ids: [null] } }),
      'call.decline.offer_ids[0]: must not be null',
    ],
    [
      'message given a string',
      json({ type: 'DECLINE', decline: { filters: 'soon' } }),
      'call.decline.filters: must be an object',
    ],
    [
      'double given a string',
      json({ type: 'DECLINE', decline: { filters: { refuse_seconds: '5' } } }),
      'call.decline.filters.refuse_seconds: must be a number',
    ],
    [
      'bool given a string',
      json({
        type: 'SUBSCRIBE',
        subscribe: { framework_info: { user: 'u', name: 'n', checkpoint: 'true' } },
      }),
      'call.subscribe.framework_info.checkpoint: must be a boolean',
    ],
    [
      'unknown nested enum name',
      json({
        type: 'SUBSCRIBE',
        subscribe: { framework_info: { user: 'u', name: 'n', capabilities: [{ type: 'TELEPORT' }] } },
      }),
      'call.subscribe.framework_info.capabilities[0].type: unknown value "TELEPORT" of mesos.v1.FrameworkInfo.Capability.Type',
    ],
    [
      'bytes that are not base64',
      json({ type: 'ACKNOWLEDGE', acknowledge: { ...ack, uuid: 'not base64!' } }),
      'call.acknowledge.uuid: must be a base64 string',
    ],
    [
      'base64 with bad padding',
      json({ type: 'ACKNOWLEDGE', acknowledge: { ...ack, uuid: 'QQ=' } }),
      'call.acknowledge.uuid: must be a base64 string',
    ],
    [
      'fractional integer',
      json({
        type: 'KILL',
        kill: { task_id: { value: 't' }, kill_policy: { grace_period: { nanoseconds: 1.5 } } },
      }),
      'call.kill.kill_policy.grace_period.nanoseconds: must be an integer',
    ],
    [
      'negative uint64',
      json({
        type: 'REQUEST',
        request: {
          requests: [
            { resources: [{ name: 'ports', type: 'RANGES', ranges: { range: [{ begin: -1, end: 2 }] } }] },
          ],
        },
      }),
      'call.request.requests[0].resources[0].ranges.range[0].begin: out of range for uint64',
    ],
    ['top level is an array', json([]), 'call: must be an object'],
    ['top level is null', json(null), 'call: must be an object'],
    ['body is not UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), 'call: body is not valid UTF-8'],
  ])('%s', (_name, body, message) => {
    const result = codec.decodeCall(body, APPLICATION_JSON);
    expect(result.ok ? 'decoded' : result.error.message).toBe(message);
  });

  it('says why JSON does not parse', () => {
    const result = codec.decodeCall(Buffer.from('{"type":'), APPLICATION_JSON);
    expect(result.ok ? '' : result.error.message).toMatch(/^call: invalid JSON: /);
  });

  it('splits the error into path and reason', () => {
    const result = codec.decodeCall(
      json({ type: 'SUBSCRIBE', subscribe: { framework_info: {} } }),
      APPLICATION_JSON,
    );
    expect(result.ok ? undefined : result.error).toEqual({
      kind: 'CodecError',
      path: 'call.subscribe.framework_info.user',
      reason: 'required',
      message: 'call.subscribe.framework_info.user: required',
    });
  });

  it('rejects an executor Call without its executor_id', () => {
    const result = codec.decodeExecutorCall(
      json({ framework_id: frameworkId, type: 'HEARTBEAT' }),
      APPLICATION_JSON,
    );
    expect(result.ok ? '' : result.error.message).toBe('call.executor_id: required');
  });

  it('stops at a ContainerID nested too deep', () => {
    let container: Record<string, unknown> = { value: 'c' };
    for (let i = 0; i < 100; i++) container = { value: `c${i}`, parent: container };
    const event = json({
      type: 'SUBSCRIBED',
      subscribed: {
        executor_info: { executor_id: { value: 'e' } },
        framework_info: { user: 'u', name: 'n' },
        agent_info: { hostname: 'h' },
        container_id: container,
      },
    });
    const result = codec.decodeExecutorEvent(event, APPLICATION_JSON);
    expect(result.ok ? '' : result.error.reason).toBe('nested more than 32 deep');
  });
});

describe('decodeCall rejects invalid protobuf Calls with the field and the reason', () => {
  const valid = protobufCall({
    framework_id: frameworkId,
    type: 'ACKNOWLEDGE',
    acknowledge: { ...ack, uuid },
  });

  it.each<[string, Buffer, string]>([
    ['no type', protobufCall({ framework_id: frameworkId }), 'call.type: required'],
    [
      'required bytes missing',
      protobufCall({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: agentId, task_id: { value: 't' } } }),
      'call.acknowledge.uuid: required',
    ],
    [
      'required string missing in a list',
      protobufCall({ type: 'DECLINE', decline: { offer_ids: [{ value: 'a' }, {}] } }),
      'call.decline.offer_ids[1].value: required',
    ],
    // Field 2 (type) = 99: proto2 keeps an unknown enum number out of the message.
    ['unknown enum number', Buffer.from([0x10, 99]), 'call.type: required'],
  ])('%s', (_name, body, message) => {
    const result = codec.decodeCall(body, APPLICATION_PROTOBUF);
    expect(result.ok ? 'decoded' : result.error.message).toBe(message);
  });

  it.each([1, 5, valid.length - 1])('rejects the body truncated to %i bytes', (length) => {
    const result = codec.decodeCall(valid.subarray(0, length), APPLICATION_PROTOBUF);
    expect(result.ok ? '' : result.error.message).toMatch(/^call: (invalid protobuf: |)/);
    expect(result.ok).toBe(false);
  });
});

describe('protobuf encoding', () => {
  it('writes TaskStatus.state even at TASK_STARTING = 0', () => {
    const event: Event = {
      type: 'UPDATE',
      update: { status: { task_id: { value: 't' }, state: 'TASK_STARTING' } },
    };
    // Event.type = UPDATE (08 04); Event.update, 9 bytes (2a 09); Update.status, 7 bytes (0a 07);
    // TaskStatus.task_id = {value: "t"} (0a 03 0a 01 74); TaskStatus.state = 0 (10 00).
    expect(codec.encodeEvent(event, APPLICATION_PROTOBUF).toString('hex')).toBe('08042a090a070a030a01741000');
  });

  it('writes other fields set to their zero value', () => {
    const call: Call = { type: 'DECLINE', decline: { filters: { refuse_seconds: 0 } } };
    const decoded = codec.decodeCall(codec.encodeCall(call, APPLICATION_PROTOBUF), APPLICATION_PROTOBUF);
    // Had refuse_seconds = 0 been dropped, the framework would get Mesos' 5 s default.
    expect(decoded).toEqual({ ok: true, value: call });
  });

  it('ignores fields this schema does not know', () => {
    const known = protobufCall({ type: 'REVIVE' });
    // Field 99 (varint 7) and field 100 (length-delimited "xy") are not in Call.
    const unknown = Buffer.from([0x98, 0x06, 0x07, 0xa2, 0x06, 0x02, 0x78, 0x79]);
    expect(codec.decodeCall(Buffer.concat([unknown, known]), APPLICATION_PROTOBUF)).toEqual({
      ok: true,
      value: { type: 'REVIVE' },
    });
  });

  it('keeps 64-bit integers up to 2^53 exact and large ones as close as a double can', () => {
    for (const nanoseconds of [
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      1_722_000_000_123_456_768,
      0,
    ]) {
      const call: Call = {
        type: 'KILL',
        kill: { task_id: { value: 't' }, kill_policy: { grace_period: { nanoseconds } } },
      };
      expect(codec.decodeCall(codec.encodeCall(call, APPLICATION_PROTOBUF), APPLICATION_PROTOBUF)).toEqual({
        ok: true,
        value: call,
      });
    }
  });
});

describe('JSON encoding', () => {
  it('is compact and in declaration order', () => {
    const event: Event = { error: { message: 'gone' }, type: 'ERROR' };
    expect(codec.encodeEvent(event, APPLICATION_JSON).toString()).toBe(
      '{"type":"ERROR","error":{"message":"gone"}}',
    );
  });

  it('escapes every non-ASCII character, so the byte length is the character count', () => {
    const message = 'café ✓ 😀 \u2028 end';
    const body = codec.encodeEvent({ type: 'ERROR', error: { message } }, APPLICATION_JSON);
    expect([...body].every((byte) => byte < 0x80)).toBe(true);
    expect(body.toString()).toBe(
      '{"type":"ERROR","error":{"message":"caf\\u00e9 \\u2713 \\ud83d\\ude00 \\u2028 end"}}',
    );
    expect(codec.decodeEvent(body, APPLICATION_JSON)).toEqual({
      ok: true,
      value: { type: 'ERROR', error: { message } },
    });
  });

  it('writes bytes as base64 and reads them back', () => {
    const call: Call = {
      type: 'ACKNOWLEDGE',
      acknowledge: { agent_id: agentId, task_id: { value: 't' }, uuid },
    };
    const body = codec.encodeCall(call, APPLICATION_JSON).toString();
    expect(body).toContain('"uuid":"ASNFZ4mrze8BI0VniavN7w=="');
    expect(codec.decodeCall(Buffer.from(body), APPLICATION_JSON)).toEqual({ ok: true, value: call });
  });

  it('reads base64 without padding', () => {
    const result = codec.decodeCall(
      json({ type: 'ACKNOWLEDGE', acknowledge: { ...ack, uuid: 'AAE' } }),
      APPLICATION_JSON,
    );
    expect(result.ok && result.value.acknowledge?.uuid).toEqual(Buffer.from([0, 1]));
  });

  it('writes 64-bit integers as JSON numbers', () => {
    const event: Event = {
      type: 'RESCIND_INVERSE_OFFER',
      rescind_inverse_offer: { inverse_offer_id: { value: 'i' } },
    };
    const offers: Event = {
      type: 'INVERSE_OFFERS',
      inverse_offers: {
        inverse_offers: [
          {
            id: { value: 'i' },
            framework_id: frameworkId,
            unavailability: { start: { nanoseconds: 1722000000000000000 } },
          },
        ],
      },
    };
    expect(codec.encodeEvent(offers, APPLICATION_JSON).toString()).toContain(
      '"start":{"nanoseconds":1722000000000000000}',
    );
    expect(codec.encodeEvent(event, APPLICATION_JSON).toString()).not.toContain('"nanoseconds"');
  });

  it('ignores fields this schema does not know, at every level', () => {
    const body = json({
      type: 'DECLINE',
      framework_id: { value: 'f', extra: true },
      decline: { offer_ids: [{ value: 'o', x: [1] }], future_field: { a: 1 } },
      stream_id: 'abc',
    });
    expect(codec.decodeCall(body, APPLICATION_JSON)).toEqual({
      ok: true,
      value: { type: 'DECLINE', framework_id: { value: 'f' }, decline: { offer_ids: [{ value: 'o' }] } },
    });
  });

  it('treats null as absent and an empty list as absent', () => {
    const body = json({ type: 'REVIVE', framework_id: null, revive: { roles: [] }, suppress: null });
    expect(codec.decodeCall(body, APPLICATION_JSON)).toEqual({
      ok: true,
      value: { type: 'REVIVE', revive: {} },
    });
  });

  it('drops keys the schema does not know when encoding', () => {
    const event = { type: 'HEARTBEAT', internal: 'x' } as Event;
    expect(codec.encodeEvent(event, APPLICATION_JSON).toString()).toBe('{"type":"HEARTBEAT"}');
  });

  it("decodes the SUBSCRIBE body in Mesos' documentation", () => {
    const body = `{
      "type" : "SUBSCRIBE",
      "subscribe" : {
        "framework_info" : {
          "user" : "foo",
          "name" : "Example HTTP Framework",
          "roles": ["test"],
          "capabilities" : [{"type": "MULTI_ROLE"}]
        }
      }
    }`;
    expect(codec.decodeCall(Buffer.from(body), APPLICATION_JSON)).toEqual({
      ok: true,
      value: {
        type: 'SUBSCRIBE',
        subscribe: {
          framework_info: {
            user: 'foo',
            name: 'Example HTTP Framework',
            roles: ['test'],
            capabilities: [{ type: 'MULTI_ROLE' }],
          },
        },
      },
    });
  });
});

const masterCalls: [string, MasterCall][] = [
  ['GET_STATE', { type: 'GET_STATE' }],
  ['GET_METRICS without a timeout', { type: 'GET_METRICS' }],
  ['GET_METRICS with a timeout', { type: 'GET_METRICS', get_metrics: { timeout: { nanoseconds: 5e9 } } }],
  ['TEARDOWN, whose body kmesos does not read', { type: 'TEARDOWN' }],
  [
    'UPDATE_QUOTA, with maps of scalars',
    {
      type: 'UPDATE_QUOTA',
      update_quota: {
        force: true,
        quota_configs: [
          {
            role: 'dev',
            guarantees: { cpus: { value: 1.5 }, mem: { value: 512 } },
            limits: { cpus: { value: 4 } },
          },
          { role: 'ops' },
        ],
      },
    },
  ],
  [
    'DRAIN_AGENT',
    {
      type: 'DRAIN_AGENT',
      drain_agent: { agent_id: agentId, max_grace_period: { nanoseconds: 1e9 }, mark_gone: false },
    },
  ],
  [
    'UPDATE_WEIGHTS',
    { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'dev', weight: 2 }] } },
  ],
];

const masterEvents: [string, MasterEvent][] = [
  ['HEARTBEAT', { type: 'HEARTBEAT' }],
  ['SUBSCRIBED', { type: 'SUBSCRIBED', subscribed: { get_state: {}, heartbeat_interval_seconds: 15 } }],
  [
    'TASK_UPDATED',
    {
      type: 'TASK_UPDATED',
      task_updated: {
        framework_id: frameworkId,
        status: { task_id: { value: 'web.1' }, state: 'TASK_RUNNING' },
        state: 'TASK_RUNNING',
      },
    },
  ],
  ['AGENT_REMOVED', { type: 'AGENT_REMOVED', agent_removed: { agent_id: agentId } }],
];

const masterTask = {
  name: 'web',
  task_id: { value: 'web.1' },
  framework_id: frameworkId,
  agent_id: agentId,
  state: 'TASK_STARTING' as const,
  resources: [scalar('cpus', 0.5)],
  statuses: [{ task_id: { value: 'web.1' }, state: 'TASK_STARTING' as const, timestamp: 1722000000.5 }],
};

const masterResponses: [string, MasterResponse][] = [
  ['GET_HEALTH', { type: 'GET_HEALTH', get_health: { healthy: true } }],
  ['GET_METRICS', { type: 'GET_METRICS', get_metrics: { metrics: [{ name: 'master/elected', value: 1 }] } }],
  [
    'GET_STATE',
    {
      type: 'GET_STATE',
      get_state: {
        get_tasks: { tasks: [masterTask] },
        get_executors: {},
        get_frameworks: {
          frameworks: [{ framework_info: frameworkInfo, active: true, connected: true, recovered: false }],
        },
        get_agents: {
          agents: [
            {
              agent_info: { hostname: 'node-1', id: agentId },
              active: true,
              version: '1.11.0',
              capabilities: [{ type: 'MULTI_ROLE' }],
            },
          ],
        },
      },
    },
  ],
  [
    'GET_ROLES',
    { type: 'GET_ROLES', get_roles: { roles: [{ name: 'dev', weight: 2, frameworks: [frameworkId] }] } },
  ],
];

describe('operator API messages', () => {
  it.each(cases(masterCalls))('Call %s round-trips in %s', (_name, media, call) => {
    expect(codec.decodeMasterCall(codec.encodeMasterCall(call, media), media)).toEqual({
      ok: true,
      value: call,
    });
  });

  it.each(cases(masterResponses))('Response %s round-trips in %s', (_name, media, response) => {
    expect(codec.decodeMasterResponse(codec.encodeMasterResponse(response, media), media)).toEqual({
      ok: true,
      value: response,
    });
  });

  it.each(cases(masterEvents))('Event %s round-trips in %s', (_name, media, event) => {
    expect(codec.decodeMasterEvent(codec.encodeMasterEvent(event, media), media)).toEqual({
      ok: true,
      value: event,
    });
  });

  it('names a call type kmesos does not serve instead of failing on it', () => {
    const body = json({ type: 'TEARDOWN', teardown: { framework_id: { value: 'a' } } });
    expect(codec.decodeMasterCall(body, APPLICATION_JSON)).toEqual({
      ok: true,
      value: { type: 'TEARDOWN' },
    });
  });

  it.each([
    [{ guarantees: [1] }, 'call.update_quota.quota_configs[0].guarantees', 'must be an object'],
    [
      { guarantees: { cpus: 1 } },
      'call.update_quota.quota_configs[0].guarantees["cpus"]',
      'must be an object',
    ],
    [
      { limits: { mem: { value: 'x' } } },
      'call.update_quota.quota_configs[0].limits["mem"].value',
      undefined,
    ],
  ])('names the map entry that is wrong: %j', (config, path, reason) => {
    const body = json({ type: 'UPDATE_QUOTA', update_quota: { quota_configs: [{ role: 'r', ...config }] } });
    const decoded = codec.decodeMasterCall(body, APPLICATION_JSON);
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.error.path).toBe(path);
    if (reason !== undefined) expect(decoded.error.reason).toBe(reason);
  });

  it("uses Mesos' field numbers", () => {
    // Call.type = GET_STATE (08 09); Response.type = GET_HEALTH (08 01), get_health = field 2
    // (12 02) holding healthy = true (08 01).
    expect(codec.encodeMasterCall({ type: 'GET_STATE' }, APPLICATION_PROTOBUF).toString('hex')).toBe('0809');
    const health: MasterResponse = { type: 'GET_HEALTH', get_health: { healthy: true } };
    expect(codec.encodeMasterResponse(health, APPLICATION_PROTOBUF).toString('hex')).toBe('080112020801');
  });
});
