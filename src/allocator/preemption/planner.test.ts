import { progressiveFairShares } from './fair-share.js';
import { planPreemptions } from './planner.js';
import type { PlannerInput, PlannerRunningTask, PlannerPendingTask, PreemptionPlan } from './types.js';

const NOW = 1_000_000;
const HOUR = 3_600_000;

/** `n` running tasks of `cpu` cores each, spread over `agents` in turn, started a minute apart (…-0 oldest). */
function running(
  fw: string,
  n: number,
  cpu: number,
  agents: readonly string[],
  extra: Partial<PlannerRunningTask> = {},
): PlannerRunningTask[] {
  return Array.from({ length: n }, (_, i) => ({
    taskId: `${fw}-${i}`,
    frameworkId: fw,
    agentId: agents[i % agents.length] as string,
    resources: { cpu: cpu * 1000 },
    startedAt: NOW - HOUR + i * 60_000,
    ...extra,
  }));
}

function pending(
  fw: string,
  n: number,
  cpu: number,
  extra: Partial<PlannerPendingTask> = {},
): PlannerPendingTask[] {
  return Array.from({ length: n }, (_, i) => ({
    taskId: `${fw}-p${i}`,
    frameworkId: fw,
    resources: { cpu: cpu * 1000 },
    createdAt: i,
    ...extra,
  }));
}

function cluster(agents: Record<string, number>, rest: Partial<PlannerInput>): PlannerInput {
  return {
    now: NOW,
    agents: Object.entries(agents).map(([agentId, cpu]) => ({ agentId, capacity: { cpu: cpu * 1000 } })),
    roles: [],
    frameworks: [],
    running: [],
    pending: [],
    minRuntimeMs: 0,
    maxPreemptions: 100,
    ...rest,
  };
}

/** preemptor → victims, in plan order. */
function pairs(plan: PreemptionPlan): string[] {
  return plan.preemptions.map(
    (p) => `${p.preemptor}@${p.agentId} ← ${p.victims.map((v) => v.taskId).join('+')}`,
  );
}

const lateFramework = (policy: 'FairShare' | undefined, maxPreemptions = 100): PlannerInput =>
  cluster(
    { a1: 4, a2: 4 },
    {
      roles: policy ? [{ role: '*', policy }] : [],
      frameworks: [
        { frameworkId: 'A', role: '*' },
        { frameworkId: 'B', role: '*' },
      ],
      running: running('A', 8, 1, ['a1', 'a2']),
      pending: pending('B', 8, 1),
      maxPreemptions,
    },
  );

describe('planPreemptions: fair share', () => {
  it('lets a late framework on a full cluster take its fair share from the youngest tasks', () => {
    const plan = planPreemptions(lateFramework('FairShare'));
    // Both demand 8 of 8 cpus: fair shares 0.5 and 0.5; before A 1.0, B 0.
    expect(plan.fairShares).toEqual(
      new Map([
        ['A', 0.5],
        ['B', 0.5],
      ]),
    );
    expect(plan.shares).toEqual(
      new Map([
        ['A', 1],
        ['B', 0],
      ]),
    );
    // Four single-task preemptions, youngest victim first (A-7 started last); B ends at 0.5, A at 0.5.
    expect(pairs(plan)).toEqual(['B-p0@a2 ← A-7', 'B-p1@a1 ← A-6', 'B-p2@a2 ← A-5', 'B-p3@a1 ← A-4']);
    // The last one: B 3/8 → 4/8, A 5/8 → 4/8: the preemptor ends at, not above, the victim.
    expect(plan.preemptions[3]?.shares).toEqual([
      { of: 'B', before: 0.375, after: 0.5, target: 0.5 },
      { of: 'A', before: 0.625, after: 0.5, target: 0.5 },
    ]);
    expect(plan.preemptions[0]?.reason).toBe('FairShare');
    expect(plan.preemptions[0]?.message).toBe(
      'restores the fair share of framework B (dominant share 0.0000 → 0.1250, fair share 0.5000)',
    );
  });

  it('preempts nothing for fair shares under the default policy (GuaranteeOnly)', () => {
    // Same cluster, no ResourceRole policy: A 1.0, B 0, and no preemption.
    expect(pairs(planPreemptions(lateFramework(undefined)))).toEqual([]);
  });

  it('stops at the per-plan budget', () => {
    // Budget 2: B reaches 2/8 = 0.25, A keeps 6/8.
    expect(pairs(planPreemptions(lateFramework('FairShare', 2)))).toEqual(['B-p0@a2 ← A-7', 'B-p1@a1 ← A-6']);
  });

  it('compares weighted role shares across roles', () => {
    const plan = planPreemptions(
      cluster(
        { a1: 6 },
        {
          roles: [
            { role: 'heavy', weight: 2, policy: 'FairShare' },
            { role: 'light', weight: 1, policy: 'FairShare' },
          ],
          frameworks: [
            { frameworkId: 'H', role: 'heavy' },
            { frameworkId: 'L', role: 'light' },
          ],
          running: running('L', 6, 1, ['a1']),
          pending: pending('H', 6, 1),
        },
      ),
    );
    // Weights 2:1 over 6 cpus: role fair shares 4/6 and 2/6.
    expect(plan.roleFairShares.get('heavy')).toBeCloseTo(4 / 6, 9);
    expect(plan.roleFairShares.get('light')).toBeCloseTo(2 / 6, 9);
    // Four preemptions: heavy's weighted share ends at (4/6)/2 = 1/3, light's at 2/6 = 1/3.
    expect(plan.preemptions).toHaveLength(4);
    const last = plan.preemptions[3]?.shares ?? [];
    expect(last[0]?.after).toBeCloseTo(4 / 6, 9);
    expect(last[1]?.of).toBe('L');
    expect(last[1]?.after).toBeCloseTo(2 / 6, 9);
  });

  it('never leaves the victim below its preemptor (no ping-pong)', () => {
    const plan = planPreemptions(
      cluster(
        { a1: 4 },
        {
          roles: [{ role: '*', policy: 'FairShare' }],
          frameworks: [
            { frameworkId: 'A', role: '*' },
            { frameworkId: 'B', role: '*' },
          ],
          running: running('A', 1, 3, ['a1']),
          pending: pending('B', 1, 3),
        },
      ),
    );
    // Both demand 3 of 4 cpus: fair shares 0.5 each; A holds 0.75, B 0.
    expect(plan.fairShares.get('B')).toBeCloseTo(0.5, 9);
    // Swapping would give B 0.75 and A 0: B would end above A, so nothing is preempted.
    expect(pairs(plan)).toEqual([]);
  });
});

