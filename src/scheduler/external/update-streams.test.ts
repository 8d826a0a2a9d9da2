import type { TaskStatus } from '../mesos/types/v1.js';
import { UpdateStreams } from './update-streams.js';

const update = (state: TaskStatus['state'], byte: number): TaskStatus => ({
  task_id: { value: 't' },
  state,
  uuid: new Uint8Array(16).fill(byte),
});

describe('UpdateStreams', () => {
  it('sends a task’s next update only once the one before is acknowledged', () => {
    const u = new UpdateStreams();
    const running = update('TASK_RUNNING', 1);
    const finished = update('TASK_FINISHED', 2);
    expect(u.push('fw', 'ns/t', running)).toBe(running);
    expect(u.push('fw', 'ns/t', finished)).toBeUndefined();
    expect(u.heads('fw')).toEqual([running]);
    // An acknowledgement of another uuid changes nothing.
    expect(u.acknowledge('ns/t', new Uint8Array(16).fill(9))).toEqual({ matched: false });
    expect(u.acknowledge('ns/t', new Uint8Array(16).fill(1))).toEqual({ matched: true, next: finished });
    expect(u.heads('fw')).toEqual([finished]);
    expect(u.acknowledge('ns/t', new Uint8Array(16).fill(2))).toEqual({ matched: true });
    expect(u.heads('fw')).toEqual([]);
    expect(u.pending('ns/t')).toEqual([]);
  });

  it('keeps streams per task and per framework, and forgets a removed framework’s', () => {
    const u = new UpdateStreams();
    u.push('fw1', 'ns/a', update('TASK_RUNNING', 1));
    u.push('fw1', 'ns/b', update('TASK_RUNNING', 2));
    u.push('fw2', 'ns/c', update('TASK_RUNNING', 3));
    expect(u.heads('fw1')).toHaveLength(2);
    u.forgetFramework('fw1');
    expect(u.heads('fw1')).toEqual([]);
    expect(u.heads('fw2')).toHaveLength(1);
  });
});
