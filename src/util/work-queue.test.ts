import { ManualClock } from './clock.js';
import { WorkQueue, type FailureClass, type WorkQueueOptions } from './work-queue.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets the workers' promise callbacks run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Errors carry their class in the message: "retry", "drop", "throttled:<ms>". */
function classify(err: unknown): FailureClass {
  const m = err instanceof Error ? err.message : '';
  if (m.startsWith('throttled:')) return { kind: 'throttled', retryAfterMs: Number(m.slice(10)) };
  if (m === 'drop') return { kind: 'drop', reason: 'invalid' };
  return { kind: 'retry' };
}

interface Recording<K> {
  q: WorkQueue<K>;
  clock: ManualClock;
  seen: K[];
  drops: string[];
  retries: string[];
}

function queue<K>(
  worker: (k: K) => Promise<void>,
  over: Partial<WorkQueueOptions<K>> = {},
): Recording<K> & { seen: K[] } {
  const clock = new ManualClock(0);
  const seen: K[] = [];
  const drops: string[] = [];
  const retries: string[] = [];
  const q = new WorkQueue<K>({
    concurrency: 1,
    worker: async (k) => {
      seen.push(k);
      await worker(k);
    },
    clock,
    classify,
    backoff: (n) => Math.min(100, 10 * 2 ** (n - 1)),
    onDrop: (k, err, f) => drops.push(`${String(k)}: ${(err as Error).message} (${f.reason})`),
    onRetry: (k, _err, ms, f) => retries.push(`${String(k)} ${f.kind} in ${ms}`),
    ...over,
  });
  return { q, clock, seen, drops, retries };
}

const ok = (): Promise<void> => Promise.resolve();

describe('WorkQueue', () => {
  it('queues a key once however often it is added', async () => {
    const gate = deferred();
    const { q, seen } = queue<string>(() => gate.promise);
    q.add('a'); // starts at once
    q.add('b');
    q.add('b');
    q.add('c');
    gate.resolve();
    await q.idle();
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('processes a key again when it is added while in flight', async () => {
    const gate = deferred();
    let first = true;
    const { q, seen } = queue<string>(
      async () => {
        if (!first) return;
        first = false;
        await gate.promise;
      },
      { concurrency: 4 },
    );
    q.add('a');
    q.add('a'); // in flight: runs once more afterwards
    gate.resolve();
    await q.idle();
    expect(seen).toEqual(['a', 'a']);
  });

  it('never runs more than its concurrency at once', async () => {
    let running = 0;
    let peak = 0;
    const { q } = queue<number>(
      async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setImmediate(r));
        running--;
      },
      { concurrency: 3 },
    );
    for (let i = 1; i <= 20; i++) q.add(i);
    await q.idle();
    expect(peak).toBe(3);
  });

  it('retries a failing key with its own doubling backoff, capped, and forgets it on success', async () => {
    let failures = 5;
    const { q, clock, seen, retries, drops } = queue<string>(() => {
      if (failures-- > 0) return Promise.reject(new Error('retry'));
      return Promise.resolve();
    });
    q.add('a');
    await settle();
    // 10, 20, 40, 80, then 100 (the cap).
    for (const ms of [10, 20, 40, 80, 100]) {
      clock.advance(ms - 1);
      await settle();
      const before = seen.length;
      clock.advance(1);
      await settle();
      expect(seen.length).toBe(before + 1);
    }
    expect(retries).toEqual([
      'a retry in 10',
      'a retry in 20',
      'a retry in 40',
      'a retry in 80',
      'a retry in 100',
    ]);
    expect(q.failuresOf('a')).toBe(0);
    expect(drops).toEqual([]);
    await q.idle();
    expect(seen).toHaveLength(6);
  });

  it('drops what cannot succeed, once, and reports it', async () => {
    const { q, clock, seen, drops, retries } = queue<string>(() => Promise.reject(new Error('drop')));
    q.add('a');
    await q.idle();
    clock.advance(10_000);
    await settle();
    expect(seen).toEqual(['a']);
    expect(drops).toEqual(['a: drop (invalid)']);
    expect(retries).toEqual([]);
  });

  it('pauses the whole queue when throttled, then retries the key first', async () => {
    let throttle = true;
    const { q, clock, seen, retries } = queue<string>((k) => {
      if (k === 'a' && throttle) {
        throttle = false;
        return Promise.reject(new Error('throttled:30'));
      }
      return ok();
    });
    q.add('a');
    await settle();
    q.add('b');
    await settle();
    clock.advance(29);
    await settle();
    // Nothing starts while paused, not even another key.
    expect(seen).toEqual(['a']);
    clock.advance(1);
    await q.idle();
    expect(seen).toEqual(['a', 'a', 'b']);
    expect(retries).toEqual(['a throttled in 30']);
    expect(q.failuresOf('a')).toBe(0);
  });

  it('starts nothing while paused', async () => {
    const { q, clock, seen } = queue<string>(ok);
    q.pause(30);
    q.add('x');
    await settle();
    expect(seen).toEqual([]);
    clock.advance(30);
    await q.idle();
    expect(seen).toEqual(['x']);
  });

  it('adds a key after a delay once, merging adds while it waits', async () => {
    const { q, clock, seen } = queue<string>(ok, { concurrency: 4 });
    q.addAfter('a', 30);
    q.addAfter('a', 30);
    q.addAfter('b', 0);
    await settle();
    expect(seen).toEqual(['b']);
    expect(q.length).toBe(1);
    clock.advance(30);
    await q.idle();
    expect(seen).toEqual(['b', 'a']);
  });

  it('drops delayed keys when closed, and idle() resolves', async () => {
    const { q, clock, seen } = queue<string>(ok);
    q.addAfter('a', 10);
    const idle = q.idle();
    q.close();
    await idle;
    clock.advance(30);
    await settle();
    expect(seen).toEqual([]);
    expect(q.length).toBe(0);
    expect(clock.pending).toBe(0);
  });
});
