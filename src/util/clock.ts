/** A scheduled callback; cancel() before it fires stops it (after it fired, it does nothing). */
export interface Timer {
  cancel(): void;
}

/** Time source and timers, injected everywhere time matters, so tests need no sleeps. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once, `ms` from now. */
  after(ms: number, fn: () => void): Timer;
  /** Calls `fn` every `ms` from now on. */
  every(ms: number, fn: () => void): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
  every: (ms, fn) => {
    const t = setInterval(fn, ms);
    return { cancel: () => clearInterval(t) };
  },
};

/** Runs what is queued on the event loop now (promise callbacks, immediates); no wall time passes. */
async function flush(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((r) => setImmediate(r));
}

interface Scheduled {
  due: number;
  seq: number;
  fn: () => void;
  /** Repeat interval, for every(). */
  period?: number;
  cancelled: boolean;
}

/**
 * A clock that moves only when told to. advance() runs the timers that fall due in order of
 * due time (ties in the order they were set), with now() at each one's due time, including
 * timers those callbacks set within the window.
 */
export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: Scheduled[] = [];

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  after(ms: number, fn: () => void): Timer {
    return this.schedule(ms, fn, undefined);
  }

  every(ms: number, fn: () => void): Timer {
    return this.schedule(ms, fn, Math.max(1, ms));
  }

  /** Timers set and not yet fired or cancelled. */
  get pending(): number {
    return this.timers.filter((s) => !s.cancelled).length;
  }

  advance(ms: number): void {
    const end = this.t + ms;
    while (this.fireNext(end));
    this.t = end;
  }

  /**
   * advance() for code that awaits between timers (an API call, then the next timer): lets
   * pending promise callbacks run before each timer and after the last.
   */
  async advanceAsync(ms: number): Promise<void> {
    const end = this.t + ms;
    do await flush();
    while (this.fireNext(end));
    this.t = end;
    await flush();
  }

  /** Runs the next timer due by `end`, at its due time; false when there is none. */
  private fireNext(end: number): boolean {
    const next = this.nextDue(end);
    if (!next) return false;
    this.t = next.due;
    if (next.period === undefined) this.timers = this.timers.filter((s) => s !== next);
    else next.due += next.period;
    next.fn();
    return true;
  }

  private nextDue(end: number): Scheduled | undefined {
    this.timers = this.timers.filter((s) => !s.cancelled);
    let best: Scheduled | undefined;
    for (const s of this.timers) {
      if (s.due > end) continue;
      if (!best || s.due < best.due || (s.due === best.due && s.seq < best.seq)) best = s;
    }
    return best;
  }

  private schedule(ms: number, fn: () => void, period: number | undefined): Timer {
    const s: Scheduled = {
      due: this.t + Math.max(0, ms),
      seq: this.seq++,
      fn,
      cancelled: false,
      ...(period ? { period } : {}),
    };
    this.timers.push(s);
    return { cancel: () => (s.cancelled = true) };
  }
}
