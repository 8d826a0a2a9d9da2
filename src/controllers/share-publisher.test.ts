import { frameworkObject } from '../api/test-builders.js';
import type { ResourceRole } from '../api/types.js';
import { ManualClock } from '../util/clock.js';
import { roleWeight, SharePublisher, type ShareSource } from './share-publisher.js';

const one: Record<string, number> = { cpu: 1000, memory: 2 ** 30 };
const two: Record<string, number> = { cpu: 2000 };
const source: ShareSource = {
  hasFramework: (id) => id !== 'ns/left-out',
  frameworkShare: (id) => (id === 'ns/a' ? 0.5 : 0.25),
  frameworkAllocation: (id) => (id === 'ns/a' ? two : one),
  roleShare: (role) => (role === 'eng' ? 0.25 : 0.25),
  roleAllocation: (role) => (role === 'eng' ? two : one),
  roleHeadroom: (role): Record<string, number> => (role === 'eng' ? { cpu: 500 } : {}),
  outstandingOffers: () => [{ frameworkId: 'ns/b' }, { frameworkId: 'ns/b' }],
  poolTotal: () => ({ cpu: 8000, memory: 16 * 2 ** 30 }),
};

const eng = {
  apiVersion: 'kmesos.io/v1alpha1',
  kind: 'ResourceRole',
  metadata: { name: 'eng', generation: 1 },
  spec: { weight: 2, quota: { guarantee: { cpu: '1' } } },
} as unknown as ResourceRole;

