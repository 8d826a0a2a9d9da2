import type { Offer, Rescind } from '../allocator/index.js';
import type { LaunchLedger } from '../launcher/ledger.js';
import type { SchedulerDecisions, WaitingDecision } from '../scheduler/types.js';
import type { OfferOutcome } from './cycle-report.js';

/** Where a framework scheduler's decisions are carried out. */
export interface DecisionTargets {
  ledger: Pick<LaunchLedger, 'place'>;
  launcher: { launch(podKey: string): void; killPod(podKey: string, gracePeriodSeconds: number): void };
  allocator: {
    outstandingOffers(): readonly Offer[];
    decline(offerId: string, refuseSeconds?: number): boolean;
  };
  waiting: (decisions: readonly WaitingDecision[]) => void;
  offersEnded?: (frameworkKey: string, outcome: OfferOutcome, count: number) => void;
}

/**
 * Carries out one scheduler's decisions: launches enter the ledger and go to the launcher (each
 * an offer accepted), declines install the allocator's filters, kills go to the launcher, and
 * what waits goes back to the task controller. Returns how many tasks were launched; counts the
 * unplaced ones (those with a reason) per framework into `unplaced`.
 */
export function applyDecisions(
  d: SchedulerDecisions,
  t: DecisionTargets,
  unplaced: Map<string, number>,
): number {
  for (const l of d.launches) {
    t.ledger.place(l);
    t.launcher.launch(l.podKey);
    t.offersEnded?.(l.frameworkKey, 'accepted', 1);
  }
  for (const decline of d.declines) {
    const offer = t.allocator.outstandingOffers().find((o) => o.offerId === decline.offerId);
    if (offer && t.allocator.decline(decline.offerId, decline.refuseSeconds))
      t.offersEnded?.(offer.frameworkId, 'declined', 1);
  }
  for (const k of d.kills) t.launcher.killPod(k.podKey, k.gracePeriodSeconds);
  for (const w of d.waiting) {
    if (w.why) unplaced.set(w.frameworkKey, (unplaced.get(w.frameworkKey) ?? 0) + 1);
  }
  t.waiting(d.waiting);
  return d.launches.length;
}

/** Offers withdrawn: expired, or rescinded (agent gone, quota lowered, framework changed). */
export function rescindOutcome(r: Rescind): OfferOutcome {
  return r.reason === 'Expired' ? 'expired' : 'rescinded';
}
