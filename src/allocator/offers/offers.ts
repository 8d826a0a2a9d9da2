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
  private readonly byId = new Map<string, OfferRecord>();
  private seq = 0;

  constructor(private readonly prefix: string) {}

  get size(): number {
    return this.byId.size;
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
    this.byId.set(offer.offerId, offer);
    return offer;
  }

  get(offerId: string): OfferRecord | undefined {
    return this.byId.get(offerId);
  }

  delete(offerId: string): void {
    this.byId.delete(offerId);
  }

  all(): IterableIterator<OfferRecord> {
    return this.byId.values();
  }

  /** Offers whose timeout has passed at `now`, oldest first. */
  expired(now: number): OfferRecord[] {
    const out: OfferRecord[] = [];
    for (const o of this.byId.values()) if (o.expiresAt !== null && o.expiresAt <= now) out.push(o);
    return out;
  }
}
