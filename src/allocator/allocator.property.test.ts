/** Property-based tests (fast-check) on random clusters and demands. */
import fc from 'fast-check';
import { contains, type Resources } from '../resources/vector.js';
import { ManualClock } from '../util/clock.js';
import { Allocator } from './allocator.js';
import { parseConstraint } from './placement/constraints.js';
import type { PendingTask, PlacementResult } from './types.js';

const RUNS = { numRuns: 100 };

const agentArb = fc.record({
  cpu: fc.integer({ min: 1, max: 16 }),
  mem: fc.integer({ min: 1, max: 32 }),
  zone: fc.constantFrom('z1', 'z2', 'z3'),
});

const frameworkArb = fc.record({
  weight: fc.constantFrom(1, 2, 3),
  placement: fc.constantFrom<'Spread' | 'BinPack'>('Spread', 'BinPack'),
  taskCpu: fc.integer({ min: 1, max: 4 }),
  taskMem: fc.integer({ min: 1, max: 6 }),
  tasks: fc.integer({ min: 0, max: 25 }),
  limitCpu: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
  constraint: fc.constantFrom(
    undefined,
    'hostname:UNIQUE',
    'zone:MAX_PER:3',
    'zone:GROUP_BY',
    'zone:LIKE:z[12]',
  ),
});

const clusterArb = fc.record({
  agents: fc.array(agentArb, { minLength: 1, maxLength: 6 }),
  frameworks: fc.array(frameworkArb, { minLength: 1, maxLength: 4 }),
  seed: fc.integer({ min: 0, max: 1000 }),
});

type Cluster = typeof clusterArb extends fc.Arbitrary<infer T> ? T : never;

/** Builds the cluster; `plain` drops quota and constraints (for the fairness property). */
function build(c: Cluster, plain = false): { alloc: Allocator; pending: PendingTask[] } {
  const alloc = new Allocator({ clock: new ManualClock(0), seed: c.seed });
  c.agents.forEach((a, i) =>
    alloc.addAgent({
      agentId: `a${i}`,
      hostname: `h${i}`,
      attributes: { zone: a.zone },
      total: { cpu: a.cpu * 1000, memory: a.mem * 1024 },
    }),
  );
  const pending: PendingTask[] = [];
  c.frameworks.forEach((f, i) => {
    const role = `r${i}`;
    alloc.setRole(role, {
      weight: f.weight,
      limit: !plain && f.limitCpu ? { cpu: f.limitCpu * 1000 } : undefined,
    });
    alloc.addFramework({ frameworkId: `f${i}`, role, kind: 'Builtin', placement: f.placement });
    for (let t = 0; t < f.tasks; t++) {
      pending.push({
        taskId: `f${i}-t${t}`,
        frameworkId: `f${i}`,
        resources: { cpu: f.taskCpu * 1000, memory: f.taskMem * 1024 },
        createdAt: t,
        constraints: !plain && f.constraint ? [parseConstraint(f.constraint)] : [],
      });
    }
  });
  return { alloc, pending };
}

