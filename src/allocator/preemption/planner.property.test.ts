/** Property-based tests (fast-check) of the preemption planner on random clusters. */
import fc from 'fast-check';
import { planPreemptions } from './planner.js';
import type { PlannerInput, PlannerPendingTask, PlannerRunningTask, PreemptionPlan } from './types.js';

const RUNS = { numRuns: 150 };
const NOW = 10_000_000;

const taskArb = fc.record({
  fw: fc.integer({ min: 0, max: 2 }),
  cpu: fc.integer({ min: 1, max: 4 }),
  mem: fc.integer({ min: 1, max: 4 }),
  priority: fc.integer({ min: 0, max: 3 }),
  preemptible: fc.boolean(),
  age: fc.integer({ min: 0, max: 100 }),
});

const clusterArb = fc.record({
  agents: fc.array(fc.record({ cpu: fc.integer({ min: 2, max: 8 }), mem: fc.integer({ min: 2, max: 8 }) }), {
    minLength: 1,
    maxLength: 3,
  }),
  frameworks: fc.array(
    fc.record({ role: fc.constantFrom('*', 'r1', 'r2'), priorityPreemption: fc.boolean() }),
    { minLength: 3, maxLength: 3 },
  ),
  weights: fc.record({ r1: fc.constantFrom(1, 2, 3), r2: fc.constantFrom(1, 2) }),
  policy: fc.constantFrom<'Never' | 'GuaranteeOnly' | 'FairShare'>(
    'FairShare',
    'FairShare',
    'GuaranteeOnly',
    'Never',
  ),
  guarantee: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
  running: fc.array(fc.tuple(taskArb, fc.nat()), { maxLength: 14 }),
  pending: fc.array(taskArb, { maxLength: 8 }),
  minRuntimeS: fc.constantFrom(0, 0, 50),
  /** One role only, no guarantee: the plain fair-share setting the fairness property checks. */
  plain: fc.boolean(),
});

type Cluster = typeof clusterArb extends fc.Arbitrary<infer T> ? T : never;

/** Builds a planner input; running tasks are put on an agent where they fit, else dropped. */
function build(c: Cluster): PlannerInput {
  const agents = c.agents.map((a, i) => ({
    agentId: `a${i}`,
    capacity: { cpu: a.cpu * 1000, memory: a.mem },
  }));
  const left = c.agents.map((a) => ({ cpu: a.cpu * 1000, memory: a.mem }));
  const role = (i: number): string => (c.plain ? '*' : (c.frameworks[i]?.role ?? '*'));
  const running: PlannerRunningTask[] = [];
  c.running.forEach(([t, where], i) => {
    const slot = where % agents.length;
    const free = left[slot] as { cpu: number; memory: number };
    if (free.cpu < t.cpu * 1000 || free.memory < t.mem) return;
    free.cpu -= t.cpu * 1000;
    free.memory -= t.mem;
    running.push({
      taskId: `r${i}`,
      frameworkId: `f${t.fw}`,
      agentId: `a${slot}`,
      resources: { cpu: t.cpu * 1000, memory: t.mem },
      priority: t.priority,
      preemptible: t.preemptible,
      startedAt: NOW - t.age * 1000,
    });
  });
  const pending: PlannerPendingTask[] = c.pending.map((t, i) => ({
    taskId: `p${i}`,
    frameworkId: `f${t.fw}`,
    resources: { cpu: t.cpu * 1000, memory: t.mem },
    priority: t.priority,
    createdAt: i,
  }));
  const policy = c.plain ? 'FairShare' : c.policy;
  return {
    now: NOW,
    agents,
    roles: [
      { role: '*', policy },
      {
        role: 'r1',
        weight: c.weights.r1,
        policy,
        ...(c.guarantee && !c.plain ? { guarantee: { cpu: c.guarantee * 1000 } } : {}),
      },
      { role: 'r2', weight: c.weights.r2, policy },
    ],
    frameworks: c.frameworks.map((f, i) => ({
      frameworkId: `f${i}`,
      role: role(i),
      priorityPreemption: !c.plain && f.priorityPreemption,
    })),
    running,
    pending,
    minRuntimeMs: c.minRuntimeS * 1000,
    maxPreemptions: 1000,
  };
}

