/**
 * Outstanding offers. An offer binds one agent's resources to one framework until it is
 * accepted, declined, rescinded or expires; while outstanding its resources count as
 * allocated (so nothing is offered twice). IDs are deterministic: prefix + sequence.
 */
import type { Dense } from '../../resources/vector.js';

export interface OfferRecord {
  readonly offerId: string;
  readonly frameworkId: string;
  readonly agentSlot: number;
  readonly role: string;
  /** Invariant: never mutated; counted in the agent's and the framework's allocation. */
  readonly resources: Dense;
  readonly createdAt: number;
  /** Clock milliseconds, or null for no timeout. */
  readonly expiresAt: number | null;
  /** Creation order, for "newest first" rescinds. */
  readonly seq: number;
}

export class OfferBook {
  /**
   * By sequence number, not by ID string: hashing a fresh string costs more than the rest of
   * making an offer, and an ID maps back to its number (see get()).
   */
  private readonly bySeq = new Map<number, OfferRecord>();
  private seq = 0;

  constructor(private readonly prefix: string) {}

  get size(): number {
    return this.bySeq.size;
  }

  create(fields: Omit<OfferRecord, 'offerId' | 'seq'>): OfferRecord {
    const seq = ++this.seq;
    // Spelled out rather than spread: one allocation of a fixed shape on the hot path.
    const offer: OfferRecord = {
      frameworkId: fields.frameworkId,
      agentSlot: fields.agentSlot,
      role: fields.role,
      resources: fields.resources,
      createdAt: fields.createdAt,
      expiresAt: fields.expiresAt,
      offerId: `${this.prefix}${seq}`,
      seq,
    };
    this.bySeq.set(seq, offer);
    return offer;
  }

  /** The outstanding offer with this ID (prefix + sequence number), if any. */
  get(offerId: string): OfferRecord | undefined {
    if (!offerId.startsWith(this.prefix)) return undefined;
    const o = this.bySeq.get(Number(offerId.slice(this.prefix.length)));
    // The ID must be exactly the one issued ('offer-07' or 'offer-7.0' name no offer).
    return o !== undefined && o.offerId === offerId ? o : undefined;
  }

  /** The outstanding offer with this sequence number, if any. */
  bySequence(seq: number): OfferRecord | undefined {
    return this.bySeq.get(seq);
  }

  delete(offer: OfferRecord): void {
    this.bySeq.delete(offer.seq);
  }

  all(): IterableIterator<OfferRecord> {
    return this.bySeq.values();
  }

  /** Offers whose timeout has passed at `now`, oldest first. */
  expired(now: number): OfferRecord[] {
    const out: OfferRecord[] = [];
    for (const o of this.bySeq.values()) if (o.expiresAt !== null && o.expiresAt <= now) out.push(o);
    return out;
  }
}
