/**
 * A token bucket per key (a framework): `rate` calls a second, bursts up to `burst`. A
 * framework over its rate is answered 429 without its call being looked at, so a runaway
 * scheduler cannot take the operator's time from the others.
 */
export class RateLimiter<K extends object> {
  private readonly buckets = new WeakMap<K, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {}

  /** Takes one token; false when there is none. */
  take(key: K): boolean {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.rate);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