/** The cluster once the plan's kills are done, in plan order: victims wait again, preemptors run where planned. */
function applyPlan(input: PlannerInput, plan: PreemptionPlan): PlannerInput {
  const running = new Map(input.running.map((t) => [t.taskId, t]));
  const pending = new Map(input.pending.map((t) => [t.taskId, t]));
  for (const p of plan.preemptions) {
    for (const v of p.victims) {
      const t = running.get(v.taskId);
      if (!t) throw new Error(`victim ${v.taskId} is not running`);
      running.delete(t.taskId);
      pending.set(t.taskId, {
        taskId: t.taskId,
        frameworkId: t.frameworkId,
        resources: t.resources,
        priority: t.priority ?? 0,
        createdAt: t.startedAt ?? 0,
      });
    }
    const t = pending.get(p.preemptor);
    if (!t) throw new Error(`preemptor ${p.preemptor} is not pending`);
    pending.delete(t.taskId);
    // Its room is held for it (a nomination), which no one preempts.
    running.set(t.taskId, { ...t, agentId: p.agentId, preemptible: false, startedAt: input.now });
  }
  return { ...input, running: [...running.values()], pending: [...pending.values()] };
}

const share = (input: PlannerInput, fw: string, delta: Record<string, number> = {}, sign = 1): number => {
  const pool: Record<string, number> = {};
  for (const a of input.agents) for (const [k, v] of Object.entries(a.capacity)) pool[k] = (pool[k] ?? 0) + v;
  const held: Record<string, number> = {};
  for (const t of input.running)
    if (t.frameworkId === fw) for (const [k, v] of Object.entries(t.resources)) held[k] = (held[k] ?? 0) + v;
  for (const [k, v] of Object.entries(delta)) held[k] = (held[k] ?? 0) + sign * v;
  return Math.max(0, ...Object.entries(held).map(([k, v]) => v / (pool[k] ?? 1)));
};

function freeOf(input: PlannerInput, agentId: string): Record<string, number> {
  const cap = { ...(input.agents.find((a) => a.agentId === agentId)?.capacity ?? {}) };
  for (const t of input.running)
    if (t.agentId === agentId) for (const [k, v] of Object.entries(t.resources)) cap[k] = (cap[k] ?? 0) - v;
  return cap;
}

const fits = (free: Record<string, number>, need: Readonly<Record<string, number>>): boolean =>
  Object.entries(need).every(([k, v]) => (free[k] ?? 0) >= v);

describe('preemption planner properties', () => {
  it('never chooses a non-preemptible task, or one younger than the minimum runtime', () => {
    fc.assert(
      fc.property(clusterArb, (c) => {
        const input = build(c);
        const byId = new Map(input.running.map((t) => [t.taskId, t]));
        for (const p of planPreemptions(input).preemptions)
          for (const v of p.victims) {
            const t = byId.get(v.taskId);
            if (!t) throw new Error(`victim ${v.taskId} was not running`);
            expect(t.preemptible).not.toBe(false);
            expect(NOW - (t.startedAt ?? NOW)).toBeGreaterThanOrEqual(input.minRuntimeMs);
          }
      }),
      RUNS,
    );
  });

  it('preempts nothing more when planning again once the kills are done (no thrash)', () => {
    fc.assert(
      fc.property(clusterArb, (c) => {
        const input = build(c);
        const plan = planPreemptions(input);
        const after = applyPlan(input, plan);
        const again = planPreemptions(after);
        expect(again.preemptions).toEqual([]);
        // Demand did not move: the fair shares are the same.
        for (const [fw, f] of plan.fairShares) expect(again.fairShares.get(fw)).toBeCloseTo(f, 9);
      }),
      RUNS,
    );
  });

  it('leaves no framework below its fair share while one victim of a framework above its own would make room', () => {
    fc.assert(
      fc.property(clusterArb, (c) => {
        const input = build({ ...c, plain: true });
        const plan = planPreemptions(input);
        const after = applyPlan(input, plan);
        const fair = plan.fairShares;
        const agents = after.agents.map((a) => a.agentId);
        for (const t of after.pending) {
          const p = t.frameworkId;
          if (share(after, p) >= (fair.get(p) ?? 0) - 1e-9) continue;
          // A task that fits somewhere already is placed, not preempted for.
          if (agents.some((a) => fits(freeOf(after, a), t.resources))) continue;
          const pAfter = share(after, p, t.resources);
          for (const v of after.running) {
            const vf = v.frameworkId;
            if (vf === p || v.preemptible === false) continue;
            if (NOW - (v.startedAt ?? NOW) < after.minRuntimeMs) continue;
            if (share(after, vf) <= (fair.get(vf) ?? 0) + 1e-9) continue;
            const free = freeOf(after, v.agentId);
            for (const [k, x] of Object.entries(v.resources)) free[k] = (free[k] ?? 0) + x;
            if (!fits(free, t.resources)) continue;
            // The preemptor would still end at or below the victim: the plan should have taken it.
            expect(pAfter > share(after, vf, v.resources, -1) + 1e-9).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });
});
