import type { Clock, Timer } from './clock.js';

/** Work in flight at once: a number, or a function read before each start (to yield to other work). */
export type Concurrency = number | (() => number);

/** How a failed key is handled (see kube/failure-policy.ts, the one place that decides it for API calls). */
export type FailureClass =
  { kind: 'throttled'; retryAfterMs: number } | { kind: 'retry' } | { kind: 'drop'; reason: string };

export interface WorkQueueOptions<K> {
  concurrency: Concurrency;
  worker: (key: K) => Promise<void>;
  clock: Clock;
  /** What a worker's error means. */
  classify: (err: unknown) => FailureClass;
  /** The delay before retry number `failures` of a key. */
  backoff: (failures: number) => number;
  /** A failure that will not be tried again: the caller decides what it means for the key. */
  onDrop?: (key: K, err: unknown, failure: Extract<FailureClass, { kind: 'drop' }>) => void;
  /** A failure that will be tried again after `delayMs` (for logs and metrics). */
  onRetry?: (key: K, err: unknown, delayMs: number, failure: FailureClass) => void;
}

/**
 * A keyed work queue with bounded concurrency, in the manner of client-go's rate-limited
 * workqueue: a key added while already queued is queued once; a key added while it is being
 * processed is processed again afterwards (so the latest state always wins); a key can be added
 * after a delay (AddAfter). A failed key is retried by the queue itself: after its own
 * exponential backoff (forgotten on success), or, when the server throttles, after pausing the
 * whole queue for the Retry-After; a key that cannot succeed is dropped and reported.
 */
export class WorkQueue<K> {
  private readonly queued = new Set<K>();
  private readonly order: K[] = [];
  private readonly active = new Set<K>();
  private readonly dirtyWhileActive = new Set<K>();
  private readonly delayed = new Map<K, Timer>();
  private readonly failures = new Map<K, number>();
  private pausedUntil = 0;
  private wakeTimer: Timer | undefined;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: WorkQueueOptions<K>) {}

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
      this.options.clock.after(ms, () => {
        this.delayed.delete(key);
        this.add(key);
      }),
    );
  }

  /** Stops starting work for `ms` (work in flight finishes). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.options.clock.now() + ms);
  }

  /** Failures of a key since its last success. */
  failuresOf(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  get length(): number {
    return this.order.length + this.active.size + this.delayed.size;
  }

  /** Resolves when nothing is queued, waiting or in flight. */
  async idle(): Promise<void> {
    if (this.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    this.wakeTimer?.cancel();
    for (const t of this.delayed.values()) t.cancel();
    this.delayed.clear();
    this.order.length = 0;
    this.queued.clear();
    this.notifyIdle();
  }

  private pump(): void {
    const wait = this.pausedUntil - this.options.clock.now();
    if (wait > 0) {
      this.wakeTimer ??= this.options.clock.after(wait, () => {
        this.wakeTimer = undefined;
        this.pump();
      });
      return;
    }
    const { concurrency } = this.options;
    const limit = typeof concurrency === 'number' ? concurrency : Math.max(1, concurrency());
    while (this.active.size < limit && this.order.length > 0) {
      const key = this.order.shift() as K;
      this.queued.delete(key);
      this.active.add(key);
      void this.run(key);
    }
    if (this.length === 0) this.notifyIdle();
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((w) => w());
  }

  private async run(key: K): Promise<void> {
    try {
      await this.options.worker(key);
      this.failures.delete(key);
    } catch (err) {
      this.failed(key, err);
    } finally {
      this.active.delete(key);
      if (this.dirtyWhileActive.delete(key)) this.add(key);
      this.pump();
    }
  }

  private failed(key: K, err: unknown): void {
    const failure = this.options.classify(err);
    if (failure.kind === 'drop') {
      this.failures.delete(key);
      this.options.onDrop?.(key, err, failure);
      return;
    }
    if (failure.kind === 'throttled') {
      this.options.onRetry?.(key, err, failure.retryAfterMs, failure);
      this.pause(failure.retryAfterMs);
      this.dirtyWhileActive.add(key);
      return;
    }
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    const delay = this.options.backoff(n);
    this.options.onRetry?.(key, err, delay, failure);
    // A newer add while this one ran is folded into the retry.
    this.dirtyWhileActive.delete(key);
    this.addAfter(key, delay);
  }
}
