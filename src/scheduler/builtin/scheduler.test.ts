import { agent, builtin, countBy, newAllocator } from '../../allocator/test-builders.js';
import { LABELS } from '../../api/constants.js';
import { frameworkObject, taskObject } from '../../api/test-builders.js';
import type { PendingAttempt, SchedulerInput } from '../types.js';
import { pendingTask } from './pending-task.js';
import { BuiltinScheduler } from './scheduler.js';

function attempts(fw: string, n: number, resources: Record<string, string>): PendingAttempt[] {
  const framework = frameworkObject(fw);
  return Array.from({ length: n }, (_, i) => {
    const task = taskObject(`${fw}-${i}`, { framework: fw, resources });
    task.metadata.creationTimestamp = new Date(i * 1000);
    return {
      taskKey: `ns/${fw}-${i}`,
      podKey: `ns/${fw}-${i}-1`,
      frameworkKey: `ns/${fw}`,
      framework,
      task,
      attempt: 1,
      podName: `${fw}-${i}-1`,
      avoidNodes: [],
    };
  });
}

function scheduler(): BuiltinScheduler {
  let seq = 0;
  return new BuiltinScheduler({ defaults: { image: 'busybox' }, nextOfferId: () => `B${seq++}` });
}

describe('BuiltinScheduler', () => {
  it("places the DRF paper's example exactly and says why the rest wait", () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('n1', 9, 18));
    alloc.addFramework(builtin('ns/a'));
    alloc.addFramework(builtin('ns/b'));
    const pending = [
      ...attempts('a', 5, { cpu: '1', memory: '4Gi' }),
      ...attempts('b', 5, { cpu: '3', memory: '1Gi' }),
    ];
    const input: SchedulerInput = {
      pending,
      agentNames: new Set(['n1']),
      place: (t) => alloc.placeTasks(t),
      offers: [],
      rescinded: [],
    };
    const d = scheduler().cycle(input);
    // A <1 CPU, 4 GB> gets 3 tasks, B <3 CPU, 1 GB> gets 2: both dominant shares 2/3.
    expect(countBy(d.launches, (l) => l.frameworkKey)).toEqual({ 'ns/a': 3, 'ns/b': 2 });
    expect(alloc.frameworkShare('ns/a')).toBeCloseTo(2 / 3, 10);
    expect(alloc.frameworkShare('ns/b')).toBeCloseTo(2 / 3, 10);
    // Each launch is its own accepted offer, and its pod is bound to the placed node.
    expect(d.launches.map((l) => l.plan.offerID)).toEqual(['B0', 'B1', 'B2', 'B3', 'B4']);
    for (const l of d.launches) {
      expect(l.plan.pod.spec?.nodeName).toBe('n1');
      expect(l.plan.pod.metadata?.name).toBe(l.plan.podName);
      expect(l.plan.pod.metadata?.labels?.[LABELS.attempt]).toBe('1');
      expect(l.agentId).toBe('n1');
    }
    expect(d.waiting).toHaveLength(5);
    for (const w of d.waiting) expect(w.why?.reason).toBe('Unschedulable');
    expect(d.waiting[0]?.why?.message).toMatch(/^InsufficientResources: /);
    expect(d.declines).toEqual([]);
    expect(d.kills).toEqual([]);
  });

  it('asks nothing of the allocator when nothing is pending', () => {
    let asked = 0;
    const place = (): { placements: []; unschedulable: [] } => {
      asked++;
      return { placements: [], unschedulable: [] };
    };
    const d = scheduler().cycle({ pending: [], agentNames: new Set(), place, offers: [], rescinded: [] });
    expect(asked).toBe(0);
    expect(d).toEqual({ launches: [], declines: [], kills: [], waiting: [] });
  });

  it('tells quota waits (Pending) from tasks that fit nowhere (Unschedulable)', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('n1', 4, 8));
    alloc.setRole('capped', { limit: { cpu: 1000 } });
    alloc.addFramework(builtin('ns/a', { role: 'capped' }));
    alloc.addFramework(builtin('ns/b'));
    const pending = [...attempts('a', 2, { cpu: '1' }), ...attempts('b', 1, { cpu: '64' })];
    const d = scheduler().cycle({
      pending,
      agentNames: new Set(['n1']),
      place: (t) => alloc.placeTasks(t),
      offers: [],
      rescinded: [],
    });
    expect(d.launches.map((l) => l.taskKey)).toEqual(['ns/a-0']);
    expect(d.waiting.map((w) => [w.taskKey, w.why?.reason])).toEqual([
      ['ns/a-1', 'Pending'],
      ['ns/b-0', 'Unschedulable'],
    ]);
  });
});

describe('pendingTask', () => {
  const [a] = attempts('a', 1, { cpu: '500m', memory: '1Gi' });
  it.each([
    { name: 'first attempt', avoid: [], agents: ['n1', 'n2'], want: [] },
    {
      name: 'a retry avoids earlier nodes (dots escaped)',
      avoid: ['n1.x'],
      agents: ['n1.x', 'n2'],
      want: [{ field: 'hostname', operator: 'UNLIKE', value: 'n1\\.x' }],
    },
    { name: 'not when that leaves no node', avoid: ['n1'], agents: ['n1'], want: [] },
    { name: 'nodes that are gone are not named', avoid: ['gone'], agents: ['n1'], want: [] },
  ])('$name', ({ avoid, agents, want }) => {
    if (!a) throw new Error('no attempt');
    const t = pendingTask({ ...a, avoidNodes: avoid }, new Set(agents));
    expect(t.constraints).toEqual(want);
    expect(t.resources).toEqual({ cpu: 500, memory: 2 ** 30 });
    expect([t.taskId, t.frameworkId, t.priority, t.createdAt]).toEqual(['ns/a-0-1', 'ns/a', 0, 0]);
  });
});

describe('BuiltinScheduler isolation', () => {
  it('lets a task it cannot read wait alone while the others are placed', () => {
    const { alloc } = newAllocator();
    alloc.addAgent(agent('n1', 4, 8));
    alloc.addFramework(builtin('ns/a'));
    const [bad] = attempts('a', 1, { cpu: '1e400' });
    const good = attempts('a', 2, { cpu: '1' }).slice(1);
    if (!bad) throw new Error('no attempt');
    const d = scheduler().cycle({
      pending: [{ ...bad, podKey: 'ns/bad-1', taskKey: 'ns/bad' }, ...good],
      agentNames: new Set(['n1']),
      place: (t) => alloc.placeTasks(t),
      offers: [],
      rescinded: [],
    });
    expect(d.launches.map((l) => l.taskKey)).toEqual(['ns/a-1']);
    expect(d.waiting).toEqual([
      {
        taskKey: 'ns/bad',
        frameworkKey: 'ns/a',
        why: {
          reason: 'InvalidSpec',
          message:
            'invalid quantity for resource "cpu": "1e400" (too large: at most 9007199254740991 millicores)',
        },
      },
    ]);
  });
});
