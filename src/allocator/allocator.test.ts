import { agent, external, GI, newAllocator, res } from './test-builders.js';

describe('Allocator offers (External frameworks)', () => {
  it('returns offers and counts them as allocated until answered', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 4, 8));
    alloc.addFramework(external('F'));
    const c1 = alloc.allocate();
    expect(c1.offers).toEqual([
      expect.objectContaining({
        offerId: 'offer-1',
        frameworkId: 'F',
        agentId: 'a1',
        role: '*',
        resources: res(4, 8),
      }),
    ]);
    // outstanding: nothing is offered twice
    expect(alloc.allocate().offers).toEqual([]);
    expect(alloc.agentFree('a1')).toEqual({});
    // F holds <4 cpu, 8 Gi> of <4, 8>: share 1
    expect(alloc.frameworkShare('F')).toBe(1);
    alloc.checkInvariants();
  });

  it('offers each agent to the framework with the lowest dominant share', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 4, 8));
    alloc.addAgent(agent('a2', 4, 8));
    alloc.addFramework(external('F'));
    alloc.addFramework(external('G'));
    alloc.addTask({ taskId: 't', frameworkId: 'F', agentId: 'a1', resources: res(1) });
    // F = 1/8 cpu, G = 0 → G first; after G takes one agent (G = .5) F (.125) gets the other
    const { offers } = alloc.allocate();
    expect(offers.map((o) => o.frameworkId).sort()).toEqual(['F', 'G']);
    // G is offered a whole agent; F what is left of the other beside its task
    const g = offers.find((o) => o.frameworkId === 'G');
    const f = offers.find((o) => o.frameworkId === 'F');
    expect(g?.resources).toEqual(res(4, 8));
    expect(f?.resources).toEqual(res(g?.agentId === 'a1' ? 4 : 3, 8));
  });

  it.each([['offer-01'], ['offer-1.0'], ['offer-+1'], ['offer-'], ['offers-1'], ['1']])(
    'knows an offer only by the exact ID it was given, not %s',
    (id) => {
      const { alloc } = newAllocator();
      alloc.addAgent(agent('a1', 4, 8));
      alloc.addFramework(external('F'));
      expect(alloc.allocate().offers.map((o) => o.offerId)).toEqual(['offer-1']);
      expect(alloc.decline(id)).toBe(false);
      expect(alloc.accept(id, [])).toEqual(expect.objectContaining({ ok: false, reason: 'UnknownOffer' }));
      expect(alloc.rescindOffer(id)).toBeNull();
      expect(alloc.outstandingOffers().map((o) => o.offerId)).toEqual(['offer-1']);
      expect(alloc.decline('offer-1')).toBe(true);
    },
  );

  it('decline filters the agent for refuseSeconds (default 5 s)', () => {
    const { alloc, clock } = newAllocator();
    alloc.addAgent(agent('a1', 4, 8));
    alloc.addFramework(external('F'));
    const first = alloc.allocate().offers;
    expect(first).toEqual([
      expect.objectContaining({ frameworkId: 'F', agentId: 'a1', resources: res(4, 8) }),
    ]);
    const id = first[0]?.offerId ?? '';
    expect(alloc.decline(id)).toBe(true);
    expect(alloc.decline(id)).toBe(false);
    // declined, not outstanding: the agent is free again but filtered for F
    expect(alloc.outstandingOffers()).toEqual([]);
    expect(alloc.agentFree('a1')).toEqual(res(4, 8));
    clock.advance(4999);
    expect(alloc.allocate().offers).toEqual([]);
    clock.advance(1);
    expect(alloc.allocate().offers).toEqual([
      expect.objectContaining({ frameworkId: 'F', agentId: 'a1', resources: res(4, 8) }),
    ]);
  });

  it('a filtered agent goes to the next framework, and back when the filter lapses', () => {
    const { alloc, clock } = newAllocator();
    alloc.addAgent(agent('a1', 4, 8));
    alloc.addFramework(external('F'));
    alloc.addFramework(external('G'));
    // F = G = 0, no allocations: the tie goes to the name, F
    const first = alloc.allocate().offers;
    expect(first).toEqual([expect.objectContaining({ frameworkId: 'F', agentId: 'a1' })]);
    alloc.decline(first[0]?.offerId ?? '', 60);
    const second = alloc.allocate().offers;
    expect(second).toEqual([
      expect.objectContaining({ frameworkId: 'G', agentId: 'a1', resources: res(4, 8) }),
    ]);
    // G declines for 1 s only; while F's 60 s filter holds, a1 goes to G again, never to F
    alloc.decline(second[0]?.offerId ?? '', 1);
    clock.advance(1000);
    const third = alloc.allocate().offers;
    expect(third).toEqual([expect.objectContaining({ frameworkId: 'G', agentId: 'a1' })]);
    alloc.decline(third[0]?.offerId ?? '', 3600);
    clock.advance(58_999);
    expect(alloc.allocate().offers).toEqual([]);
    clock.advance(1);
    expect(alloc.allocate().offers).toEqual([
      expect.objectContaining({ frameworkId: 'F', agentId: 'a1', resources: res(4, 8) }),
    ]);
  });

  it('partial accept launches tasks and declines the rest', () => {
    const { alloc, clock } = newAllocator();
    alloc.addAgent(agent('a1', 4, 8));
    alloc.addFramework(external('F'));
    const [o] = alloc.allocate().offers;
    const id = o?.offerId ?? '';
    expect(alloc.accept(id, [{ taskId: 't1', resources: res(5) }])).toEqual(
      expect.objectContaining({ ok: false, reason: 'ExceedsOffer' }),
    );
    const r = alloc.accept(id, [{ taskId: 't1', resources: res(1, 2) }]);
    expect(r.ok).toBe(true);
    expect(alloc.accept(id, [])).toEqual(expect.objectContaining({ ok: false, reason: 'UnknownOffer' }));
    expect(alloc.frameworkAllocation('F')).toEqual(res(1, 2));
    // the unused <3 cpu, 6 Gi> is filtered for 5 s
    expect(alloc.allocate().offers).toEqual([]);
    clock.advance(5000);
    expect(alloc.allocate().offers[0]?.resources).toEqual(res(3, 6));
    expect(alloc.removeTask('t1')).toBe(true);
    alloc.checkInvariants();
  });

  it('suppress stops offers; revive resumes them and clears filters', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 4, 8));
    alloc.addFramework(external('F'));
    alloc.suppress('F');
    expect(alloc.allocate().offers).toEqual([]);
    alloc.revive('F');
    const revived = alloc.allocate().offers;
    expect(revived).toEqual([
      expect.objectContaining({ frameworkId: 'F', agentId: 'a1', resources: res(4, 8) }),
    ]);
    expect(alloc.decline(revived[0]?.offerId ?? '', 3600)).toBe(true);
    expect(alloc.allocate().offers).toEqual([]);
    alloc.revive('F');
    expect(alloc.allocate().offers).toEqual([
      expect.objectContaining({ frameworkId: 'F', agentId: 'a1', resources: res(4, 8) }),
    ]);
  });

  it.each<[string, (a: ReturnType<typeof newAllocator>['alloc']) => unknown, string]>([
    ['agent removed', (a) => a.removeAgent('a1').rescinded, 'AgentRemoved'],
    ['agent unavailable', (a) => a.setAgentAvailable('a1', false), 'AgentUnavailable'],
    ['agent shrank', (a) => a.updateAgent('a1', { total: res(2, 8) }), 'AgentShrunk'],
    ['quota limit lowered', (a) => a.setRole('*', { limit: res(1) }), 'QuotaLimitLowered'],
    ['framework removed', (a) => a.removeFramework('F').rescinded, 'FrameworkRemoved'],
  ])('rescinds on %s', (_name, act, reason) => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 4, 8));
    alloc.addFramework(external('F'));
    const [o] = alloc.allocate().offers;
    expect(o).toEqual(expect.objectContaining({ frameworkId: 'F', agentId: 'a1' }));
    expect(act(alloc)).toEqual([{ offerId: o?.offerId, frameworkId: 'F', agentId: 'a1', reason }]);
    expect(alloc.outstandingOffers()).toEqual([]);
    alloc.checkInvariants();
  });

  it('expires offers after the offer timeout', () => {
    const { alloc, clock } = newAllocator({ offerTimeoutMs: 10_000 });
    alloc.addAgent(agent('a1', 4, 8));
    alloc.addFramework(external('F'));
    const [o] = alloc.allocate().offers;
    expect(o).toEqual(expect.objectContaining({ frameworkId: 'F', agentId: 'a1' }));
    expect(o?.expiresAt).toBe(clock.now() + 10_000);
    clock.advance(9_999);
    expect(alloc.allocate()).toEqual({ offers: [], rescinded: [] });
    clock.advance(1);
    const c = alloc.allocate();
    expect(c.rescinded).toEqual([
      { offerId: o?.offerId, frameworkId: 'F', agentId: 'a1', reason: 'Expired' },
    ]);
    // no filter on expiry: offered again at once, under a new id
    expect(c.offers).toEqual([
      expect.objectContaining({ frameworkId: 'F', agentId: 'a1', resources: res(4, 8) }),
    ]);
    expect(c.offers[0]?.offerId).not.toBe(o?.offerId);
  });

  it('offers only what meets the minimum allocatable resources', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 4, 8, { used: res(3.995, 7.99) }));
    alloc.addFramework(external('F', { minAllocatable: [res(1)] }));
    alloc.addFramework(external('G'));
    // free <5m cpu, ~10 Mi>: below F's <1 cpu> and the default <10m cpu> | <32 Mi>
    expect(alloc.allocate().offers).toEqual([]);
    alloc.updateAgent('a1', { used: res(3.5) });
    // free <0.5 cpu, 8 Gi>: still below F's <1 cpu>, enough for G
    expect(alloc.allocate().offers).toEqual([
      expect.objectContaining({ frameworkId: 'G', agentId: 'a1', resources: res(0.5, 8) }),
    ]);
  });

  it('never exceeds a quota limit and meets guarantees first', () => {
    const { alloc } = newAllocator();
    for (const id of ['a1', 'a2', 'a3', 'a4']) alloc.addAgent(agent(id, 4, 8));
    alloc.setRole('capped', { limit: res(2) });
    alloc.setRole('prod', { guarantee: res(8, 16) });
    alloc.addFramework(external('C', { role: 'capped' }));
    alloc.addFramework(external('P', { role: 'prod' }));
    alloc.addFramework(external('D', { role: 'dev' }));
    const { offers } = alloc.allocate();
    const by = (f: string): number =>
      offers.filter((o) => o.frameworkId === f).reduce((s, o) => s + (o.resources.cpu ?? 0), 0);
    // capped ≤ 2 cpu; prod gets its 8 cpu guarantee; dev the rest (16 − 8 − 2 = 6)
    expect(by('C')).toBe(2000);
    expect(by('P')).toBe(8000);
    expect(by('D')).toBe(6000);
    alloc.checkInvariants();
  });

  it('holds headroom for unmet guarantees of roles without frameworks yet', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 8, 8));
    alloc.setRole('prod', { guarantee: res(6) });
    alloc.addFramework(external('D', { role: 'dev' }));
    // 8 cpu − 6 held for prod = 2 cpu offerable
    expect(alloc.allocate().offers).toEqual([
      expect.objectContaining({ frameworkId: 'D', agentId: 'a1', resources: res(2, 8) }),
    ]);
    // The 6 cpu are what prod's status shows as the headroom it holds; dev holds none.
    expect(alloc.roleHeadroom('prod')).toEqual({ cpu: 6000 });
    expect(alloc.roleHeadroom('dev')).toEqual({});
  });

  it('honours per-framework eligibility', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 4, 8, { attributes: { gpu: 'yes' } }));
    alloc.addAgent(agent('a2', 4, 8));
    alloc.addFramework(external('F', { eligible: (a) => a.attributes.gpu === 'yes' }));
    expect(alloc.allocate().offers.map((o) => o.agentId)).toEqual(['a1']);
  });

  it('moves allocations when a framework changes role', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 4, 8));
    alloc.addFramework(external('F', { role: 'a' }));
    alloc.addTask({ taskId: 't', frameworkId: 'F', agentId: 'a1', resources: res(1, 1) });
    alloc.updateFramework('F', { role: 'b' });
    expect(alloc.roleAllocation('a')).toEqual({});
    expect(alloc.roleAllocation('b')).toEqual(res(1, 1));
    alloc.checkInvariants();
  });

  it('removing an agent releases its tasks', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 4, 8));
    alloc.addFramework(external('F'));
    alloc.addTask({ taskId: 't', frameworkId: 'F', agentId: 'a1', resources: res(1) });
    expect(alloc.removeAgent('a1')).toEqual({ rescinded: [], lostTasks: ['t'] });
    expect(alloc.frameworkAllocation('F')).toEqual({});
    expect(alloc.poolTotal()).toEqual({});
    alloc.addAgent(agent('a2', 2, 1));
    expect(alloc.poolTotal()).toEqual({ cpu: 2000, memory: GI });
    alloc.checkInvariants();
  });

  it('same seed, same offers', () => {
    const run = (): unknown => {
      const { alloc } = newAllocator({ seed: 3 });
      for (let i = 0; i < 20; i++) alloc.addAgent(agent(`a${i}`, 4, 8));
      for (let i = 0; i < 5; i++) alloc.addFramework(external(`f${i}`));
      return alloc.allocate().offers;
    };
    const offers = run();
    // every agent is offered, whole, to some framework: an empty cycle would match itself too
    expect(offers).toHaveLength(20);
    expect(offers).toEqual(run());
  });
});

