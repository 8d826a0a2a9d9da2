/**
 * Resource vectors with exact integer arithmetic.
 *
 * `Resources` is the public, readable form: a map from Kubernetes resource name to an
 * integer amount (cpu in millicores, memory / ephemeral-storage / hugepages in bytes,
 * extended resources such as `nvidia.com/gpu` as counts). A missing name means zero.
 *
 * `Dense` is the allocator's hot-path form: a plain array indexed by a `ResourceIndex`
 * slot, where slots beyond the array's length are zero. Plain arrays of small integers stay
 * exact (every value is a safe integer) and V8 keeps them unboxed.
 */
import { QuantityError, parseQuantity, formatQuantity } from './quantity.js';

/** Invariant: every value is a safe integer (non-negative unless documented otherwise). */
export type Resources = Readonly<Record<string, number>>;

/** A mutable dense vector; index = ResourceIndex slot; missing trailing slots are zero. */
export type Dense = number[];

export const CPU = 'cpu';
export const MEMORY = 'memory';
export const EPHEMERAL_STORAGE = 'ephemeral-storage';

/** Parses a Kubernetes resource list (`{cpu: '500m', memory: '1Gi'}`; int-or-string values) exactly. */
export function parseResourceList(list: Readonly<Record<string, string | number>> | undefined): Resources {
  const out: Record<string, number> = {};
  if (!list) return out;
  for (const [name, value] of Object.entries(list)) {
    const n = parseQuantity(name, value);
    if (n < 0) throw new QuantityError(name, String(value), 'must not be negative');
    if (n !== 0) out[name] = n;
  }
  return out;
}

/** a + b */
export function add(a: Resources, b: Resources): Resources {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return normalize(out);
}

/** a − b, floored at zero per resource (free capacity never goes negative). */
export function subtractClamped(a: Resources, b: Resources): Resources {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = Math.max((out[k] ?? 0) - v, 0);
  return normalize(out);
}

/** Per-resource maximum. */
export function max(a: Resources, b: Resources): Resources {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = Math.max(out[k] ?? 0, v);
  return normalize(out);
}

/** True when `a` holds at least `b` of every resource. */
export function contains(a: Resources, b: Resources): boolean {
  for (const [k, v] of Object.entries(b)) {
    if ((a[k] ?? 0) < v) return false;
  }
  return true;
}

/** True when no resource has a non-zero amount. */
export function isEmpty(a: Resources): boolean {
  for (const v of Object.values(a)) if (v !== 0) return false;
  return true;
}

/** Equality with missing = zero. */
export function equals(a: Resources, b: Resources): boolean {
  return contains(a, b) && contains(b, a);
}

/** Drops zero entries so equal vectors print alike. */
export function normalize(a: Record<string, number>): Resources {
  for (const k of Object.keys(a)) if (a[k] === 0) delete a[k];
  return a;
}

/** Human form for messages: `cpu=1500m, memory=2Gi`. */
export function formatResources(a: Resources): string {
  const parts = Object.keys(a)
    .sort()
    .filter((k) => a[k] !== 0)
    .map((k) => `${k}=${formatQuantity(k, a[k] ?? 0)}`);
  return parts.length === 0 ? '(none)' : parts.join(', ');
}

/**
 * Interns resource names into dense slots. One per Allocator (no module-level state);
 * slots only grow, so a Dense built earlier stays valid (its missing slots read as zero).
 */
export class ResourceIndex {
  private readonly slots = new Map<string, number>();
  private readonly names: string[] = [];
  /** toDense()'s work vector; only its first n slots (per call) mean anything. */
  private readonly scratch: Dense = [];

  /** `onIntern` hears of each new slot (to classify names as they appear). */
  constructor(private readonly onIntern: ((name: string, slot: number) => void) | null = null) {}

  get size(): number {
    return this.names.length;
  }

  /** The slot of `name`, interning it if new. */
  slot(name: string): number {
    let s = this.slots.get(name);
    if (s === undefined) {
      s = this.names.length;
      this.slots.set(name, s);
      this.names.push(name);
      this.onIntern?.(name, s);
    }
    return s;
  }

