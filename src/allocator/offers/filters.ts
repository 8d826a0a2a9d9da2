/**
 * Offer filters (Mesos' RefusedOfferFilter): a decline becomes a plain value, the refused
 * resources plus an expiry, checked by a predicate. A framework is not offered (or, for a
 * built-in framework, not given) an agent's resources again while a filter covers them.
 */
import { denseContains, type Dense } from '../../resources/vector.js';

/** Mesos' default `Filters.refuse_seconds`. */
export const DEFAULT_REFUSE_SECONDS = 5;

export interface OfferFilter {
  /** Invariant: never mutated after creation (may be shared with the declined offer). */
  readonly refused: Dense;
  /** Clock milliseconds; Infinity for "forever". */
  readonly expiresAt: number;
}

export function makeFilter(refused: Dense, now: number, refuseSeconds: number): OfferFilter | null {
  if (!(refuseSeconds > 0)) return null;
  const expiresAt = now + refuseSeconds * 1000;
  return { refused, expiresAt: Number.isFinite(expiresAt) ? expiresAt : Infinity };
}

/** True while the filter is live and the candidate is no more than what was refused. */
export function filters(filter: OfferFilter, candidate: Dense, now: number): boolean {
  return now < filter.expiresAt && denseContains(filter.refused, candidate);
}

/** One framework's filters, by agent slot. */
export class FilterTable {
  private readonly byAgent = new Map<number, OfferFilter>();

  get size(): number {
    return this.byAgent.size;
  }

  /** A newer decline replaces the older filter for the same agent. */
  set(agentSlot: number, filter: OfferFilter): void {
    this.byAgent.set(agentSlot, filter);
  }

  /** Whether `candidate` on `agentSlot` is filtered now; drops the filter once expired. */
  isFiltered(agentSlot: number, candidate: Dense, now: number): boolean {
    const f = this.byAgent.get(agentSlot);
    if (f === undefined) return false;
    if (now >= f.expiresAt) {
      this.byAgent.delete(agentSlot);
      return false;
    }
    return denseContains(f.refused, candidate);
  }

  deleteAgent(agentSlot: number): void {
    this.byAgent.delete(agentSlot);
  }

  clear(): void {
    this.byAgent.clear();
  }
}