describe('Allocator decline filters, as Mesos keeps them', () => {
  it.each([
    // refuse 0.2 s with a 1 s allocation interval: filtered for 1 s, not 0.2 s.
    { name: 'a short refusal lasts one allocation interval', refuse: 0.2, interval: 1000, at: [999, 1000] },
    // refuse 3 s: longer than the interval, kept as asked.
    { name: 'a longer refusal is kept as asked', refuse: 3, interval: 1000, at: [2999, 3000] },
    // a 10 s allocation interval stretches a 5 s refusal to 10 s.
    {
      name: 'a long interval stretches the default refusal',
      refuse: 5,
      interval: 10_000,
      at: [9999, 10_000],
    },
  ])('$name', ({ refuse, interval, at }) => {
    const { alloc, clock } = newAllocator({ allocationIntervalMs: interval });
    alloc.addAgent(agent('a1', 4, 8));
    alloc.addFramework(external('F'));
    const [o] = alloc.allocate().offers;
    expect(o?.agentId).toBe('a1');
    expect(alloc.decline(o?.offerId ?? '', refuse)).toBe(true);
    const [still, lapsed] = at as [number, number];
    clock.advance(still);
    // Still filtered one millisecond before the filter's end.
    expect(alloc.allocate().offers).toEqual([]);
    clock.advance(lapsed - still);
    expect(alloc.allocate().offers.map((x) => x.agentId)).toEqual(['a1']);
  });

  it('a refusal of 0 seconds installs no filter', () => {
    const { alloc } = newAllocator({ allocationIntervalMs: 1000 });
    alloc.addAgent(agent('a1', 4, 8));
    alloc.addFramework(external('F'));
    const [o] = alloc.allocate().offers;
    expect(alloc.decline(o?.offerId ?? '', 0)).toBe(true);
    expect(alloc.allocate().offers.map((x) => x.agentId)).toEqual(['a1']);
  });

  it.each([
    {
      name: 'changed attributes clear the filters on that agent',
      attributes: { zone: 'b' },
      offered: ['a1'],
    },
    { name: 'the same attributes keep them', attributes: { zone: 'a' }, offered: [] },
  ])('$name', ({ attributes, offered }) => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 4, 8, { attributes: { zone: 'a' } }));
    alloc.addFramework(external('F'));
    const [o] = alloc.allocate().offers;
    expect(alloc.decline(o?.offerId ?? '', 3600)).toBe(true);
    expect(alloc.allocate().offers).toEqual([]);
    alloc.updateAgent('a1', { attributes });
    // F refused a1 for an hour; only an agent that changed is offered again at once.
    expect(alloc.allocate().offers.map((x) => x.agentId)).toEqual(offered);
  });
});