  /** The slot of `name`, or -1 when never seen. */
  peek(name: string): number {
    return this.slots.get(name) ?? -1;
  }

  name(slot: number): string {
    const n = this.names[slot];
    if (n === undefined) throw new RangeError(`no resource in slot ${slot}`);
    return n;
  }

  toDense(r: Resources): Dense {
    // Built in a reused scratch vector and copied out at its exact length: growing a fresh
    // array by push() allocates several times the vector's size, per task.
    const d = this.scratch;
    let n = 0;
    for (const k in r) {
      const v = r[k] ?? 0;
      if (v === 0) continue;
      const s = this.slot(k);
      while (n <= s) d[n++] = 0;
      d[s] = v;
    }
    return d.slice(0, n);
  }

  /**
   * `r` as a Dense when every amount is a non-negative safe integer and every name already has
   * a slot, else null. Interns nothing: a caller that must reject the vector leaves no trace.
   * Returns `same` itself when it holds exactly these amounts, so callers can share one vector.
   */
  knownDense(r: Resources, same: Dense | null = null): Dense | null {
    // Object.keys rather than for-in: V8 deoptimizes a for-in's keyed load again and again
    // when the objects differ in shape (small and large amounts are stored differently).
    const names = Object.keys(r);
    const d = this.scratch;
    let n = 0;
    for (let i = 0; i < names.length; i++) {
      const k = names[i] as string;
      const v = r[k];
      if (!Number.isSafeInteger(v) || (v as number) < 0) return null;
      if (v === 0) continue;
      const s = this.slots.get(k);
      if (s === undefined) return null;
      while (n <= s) d[n++] = 0;
      d[s] = v as number;
    }
    if (same !== null && sameAs(same, d, n)) return same;
    return d.slice(0, n);
  }

  toResources(d: Dense): Resources {
    const out: Record<string, number> = {};
    for (let i = 0; i < d.length; i++) {
      const v = d[i] ?? 0;
      if (v !== 0) out[this.name(i)] = v;
    }
    return out;
  }
}

/** True when `a` is exactly the first n slots of `d`. */
function sameAs(a: Dense, d: Dense, n: number): boolean {
  if (a.length !== n) return false;
  for (let i = 0; i < n; i++) if (a[i] !== d[i]) return false;
  return true;
}

// ---- Dense operations (hot path). Missing slots read as zero. ----

/** a += b */
export function addInto(a: Dense, b: Dense): void {
  while (a.length < b.length) a.push(0);
  for (let i = 0; i < b.length; i++) a[i] = (a[i] ?? 0) + (b[i] ?? 0);
}

/** a −= b */
export function subInto(a: Dense, b: Dense): void {
  while (a.length < b.length) a.push(0);
  for (let i = 0; i < b.length; i++) a[i] = (a[i] ?? 0) - (b[i] ?? 0);
}

/** True when a ≥ b in every slot. */
export function denseContains(a: Dense, b: Dense): boolean {
  for (let i = 0; i < b.length; i++) {
    if ((a[i] ?? 0) < (b[i] ?? 0)) return false;
  }
  return true;
}

export function denseIsZero(a: Dense): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return false;
  return true;
}

/** True when any slot is negative (a broken invariant for free capacity). */
export function denseHasNegative(a: Dense): boolean {
  for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) < 0) return true;
  return false;
}

/** max(a − b, 0) as a new vector. */
export function denseSubClamped(a: Dense, b: Dense): Dense {
  const n = Math.max(a.length, b.length);
  const out: Dense = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = Math.max((a[i] ?? 0) - (b[i] ?? 0), 0);
  return out;
}

/** Per-slot minimum, as a new vector. */
export function denseMin(a: Dense, b: Dense): Dense {
  const n = Math.max(a.length, b.length);
  const out: Dense = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = Math.min(a[i] ?? 0, b[i] ?? 0);
  return out;
}

export function denseEquals(a: Dense, b: Dense): boolean {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return false;
  return true;
}
