/** The timers a cycle runner needs (the injected clock provides them). */
export interface CycleTimers {
  after(ms: number, fn: () => void): { cancel(): void };
}

export interface CycleRunnerOptions {
  timers: CycleTimers;
  /** How long events are batched before the cycle they ask for runs. */
  batchWindowMs: number;
  /** Longest time between full cycles. */
  intervalMs: number;
  /** One cycle; full cycles look at everything, event cycles at what changed. */
  run: (full: boolean) => void;
  /** A cycle threw: reported, and the next cycle runs as planned. */
  failed: (err: unknown) => void;
}

/**
 * When cycles run: a full one at start and then `intervalMs` after each full one ends, and an
 * event-driven one `batchWindowMs` after the first of a batch of requests. A request made
 * while a cycle runs (by something the cycle itself did) runs one more cycle right after it,
 * full if any such request was; requests never pile up into more than one.
 *
 *   stopped ──start()──▶ idle ◀──────────── cycle ends ──┐
 *                         │ request(): batch timer          │
 *                         └──▶ batching ──timer──▶ running ─┘ (again? → one more, at once)
 */
export class CycleRunner {
  private started = false;
  private running = false;
  private again: boolean | undefined;
  private batchTimer: { cancel(): void } | undefined;
  private fullTimer: { cancel(): void } | undefined;
  cycles = 0;

  constructor(private readonly options: CycleRunnerOptions) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.tick();
  }

  stop(): void {
    this.started = false;
    this.batchTimer?.cancel();
    this.fullTimer?.cancel();
    this.batchTimer = undefined;
    this.fullTimer = undefined;
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** Something changed: an event-driven cycle runs once the batch window closes. */
  request(): void {
    if (!this.started) return;
    if (this.running) {
      this.again ??= false;
      return;
    }
    if (this.batchTimer) return;
    this.batchTimer = this.options.timers.after(this.options.batchWindowMs, () => {
      this.batchTimer = undefined;
      this.runNow(false);
    });
  }

  /** Runs a cycle now (or right after the one running). */
  runNow(full: boolean): void {
    if (!this.started) return;
    if (this.running) {
      this.again = (this.again ?? false) || full;
      return;
    }
    this.running = true;
    try {
      this.cycles++;
      this.options.run(full);
    } catch (err) {
      this.options.failed(err);
    } finally {
      this.running = false;
    }
    const again = this.again;
    this.again = undefined;
    if (again !== undefined) this.options.timers.after(0, () => this.runNow(again));
  }

  private tick(): void {
    if (!this.started) return;
    this.runNow(true);
    this.fullTimer = this.options.timers.after(this.options.intervalMs, () => this.tick());
  }
}
