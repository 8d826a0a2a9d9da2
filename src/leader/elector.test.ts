import { ManualClock } from '../util/clock.js';
import { ApiException, type CoordinationV1Api, type V1Lease } from '@kubernetes/client-node';
import { Writable } from 'node:stream';
import { createLogger } from '../logging/logger.js';
import { LeaderElector, type ElectorOptions } from './elector.js';

/**
 * The Lease API as the API server keeps it: one object per name, a resourceVersion that
 * guards every replace (409 when stale), 409 on creating what exists, and MicroTime fields
 * that must carry microseconds (400 otherwise).
 */
class FakeLeases {
  readonly leases = new Map<string, V1Lease>();
  /** Runs once, right after the next read: another writer slipping in between read and write. */
  afterNextRead: (() => void) | undefined;
  private rv = 0;

  /** One candidate's view of the API; `down` makes every call fail as a lost connection would. */
  client(state: { down: boolean }): CoordinationV1Api {
    const guard = (): void => {
      if (state.down) throw new ApiException(503, 'unavailable', {}, {});
    };
    const api = {
      readNamespacedLease: ({ name }: { name: string }): Promise<V1Lease> => {
        guard();
        const lease = this.leases.get(name);
        if (!lease) return Promise.reject(new ApiException(404, 'not found', {}, {}));
        const copy = structuredClone(lease);
        const interpose = this.afterNextRead;
        this.afterNextRead = undefined;
        interpose?.();
        return Promise.resolve(copy);
      },
      createNamespacedLease: ({ body }: { body: V1Lease }): Promise<V1Lease> => {
        guard();
        const name = body.metadata?.name ?? '';
        if (this.leases.has(name)) return Promise.reject(new ApiException(409, 'exists', {}, {}));
        return Promise.resolve(this.store(name, body));
      },
      replaceNamespacedLease: ({ name, body }: { name: string; body: V1Lease }): Promise<V1Lease> => {
        guard();
        const current = this.leases.get(name);
        if (!current) return Promise.reject(new ApiException(404, 'not found', {}, {}));
        if (body.metadata?.resourceVersion !== current.metadata?.resourceVersion)
          return Promise.reject(new ApiException(409, 'conflict', {}, {}));
        return Promise.resolve(this.store(name, body));
      },
    };
    return api as unknown as CoordinationV1Api;
  }

  holder(name: string): string | undefined {
    return this.leases.get(name)?.spec?.holderIdentity;
  }

  /** Another client's write, as the API server would take it. */
  store(name: string, body: V1Lease): V1Lease {
    // What goes over the wire: JSON, as the client sends it.
    const wire = JSON.parse(JSON.stringify(body)) as { spec?: Record<string, unknown> };
    for (const field of ['acquireTime', 'renewTime']) {
      const t = wire.spec?.[field];
      if (t !== undefined && !(typeof t === 'string' && /\.\d{6}Z$/.test(t)))
        throw new ApiException(400, `${field}: ${JSON.stringify(t)} is no MicroTime`, {}, {});
    }
    const stored = {
      ...(wire as V1Lease),
      metadata: { ...body.metadata, name, resourceVersion: String(++this.rv) },
    };
    this.leases.set(name, stored);
    return structuredClone(stored);
  }
}

const opts = (identity: string): ElectorOptions => ({
  namespace: 'kmesos-system',
  name: 'kmesos-leader',
  identity,
  leaseDurationSeconds: 15,
  renewDeadlineSeconds: 10,
  retryPeriodSeconds: 2,
});

const quiet = createLogger({
  level: 'error',
  stream: new Writable({ write: (_c, _e, done): void => done() }),
});

interface Candidate {
  readonly elector: LeaderElector;
  readonly conn: { down: boolean };
  readonly started: number;
  readonly stopped: number;
}

function candidate(leases: FakeLeases, identity: string, clock: ManualClock): Candidate {
  const conn = { down: false };
  const counts = { started: 0, stopped: 0 };
  const elector = new LeaderElector(
    leases.client(conn),
    opts(identity),
    clock,
    quiet,
    {
      onStartedLeading: () => counts.started++,
      onStoppedLeading: () => counts.stopped++,
    },
    // Standbys retry after 2 s × 1.1: the middle of their jitter.
    () => 0.5,
  );
  return {
    elector,
    conn,
    get started(): number {
      return counts.started;
    },
    get stopped(): number {
      return counts.stopped;
    },
  };
}

describe('LeaderElector', () => {
  let leases: FakeLeases;
  let a: Candidate;
  let b: Candidate;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    leases = new FakeLeases();
    a = candidate(leases, 'a', clock);
    b = candidate(leases, 'b', clock);
    a.elector.start();
    await clock.advanceAsync(0);
    b.elector.start();
    await clock.advanceAsync(5_000);
  });
  afterEach(async () => {
    await a.elector.stop();
    await b.elector.stop();
  });

  it('lets exactly one candidate lead, and writes MicroTime the API server accepts', () => {
    expect([a.elector.isLeader, b.elector.isLeader]).toEqual([true, false]);
    expect([a.started, b.started]).toEqual([1, 0]);
    expect(b.elector.leader).toBe('a');
    expect(leases.holder('kmesos-leader')).toBe('a');
  });

  it('keeps the leader while it renews', async () => {
    await clock.advanceAsync(60_000);
    expect([a.elector.isLeader, b.elector.isLeader]).toEqual([true, false]);
    expect(leases.leases.get('kmesos-leader')?.spec?.leaseTransitions).toBe(0);
  });

  it('lets a standby take over within the lease duration after the leader stops renewing', async () => {
    a.conn.down = true;
    // The leader gives up once it could not renew for the renew deadline (10 s).
    await clock.advanceAsync(12_500);
    expect(a.stopped).toBe(1);
    expect(a.elector.isLeader).toBe(false);
    // b last saw a renewal at most a retry period (2 s) before the outage; 15 s after that
    // it may take the lease, and it tries every 2–2.4 s.
    expect(b.elector.isLeader).toBe(false);
    await clock.advanceAsync(15_000 + 2_400 - 12_500);
    expect(b.elector.isLeader).toBe(true);
    expect(b.started).toBe(1);
    expect(leases.holder('kmesos-leader')).toBe('b');
    expect(leases.leases.get('kmesos-leader')?.spec?.leaseTransitions).toBe(1);
  });

  it('hands over at once when the leader stops and frees the lease', async () => {
    await a.elector.stop();
    expect(leases.holder('kmesos-leader')).toBe('');
    await clock.advanceAsync(2_400);
    expect(b.elector.isLeader).toBe(true);
  });

  it('never overwrites a lease that changed between its read and its write', async () => {
    // c takes the lease right after a reads it: a's renewal carries a stale resourceVersion.
    leases.afterNextRead = (): void => {
      const lease = leases.leases.get('kmesos-leader');
      leases.store('kmesos-leader', { ...lease, spec: { ...lease?.spec, holderIdentity: 'c' } });
    };
    await clock.advanceAsync(2_000);
    expect(leases.holder('kmesos-leader')).toBe('c');
    // Its next read shows c holding the lease: a stops leading rather than overwrite it.
    await clock.advanceAsync(2_000);
    expect(a.elector.isLeader).toBe(false);
    expect(a.stopped).toBe(1);
    expect(leases.holder('kmesos-leader')).toBe('c');
  });
});
