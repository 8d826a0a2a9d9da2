import { parseConstraint } from './constraints.js';
import { agent, builtin, countBy, external, GI, newAllocator, res, tasks } from '../test-builders.js';
import type { PendingTask } from '../types.js';

describe('progressive filling (task-granularity DRF)', () => {
  it('reproduces the DRF paper example exactly (Ghodsi et al., NSDI 2011, §4)', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 9, 18));
    alloc.addFramework(builtin('A'));
    alloc.addFramework(builtin('B'));
    const r = alloc.placeTasks([...tasks('A', 10, 1, 4), ...tasks('B', 10, 3, 1)]);
    // A: 3 tasks <1 CPU, 4 GB> → <3 CPU, 12 GB>, share max(3/9, 12/18) = 2/3
    // B: 2 tasks <3 CPU, 1 GB> → <6 CPU, 2 GB>, share max(6/9, 2/18) = 2/3
    expect(countBy(r.placements, (p) => p.frameworkId)).toEqual({ A: 3, B: 2 });
    expect(alloc.frameworkShare('A')).toBeCloseTo(2 / 3, 12);
    expect(alloc.frameworkShare('B')).toBeCloseTo(2 / 3, 12);
    expect(alloc.frameworkAllocation('A')).toEqual(res(3, 12));
    expect(alloc.frameworkAllocation('B')).toEqual(res(6, 2));
    // progressive filling order: A, B, A, B, A
    expect(r.placements.map((p) => p.frameworkId)).toEqual(['A', 'B', 'A', 'B', 'A']);
    expect(r.unschedulable).toHaveLength(15);
    expect(r.unschedulable.every((u) => u.reason === 'InsufficientResources')).toBe(true);
    alloc.checkInvariants();
  });

  it.each<[string, number, number, Record<string, number>]>([
    // weights 1:1 on 10 cpu, 1-cpu tasks: shares .5/.5
    ['equal weights', 1, 1, { A: 5, B: 5 }],
    // weight 3:1: fair point A 7.5, B 2.5. After A 6 (6/10/3 = .2) and B 2 (.2) the tie
    // goes to fewer allocations (B → .3); A then takes the last cpu (7/30 = .233)
    ['weight 3 to 1', 3, 1, { A: 7, B: 3 }],
    // weight 1:4 → B 8, A 2
    ['weight 1 to 4', 1, 4, { A: 2, B: 8 }],
  ])('role weights: %s', (_name, wa, wb, want) => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 10, 100));
    alloc.setRole('ra', { weight: wa });
    alloc.setRole('rb', { weight: wb });
    alloc.addFramework(builtin('A', { role: 'ra' }));
    alloc.addFramework(builtin('B', { role: 'rb' }));
    const r = alloc.placeTasks([...tasks('A', 20, 1, 1), ...tasks('B', 20, 1, 1)]);
    expect(countBy(r.placements, (p) => p.frameworkId)).toEqual(want);
  });

  it('is fair across hierarchical roles, then within them', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 12, 100));
    alloc.addFramework(builtin('ml1', { role: 'eng/ml' }));
    alloc.addFramework(builtin('ml2', { role: 'eng/ml' }));
    alloc.addFramework(builtin('web', { role: 'eng/web' }));
    alloc.addFramework(builtin('ops', { role: 'ops' }));
    const r = alloc.placeTasks([
      ...tasks('ml1', 20, 1, 1),
      ...tasks('ml2', 20, 1, 1),
      ...tasks('web', 20, 1, 1),
      ...tasks('ops', 20, 1, 1),
    ]);
    // eng = .5, ops = .5; inside eng: ml = web = .25; inside ml: ml1 = ml2
    expect(countBy(r.placements, (p) => p.frameworkId)).toEqual({ ml1: 2, ml2: 1, web: 3, ops: 6 });
  });

  it('orders a framework’s tasks by priority, then age', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 2, 10));
    alloc.addFramework(builtin('A'));
    const r = alloc.placeTasks([
      { taskId: 'old-low', frameworkId: 'A', resources: res(1), createdAt: 1 },
      { taskId: 'new-high', frameworkId: 'A', resources: res(1), createdAt: 5, priority: 10 },
      { taskId: 'new-low', frameworkId: 'A', resources: res(1), createdAt: 3 },
    ]);
    expect(r.placements.map((p) => p.taskId)).toEqual(['new-high', 'old-low']);
    expect(r.unschedulable.map((u) => u.taskId)).toEqual(['new-low']);
  });

  it.each([
    { keys: 'small integers', base: 0, low: 0, high: 2 },
    {
      keys: 'clock times and wide priorities',
      base: 1_765_000_000_000,
      low: -2_000_000_000,
      high: 2_000_000_000,
    },
    { keys: 'fractional priorities', base: 0, low: 0.25, high: 0.5 },
    { keys: 'priorities too far apart to pack', base: 0, low: -(2 ** 52), high: 2 ** 52 },
  ])('orders by priority, age, then task ID with $keys', ({ base, low, high }) => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 100, 100));
    alloc.addFramework(builtin('A'));
    const t = (taskId: string, priority: number, age: number): PendingTask => ({
      taskId,
      frameworkId: 'A',
      resources: res(1),
      priority,
      createdAt: base + age,
    });
    const r = alloc.placeTasks([
      t('g', low, 2),
      t('e', low, 2),
      t('b', high, 7),
      t('d', low, 1),
      t('a', high, 7),
      t('f', low, 2),
      t('c', high, 9),
    ]);
    expect(r.placements.map((p) => p.taskId)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('reports a task that fits nowhere without blocking the others', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 4, 8));
    alloc.addAgent(agent('a2', 4, 8));
    alloc.addFramework(builtin('A'));
    const r = alloc.placeTasks([
      { taskId: 'huge', frameworkId: 'A', resources: res(16), createdAt: 0 },
      { taskId: 'gpu', frameworkId: 'A', resources: res(1, 0, { 'nvidia.com/gpu': 1 }), createdAt: 1 },
      { taskId: 'small', frameworkId: 'A', resources: res(1, 1), createdAt: 2 },
    ]);
    expect(r.placements.map((p) => p.taskId)).toEqual(['small']);
    expect(r.unschedulable.map((u) => [u.taskId, u.reason])).toEqual([
      ['huge', 'InsufficientResources'],
      ['gpu', 'InsufficientResources'],
    ]);
    expect(r.unschedulable[0]?.message).toMatch(/cpu 16, more than any agent/);
    expect(r.unschedulable[1]?.message).toMatch(/nvidia.com\/gpu/);
  });

  it('names the largest capacity (total less used) of the resource a task needs more of than any agent has', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 4, 8, { used: res(1) }));
    alloc.addAgent(agent('a2', 6, 4));
    alloc.addFramework(builtin('A'));
    alloc.addFramework(builtin('B'));
    const messages = (pending: PendingTask[]): Record<string, string | undefined> =>
      Object.fromEntries(alloc.placeTasks(pending).unschedulable.map((u) => [u.taskId, u.message]));
    const big = (taskId: string, frameworkId: string, cpu: number, memGi: number): PendingTask => ({
      taskId,
      frameworkId,
      resources: res(cpu, memGi),
      createdAt: 0,
    });
    expect(messages([big('a-cpu', 'A', 7, 1), big('b-mem', 'B', 1, 9), big('b-cpu', 'B', 8, 1)])).toEqual({
      'a-cpu': 'needs cpu 7, more than any agent has (largest: 6)',
      'b-mem': 'needs memory 9Gi, more than any agent has (largest: 8Gi)',
      'b-cpu': 'needs cpu 8, more than any agent has (largest: 6)',
    });
    // Worked out again in the next call: the agents' usage changed in between.
    alloc.updateAgent('a2', { used: res(2) });
    expect(messages([big('a-cpu-2', 'A', 7, 1)])).toEqual({
      'a-cpu-2': 'needs cpu 7, more than any agent has (largest: 4)',
    });
  });

  it.each<[string, 'Spread' | 'BinPack', Record<string, number>]>([
    ['Spread puts tasks on the emptiest agents', 'Spread', { a1: 2, a2: 2, a3: 2 }],
    ['BinPack fills one agent before the next', 'BinPack', { a1: 4, a2: 2 }],
  ])('%s', (_name, placement, want) => {
    const { alloc } = newAllocator();
    for (const id of ['a1', 'a2', 'a3']) alloc.addAgent(agent(id, 4, 16));
    alloc.addFramework(builtin('A', { placement }));
    const r = alloc.placeTasks(tasks('A', 6, 1, 1));
    expect(countBy(r.placements, (p) => p.agentId)).toEqual(want);
  });

  describe('constraints', () => {
    const zones: Record<string, string> = { a1: 'z1', a2: 'z1', a3: 'z2', a4: 'z3' };
    const setup = (): ReturnType<typeof newAllocator> => {
      const env = newAllocator();
      for (const id of ['a1', 'a2', 'a3', 'a4']) {
        env.alloc.addAgent(agent(id, 8, 32, { attributes: { zone: zones[id] ?? '', rack: `r-${id}` } }));
      }
      env.alloc.addFramework(builtin('A', { placement: 'BinPack' }));
      return env;
    };

    it.each<[string, string, number, Record<string, number>, number]>([
      // one per host
      ['hostname UNIQUE', 'hostname:UNIQUE', 6, { a1: 1, a2: 1, a3: 1, a4: 1 }, 2],
      // all on the zone asked for
      ['CLUSTER on a value', 'zone:CLUSTER:z2', 3, { a3: 3 }, 0],
      // at most 2 per zone
      ['MAX_PER', 'zone:MAX_PER:2', 8, { a1: 2, a3: 2, a4: 2 }, 2],
      // evenly over z1, z2, z3
      ['GROUP_BY', 'zone:GROUP_BY', 6, { a1: 2, a3: 2, a4: 2 }, 0],
      ['LIKE', 'zone:LIKE:z[12]', 3, { a1: 3 }, 0],
      ['UNLIKE', 'zone:UNLIKE:z1', 2, { a3: 2 }, 0],
      ['LIKE is anchored', 'zone:LIKE:z', 1, {}, 1],
    ])('%s', (_name, constraint, n, want, unschedulable) => {
      const { alloc } = setup();
      const r = alloc.placeTasks(tasks('A', n, 1, 1, { constraints: [parseConstraint(constraint)] }));
      expect(countBy(r.placements, (p) => p.agentId)).toEqual(want);
      expect(r.unschedulable).toHaveLength(unschedulable);
      for (const u of r.unschedulable) {
        expect(u.reason).toBe('ConstraintsNotSatisfied');
        expect(u.message).toContain(constraint.split(':').slice(0, 2).join(':'));
      }
    });

    it('CLUSTER without a value follows the group’s running tasks', () => {
      const { alloc } = setup();
      expect(alloc.addTask({ taskId: 'run', frameworkId: 'A', agentId: 'a4', resources: res(1) })).toEqual({
        ok: true,
      });
      const r = alloc.placeTasks(
        tasks('A', 2, 1, 1, { constraints: [parseConstraint(['zone', 'CLUSTER'])] }),
      );
      expect(countBy(r.placements, (p) => p.agentId)).toEqual({ a4: 2 });
    });

    it('groups are per task group, defaulting to the framework', () => {
      const { alloc } = setup();
      const unique = [parseConstraint('hostname:UNIQUE')];
      const r = alloc.placeTasks([
        ...tasks('A', 4, 1, 1, { constraints: unique, group: 'web' }),
        ...tasks('A', 4, 1, 1, { constraints: unique, group: 'db' }).map((t) => ({
          ...t,
          taskId: `db-${t.taskId}`,
        })),
      ]);
      // UNIQUE counts within each group: web and db each put one task on every agent
      expect(countBy(r.placements, (p) => p.agentId)).toEqual({ a1: 2, a2: 2, a3: 2, a4: 2 });
      expect(r.unschedulable).toEqual([]);
    });

    it('rejects invalid constraints', () => {
      expect(() => parseConstraint('zone:LIKE:(')).toThrow(/regular expression/);
      expect(() => parseConstraint('zone:MAX_PER:x')).toThrow(/positive integer/);
      expect(() => parseConstraint('zone:NEAR')).toThrow(/invalid constraint/);
    });
  });

  it('respects quota limits and names the role and resource', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 16, 64));
    alloc.setRole('capped', { limit: res(3) });
    alloc.addFramework(builtin('A', { role: 'capped' }));
    const r = alloc.placeTasks(tasks('A', 5, 1, 1));
    // limit 3 cpu → 3 tasks; the other two wait on the quota
    expect(r.placements.map((p) => p.taskId)).toEqual(['A-0', 'A-1', 'A-2']);
    expect(r.unschedulable.map((u) => u.reason)).toEqual(['QuotaLimitReached', 'QuotaLimitReached']);
    expect(alloc.roleAllocation('capped')).toEqual(res(3, 3));
    expect(r.unschedulable[0]?.message).toMatch(/role capped.*cpu/);
  });

  it('meets guarantees first and holds headroom for them', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 10, 100));
    alloc.setRole('prod', { guarantee: res(6) });
    alloc.addFramework(builtin('greedy', { role: 'dev' }));
    alloc.addFramework(builtin('prod', { role: 'prod' }));
    // dev first by name if it were only DRF; prod has 4 tasks only, so headroom matters
    const r1 = alloc.placeTasks(tasks('greedy', 10, 1, 1));
    // 10 cpu − 6 guaranteed to prod = 4 for dev
    expect(r1.placements).toHaveLength(4);
    expect(r1.unschedulable).toHaveLength(6);
    expect(r1.unschedulable.every((u) => u.reason === 'GuaranteeHeadroom')).toBe(true);
    // The waiting tasks say whom the capacity is held for.
    expect(new Set(r1.unschedulable.map((u) => u.message))).toEqual(
      new Set(['free cpu is held as headroom for the unmet quota guarantees of role prod']),
    );
    // the 6 cpu held back go to prod; its last 2 tasks find no room
    const r2 = alloc.placeTasks(tasks('prod', 8, 1, 1));
    expect(r2.placements).toHaveLength(6);
    expect(alloc.roleAllocation('prod')).toEqual(res(6, 6));
    expect(alloc.agentFree('a1')).toEqual({ memory: 90 * GI });
    alloc.checkInvariants();
  });

  it('respects eligibility', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 4, 8, { attributes: { tainted: 'yes' } }));
    alloc.addAgent(agent('a2', 4, 8));
    alloc.addFramework(builtin('A', { eligible: (a) => a.attributes.tainted !== 'yes' }));
    const r = alloc.placeTasks(tasks('A', 5, 1, 1));
    expect(countBy(r.placements, (p) => p.agentId)).toEqual({ a2: 4 });
    expect(r.unschedulable.map((u) => [u.taskId, u.reason])).toEqual([['A-4', 'NoEligibleAgent']]);
  });

  it('respects offer filters until they lapse', () => {
    const { alloc, clock } = newAllocator();
    alloc.addAgent(agent('a1', 4, 8));
    alloc.addAgent(agent('a2', 4, 8));
    // A framework that declined while it was External keeps its filter when it turns Builtin.
    alloc.addFramework(external('A'));
    const offers = alloc.allocate().offers;
    expect(offers.map((o) => o.agentId).sort()).toEqual(['a1', 'a2']);
    const onA1 = offers.find((o) => o.agentId === 'a1');
    const onA2 = offers.find((o) => o.agentId === 'a2');
    expect(alloc.decline(onA1?.offerId ?? '', 60)).toBe(true);
    expect(alloc.decline(onA2?.offerId ?? '', 0)).toBe(true);
    alloc.updateFramework('A', { kind: 'Builtin' });
    // a1 refused <4 cpu, 8 Gi> for 60 s: every 1-cpu task lands on a2
    const r1 = alloc.placeTasks(tasks('A', 5, 1, 1));
    expect(countBy(r1.placements, (p) => p.agentId)).toEqual({ a2: 4 });
    expect(r1.unschedulable.map((u) => [u.taskId, u.reason])).toEqual([['A-4', 'NoEligibleAgent']]);
    expect(r1.unschedulable[0]?.message).toMatch(/1 are filtered by its declines/);
    clock.advance(60_000);
    const r2 = alloc.placeTasks(tasks('A', 1, 1, 1).map((t) => ({ ...t, taskId: 'late' })));
    expect(r2.placements).toEqual([expect.objectContaining({ taskId: 'late', agentId: 'a1' })]);
  });

  it('rejects tasks of unknown, external or suppressed frameworks and duplicates', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 4, 8));
    alloc.addFramework(builtin('A'));
    alloc.addFramework(builtin('S', { suppressed: true }));
    alloc.addFramework({ frameworkId: 'E', kind: 'External' });
    const r = alloc.placeTasks([
      ...tasks('X', 1, 1, 1),
      ...tasks('E', 1, 1, 1),
      ...tasks('S', 1, 1, 1),
      ...tasks('A', 1, 1, 1),
      ...tasks('A', 1, 1, 1),
    ]);
    expect(r.unschedulable.map((u) => u.reason)).toEqual([
      'UnknownFramework',
      'NotBuiltin',
      'FrameworkSuppressed',
      'InvalidTask',
    ]);
    expect(r.placements).toHaveLength(1);
  });

  it.each<[string, PendingTask[], string[], string[]]>([
    // the second of two IDs is the repeat, whether the first was queued or refused
    [
      'a queued ID repeated',
      [...tasks('A', 1, 1, 1), ...tasks('A', 1, 2, 1)],
      ['A-0'],
      ['A-0 InvalidTask appears twice in this cycle'],
    ],
    [
      'a refused ID repeated',
      [...tasks('X', 1, 1, 1, { taskId: 'dup' }), ...tasks('A', 1, 1, 1, { taskId: 'dup' })],
      [],
      ['dup UnknownFramework', 'dup InvalidTask appears twice in this cycle'],
    ],
    // running: its first mention says so, a second is a repeat
    [
      'a running ID',
      [...tasks('A', 1, 1, 1, { taskId: 'run' }), ...tasks('A', 1, 1, 1, { taskId: 'run' })],
      [],
      ['run InvalidTask already holds an allocation', 'run InvalidTask appears twice in this cycle'],
    ],
    [
      'an invalid amount',
      [...tasks('A', 1, 1, 1, { resources: { cpu: -1 } })],
      [],
      ['A-0 InvalidTask resource cpu must be a non-negative integer, got -1'],
    ],
  ])('task IDs: %s', (_name, pending, placed, refused) => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 4, 8));
    alloc.addFramework(builtin('A'));
    expect(alloc.addTask({ taskId: 'run', frameworkId: 'A', agentId: 'a1', resources: res(1) }).ok).toBe(
      true,
    );
    const r = alloc.placeTasks(pending);
    expect(r.placements.map((p) => p.taskId)).toEqual(placed);
    expect(
      r.unschedulable.map(
        (u) =>
          `${u.taskId} ${u.reason}${u.reason === 'InvalidTask' ? ` ${u.message.replace(/^task \S+ /, '')}` : ''}`,
      ),
    ).toEqual(refused);
    alloc.checkInvariants();
  });

  it('keeps no allocation for tasks it could not place', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 2, 8));
    alloc.addFramework(builtin('A'));
    const r = alloc.placeTasks(tasks('A', 4, 1, 1));
    expect(r.placements.map((p) => p.taskId)).toEqual(['A-0', 'A-1']);
    for (const id of ['A-2', 'A-3']) {
      expect(alloc.task(id)).toBeUndefined();
      expect(alloc.removeTask(id)).toBe(false);
    }
    alloc.checkInvariants();
    // A-2 is new to the next cycle, once there (twice: the second is the repeat), and placed once
    // there is room; A-3, pending no more, leaves nothing behind
    expect(alloc.removeTask('A-0')).toBe(true);
    const again = tasks('A', 3, 1, 1).slice(2);
    const r2 = alloc.placeTasks([...again, ...again]);
    expect(r2.placements.map((p) => `${p.taskId}@${p.agentId}`)).toEqual(['A-2@a1']);
    expect(r2.unschedulable.map((u) => u.message)).toEqual(['task A-2 appears twice in this cycle']);
    expect(alloc.task('A-2')?.agentId).toBe('a1');
    alloc.checkInvariants();
    // a task left pending may still be registered as running (after a restart, say)
    alloc.placeTasks(tasks('A', 5, 1, 1).slice(4));
    expect(alloc.addTask({ taskId: 'A-4', frameworkId: 'A', agentId: 'a1', resources: res(0.5) }).ok).toBe(
      true,
    );
    expect(alloc.task('A-4')?.resources).toEqual(res(0.5));
    alloc.checkInvariants();
  });

  it('recovers resources when tasks end and rebuilds from registered tasks', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 2, 8));
    alloc.addFramework(builtin('A'));
    expect(alloc.addTask({ taskId: 'r1', frameworkId: 'A', agentId: 'a1', resources: res(2, 1) }).ok).toBe(
      true,
    );
    expect(alloc.addTask({ taskId: 'r1', frameworkId: 'A', agentId: 'a1', resources: res(1) })).toEqual(
      expect.objectContaining({ ok: false, reason: 'DuplicateTask' }),
    );
    expect(alloc.addTask({ taskId: 'r2', frameworkId: 'A', agentId: 'nope', resources: res(1) })).toEqual(
      expect.objectContaining({ ok: false, reason: 'UnknownAgent' }),
    );
    expect(alloc.placeTasks(tasks('A', 1, 1, 1)).placements).toHaveLength(0);
    expect(alloc.removeTask('r1')).toBe(true);
    expect(alloc.removeTask('r1')).toBe(false);
    expect(alloc.placeTasks(tasks('A', 1, 1, 1)).placements).toHaveLength(1);
    expect(alloc.agentFree('a1')).toEqual({ cpu: 1000, memory: 7 * GI });
    alloc.checkInvariants();
  });

  it('counts resources used by others out of the agent', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 4, 8, { used: res(3) }));
    alloc.addFramework(builtin('A'));
    expect(alloc.placeTasks(tasks('A', 2, 1, 1)).placements).toHaveLength(1);
    alloc.updateAgent('a1', { used: {} });
    expect(
      alloc.placeTasks(tasks('A', 3, 1, 1).map((t) => ({ ...t, taskId: `b${t.taskId}` }))).placements,
    ).toHaveLength(3);
  });

  it.each<[string, Partial<{ used: Record<string, number> }>, Record<string, number>, string[]]>([
    // a1 and a2 both empty: a tie, the first agent wins; then a1 holds less free → a2, a1, a2
    ['equal agents alternate', {}, {}, ['a1', 'a2', 'a1', 'a2']],
    // a1's GPUs all taken: GPUs are fairness-excluded, so a1 still scores 1 and wins the tie
    ['excluded resources do not count', {}, { 'nvidia.com/gpu': 4 }, ['a1', 'a2', 'a1', 'a2']],
    // 2 of a1's 4 cpus used by others: capacity 2, so one 1-cpu task halves its cpu fraction
    // (score (½ + 7/8) / 2 = .69 against a2's (¾ + 7/8) / 2 = .81)
    ['capacity is total minus used', { used: res(2) }, {}, ['a1', 'a2', 'a2', 'a1']],
  ])('Spread: most free share first (%s)', (_name, a1, a1Task, want) => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('a1', 4, 8, { total: res(4, 8, { 'nvidia.com/gpu': 4 }), ...a1 }));
    alloc.addAgent(agent('a2', 4, 8));
    alloc.addFramework(builtin('A'));
    if (Object.keys(a1Task).length > 0)
      expect(alloc.addTask({ taskId: 'gpu', frameworkId: 'A', agentId: 'a1', resources: a1Task }).ok).toBe(
        true,
      );
    const r = alloc.placeTasks(tasks('A', 4, 1, 1));
    expect(r.placements.map((p) => p.agentId)).toEqual(want);
    alloc.checkInvariants();
  });

  describe('with external frameworks in the same DRF order', () => {
    it('offers an external framework its turn instead of letting a built-in backlog take everything', () => {
      const { alloc } = newAllocator();
      alloc.addAgent(agent('a1', 4, 16));
      alloc.addAgent(agent('a2', 4, 16));
      alloc.addFramework(builtin('B'));
      alloc.addFramework(external('E'));
      const r = alloc.placeTasks(tasks('B', 20, 1, 1));
      // E is offered one whole agent (share 4/8 = .5); B fills the other one's cpus to .5;
      // at the tie E (fewer allocations) is offered what B left there, the memory (12/32).
      expect(r.offers?.map((o) => [o.frameworkId, o.resources])).toEqual([
        ['E', res(4, 16)],
        ['E', { memory: 12 * GI }],
      ]);
      expect(countBy(r.placements, (p) => p.frameworkId)).toEqual({ B: 4 });
      expect(new Set(r.placements.map((p) => p.agentId)).size).toBe(1);
      expect(alloc.frameworkShare('E')).toBeCloseTo(28 / 32, 12);
      expect(alloc.frameworkShare('B')).toBeCloseTo(0.5, 12);
      alloc.checkInvariants();
    });

    it('leaves suppressed and filtered external frameworks out, and offers nothing once built-in tasks are done', () => {
      const { alloc } = newAllocator();
      alloc.addAgent(agent('a1', 4, 16));
      alloc.addAgent(agent('a2', 4, 16));
      alloc.addFramework(builtin('B'));
      alloc.addFramework(external('S', { suppressed: true }));
      alloc.addFramework(external('E'));
      const first = alloc.placeTasks(tasks('B', 1, 1, 1));
      // B (share 0) places its one task first; the loop ends with it, before E's turn.
      expect(first.placements).toHaveLength(1);
      expect(first.offers).toEqual([]);
      // E declines both agents for an hour: it cannot be offered anything, so B goes on.
      const made = alloc.allocate().offers;
      for (const o of made) alloc.decline(o.offerId, 3600);
      const second = alloc.placeTasks(
        tasks('B', 6, 1, 1, { createdAt: 1 }).map((t) => ({ ...t, taskId: `x${t.taskId}` })),
      );
      expect(second.offers).toEqual([]);
      expect(second.placements).toHaveLength(6);
      alloc.checkInvariants();
    });
  });
});

