import type { CustomObjectsApi } from '@kubernetes/client-node';
import { Writable } from 'node:stream';
import { createLogger } from '../logging/logger.js';
import { StatusWriter } from './status-writer.js';

const quiet = createLogger({
  level: 'error',
  stream: new Writable({ write: (_c, _e, done): void => done() }),
});

/** Records the status patches a StatusWriter sends, as `<plural>/<name> <patch>`. */
function recordingApi(): { api: CustomObjectsApi; sent: string[] } {
  const sent: string[] = [];
  const record = async (p: { plural: string; name: string; body: unknown }): Promise<object> => {
    sent.push(`${p.plural}/${p.name} ${JSON.stringify(p.body)}`);
    return Promise.resolve({});
  };
  const api = {
    patchNamespacedCustomObjectStatus: record,
    patchClusterCustomObjectStatus: record,
  } as unknown as CustomObjectsApi;
  return { api, sent };
}

const task = { metadata: { namespace: 'ns', name: 't' }, status: {} };
const framework = { metadata: { namespace: 'ns', name: 'f' }, status: {} };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('StatusWriter', () => {
  it('holds a delayed kind back, so changes in quick succession share one patch', async () => {
    const { api, sent } = recordingApi();
    const writer = new StatusWriter(api, quiet, 4, { tasks: 40 });
    writer.set('tasks', task, { state: 'TASK_STAGING' });
    writer.set('frameworks', framework, { dominantShare: 0.5 });
    await sleep(10);
    // Kinds without a delay go at once; the task waits.
    expect(sent).toEqual(['frameworks/f {"status":{"dominantShare":0.5}}']);
    writer.set('tasks', task, { state: 'TASK_RUNNING' });
    await writer.idle();
    expect(sent).toEqual([
      'frameworks/f {"status":{"dominantShare":0.5}}',
      'tasks/t {"status":{"state":"TASK_RUNNING"}}',
    ]);
    expect(writer.writes).toBe(2);
  });

  it('writes nothing for a status the object already has or that was last written', async () => {
    const { api, sent } = recordingApi();
    const writer = new StatusWriter(api, quiet, 4);
    writer.set('tasks', { ...task, status: { state: 'TASK_RUNNING' } }, { state: 'TASK_RUNNING' });
    writer.set('tasks', task, { state: 'TASK_FINISHED' });
    await writer.idle();
    writer.set('tasks', task, { state: 'TASK_FINISHED' });
    await writer.idle();
    expect(sent).toEqual(['tasks/t {"status":{"state":"TASK_FINISHED"}}']);
  });
});
