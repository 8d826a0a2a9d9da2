import { ApiException } from '@kubernetes/client-node';
import { Writable } from 'node:stream';
import type { ObjectWriter } from '../kube/object-writer.js';
import { createLogger } from '../logging/logger.js';
import { ManualClock } from '../util/clock.js';
import { StatusWriter } from './status-writer.js';

const quiet = createLogger({
  level: 'error',
  stream: new Writable({ write: (_c, _e, done): void => done() }),
});

/**
 * Records the status patches a StatusWriter sends, as `<plural>/<name> <patch>`; `failures`
 * lists the errors the next calls throw, in order.
 */
type PatchApi = Pick<ObjectWriter, 'mergePatch'>;

function recordingApi(failures: Error[] = []): {
  api: PatchApi;
  sent: string[];
  calls: () => number;
} {
  const sent: string[] = [];
  let calls = 0;
  const api: PatchApi = {
    mergePatch: async (path, patch) => {
      calls++;
      const fail = failures.shift();
      if (fail) throw fail;
      const [plural, name] = path.split('/').slice(-3, -1);
      sent.push(`${plural}/${name} ${JSON.stringify(patch)}`);
      return Promise.resolve({});
    },
  };
  return { api, sent, calls: () => calls };
}

const task = { metadata: { namespace: 'ns', name: 't' }, status: {} };
const framework = { metadata: { namespace: 'ns', name: 'f' }, status: {} };
/** Lets pending promise callbacks (the fake API's answers) run. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};
const serverError = (): ApiException<string> => new ApiException(500, 'boom', '', {});

describe('StatusWriter', () => {
  it('tells a status someone else wrote from its own, and patches it back from what the object holds', async () => {
    const clock = new ManualClock(0);
    const { api, sent } = recordingApi();
    const writer = new StatusWriter(api, quiet, clock, 4, {});
    const running = { state: 'TASK_RUNNING', attempt: 1 };
    writer.set('frameworks', framework, running);
    await writer.idle();
    // The watch echoes the write (in another key order): nothing foreign.
    expect(
      writer.overwritten('frameworks', { ...framework, status: { attempt: 1, state: 'TASK_RUNNING' } }),
    ).toBe(false);
    const forged = { ...framework, status: { state: 'TASK_FINISHED', attempt: 1, exitCode: 0 } };
    expect(writer.overwritten('frameworks', forged)).toBe(true);
    writer.restore('frameworks', forged, running);
    await writer.idle();
    expect(sent.at(-1)).toBe('frameworks/f {"status":{"exitCode":null,"state":"TASK_RUNNING"}}');
    expect(writer.overwritten('frameworks', { ...framework, status: running })).toBe(false);
  });

  it('takes the watch echo of a patch still awaiting its answer for its own', async () => {
    const clock = new ManualClock(0);
    let answer: (() => void) | undefined;
    const api: PatchApi = { mergePatch: () => new Promise((r) => (answer = () => r({}))) };
    const writer = new StatusWriter(api, quiet, clock, 4, {});
    const staging = { state: 'TASK_STAGING', attempt: 1 };
    const running = { state: 'TASK_RUNNING', attempt: 1 };
    writer.set('tasks', task, staging);
    await settle();
    answer?.();
    await writer.idle();
    writer.set('tasks', { ...task, status: staging }, running);
    await settle();
    // RUNNING is on its way; the watch shows it before the API answers.
    expect(writer.overwritten('tasks', { ...task, status: running })).toBe(false);
    // Nor is the status the patch started from, which the watch still shows.
    expect(writer.overwritten('tasks', { ...task, status: staging })).toBe(false);
    expect(writer.overwritten('tasks', { ...task, status: { state: 'TASK_FAILED', attempt: 1 } })).toBe(true);
    answer?.();
    await writer.idle();
    expect(writer.overwritten('tasks', { ...task, status: running })).toBe(false);
  });

  it('takes the late watch echo of an earlier write of its own for its own, by resourceVersion', async () => {
    const clock = new ManualClock(0);
    let version = 10;
    const api: PatchApi = {
      mergePatch: async () => Promise.resolve({ metadata: { resourceVersion: String(++version) } }),
    };
    const writer = new StatusWriter(api, quiet, clock, 4, {});
    const staging = { state: 'TASK_STAGING', attempt: 1 };
    const running = { state: 'TASK_RUNNING', attempt: 1 };
    const finished = { state: 'TASK_FINISHED', attempt: 1, exitCode: 0 };
    writer.set('tasks', task, staging);
    await writer.idle();
    writer.set('tasks', { ...task, status: staging }, running);
    await writer.idle();
    writer.set('tasks', { ...task, status: running }, finished);
    await writer.idle();
    const at = (resourceVersion: string, status: object): object => ({
      metadata: { ...task.metadata, resourceVersion },
      status,
    });
    // The watch is three writes behind: STAGING (11) and RUNNING (12) are ours, not foreign.
    expect(writer.overwritten('tasks', at('11', staging))).toBe(false);
    expect(writer.overwritten('tasks', at('12', running))).toBe(false);
    expect(writer.overwritten('tasks', at('13', finished))).toBe(false);
    // A later version that differs from the last write is someone else's.
    expect(writer.overwritten('tasks', at('14', running))).toBe(true);
  });

  it('takes its own write read back with the keys sorted, as the API server returns it, for its own', async () => {
    const clock = new ManualClock(0);
    const { api, sent } = recordingApi();
    const writer = new StatusWriter(api, quiet, clock, 4, {});
    const waiting = {
      conditions: [{ type: 'Scheduled', status: 'False', reason: 'Unschedulable', message: 'm' }],
    };
    writer.set('tasks', task, waiting);
    await writer.idle();
    const readBack = {
      conditions: [{ message: 'm', reason: 'Unschedulable', status: 'False', type: 'Scheduled' }],
    };
    expect(writer.overwritten('tasks', { ...task, status: readBack })).toBe(false);
    // Nor does asking for the same status again write anything.
    writer.set('tasks', { ...task, status: readBack }, waiting);
    await writer.idle();
    expect(sent).toHaveLength(1);
  });

  it('holds a delayed kind back, so changes in quick succession share one patch', async () => {
    const clock = new ManualClock(0);
    const { api, sent } = recordingApi();
    const writer = new StatusWriter(api, quiet, clock, 4, { tasks: 40 });
    writer.set('tasks', task, { state: 'TASK_STAGING' });
    writer.set('frameworks', framework, { dominantShare: 0.5 });
    await settle();
    clock.advance(10);
    // Kinds without a delay go at once; the task waits.
    expect(sent).toEqual(['frameworks/f {"status":{"dominantShare":0.5}}']);
    writer.set('tasks', task, { state: 'TASK_RUNNING' });
    clock.advance(30);
    await writer.idle();
    expect(sent).toEqual([
      'frameworks/f {"status":{"dominantShare":0.5}}',
      'tasks/t {"status":{"state":"TASK_RUNNING"}}',
    ]);
    expect(writer.writes).toBe(2);
  });

  it('writes nothing for a status the object already has or that was last written', async () => {
    const { api, sent } = recordingApi();
    const writer = new StatusWriter(api, quiet, new ManualClock(0), 4);
    writer.set('tasks', { ...task, status: { state: 'TASK_RUNNING' } }, { state: 'TASK_RUNNING' });
    writer.set('tasks', task, { state: 'TASK_FINISHED' });
    await writer.idle();
    writer.set('tasks', task, { state: 'TASK_FINISHED' });
    await writer.idle();
    expect(sent).toEqual(['tasks/t {"status":{"state":"TASK_FINISHED"}}']);
  });

  it('retries a write that failed until it lands, with no newer status to prompt it', async () => {
    const clock = new ManualClock(0);
    const { api, sent, calls } = recordingApi([serverError(), serverError()]);
    const writer = new StatusWriter(api, quiet, clock, 4);
    writer.set('tasks', task, { state: 'TASK_RUNNING' });
    await settle();
    expect([calls(), sent]).toEqual([1, []]);
    // First retry after 5 ms fails too; the second after 10 ms more lands.
    clock.advance(5);
    await settle();
    expect([calls(), sent]).toEqual([2, []]);
    clock.advance(9);
    await settle();
    expect(calls()).toBe(2);
    clock.advance(1);
    await writer.idle();
    expect(calls()).toBe(3);
    expect(sent).toEqual(['tasks/t {"status":{"state":"TASK_RUNNING"}}']);
    expect(writer.writes).toBe(1);
  });

  it('takes the echo of a write that failed but landed (a timeout) for its own while it waits to retry', async () => {
    const clock = new ManualClock(0);
    const failures: Error[] = [];
    const { api, calls } = recordingApi(failures);
    const writer = new StatusWriter(api, quiet, clock, 4);
    const staging = { state: 'TASK_STAGING', attempt: 1 };
    writer.set('tasks', task, staging);
    await writer.idle();
    failures.push(new Error('request timed out'));
    const running = { state: 'TASK_RUNNING', attempt: 1 };
    writer.set('tasks', { ...task, status: staging }, running);
    await settle();
    expect(calls()).toBe(2);
    expect(writer.overwritten('tasks', { ...task, status: { attempt: 1, state: 'TASK_RUNNING' } })).toBe(
      false,
    );
    expect(writer.overwritten('tasks', { ...task, status: { attempt: 1, state: 'TASK_FAILED' } })).toBe(true);
  });

  it('takes a version of the object the watch has not moved past its answered write for stale, not foreign', async () => {
    const clock = new ManualClock(0);
    const { api } = recordingApi();
    const writer = new StatusWriter(api, quiet, clock, 4);
    const before = { metadata: { ...task.metadata, resourceVersion: '7' }, status: {} };
    writer.set('tasks', before, { state: 'TASK_STAGING', attempt: 1 });
    await writer.idle();
    // Answered, not yet echoed: the watch still shows the version the write was made from.
    expect(writer.overwritten('tasks', before)).toBe(false);
    const forged = { metadata: { ...task.metadata, resourceVersion: '9' }, status: { state: 'TASK_FAILED' } };
    expect(writer.overwritten('tasks', forged)).toBe(true);
  });

  it('sends the newer status when one supersedes a failing write', async () => {
    const clock = new ManualClock(0);
    const { api, sent, calls } = recordingApi([serverError()]);
    const writer = new StatusWriter(api, quiet, clock, 4);
    writer.set('tasks', task, { state: 'TASK_RUNNING' });
    await settle();
    writer.set('tasks', task, { state: 'TASK_FINISHED' });
    clock.advance(5);
    await writer.idle();
    expect(calls()).toBe(2);
    expect(sent).toEqual(['tasks/t {"status":{"state":"TASK_FINISHED"}}']);
  });

  it('gives up on an object that is gone, and on a status the server refuses', async () => {
    const clock = new ManualClock(0);
    const gone = new ApiException(404, 'not found', '', {});
    const invalid = new ApiException(422, 'invalid', '', {});
    const { api, sent, calls } = recordingApi([gone, invalid]);
    const writer = new StatusWriter(api, quiet, clock, 1);
    writer.set('tasks', task, { state: 'TASK_RUNNING' });
    writer.set('frameworks', framework, { dominantShare: 0.5 });
    await writer.idle();
    clock.advance(120_000);
    await writer.idle();
    expect([calls(), sent]).toEqual([2, []]);
  });
});

describe('StatusWriter and re-created objects', () => {
  it('writes the whole status of an object deleted and created again under the same name', async () => {
    const { api, sent } = recordingApi();
    const writer = new StatusWriter(api, quiet, new ManualClock(0), 4);
    const first = { metadata: { namespace: 'ns', name: 'f', uid: 'u1' }, status: {} };
    writer.set('frameworks', first, { dominantShare: '0.5', frameworkID: 'u1' });
    await writer.idle();
    // The new object has no status yet: everything is written again, not a diff from the old one.
    const again = { metadata: { namespace: 'ns', name: 'f', uid: 'u2' }, status: {} };
    writer.set('frameworks', again, { dominantShare: '0.5', frameworkID: 'u2' });
    await writer.idle();
    expect(sent).toEqual([
      'frameworks/f {"status":{"dominantShare":"0.5","frameworkID":"u1"}}',
      'frameworks/f {"status":{"dominantShare":"0.5","frameworkID":"u2"}}',
    ]);
  });
});
