import type { TaskStatus } from '../mesos/types/v1.js';
import { UpdateStreams } from './update-streams.js';

const update = (state: TaskStatus['state'], byte: number): TaskStatus => ({
  task_id: { value: 't' },
  state,
  uuid: new Uint8Array(16).fill(byte),
});
const streams = (): UpdateStreams => new UpdateStreams({ minMs: 10_000, maxMs: 40_000 });

describe('UpdateStreams', () => {
  it('sends a task’s next update only once the one before is acknowledged', () => {
    const u = streams();
    const running = update('TASK_RUNNING', 1);
    const finished = update('TASK_FINISHED', 2);
    expect(u.push('fw', 'ns/t', running, 0)).toBe(running);
    expect(u.push('fw', 'ns/t', finished, 0)).toBeUndefined();
    expect(u.heads('fw', 0)).toEqual([running]);
    // An acknowledgement of another uuid changes nothing.
    expect(u.acknowledge('ns/t', new Uint8Array(16).fill(9), 0)).toEqual({ matched: false });
    expect(u.holds('ns/t', new Uint8Array(16).fill(2))).toBe(true);
    expect(u.acknowledge('ns/t', new Uint8Array(16).fill(1), 0)).toEqual({
      matched: true,
      acked: running,
      next: finished,
    });
    expect(u.heads('fw', 0)).toEqual([finished]);
    expect(u.acknowledge('ns/t', new Uint8Array(16).fill(2), 0)).toEqual({ matched: true, acked: finished });
    expect(u.holds('ns/t', new Uint8Array(16).fill(2))).toBe(false);
    expect(u.heads('fw', 0)).toEqual([]);
    expect(u.pending('ns/t')).toEqual([]);
  });

  it('keeps streams per task and per framework, and forgets a removed framework’s', () => {
    const u = streams();
    u.push('fw1', 'ns/a', update('TASK_RUNNING', 1), 0);
    u.push('fw1', 'ns/b', update('TASK_RUNNING', 2), 0);
    u.push('fw2', 'ns/c', update('TASK_RUNNING', 3), 0);
    expect(u.heads('fw1', 0)).toHaveLength(2);
    u.forgetFramework('fw1');
    expect(u.heads('fw1', 0)).toEqual([]);
    expect(u.heads('fw2', 0)).toHaveLength(1);
  });

  // Sent at 0 (min 10 s, max 40 s): due at 10, then 30 (wait 20), 70 (40), 110 (40, capped).
  it.each([
    { at: [9_999], due: [0] },
    { at: [10_000], due: [1] },
    { at: [10_000, 29_999], due: [1, 0] },
    { at: [10_000, 30_000], due: [1, 1] },
    { at: [10_000, 30_000, 70_000, 109_999, 110_000], due: [1, 1, 1, 0, 1] },
  ])('resends an unacknowledged head with a doubling wait: checked at $at', ({ at, due }) => {
    const u = streams();
    u.push('fw', 'ns/t', update('TASK_RUNNING', 1), 0);
    expect(at.map((t) => u.due('fw', t).length)).toEqual(due);
  });

  it('starts the wait again when the head is sent for another reason', () => {
    const u = streams();
    u.push('fw', 'ns/t', update('TASK_RUNNING', 1), 0);
    u.push('fw', 'ns/t', update('TASK_FINISHED', 2), 0);
    // A resubscription at 8 s sends every head: the next resend is 10 s after that.
    expect(u.heads('fw', 8_000)).toHaveLength(1);
    expect(u.due('fw', 10_000)).toEqual([]);
    expect(u.due('fw', 18_000)).toHaveLength(1);
    // The next update, sent on the acknowledgement at 25 s, waits the minimum again.
    expect(u.acknowledge('ns/t', new Uint8Array(16).fill(1), 25_000).next?.state).toBe('TASK_FINISHED');
    expect(u.due('fw', 34_999)).toEqual([]);
    expect(u.due('fw', 35_000)).toHaveLength(1);
  });
});
