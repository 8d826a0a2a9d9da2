import { agent, builtin, external, newAllocator, res, tasks } from '../test-builders.js';
import type { PreemptionContext, RunningTaskInfo } from './nominations.js';

const OPTIONS = { minRuntimeMs: 0, maxPreemptions: 10, holdMs: 60_000 };

function context(preempting: Set<string>, info: Partial<RunningTaskInfo> = {}): PreemptionContext {
  return {
    task: (id) => ({ priority: 0, preemptible: true, startedAt: 0, preempting: preempting.has(id), ...info }),
    rolePolicy: () => 'FairShare',
    priorityPreemption: () => false,
  };
}

/** One 4-cpu agent full of A's four 1-cpu tasks; B waits with two 1-cpu tasks. */
function fullCluster(): ReturnType<typeof newAllocator> {
  const c = newAllocator();
  c.alloc.addAgent(agent('n1', 4, 0));
  c.alloc.addFramework(builtin('A'));
  c.alloc.addFramework(builtin('B'));
  c.clock.advance(1000);
  expect(c.alloc.placeTasks(tasks('A', 4, 1, 0)).placements).toHaveLength(4);
  return c;
}

describe('Allocator.planPreemptions and holds', () => {
  it('holds the room a preemptor made until it is placed there, and gives it to no one else', () => {
    const { alloc } = fullCluster();
    const b = tasks('B', 2, 1, 0);
    expect(alloc.placeTasks(b).unschedulable.map((u) => u.reason)).toEqual([
      'InsufficientResources',
      'InsufficientResources',
    ]);
    const plan = alloc.planPreemptions(b, context(new Set()), OPTIONS);
    // A 4/4, B 0; fair shares 0.5 each: two of A's tasks go (all started together: by task ID).
    expect(plan.preemptions.map((p) => [p.preemptor, p.victims.map((v) => v.taskId)])).toEqual([
      ['B-0', ['A-0']],
      ['B-1', ['A-1']],
    ]);
    expect(alloc.nominations()).toEqual([
      { taskId: 'B-0', agentId: 'n1', resources: res(1) },
      { taskId: 'B-1', agentId: 'n1', resources: res(1) },
    ]);
    alloc.checkInvariants();
    // Planning again while the victims end finds nothing more to do.
    expect(alloc.planPreemptions(b, context(new Set(['A-0', 'A-1'])), OPTIONS).preemptions).toEqual([]);
    // While the victims still run, the preemptors wait.
    expect(alloc.placeTasks(b).unschedulable.map((u) => u.reason)).toEqual([
      'AwaitingPreemption',
      'AwaitingPreemption',
    ]);
    // The victims end: their room is held, not free for C or for an external framework's offer.
    alloc.removeTask('A-0');
    alloc.removeTask('A-1');
    alloc.addFramework(builtin('C'));
    alloc.addFramework(external('E'));
    expect(alloc.agentFree('n1')).toEqual({});
    expect(alloc.allocate().offers).toEqual([]);
    // B's tasks are placed on the held room before C's task is considered; the holds are gone.
    const placed = alloc.placeTasks([...tasks('C', 1, 1, 0), ...b]);
    expect(placed.placements.map((p) => [p.taskId, p.agentId])).toEqual([
      ['B-0', 'n1'],
      ['B-1', 'n1'],
    ]);
    expect(placed.unschedulable.map((u) => [u.taskId, u.reason])).toEqual([['C-0', 'InsufficientResources']]);
    expect(alloc.nominations()).toEqual([]);
    // A 2/4 = 0.5, B 2/4 = 0.5.
    expect(alloc.frameworkShare('A')).toBe(0.5);
    expect(alloc.frameworkShare('B')).toBe(0.5);
    alloc.checkInvariants();
  });

  it('lets a hold go when it expires or its task is no longer pending', () => {
    const { alloc, clock } = fullCluster();
    const b = tasks('B', 2, 1, 0);
    alloc.planPreemptions(b, context(new Set()), OPTIONS);
    expect(alloc.nominations()).toHaveLength(2);
    // B-1 was deleted: only B-0 is pending now.
    alloc.placeTasks(b.slice(0, 1));
    expect(alloc.nominations().map((n) => n.taskId)).toEqual(['B-0']);
    clock.advance(60_000);
    alloc.allocate();
    expect(alloc.nominations()).toEqual([]);
    alloc.checkInvariants();
  });

  it('never chooses a task the operator cannot vouch for or that is protected', () => {
    const { alloc } = fullCluster();
    const b = tasks('B', 2, 1, 0);
    const unknown: PreemptionContext = { ...context(new Set()), task: () => undefined };
    expect(alloc.planPreemptions(b, unknown, OPTIONS).preemptions).toEqual([]);
    expect(alloc.planPreemptions(b, context(new Set(), { preemptible: false }), OPTIONS).preemptions).toEqual(
      [],
    );
    expect(alloc.nominations()).toEqual([]);
  });
});

describe('Allocator.planPreemptions without cause', () => {
  it('does not look at running tasks when no framework above its fair share may lose any', () => {
    const { alloc } = fullCluster();
    let asked = 0;
    const ctx: PreemptionContext = {
      ...context(new Set()),
      task: () => {
        asked++;
        return { priority: 0, preemptible: true, startedAt: 0, preempting: false };
      },
      rolePolicy: () => 'GuaranteeOnly',
    };
    const plan = alloc.planPreemptions(tasks('B', 2, 1, 0), ctx, OPTIONS);
    // A 4/4 is above its fair share 0.5 and B 0 below, but A's role allows guarantees only.
    expect(plan.preemptions).toEqual([]);
    expect(plan.fairShares.get('B')).toBeCloseTo(0.5, 9);
    expect(plan.shares.get('A')).toBe(1);
    expect(asked).toBe(0);
    // With FairShare the planner looks, and preempts.
    expect(
      alloc.planPreemptions(tasks('B', 2, 1, 0), { ...ctx, rolePolicy: () => 'FairShare' }, OPTIONS)
        .preemptions,
    ).toHaveLength(2);
    expect(asked).toBeGreaterThan(0);
  });
});