describe('planPreemptions: guarantees', () => {
  const base = (batchGuarantee?: number): PlannerInput =>
    cluster(
      { a1: 8 },
      {
        roles: [
          { role: 'prod', guarantee: { cpu: 4000 } },
          ...(batchGuarantee ? [{ role: 'batch', guarantee: { cpu: batchGuarantee * 1000 } }] : []),
        ],
        frameworks: [
          { frameworkId: 'P', role: 'prod' },
          { frameworkId: 'B', role: 'batch' },
        ],
        running: running('B', 4, 2, ['a1']),
        pending: pending('P', 3, 2),
      },
    );

  it('restores a guarantee from a role above its own (default policy)', () => {
    const plan = planPreemptions(base());
    // prod is owed 4 cpus: two 2-cpu tasks take B's two youngest; prod's share 0 → 0.25 → 0.5,
    // the third task does not fit the guarantee and waits.
    expect(pairs(plan)).toEqual(['P-p0@a1 ← B-3', 'P-p1@a1 ← B-2']);
    expect(plan.preemptions.map((p) => p.reason)).toEqual(['Guarantee', 'Guarantee']);
    expect(plan.preemptions[1]?.shares).toEqual([
      { of: 'role:prod', before: 0.25, after: 0.5, target: 0.5 },
      { of: 'role:batch', before: 0.75, after: 0.5 },
    ]);
  });

  it('never takes a victim role below its own guarantee', () => {
    // batch is guaranteed 6 of its 8 cpus: one 2-cpu task may go (8 → 6), not two.
    expect(pairs(planPreemptions(base(6)))).toEqual(['P-p0@a1 ← B-3']);
  });

  it('respects a Never policy', () => {
    const input = base();
    expect(
      pairs(planPreemptions({ ...input, roles: [...input.roles, { role: 'batch', policy: 'Never' }] })),
    ).toEqual([]);
  });
});

describe('planPreemptions: priority within a framework', () => {
  const input = (priorityPreemption: boolean, extra: Partial<PlannerRunningTask> = {}): PlannerInput =>
    cluster(
      { a1: 2 },
      {
        frameworks: [{ frameworkId: 'F', role: '*', priorityPreemption }],
        running: [
          ...running('F', 1, 1, ['a1'], { priority: 5 }),
          { ...running('F', 2, 1, ['a1'], { priority: 0, ...extra })[1] } as PlannerRunningTask,
        ],
        pending: pending('F', 1, 1, { priority: 10 }),
      },
    );

  it('lets a higher-priority task displace the lowest-priority one when the framework allows it', () => {
    const plan = planPreemptions(input(true));
    // F-1 (priority 0) goes, F-0 (priority 5) stays; F's share stays 1.0.
    expect(pairs(plan)).toEqual(['F-p0@a1 ← F-1']);
    expect(plan.preemptions[0]?.reason).toBe('Priority');
    expect(plan.preemptions[0]?.shares).toEqual([{ of: 'F', before: 1, after: 1 }]);
  });

  it('does nothing when the framework does not allow it', () => {
    expect(pairs(planPreemptions(input(false)))).toEqual([]);
  });

  it('takes the next candidate when the lowest one is protected', () => {
    // F-1 is not preemptible: F-0 (priority 5 < 10) goes instead.
    expect(pairs(planPreemptions(input(true, { preemptible: false })))).toEqual(['F-p0@a1 ← F-0']);
  });
});

