import { V1MicroTime, type CoordinationV1Api, type V1Lease } from '@kubernetes/client-node';
import type { Logger } from 'winston';
import { errorMessage, isConflict, isNotFound } from '../kube/errors.js';
import type { Clock, Timer } from '../util/clock.js';
import type { Random } from '../util/random.js';
import { decide, observe, type LeaseRecord, type Observation } from './lease-logic.js';

export interface ElectorOptions {
  namespace: string;
  name: string;
  identity: string;
  /** How long a lease lasts without renewal before others may take it (client-go: 15 s). */
  leaseDurationSeconds: number;
  /** How long the leader keeps trying to renew before it gives up leading (client-go: 10 s). */
  renewDeadlineSeconds: number;
  /** Time between attempts (client-go: 2 s). */
  retryPeriodSeconds: number;
  /** host:port where this replica serves; the leader writes it on the Lease so standbys can redirect to it. */
  advertise?: () => string;
}

/** The Lease annotation naming the leader's address (Mesos schedulers are redirected there). */
export const LEADER_ADDRESS_ANNOTATION = 'kmesos.io/leader-address';

export interface LeaderCallbacks {
  onStartedLeading(): void;
  /** Leadership lost: the process should stop acting at once (kmesos exits and restarts). */
  onStoppedLeading(): void;
  /** Another replica (or this one) now leads; `address` as it advertised it, if it did. */
  onNewLeader?(identity: string, address?: string): void;
}

function recordOf(lease: V1Lease): LeaseRecord {
  const s = lease.spec ?? {};
  const iso = (d: Date | string | undefined): string | undefined =>
    d === undefined ? undefined : d instanceof Date ? d.toISOString() : d;
  return {
    holderIdentity: s.holderIdentity,
    leaseDurationSeconds: s.leaseDurationSeconds,
    acquireTime: iso(s.acquireTime),
    renewTime: iso(s.renewTime),
    leaseTransitions: s.leaseTransitions,
  };
}

function specOf(r: LeaseRecord): V1Lease['spec'] {
  // MicroTime, not Date: the API server rejects a Lease whose times lack microseconds.
  return {
    holderIdentity: r.holderIdentity,
    leaseDurationSeconds: r.leaseDurationSeconds,
    acquireTime: r.acquireTime ? new V1MicroTime(r.acquireTime) : undefined,
    renewTime: r.renewTime ? new V1MicroTime(r.renewTime) : undefined,
    leaseTransitions: r.leaseTransitions,
  };
}

/**
 * Leader election on a coordination.k8s.io Lease. Writes are guarded by resourceVersion, so
 * two candidates racing for an expired lease cannot both win: the loser gets 409.
 */
export class LeaderElector {
  private observation: Observation | undefined;
  private leading = false;
  private lastRenew = 0;
  private timer: Timer | undefined;
  private stopped = false;
  private knownLeader: string | undefined;
  private knownAddress: string | undefined;

  constructor(
    private readonly api: CoordinationV1Api,
    private readonly opts: ElectorOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly callbacks: LeaderCallbacks,
    private readonly random: Random,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  get leader(): string | undefined {
    return this.knownLeader;
  }

  start(): void {
    void this.tick();
  }

  /** Stops campaigning; a leader frees the lease so a standby takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    if (!this.leading) return;
    this.leading = false;
    try {
      const lease = await this.api.readNamespacedLease({
        name: this.opts.name,
        namespace: this.opts.namespace,
      });
      if (lease.spec?.holderIdentity !== this.opts.identity) return;
      lease.spec = { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1 };
      await this.api.replaceNamespacedLease({
        name: this.opts.name,
        namespace: this.opts.namespace,
        body: lease,
      });
      this.logger.info('released leader lease', { lease: this.opts.name });
    } catch (err) {
      this.logger.warn('could not release leader lease', { error: errorMessage(err) });
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    // Jitter keeps standbys from retrying in lockstep.
    const jitter = this.leading ? 1 : 1 + this.random() * 0.2;
    this.timer = this.clock.after(this.opts.retryPeriodSeconds * 1000 * jitter, () => void this.tick());
  }

  private async tick(): Promise<void> {
    try {
      const won = await this.tryAcquireOrRenew();
      if (won) {
        this.lastRenew = this.clock.now();
        if (!this.leading) {
          this.leading = true;
          this.logger.info('became leader', { identity: this.opts.identity, lease: this.opts.name });
          this.callbacks.onStartedLeading();
        }
      }
    } catch (err) {
      this.logger.warn('leader election attempt failed', { error: errorMessage(err) });
    }
    if (this.leading && this.clock.now() - this.lastRenew > this.opts.renewDeadlineSeconds * 1000) {
      this.leading = false;
      this.logger.error('lost leadership: could not renew the lease in time', {
        identity: this.opts.identity,
      });
      this.callbacks.onStoppedLeading();
      return;
    }
    this.schedule();
  }

  private noteLeader(identity: string, address?: string): void {
    if (identity === this.knownLeader && address === this.knownAddress) return;
    this.knownLeader = identity;
    this.knownAddress = address;
    this.callbacks.onNewLeader?.(identity, address);
  }

  private metadata(lease: V1Lease | undefined): V1Lease['metadata'] {
    const { name, namespace, advertise } = this.opts;
    const base = lease?.metadata ?? { name, namespace };
    if (!advertise) return base;
    return { ...base, annotations: { ...base.annotations, [LEADER_ADDRESS_ANNOTATION]: advertise() } };
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { name, namespace, identity, leaseDurationSeconds } = this.opts;
    let lease: V1Lease | undefined;
    try {
      lease = await this.api.readNamespacedLease({ name, namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const now = this.clock.now();
    this.observation = lease ? observe(this.observation, recordOf(lease), now) : undefined;
    const decision = decide(this.observation, identity, leaseDurationSeconds, now);
    try {
      if (decision.action === 'wait') {
        this.noteLeader(decision.holder, lease?.metadata?.annotations?.[LEADER_ADDRESS_ANNOTATION]);
        if (this.leading) this.lastRenew = 0;
        return false;
      }
      if (decision.action === 'create') {
        await this.api.createNamespacedLease({
          namespace,
          body: { metadata: this.metadata(undefined), spec: specOf(decision.record) },
        });
      } else {
        const body: V1Lease = { ...lease, metadata: this.metadata(lease), spec: specOf(decision.record) };
        // resourceVersion in body makes this a compare-and-swap.
        await this.api.replaceNamespacedLease({ name, namespace, body });
      }
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
    this.observation = observe(undefined, decision.record, now);
    this.noteLeader(identity, this.opts.advertise?.());
    return true;
  }
}
