/**
 * The most recent durations of something that repeats (allocation cycles), and their statistics
 * as Mesos' timer metrics report them: the last value, then count, min, max and percentiles of
 * the window (`allocator/mesos/allocation_run_ms`, `…/count`, `…/p99`).
 */
export interface DurationStats {
  readonly last: number;
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
  readonly p9999: number;
}

/** libprocess keeps this many samples of a timer. */
const DEFAULT_CAPACITY = 1000;

export class DurationWindow {
  /** A ring: samples[next] is the oldest once the window is full. */
  private readonly samples: number[] = [];
  private next = 0;
  private latest: number | undefined;

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  record(ms: number): void {
    this.latest = ms;
    if (this.samples.length < this.capacity) this.samples.push(ms);
    else this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Undefined until the first sample. */
  stats(): DurationStats | undefined {
    if (this.latest === undefined) return undefined;
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (p: number): number => percentile(sorted, p);
    return {
      last: this.latest,
      count: sorted.length,
      min: sorted[0] ?? 0,
      max: sorted[sorted.length - 1] ?? 0,
      p50: at(0.5),
      p90: at(0.9),
      p95: at(0.95),
      p99: at(0.99),
      p999: at(0.999),
      p9999: at(0.9999),
    };
  }
}

/** Linear interpolation between the two nearest ranks, as libprocess' Statistics does. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const low = sorted[lower] ?? 0;
  const high = sorted[Math.min(lower + 1, sorted.length - 1)] ?? low;
  return low + (high - low) * (position - lower);
}