describe('SharePublisher', () => {
  it('writes Framework and ResourceRole status and returns the same figures', () => {
    const written: [string, string, unknown][] = [];
    const pub = new SharePublisher(
      source,
      { set: (p, o, to) => written.push([p, o.metadata?.name ?? '', to]) },
      new ManualClock(0),
    );
    const a = frameworkObject('a', { role: 'eng' });
    const b = frameworkObject('b');
    const out = pub.publish({
      frameworks: new Map([
        ['ns/a', a],
        ['ns/b', b],
      ]),
      roles: new Map([['eng', eng]]),
      taskCounts: (k: string) => ({ pending: k === 'ns/a' ? 1 : 0, byState: {} }),
      unschedulable: new Map([['ns/a', 1]]),
      invalid: { roles: new Map(), frameworks: new Map() },
    });
    // a: share 0.5 in role eng of weight 2 → weighted 0.25; b: 0.25 in '*' of weight 1.
    expect(
      out.frameworks.map((f) => [
        f.name,
        f.role,
        f.dominantShare,
        f.weightedShare,
        f.outstandingOffers,
        f.unschedulable,
        f.pending,
      ]),
    ).toEqual([
      ['a', 'eng', 0.5, 0.25, 0, 1, 1],
      ['b', '*', 0.25, 0.25, 2, 0, 0],
    ]);
    // eng: weighted 0.25 × weight 2 = dominant 0.5; its guarantee parsed to millicores.
    expect(out.roles.map((r) => [r.role, r.weight, r.dominantShare, r.weightedShare, r.guarantee])).toEqual([
      ['eng', 2, 0.5, 0.25, { cpu: 1000 }],
      ['*', 1, 0.25, 0.25, {}],
    ]);
    // Status for both frameworks and for the one role that has a ResourceRole object.
    expect(written.map(([p, n]) => `${p}/${n}`)).toEqual([
      'frameworks/a',
      'frameworks/b',
      'resourceroles/eng',
    ]);
    const aStatus = written[0]?.[2] as { dominantShare?: string; allocated?: Record<string, string> };
    expect(aStatus.allocated).toEqual({ cpu: '2' });
    const engStatus = written[2]?.[2] as { frameworks?: string[] };
    expect(engStatus.frameworks).toEqual(['ns/a']);
  });

  it('shows a framework left out of the allocator with nothing allocated and why, and clears it once fixed', () => {
    const written: unknown[] = [];
    const pub = new SharePublisher(source, { set: (_p, _o, to) => written.push(to) }, new ManualClock(0));
    const fw = frameworkObject('left-out');
    const issues = [{ field: 'spec.offerFilters.minAllocatable.cpu', message: 'out of range' }];
    const inputs = {
      frameworks: new Map([['ns/left-out', fw]]),
      roles: new Map(),
      taskCounts: () => ({ pending: 0, byState: {} }),
      unschedulable: new Map(),
      invalid: { roles: new Map(), frameworks: new Map([['ns/left-out', issues]]) },
    };
    const out = pub.publish(inputs);
    expect([out.frameworks[0]?.dominantShare, out.frameworks[0]?.allocated]).toEqual([0, {}]);
    const status = written[0] as {
      conditions?: { type: string; status: string; reason: string; message: string }[];
    };
    expect(status.conditions?.find((c) => c.type === 'SpecValid')).toMatchObject({
      status: 'False',
      reason: 'InvalidSpec',
      message: 'left out of allocation: spec.offerFilters.minAllocatable.cpu: out of range',
    });
    const fixed = { ...fw, status: status } as typeof fw;
    pub.publish({
      ...inputs,
      frameworks: new Map([['ns/left-out', fixed]]),
      invalid: { roles: new Map(), frameworks: new Map() },
    });
    const after = written[1] as { conditions?: { type: string }[] };
    expect(after.conditions?.some((c) => c.type === 'SpecValid')).toBe(false);
  });

  it('says whether a quota guarantee is met, and when it can never be because it exceeds the cluster', () => {
    const written = new Map<string, unknown>();
    const events: string[] = [];
    const pub = new SharePublisher(
      source,
      { set: (_p, o, to) => written.set(o.metadata?.name ?? '', to) },
      new ManualClock(0),
      { record: (t, e) => events.push(`${t.metadata?.name ?? ''} ${e.reason}`) },
    );
    const huge = {
      ...eng,
      metadata: { name: 'huge', generation: 1 },
      spec: { weight: 1, quota: { guarantee: { cpu: '100' } } },
    } as unknown as ResourceRole;
    const both = {
      frameworks: new Map(),
      roles: new Map([
        ['eng', eng],
        ['huge', huge],
      ]),
      taskCounts: () => ({ pending: 0, byState: {} }),
      unschedulable: new Map(),
      invalid: { roles: new Map(), frameworks: new Map() },
    };
    pub.publish(both);
    pub.publish(both);
    // One Warning Event, not one a cycle.
    expect(events).toEqual(['huge GuaranteeExceedsCluster']);
    // The headroom the role holds is in its status.
    expect((written.get('eng') as { headroom?: unknown }).headroom).toEqual({ cpu: '500m' });
    type Status = { conditions?: { type: string; status: string; reason: string; message: string }[] };
    const cond = (name: string, type: string) =>
      (written.get(name) as Status).conditions?.find((c) => c.type === type);
    // eng: guarantee 1 cpu, allocation 2 cpu of a cluster of 8.
    expect(cond('eng', 'GuaranteeMet')).toMatchObject({ status: 'True' });
    expect(cond('eng', 'GuaranteeFeasible')).toMatchObject({ status: 'True', reason: 'WithinCluster' });
    // huge: 100 cpu asked of 8; nothing of it waits, so it counts as met for now.
    expect(cond('huge', 'GuaranteeFeasible')).toMatchObject({ status: 'False', reason: 'ExceedsCluster' });
    expect(cond('huge', 'GuaranteeFeasible')?.message).toContain('cpu: 100 > 8');
  });

  it.each([
    { role: 'eng', want: 2 },
    { role: 'other', want: 1 },
    { role: '*', want: 1 },
  ])('weighs role $role at $want', ({ role, want }) => {
    expect(roleWeight(new Map([['eng', eng]]), role)).toBe(want);
  });
});
