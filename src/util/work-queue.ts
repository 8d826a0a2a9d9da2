/** Work in flight at once: a number, or a function read before each start (to yield to other work). */
export type Concurrency = number | (() => number);

/**
 * A keyed work queue with bounded concurrency, in the manner of client-go's workqueue: a key
 * added while already queued is queued once; a key added while it is being processed is
 * processed again afterwards (so the latest state always wins); a key can be added after a
 * delay (client-go's AddAfter); the whole queue can be paused, as a 429 with Retry-After asks.
 */
export class WorkQueue<K> {
  private readonly queued = new Set<K>();
  private readonly order: K[] = [];
  private readonly active = new Set<K>();
  private readonly dirtyWhileActive = new Set<K>();
  private readonly delayed = new Map<K, NodeJS.Timeout>();
  private pausedUntil = 0;
  private wakeTimer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly concurrency: Concurrency,
    private readonly worker: (key: K) => Promise<void>,
    private readonly onError: (key: K, err: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  add(key: K): void {
    if (this.closed) return;
    if (this.active.has(key)) {
      this.dirtyWhileActive.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.order.push(key);
    this.pump();
  }

  /** Adds the key after `ms`; a key already waiting or queued keeps its place. */
  addAfter(key: K, ms: number): void {
    if (this.closed) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    if (this.delayed.has(key) || this.queued.has(key)) return;
    this.delayed.set(
      key,
      setTimeout(() => {
        this.delayed.delete(key);
        this.add(key);
      }, ms),
    );
  }

  /** Stops starting work for `ms` (work in flight finishes). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  get length(): number {
    return this.order.length + this.active.size + this.delayed.size;
  }

  /** Resolves when nothing is queued or in flight. */
  async idle(): Promise<void> {
    if (this.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.wakeTimer);
    for (const t of this.delayed.values()) clearTimeout(t);
    this.delayed.clear();
    this.order.length = 0;
    this.queued.clear();
  }

  private pump(): void {
    const wait = this.pausedUntil - this.now();
    if (wait > 0) {
      if (!this.wakeTimer) {
        this.wakeTimer = setTimeout(() => {
          this.wakeTimer = undefined;
          this.pump();
        }, wait);
      }
      return;
    }
    const limit = typeof this.concurrency === 'number' ? this.concurrency : Math.max(1, this.concurrency());
    while (this.active.size < limit && this.order.length > 0) {
      const key = this.order.shift() as K;
      this.queued.delete(key);
      this.active.add(key);
      void this.run(key);
    }
    if (this.length === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((w) => w());
    }
  }

  private async run(key: K): Promise<void> {
    try {
      await this.worker(key);
    } catch (err) {
      this.onError(key, err);
    } finally {
      this.active.delete(key);
      if (this.dirtyWhileActive.delete(key)) this.add(key);
      this.pump();
    }
  }
}