describe('planPreemptions: choosing victims', () => {
  const twoAgents = (rest: Partial<PlannerInput> = {}): PlannerInput =>
    cluster(
      { a1: 2, a2: 2 },
      {
        roles: [{ role: '*', policy: 'FairShare' }],
        frameworks: [
          { frameworkId: 'A', role: '*' },
          { frameworkId: 'B', role: '*' },
        ],
        running: [
          ...running('A', 2, 1, ['a1']),
          {
            taskId: 'A-big',
            frameworkId: 'A',
            agentId: 'a2',
            resources: { cpu: 2000 },
            startedAt: NOW - HOUR,
          },
        ],
        pending: pending('B', 2, 2),
        ...rest,
      },
    );

  it('prefers one victim to two', () => {
    // B needs 2 cpus: a2's one 2-cpu task beats a1's two 1-cpu tasks. A 4/4 → 2/4, B 0 → 2/4.
    expect(pairs(planPreemptions(twoAgents()))).toEqual(['B-p0@a2 ← A-big']);
  });

  it('takes two on one node when no single task makes room', () => {
    const input = twoAgents();
    const protectedBig = input.running.map((t) => (t.taskId === 'A-big' ? { ...t, preemptible: false } : t));
    // A-big is protected: both of a1's tasks go. A 4/4 → 2/4, B 0 → 2/4.
    expect(pairs(planPreemptions({ ...input, running: protectedBig }))).toEqual(['B-p0@a1 ← A-1+A-0']);
  });

  it('leaves tasks younger than the minimum runtime alone', () => {
    const input = twoAgents({ minRuntimeMs: HOUR - 30_000 });
    // Only A-big and A-0 have run an hour less 30 s; A-1 started a minute later. A-big goes.
    expect(pairs(planPreemptions(input))).toEqual(['B-p0@a2 ← A-big']);
    // With A-big protected, a1 cannot make room without A-1: nothing.
    const protectedBig = input.running.map((t) => (t.taskId === 'A-big' ? { ...t, preemptible: false } : t));
    expect(pairs(planPreemptions({ ...input, running: protectedBig }))).toEqual([]);
  });

  it('does not preempt for a task that fits as things are', () => {
    // a3 is empty: B's task is placed there by the allocator, not by preemption.
    expect(
      pairs(
        planPreemptions({
          ...twoAgents(),
          agents: [...twoAgents().agents, { agentId: 'a3', capacity: { cpu: 2000 } }],
        }),
      ),
    ).toEqual([]);
  });

  it('honours the agents a pending task may use', () => {
    // B may only use a1: both of a1's tasks go (a2's single task is out of reach).
    expect(pairs(planPreemptions(twoAgents({ pending: pending('B', 1, 2, { agents: ['a1'] }) })))).toEqual([
      'B-p0@a1 ← A-1+A-0',
    ]);
  });
});

describe('progressiveFairShares', () => {
  it.each([
    {
      name: "the DRF paper's example: A <1 cpu, 4 GB>, B <3 cpu, 1 GB> on <9 cpu, 18 GB>",
      clients: [
        { id: 'A', weight: 1, demand: [100, 400] },
        { id: 'B', weight: 1, demand: [300, 100] },
      ],
      capacity: [9, 18],
      // Unbounded demand (×100): both freeze when cpu runs out at 2/3 each.
      want: { A: 2 / 3, B: 2 / 3 },
    },
    {
      name: 'a small demand saturates; the rest goes to the other',
      clients: [
        { id: 'A', weight: 1, demand: [2] },
        { id: 'B', weight: 1, demand: [10] },
      ],
      capacity: [10],
      // A asks 0.2 and gets it; B gets the remaining 0.8.
      want: { A: 0.2, B: 0.8 },
    },
    {
      name: 'weights 2:1',
      clients: [
        { id: 'A', weight: 2, demand: [10] },
        { id: 'B', weight: 1, demand: [10] },
      ],
      capacity: [9],
      // A rises twice as fast: 6/9 and 3/9.
      want: { A: 6 / 9, B: 3 / 9 },
    },
    {
      name: 'no demand, no share',
      clients: [
        { id: 'A', weight: 1, demand: [] },
        { id: 'B', weight: 1, demand: [4] },
      ],
      capacity: [4],
      want: { A: 0, B: 1 },
    },
  ])('$name', ({ clients, capacity, want }) => {
    const got = progressiveFairShares(clients, capacity, capacity, new Set());
    for (const [id, share] of Object.entries(want)) expect(got.get(id)?.share).toBeCloseTo(share, 9);
  });
});
