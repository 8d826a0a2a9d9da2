import fc from 'fast-check';
import { ManualClock } from '../util/clock.js';
import { LaunchLedger, type LaunchPlan } from './ledger.js';

const plan: LaunchPlan = { attempt: 1, podName: 't-1', offerID: 'o1', pod: { metadata: { name: 't-1' } } };
const placement = {
  podKey: 'ns/t-1',
  taskKey: 'ns/t',
  nodeName: 'n1',
  agentId: 'a1',
  requests: { cpu: 1000 },
};

function ledger(ttl = 1000): { l: LaunchLedger; clock: ManualClock; released: string[] } {
  const clock = new ManualClock(0);
  const released: string[] = [];
  const l = new LaunchLedger({ clock, unseenTtlMs: ttl, release: (k) => released.push(k) });
  return { l, clock, released };
}

describe('LaunchLedger', () => {
  it.each([
    { name: 'placed', steps: [], want: 'placed', inFlight: true },
    { name: 'creating', steps: ['startCreate'], want: 'creating', inFlight: true },
    { name: 'throttled back to placed', steps: ['startCreate', 'requeue'], want: 'placed', inFlight: true },
    { name: 'created, not yet seen', steps: ['startCreate', 'created'], want: 'unseen', inFlight: true },
    {
      name: 'seen by the watch',
      steps: ['startCreate', 'created', 'observe'],
      want: 'observed',
      inFlight: false,
    },
    // The watch can show the pod before the create call returns.
    {
      name: 'seen while creating',
      steps: ['startCreate', 'observe', 'created'],
      want: 'observed',
      inFlight: false,
    },
    {
      name: 'created twice is once',
      steps: ['startCreate', 'created', 'created'],
      want: 'unseen',
      inFlight: true,
    },
    { name: 'create before start is ignored', steps: ['created'], want: 'placed', inFlight: true },
  ] as const)('$name', ({ steps, want, inFlight }) => {
    const { l, released } = ledger();
    l.place({ ...placement, plan });
    for (const s of steps) l[s](placement.podKey);
    expect(l.get(placement.podKey)?.phase).toBe(want);
    expect(l.inFlight(placement.podKey)).toBe(inFlight);
    expect(released).toEqual([]);
  });

  it.each([
    { name: 'a failed create', steps: ['startCreate', 'forget'] },
    { name: 'a pod that ended', steps: ['startCreate', 'created', 'observe', 'gone'] },
    { name: 'a placement whose task went away', steps: ['forgetTask'] },
  ] as const)('releases the allocation of $name exactly once', ({ steps }) => {
    const { l, released } = ledger();
    l.place({ ...placement, plan });
    for (const s of steps) {
      if (s === 'forgetTask') l.forgetTask(placement.taskKey);
      else l[s](placement.podKey);
    }
    l.gone(placement.podKey);
    expect(released).toEqual([placement.podKey]);
    expect(l.has(placement.podKey)).toBe(false);
    expect(l.inFlight(placement.podKey)).toBe(false);
  });

  it('drops without releasing what the allocator already let go', () => {
    const { l, released } = ledger();
    l.place({ ...placement, plan });
    l.drop(placement.podKey);
    expect(l.has(placement.podKey)).toBe(false);
    expect(released).toEqual([]);
  });

  it('keeps observed pods of a deleted task: their end releases them', () => {
    const { l, released } = ledger();
    l.adopt(placement);
    l.forgetTask(placement.taskKey);
    expect(l.get(placement.podKey)?.phase).toBe('observed');
    expect(released).toEqual([]);
  });

  it('hands out an unseen pod for a live read once past the TTL, once, until confirmed', () => {
    const { l, clock, released } = ledger(1000);
    l.place({ ...placement, plan });
    l.startCreate(placement.podKey);
    l.created(placement.podKey);
    clock.advance(1000);
    expect(l.takeStale()).toEqual([]);
    clock.advance(1);
    expect(l.takeStale().map((e) => e.podKey)).toEqual([placement.podKey]);
    // Being read: not handed out again, still in flight.
    expect(l.takeStale()).toEqual([]);
    expect(l.inFlight(placement.podKey)).toBe(true);
    // The pod exists: another TTL before the next read.
    l.confirm(placement.podKey);
    clock.advance(1000);
    expect(l.takeStale()).toEqual([]);
    clock.advance(1);
    expect(l.takeStale()).toHaveLength(1);
    // It does not: forgotten and released.
    l.forget(placement.podKey);
    expect(released).toEqual([placement.podKey]);
  });

  it('adopts a live pod it never placed as observed', () => {
    const { l } = ledger();
    l.adopt(placement);
    expect(l.get(placement.podKey)?.phase).toBe('observed');
    expect(l.get(placement.podKey)?.plan).toBeUndefined();
    expect(l.inFlight(placement.podKey)).toBe(false);
    expect(l.count('observed')).toBe(1);
    expect(l.size).toBe(1);
  });

  it('hands out exactly the stale unseen entries, and forgets exactly the launches in flight of a deleted task, whatever happened before', () => {
    const keys = ['ns/a', 'ns/b'];
    const op = fc.record({
      key: fc.constantFrom(...keys),
      what: fc.constantFrom(
        'place',
        'adopt',
        'startCreate',
        'requeue',
        'created',
        'observe',
        'confirm',
        'forget',
        'drop',
        'take',
        'relisted',
        'forgetTask',
      ),
      advance: fc.integer({ min: 0, max: 1500 }),
    });
    fc.assert(
      fc.property(fc.array(op, { minLength: 20, maxLength: 80, size: 'max' }), (ops) => {
        const { l, clock } = ledger(1000);
        for (const { key, what, advance } of ops) {
          clock.advance(advance);
          const at = { ...placement, podKey: key, taskKey: `${key}-task` };
          if (what === 'place') l.place({ ...at, plan });
          else if (what === 'forgetTask') {
            // What a scan of every entry forgets: the task's entries not yet observed.
            const before = new Map(keys.map((k) => [k, l.get(k)?.phase]));
            l.forgetTask(at.taskKey);
            for (const k of keys) {
              const was = before.get(k);
              const want = k === key && was !== 'observed' ? undefined : was;
              expect(l.get(k)?.phase).toBe(want);
            }
          } else if (what === 'adopt') l.adopt(at);
          else if (what === 'relisted') l.relisted(clock.now(), (k) => k !== key);
          else if (what === 'take') {
            // What a scan of every entry hands out: unseen, past the TTL, not being read.
            const want = keys.filter((k) => {
              const e = l.get(k);
              return e?.phase === 'unseen' && !e.checking && (e.suspect || clock.now() - e.since > 1000);
            });
            const got = l.takeStale().map((e) => e.podKey);
            expect([...got].sort()).toEqual(want);
          } else l[what](key);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('reads at once an unseen pod that a list begun after its create did not show, and no other', () => {
    const { l, clock } = ledger(600_000);
    const created = (podKey: string): void => {
      l.place({ ...placement, podKey, plan });
      l.startCreate(podKey);
      l.created(podKey);
    };
    created('ns/gone');
    created('ns/listed');
    clock.advance(5_000);
    const listFrom = clock.now();
    created('ns/after');
    clock.advance(30_000);
    // Late, however late, is not read: the watch will show them.
    expect(l.takeStale()).toEqual([]);
    l.relisted(listFrom, (k) => k === 'ns/listed');
    expect(l.takeStale().map((e) => e.podKey)).toEqual(['ns/gone']);
    expect(l.takeStale()).toEqual([]);
    // Found after all: only the TTL backstop reads it again.
    l.confirm('ns/gone');
    expect(l.takeStale()).toEqual([]);
    clock.advance(600_001);
    expect(
      l
        .takeStale()
        .map((e) => e.podKey)
        .sort(),
    ).toEqual(['ns/after', 'ns/gone', 'ns/listed']);
  });
});
