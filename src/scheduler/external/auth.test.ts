import { ManualClock } from '../../util/clock.js';
import { Auth, frameworkNamespace, type AuthBackend } from './auth.js';
import { RateLimiter } from './rate-limit.js';

function backend(calls: string[]): AuthBackend {
  return {
    tokenReview: (token) => {
      calls.push(`review ${token}`);
      return Promise.resolve(
        token === 'good'
          ? { authenticated: true, username: 'system:serviceaccount:team:sched', groups: ['g'] }
          : { authenticated: false, error: 'token expired' },
      );
    },
    accessReview: (user, request) => {
      calls.push(`access ${user.username} ${request.verb} ${request.resource} ${request.namespace}`);
      return Promise.resolve(
        request.namespace === 'team' ? { allowed: true } : { allowed: false, reason: 'no role' },
      );
    },
    credentials: () => Promise.resolve(new Map([['marathon', 's3cret']])),
  };
}

const basic = (p: string, s: string) => `Basic ${Buffer.from(`${p}:${s}`).toString('base64')}`;

describe('Auth', () => {
  it('reviews a bearer token once per cache period and authorizes it per namespace', async () => {
    const calls: string[] = [];
    const clock = new ManualClock(0);
    const auth = new Auth(backend(calls), { anonymous: false, cacheMs: 10_000, clock });
    const who = await auth.authenticate('Bearer good');
    if (!who.ok) throw new Error(who.message);
    expect(who.caller).toMatchObject({ principal: 'system:serviceaccount:team:sched', kind: 'token' });
    expect(await auth.authorize(who.caller, 'team')).toEqual({ ok: true });
    expect(await auth.authorize(who.caller, 'other')).toEqual({
      ok: false,
      status: 403,
      message:
        'system:serviceaccount:team:sched may not create frameworks/scheduler (kmesos.io) in namespace other: no role',
    });
    await auth.authenticate('Bearer good');
    await auth.authorize(who.caller, 'team');
    expect(calls).toEqual([
      'review good',
      'access system:serviceaccount:team:sched create frameworks team',
      'access system:serviceaccount:team:sched create frameworks other',
    ]);
    clock.advance(10_000);
    await auth.authenticate('Bearer good');
    expect(calls.filter((c) => c === 'review good')).toHaveLength(2);
    expect(await auth.authenticate('Bearer bad')).toEqual({
      ok: false,
      status: 401,
      message: 'Invalid bearer token: token expired',
    });
  });

  it('authorizes reading the master as listing tasks in all namespaces', async () => {
    const calls: string[] = [];
    const auth = new Auth(backend(calls), { anonymous: false, cacheMs: 10_000, clock: new ManualClock(0) });
    const who = await auth.authenticate('Bearer good');
    if (!who.ok) throw new Error(who.message);
    expect(await auth.authorizeRead(who.caller)).toEqual({
      ok: false,
      status: 403,
      message: 'system:serviceaccount:team:sched may not list tasks (kmesos.io) in all namespaces: no role',
    });
    expect(calls).toContain('access system:serviceaccount:team:sched list tasks ');
    expect(await auth.authorizeRead({ principal: 'marathon', kind: 'basic' })).toEqual({ ok: true });
  });

  it('checks Basic credentials against the Secret, and serves no anonymous call unless allowed', async () => {
    const clock = new ManualClock(0);
    const auth = new Auth(backend([]), { anonymous: false, cacheMs: 10_000, clock });
    expect(await auth.authenticate(basic('marathon', 's3cret'))).toEqual({
      ok: true,
      caller: { principal: 'marathon', kind: 'basic' },
    });
    expect((await auth.authenticate(basic('marathon', 'nope'))).ok).toBe(false);
    expect((await auth.authenticate(basic('chronos', 's3cret'))).ok).toBe(false);
    expect(await auth.authenticate(undefined)).toMatchObject({ ok: false, status: 401 });
    expect(await auth.authenticate('Digest x')).toMatchObject({ ok: false, status: 401 });
    const open = new Auth(backend([]), { anonymous: true, cacheMs: 10_000, clock });
    expect(await open.authenticate(undefined)).toEqual({
      ok: true,
      caller: { principal: '', kind: 'anonymous' },
    });
  });

  it('puts a ServiceAccount’s frameworks in its own namespace when served, else the default', () => {
    const sa = {
      principal: 'x',
      kind: 'token' as const,
      user: { username: 'system:serviceaccount:team:s', groups: [] },
    };
    expect(frameworkNamespace(sa, [], 'mesos')).toBe('team');
    expect(frameworkNamespace(sa, ['team', 'b'], 'mesos')).toBe('team');
    expect(frameworkNamespace(sa, ['b'], 'b')).toBe('b');
    expect(frameworkNamespace({ principal: 'marathon', kind: 'basic' }, [], 'mesos')).toBe('mesos');
  });
});

describe('RateLimiter', () => {
  it('allows a burst, then the rate', () => {
    let now = 0;
    const limiter = new RateLimiter<object>(10, 20, () => now);
    const key = {};
    const taken = Array.from({ length: 25 }, () => limiter.take(key));
    expect(taken.filter(Boolean)).toHaveLength(20);
    now += 500;
    expect(Array.from({ length: 10 }, () => limiter.take(key)).filter(Boolean)).toHaveLength(5);
    // Another framework has its own bucket.
    expect(limiter.take({})).toBe(true);
  });
});
