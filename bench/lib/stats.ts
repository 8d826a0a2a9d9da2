/** Small statistics and Prometheus-text helpers for benchmarks; pure. */

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

/** Nearest-rank percentile (p in [0, 100]) of a sample. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length)));
  return s[rank - 1] ?? 0;
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text exposition format (comments skipped). */
export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1] ?? ''] = l[2] ?? '';
    }
    out.push({ name: m[1] ?? '', labels, value: Number(m[4]) });
  }
  return out;
}

export interface Histogram {
  count: number;
  sum: number;
  /** Cumulative counts by upper bound, ascending (+Inf last). */
  buckets: [number, number][];
}

export function histogram(samples: readonly Sample[], name: string): Histogram {
  const buckets = samples
    .filter((s) => s.name === `${name}_bucket`)
    .map((s): [number, number] => [s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), s.value])
    .sort((a, b) => a[0] - b[0]);
  const one = (suffix: string): number => samples.find((s) => s.name === `${name}_${suffix}`)?.value ?? 0;
  return { count: one('count'), sum: one('sum'), buckets };
}

/** later − earlier, bucket by bucket (a histogram of what happened in between). */
export function histogramDelta(later: Histogram, earlier: Histogram): Histogram {
  return {
    count: later.count - earlier.count,
    sum: later.sum - earlier.sum,
    buckets: later.buckets.map(([le, c]) => [le, c - (earlier.buckets.find((b) => b[0] === le)?.[1] ?? 0)]),
  };
}

/** A quantile estimated by linear interpolation inside the bucket, as PromQL's histogram_quantile. */
export function histogramQuantile(h: Histogram, q: number): number {
  if (h.count <= 0) return 0;
  const rank = q * h.count;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, c] of h.buckets) {
    if (c >= rank) {
      if (le === Infinity) return prevLe;
      return prevLe + ((le - prevLe) * (rank - prevCount)) / Math.max(1, c - prevCount);
    }
    prevLe = le;
    prevCount = c;
  }
  return prevLe;
}

/** Sum of a counter's samples whose labels match `where`. */
export function counterSum(
  samples: readonly Sample[],
  name: string,
  where: Record<string, string> = {},
): number {
  return samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((a, s) => a + s.value, 0);
}

/** Medians over runs of every numeric figure, nested objects included; other values from the first run. */
export function medians<T>(xs: readonly T[]): T | undefined {
  const first = xs[0];
  if (first === undefined) return undefined;
  if (typeof first === 'number') return median(xs as unknown as number[]) as unknown as T;
  if (typeof first !== 'object' || first === null || Array.isArray(first)) return first;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(first)) {
    out[key] = medians(xs.map((x) => (x as Record<string, unknown>)[key]));
  }
  return out as T;
}
