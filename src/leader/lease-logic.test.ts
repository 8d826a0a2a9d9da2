import { decide, observe, type LeaseRecord } from './lease-logic.js';

const t0 = Date.parse('2026-01-01T00:00:00Z');
const rec = (holder: string, transitions = 0, renew = '2026-01-01T00:00:00.000Z'): LeaseRecord => ({
  holderIdentity: holder,
  leaseDurationSeconds: 15,
  acquireTime: '2026-01-01T00:00:00.000Z',
  renewTime: renew,
  leaseTransitions: transitions,
});

describe('leader election decisions', () => {
  it('creates the lease when there is none', () => {
    const d = decide(undefined, 'a', 15, t0);
    expect(d).toEqual({
      action: 'create',
      record: expect.objectContaining({ holderIdentity: 'a', leaseTransitions: 0 }) as unknown,
    });
  });

  it.each([
    // [what, holder, ms since we first saw the record, action, transitions after]
    { name: 'renews its own lease', holder: 'a', since: 1_000, action: 'update', transitions: 0 },
    { name: 'waits for a live holder', holder: 'b', since: 14_999, action: 'wait', transitions: undefined },
    { name: 'takes an expired lease', holder: 'b', since: 15_000, action: 'update', transitions: 1 },
    { name: 'takes a released lease at once', holder: '', since: 0, action: 'update', transitions: 1 },
  ])('$name', ({ holder, since, action, transitions }) => {
    const obs = observe(undefined, rec(holder), t0);
    const d = decide(obs, 'a', 15, t0 + since);
    expect(d.action).toBe(action);
    if (d.action !== 'wait') expect(d.record.leaseTransitions).toBe(transitions);
  });

  it('measures expiry from when the record last changed on our clock, not from its renewTime', () => {
    // b's renewTime is far in the past by our clock, but we saw it renewed just now.
    let obs = observe(undefined, rec('b', 0, '2020-01-01T00:00:00.000Z'), t0);
    obs = observe(obs, rec('b', 0, '2020-01-01T00:00:05.000Z'), t0 + 10_000);
    expect(decide(obs, 'a', 15, t0 + 20_000).action).toBe('wait');
    // An unchanged record keeps its first sighting time.
    obs = observe(obs, rec('b', 0, '2020-01-01T00:00:05.000Z'), t0 + 24_000);
    expect(obs.observedAt).toBe(t0 + 10_000);
    expect(decide(obs, 'a', 15, t0 + 25_000).action).toBe('update');
  });
});
