/**
 * The decisions of Lease-based leader election, as client-go's leaderelection makes them,
 * apart from any I/O so they can be tested with a manual clock.
 *
 * Expiry is judged by when *this* replica last saw the lease record change (observedAt on
 * its own clock), never by the renewTime written by another machine: clocks of two
 * machines need not agree, but durations measured on one clock do.
 */

export interface LeaseRecord {
  holderIdentity: string | undefined;
  leaseDurationSeconds: number | undefined;
  acquireTime: string | undefined;
  renewTime: string | undefined;
  leaseTransitions: number | undefined;
}

export interface Observation {
  /** The record as last read, compared whole to notice renewals. */
  record: LeaseRecord;
  /** Our clock when that record was first seen in this form. */
  observedAt: number;
}

export type Decision =
  | { action: 'create'; record: LeaseRecord }
  | { action: 'update'; record: LeaseRecord }
  | { action: 'wait'; holder: string };

function sameRecord(a: LeaseRecord, b: LeaseRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.renewTime === b.renewTime &&
    a.acquireTime === b.acquireTime &&
    a.leaseTransitions === b.leaseTransitions &&
    a.leaseDurationSeconds === b.leaseDurationSeconds
  );
}

/** Keeps the time of the first sighting of a record, resets it when the record changed. */
export function observe(prev: Observation | undefined, record: LeaseRecord, now: number): Observation {
  return prev && sameRecord(prev.record, record) ? prev : { record, observedAt: now };
}

/**
 * What to do with the lease: create it when there is none, take or renew it when it is
 * ours, free (empty holder) or expired, otherwise wait for the holder.
 */
export function decide(
  current: Observation | undefined,
  identity: string,
  leaseDurationSeconds: number,
  now: number,
): Decision {
  const nowIso = new Date(now).toISOString();
  if (!current) {
    return {
      action: 'create',
      record: {
        holderIdentity: identity,
        leaseDurationSeconds,
        acquireTime: nowIso,
        renewTime: nowIso,
        leaseTransitions: 0,
      },
    };
  }
  const r = current.record;
  const holder = r.holderIdentity ?? '';
  const duration = (r.leaseDurationSeconds ?? leaseDurationSeconds) * 1000;
  const held = holder !== '' && holder !== identity;
  if (held && current.observedAt + duration > now) return { action: 'wait', holder };
  const ours = holder === identity;
  return {
    action: 'update',
    record: {
      holderIdentity: identity,
      leaseDurationSeconds,
      acquireTime: ours ? (r.acquireTime ?? nowIso) : nowIso,
      renewTime: nowIso,
      leaseTransitions: ours ? (r.leaseTransitions ?? 0) : (r.leaseTransitions ?? 0) + 1,
    },
  };
}
