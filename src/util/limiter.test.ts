import { limited } from './limiter.js';

/** A call that resolves or rejects when the test says so. */
function controlled(): {
  fn: (id: number) => Promise<number>;
  started: number[];
  finish: (id: number, fail?: boolean) => Promise<void>;
} {
  const started: number[] = [];
  const pending = new Map<number, { resolve: (v: number) => void; reject: (e: Error) => void }>();
  return {
    started,
    fn: (id) =>
      new Promise<number>((resolve, reject) => {
        started.push(id);
        pending.set(id, { resolve, reject });
      }),
    finish: async (id, fail = false) => {
      const p = pending.get(id);
      if (fail) p?.reject(new Error(`call ${id} failed`));
      else p?.resolve(id * 10);
      // Let the limiter hand the slot on.
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
  };
}

describe('limited', () => {
  it('runs at most N calls at once, the waiting ones in the order they came', async () => {
    const c = controlled();
    const call = limited(2, c.fn);
    const results = [1, 2, 3, 4, 5].map((id) => call(id));
    await Promise.resolve();
    expect(c.started).toEqual([1, 2]);
    await c.finish(2);
    expect(c.started).toEqual([1, 2, 3]);
    await c.finish(1);
    await c.finish(3);
    expect(c.started).toEqual([1, 2, 3, 4, 5]);
    await c.finish(4);
    await c.finish(5);
    await expect(Promise.all(results)).resolves.toEqual([10, 20, 30, 40, 50]);
  });

  it('frees the slot of a call that failed, and passes its error to its caller alone', async () => {
    const c = controlled();
    const call = limited(1, c.fn);
    const first = call(1);
    const second = call(2);
    await Promise.resolve();
    expect(c.started).toEqual([1]);
    await c.finish(1, true);
    await expect(first).rejects.toThrow('call 1 failed');
    expect(c.started).toEqual([1, 2]);
    await c.finish(2);
    await expect(second).resolves.toBe(20);
    // Idle again: the next call starts at once.
    void call(3);
    await Promise.resolve();
    expect(c.started).toEqual([1, 2, 3]);
  });
});