describe('allocator properties', () => {
  it('places nothing beyond free capacity and every task exactly once', () => {
    fc.assert(
      fc.property(clusterArb, (c) => {
        const { alloc, pending } = build(c);
        const r = alloc.placeTasks(pending);
        const ids = [...r.placements.map((p) => p.taskId), ...r.unschedulable.map((u) => u.taskId)];
        expect(ids.sort()).toEqual(pending.map((p) => p.taskId).sort());
        const used = new Map<string, { cpu: number; memory: number }>();
        for (const p of r.placements) {
          const u = used.get(p.agentId) ?? { cpu: 0, memory: 0 };
          u.cpu += p.resources.cpu ?? 0;
          u.memory += p.resources.memory ?? 0;
          used.set(p.agentId, u);
        }
        c.agents.forEach((a, i) => {
          const u = used.get(`a${i}`) ?? { cpu: 0, memory: 0 };
          expect(u.cpu).toBeLessThanOrEqual(a.cpu * 1000);
          expect(u.memory).toBeLessThanOrEqual(a.mem * 1024);
        });
        alloc.checkInvariants();
      }),
      RUNS,
    );
  });

  it('after a cycle, a task reported short of resources fits no agent', () => {
    fc.assert(
      fc.property(clusterArb, (c) => {
        const { alloc, pending } = build(c);
        const r = alloc.placeTasks(pending);
        const byId = new Map(pending.map((p) => [p.taskId, p]));
        for (const u of r.unschedulable) {
          expect(['InsufficientResources', 'ConstraintsNotSatisfied', 'QuotaLimitReached']).toContain(
            u.reason,
          );
          if (u.reason !== 'InsufficientResources') continue;
          const req = byId.get(u.taskId)?.resources ?? {};
          c.agents.forEach((_, i) => expect(contains(alloc.agentFree(`a${i}`), req)).toBe(false));
        }
      }),
      RUNS,
    );
  });

  it('without quota or constraints, nothing pending fits anywhere after a cycle', () => {
    fc.assert(
      fc.property(clusterArb, (c) => {
        const { alloc, pending } = build(c, true);
        const r = alloc.placeTasks(pending);
        const byId = new Map(pending.map((p) => [p.taskId, p]));
        for (const u of r.unschedulable) {
          expect(u.reason).toBe('InsufficientResources');
          const req = byId.get(u.taskId)?.resources ?? {};
          c.agents.forEach((_, i) => expect(contains(alloc.agentFree(`a${i}`), req)).toBe(false));
        }
      }),
      RUNS,
    );
  });

  it('weighted dominant shares are max-min fair within one task', () => {
    fc.assert(
      fc.property(clusterArb, (c) => {
        const { alloc, pending } = build(c, true);
        const r = alloc.placeTasks(pending);
        checkProgressiveFairness(c, r);
      }),
      RUNS,
    );
  });

  it('same input and seed give the same output (DRF and random sorters)', () => {
    fc.assert(
      fc.property(clusterArb, fc.constantFrom<'drf' | 'random'>('drf', 'random'), (c, sorter) => {
        const run = (): unknown => {
          const { pending } = build(c);
          const alloc = new Allocator({ clock: new ManualClock(0), seed: c.seed, sorter });
          c.agents.forEach((a, i) =>
            alloc.addAgent({
              agentId: `a${i}`,
              hostname: `h${i}`,
              attributes: { zone: a.zone },
              total: { cpu: a.cpu * 1000 },
            }),
          );
          c.frameworks.forEach((f, i) => {
            alloc.addFramework({ frameworkId: `f${i}`, role: `r${i}`, kind: i % 2 ? 'External' : 'Builtin' });
          });
          return [alloc.placeTasks(pending), alloc.allocate()];
        };
        expect(run()).toEqual(run());
      }),
      RUNS,
    );
  });

  it('offers nothing twice and nothing beyond free capacity across cycles', () => {
    const opArb = fc.array(
      fc.record({
        kind: fc.constantFrom('allocate', 'decline', 'accept', 'advance', 'end', 'unavailable', 'available'),
        pick: fc.nat(),
        seconds: fc.constantFrom(0, 1, 5, 60),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(clusterArb, opArb, (c, ops) => {
        const clock = new ManualClock(0);
        const alloc = new Allocator({ clock, seed: c.seed, offerTimeoutMs: 30_000 });
        c.agents.forEach((a, i) =>
          alloc.addAgent({
            agentId: `a${i}`,
            hostname: `h${i}`,
            attributes: {},
            total: { cpu: a.cpu * 1000, memory: a.mem * 1024 },
          }),
        );
        c.frameworks.forEach((f, i) => {
          alloc.setRole(`r${i}`, {
            weight: f.weight,
            limit: f.limitCpu ? { cpu: f.limitCpu * 1000 } : undefined,
          });
          alloc.addFramework({ frameworkId: `f${i}`, role: `r${i}`, kind: 'External', minAllocatable: [] });
        });
        const seen = new Set<string>();
        let n = 0;
        for (const op of ops) {
          const offers = alloc.outstandingOffers();
          const o = offers[op.pick % Math.max(offers.length, 1)];
          const agentId = `a${op.pick % c.agents.length}`;
          if (op.kind === 'allocate') {
            for (const x of alloc.allocate().offers) {
              expect(seen.has(x.offerId)).toBe(false);
              seen.add(x.offerId);
            }
          } else if (op.kind === 'decline' && o) alloc.decline(o.offerId, op.seconds);
          else if (op.kind === 'accept' && o)
            alloc.accept(o.offerId, [{ taskId: `t${n++}`, resources: half(o.resources) }]);
          else if (op.kind === 'advance') clock.advance(op.seconds * 1000);
          else if (op.kind === 'end') alloc.removeTask(`t${op.pick % Math.max(n, 1)}`);
          else if (op.kind === 'unavailable') alloc.setAgentAvailable(agentId, false);
          else if (op.kind === 'available') alloc.setAgentAvailable(agentId, true);
          // offers + tasks never exceed an agent's capacity; limits hold
          alloc.checkInvariants();
          c.frameworks.forEach((f, i) => {
            if (f.limitCpu)
              expect(alloc.roleAllocation(`r${i}`).cpu ?? 0).toBeLessThanOrEqual(f.limitCpu * 1000);
          });
        }
      }),
      RUNS,
    );
  });
});

function half(r: Resources): Resources {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(r)) out[k] = Math.floor(v / 2);
  return out;
}

/**
 * Replays the placements: when framework j placed a task, every framework i that placed
 * one later was still in the running, so j's weighted share before its placement must not
 * exceed i's at that moment (progressive filling gives to the lowest share).
 */
function checkProgressiveFairness(c: Cluster, r: PlacementResult): void {
  const total = { cpu: 0, memory: 0 };
  for (const a of c.agents) {
    total.cpu += a.cpu * 1000;
    total.memory += a.mem * 1024;
  }
  const alloc = c.frameworks.map(() => ({ cpu: 0, memory: 0 }));
  const share = (i: number): number => {
    const a = alloc[i] ?? { cpu: 0, memory: 0 };
    return Math.max(a.cpu / total.cpu, a.memory / total.memory) / (c.frameworks[i]?.weight ?? 1);
  };
  const lastIndex = new Map<number, number>();
  const fwOf = r.placements.map((p) => Number(p.frameworkId.slice(1)));
  fwOf.forEach((f, k) => lastIndex.set(f, k));
  fwOf.forEach((j, k) => {
    for (const [i, last] of lastIndex) {
      if (i !== j && last > k) expect(share(j)).toBeLessThanOrEqual(share(i) + 1e-12);
    }
    const a = alloc[j] as { cpu: number; memory: number };
    a.cpu += r.placements[k]?.resources.cpu ?? 0;
    a.memory += r.placements[k]?.resources.memory ?? 0;
  });
}
