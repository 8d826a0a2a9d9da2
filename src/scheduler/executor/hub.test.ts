import { createLogger, transports } from 'winston';
import type { Framework, Task } from '../../api/types.js';
import { ClusterState } from '../../cluster/state.js';
import { ManualClock } from '../../util/clock.js';
import { createMesosCodec, loadMesosSchema } from '../mesos/index.js';
import type { Event } from '../mesos/types/executor.js';
import type { TaskStatus } from '../mesos/types/v1.js';
import { EXECUTOR_TOKEN_VARIABLE } from '../../launcher/pod.js';
import { ExecutorHub, type ExecutorHubDeps } from './hub.js';

const codec = createMesosCodec(loadMesosSchema());
const quiet = createLogger({ silent: true, transports: [new transports.Console()] });

const framework = {
  apiVersion: 'kmesos.io/v1alpha1',
  kind: 'Framework',
  metadata: { name: 'fw', namespace: 'ns', annotations: { 'kmesos.io/framework-id': 'fid' } },
  spec: { scheduler: 'External', role: '*' },
} as unknown as Framework;

function executorTask(name: string): Task {
  return {
    apiVersion: 'kmesos.io/v1alpha1',
    kind: 'Task',
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, annotations: { 'kmesos.io/mesos-task-id': name } },
    spec: {
      framework: 'fw',
      preemptible: true,
      resources: { cpu: '1' },
      command: './exec',
      priority: 0,
      killGracePeriodSeconds: 3,
      retry: { maxAttempts: 1, backoffSeconds: 0, backoffFactor: 1, maxBackoffSeconds: 0 },
      group: 'job',
      executor: { id: 'e1', type: 'Custom' },
    },
    status: { state: 'TASK_STAGING', attempt: 1, agentID: 'a1', nodeName: 'n1' },
  };
}

interface Setup {
  hub: ExecutorHub;
  events: Event[];
  forwarded: TaskStatus[];
  toFramework: unknown[];
  reported: string[];
}

function setup(): Setup {
  const state = new ClusterState();
  state.upsert('framework', framework);
  state.upsert('task', executorTask('job'));
  const events: Event[] = [];
  const forwarded: TaskStatus[] = [];
  const toFramework: unknown[] = [];
  const reported: string[] = [];
  const deps: ExecutorHubDeps = {
    state,
    scheduler: {
      executorUpdate: (_fw, _key, status) => void forwarded.push(status),
      sendToFramework: (_fw, event) => toFramework.push(event) > 0,
      frameworkInfo: () => ({ user: 'u', name: 'fw', id: { value: 'fid' } }),
      taskKey: (_s, taskId) => `ns/${taskId}`,
      trackedTask: () => undefined,
    },
    codec,
    clock: new ManualClock(1_000_000),
    logger: quiet,
    newToken: () => 'a-token-of-enough-length-to-guess-never',
    reportChanged: (key) => void reported.push(key),
    heartbeatSeconds: 15,
  };
  const hub = new ExecutorHub(deps);
  hub.serveAt('127.0.0.1:8080');
  const env = hub.env('ns/fw', 'e1', 'a1', 'ns/job');
  expect(env.find((e) => e.name === EXECUTOR_TOKEN_VARIABLE)?.value).toBe(
    'a-token-of-enough-length-to-guess-never',
  );
  expect(env.find((e) => e.name === 'MESOS_AGENT_ENDPOINT')?.value).toBe('127.0.0.1:8080');
  return { hub, events, forwarded, toFramework, reported };
}

const call = { framework_id: { value: 'fid' }, executor_id: { value: 'e1' } };
const uuid = new Uint8Array(16).fill(7);

function subscribed(s: Setup) {
  const who = s.hub.authenticate(
    { ...call, type: 'SUBSCRIBE', subscribe: {} },
    'a-token-of-enough-length-to-guess-never',
  );
  if (!who.ok) throw new Error(who.message);
  s.hub.subscribe(who.ref, { ...call, type: 'SUBSCRIBE', subscribe: {} }, 'application/json', {
    begin: () => undefined,
    write: (record) => {
      const text = record.toString('utf8');
      const decoded = codec.decodeExecutorEvent(
        Buffer.from(text.slice(text.indexOf('\n') + 1)),
        'application/json',
      );
      if (decoded.ok) s.events.push(decoded.value);
    },
    end: () => undefined,
  });
  return who.ref;
}

