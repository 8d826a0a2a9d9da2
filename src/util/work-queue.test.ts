import { WorkQueue } from './work-queue.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('WorkQueue', () => {
  it('queues a key once however often it is added', async () => {
    const seen: string[] = [];
    const gate = deferred();
    const q = new WorkQueue<string>(
      1,
      async (k) => {
        seen.push(k);
        await gate.promise;
      },
      () => undefined,
    );
    q.add('a'); // starts at once
    q.add('b');
    q.add('b');
    q.add('c');
    gate.resolve();
    await q.idle();
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('processes a key again when it is added while in flight', async () => {
    const seen: string[] = [];
    const gate = deferred();
    const q = new WorkQueue<string>(
      4,
      async (k) => {
        seen.push(k);
        if (seen.length === 1) await gate.promise;
      },
      () => undefined,
    );
    q.add('a');
    q.add('a'); // in flight: runs once more afterwards
    gate.resolve();
    await q.idle();
    expect(seen).toEqual(['a', 'a']);
  });

  it('never runs more than its concurrency at once, and reports errors per key', async () => {
    let running = 0;
    let peak = 0;
    const errors: string[] = [];
    const q = new WorkQueue<number>(
      3,
      async (k) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setImmediate(r));
        running--;
        if (k % 5 === 0) throw new Error(`boom ${k}`);
      },
      (k, err) => errors.push(`${k}: ${(err as Error).message}`),
    );
    for (let i = 1; i <= 20; i++) q.add(i);
    await q.idle();
    expect(peak).toBe(3);
    expect(errors).toEqual(['5: boom 5', '10: boom 10', '15: boom 15', '20: boom 20']);
  });

  it('starts nothing while paused', async () => {
    let t = 0;
    const seen: string[] = [];
    const q = new WorkQueue<string>(
      1,
      (k) => {
        seen.push(k);
        return Promise.resolve();
      },
      () => undefined,
      () => t,
    );
    q.pause(30);
    q.add('x');
    expect(seen).toEqual([]);
    t = 30;
    await q.idle();
    expect(seen).toEqual(['x']);
  });

  /** A queue that records the keys it processes. */
  function recording(concurrency: number): { q: WorkQueue<string>; seen: string[] } {
    const seen: string[] = [];
    const q = new WorkQueue<string>(
      concurrency,
      async (k) => {
        seen.push(k);
        await Promise.resolve();
      },
      () => undefined,
    );
    return { q, seen };
  }

  it('adds a key after a delay once, merging adds while it waits', async () => {
    const { q, seen } = recording(4);
    q.addAfter('a', 30);
    q.addAfter('a', 30);
    q.addAfter('b', 0);
    await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual(['b']);
    expect(q.length).toBe(1);
    await q.idle();
    expect(seen).toEqual(['b', 'a']);
  });

  it('drops delayed keys when closed', async () => {
    const { q, seen } = recording(1);
    q.addAfter('a', 10);
    q.close();
    await new Promise((r) => setTimeout(r, 30));
    expect(seen).toEqual([]);
    expect(q.length).toBe(0);
  });
});