describe('task order', () => {
  // Pool <10 cpu, 10 GiB>. a: <1, 1> P1 → R .1; b: <4, 1> P1 → R .4; c: <2, 2> P3 → R .2; ΣR = .7.
  const pending = (fw: string): PendingTask[] => [
    { taskId: `${fw}-a`, frameworkId: fw, resources: res(1, 1), priority: 1, createdAt: 0 },
    { taskId: `${fw}-b`, frameworkId: fw, resources: res(4, 1), priority: 1, createdAt: 1 },
    { taskId: `${fw}-c`, frameworkId: fw, resources: res(2, 2), priority: 3, createdAt: 2 },
  ];
  it.each([
    // Priority, then age: c (P3), a, b.
    { order: 'PriorityAge' as const, want: ['f-c', 'f-a', 'f-b'] },
    // W = R / ΣR × P: c .2/.7×3 = .857, b .4/.7×1 = .571, a .1/.7×1 = .143.
    { order: 'WeightedDemand' as const, want: ['f-c', 'f-b', 'f-a'] },
  ])('$order places $want in that order', ({ order, want }) => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('n1', 10, 10));
    alloc.addFramework(builtin('f', { taskOrder: order }));
    expect(alloc.placeTasks(pending('f')).placements.map((p) => p.taskId)).toEqual(want);
  });
});