describe('ExecutorHub', () => {
  it.each<[string, string | undefined, number]>([
    ['no token', undefined, 401],
    ['another token', 'forged', 403],
  ])('refuses a call with %s', (_what, token, status) => {
    const s = setup();
    expect(s.hub.authenticate({ ...call, type: 'MESSAGE' }, token)).toMatchObject({ status });
  });

  it('tells a subscribed executor who it is', () => {
    const s = setup();
    subscribed(s);
    expect(s.events.map((e) => e.type)).toEqual(['SUBSCRIBED']);
    expect(s.events[0]?.subscribed).toMatchObject({
      executor_info: { executor_id: { value: 'e1' } },
      framework_info: { id: { value: 'fid' } },
      agent_info: { hostname: 'n1', id: { value: 'a1' } },
      container_id: { value: 'job-1' },
    });
  });

  it.each<[string, TaskStatus | undefined, number, string]>([
    ['without a status', undefined, 400, 'call.update: required'],
    [
      'without a uuid',
      { task_id: { value: 'job' }, state: 'TASK_RUNNING' },
      400,
      'call.update.status.uuid: required, the 16 bytes of the update’s UUID',
    ],
    [
      'in TASK_STAGING',
      { task_id: { value: 'job' }, state: 'TASK_STAGING', uuid },
      400,
      'call.update.status.state: an executor cannot report TASK_STAGING',
    ],
    [
      'of a task it does not run',
      { task_id: { value: 'other' }, state: 'TASK_RUNNING', uuid },
      400,
      'call.update.status.task_id: other is not a task of this executor',
    ],
  ])('refuses an update %s', (_what, status, code, message) => {
    const s = setup();
    const ref = subscribed(s);
    expect(s.hub.update(ref, status)).toEqual({ status: code, message });
    expect(s.forwarded).toEqual([]);
  });

  it('forwards an update with its uuid, reports the state, and passes the acknowledgement back', () => {
    const s = setup();
    const ref = subscribed(s);
    expect(
      s.hub.update(ref, {
        task_id: { value: 'job' },
        state: 'TASK_RUNNING',
        uuid,
        reason: 'REASON_NOT_A_REASON' as never,
      }),
    ).toEqual({ status: 202 });
    expect(s.forwarded).toEqual([
      expect.objectContaining({
        state: 'TASK_RUNNING',
        uuid,
        source: 'SOURCE_EXECUTOR',
        agent_id: { value: 'a1' },
        executor_id: { value: 'e1' },
        timestamp: 1000,
      }),
    ]);
    // A reason the Task's status cannot hold is left out of it (the scheduler still gets it).
    expect(s.hub.reported('ns/job')).toEqual({
      state: 'TASK_RUNNING',
      message: 'the executor reports TASK_RUNNING',
    });
    expect(s.hub.wasReported('ns/job', 'TASK_RUNNING')).toBe(true);
    expect(s.reported).toEqual(['ns/job']);
    s.hub.acknowledged('ns/job', s.forwarded[0] as TaskStatus);
    expect(s.events.at(-1)).toEqual({
      type: 'ACKNOWLEDGED',
      acknowledged: { task_id: { value: 'job' }, uuid },
    });
    // Sent again after the acknowledgement: acknowledged again, not forwarded twice.
    s.hub.update(ref, { task_id: { value: 'job' }, state: 'TASK_RUNNING', uuid });
    expect(s.forwarded).toHaveLength(1);
    expect(s.events.filter((e) => e.type === 'ACKNOWLEDGED')).toHaveLength(2);
  });

  it('delivers messages both ways and SHUTDOWN to the executor', () => {
    const s = setup();
    const ref = subscribed(s);
    expect(s.hub.message(ref, new Uint8Array([1, 2]))).toEqual({ status: 202 });
    expect(s.toFramework).toEqual([
      {
        type: 'MESSAGE',
        message: { agent_id: { value: 'a1' }, executor_id: { value: 'e1' }, data: new Uint8Array([1, 2]) },
      },
    ]);
    expect(s.hub.deliver('ns/fw', 'e1', 'a1', new Uint8Array([3]))).toBe(true);
    expect(s.hub.deliver('ns/fw', 'e1', 'elsewhere', new Uint8Array([3]))).toBe(false);
    expect(s.hub.shutdown('ns/fw', 'e1', 'a1')).toEqual(['ns/job']);
    expect(s.events.slice(-2).map((e) => e.type)).toEqual(['MESSAGE', 'SHUTDOWN']);
  });
});
