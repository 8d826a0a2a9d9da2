import { Writable } from 'node:stream';
import type { PendingTask, PreemptionContext, PreemptionPlan } from '../allocator/index.js';
import { frameworkObject, taskObject } from '../api/test-builders.js';
import type { ResourceRole, Task, TaskStatus } from '../api/types.js';
import type { KmesosEvent } from '../kube/events.js';
import type { LaunchEntry } from '../launcher/ledger.js';
import { createLogger } from '../logging/logger.js';
import type { PendingAttempt } from '../scheduler/types.js';
import { ManualClock } from '../util/clock.js';
import { PreemptionStep, type PreemptionDeps } from './preemption.js';

const T0 = Date.parse('2024-05-01T12:00:00Z');

function role(name: string, preemptionPolicy: 'Never' | 'GuaranteeOnly' | 'FairShare'): ResourceRole {
  return {
    apiVersion: 'kmesos.io/v1alpha1',
    kind: 'ResourceRole',
    metadata: { name },
    spec: { weight: 1, preemptionPolicy },
  };
}

function running(name: string, status: TaskStatus, spec: Partial<Task['spec']> = {}): Task {
  const t = taskObject(name, { framework: 'a' });
  return { ...t, spec: { ...t.spec, ...spec }, status };
}

/** A cluster as the step sees it: a's two running tasks, b's waiting one. */
function world(plan: Partial<PreemptionPlan> = {}): {
  step: PreemptionStep;
  clock: ManualClock;
  ctx: () => PreemptionContext;
  preempted: { key: string; p: unknown }[];
  events: { name: string; e: KmesosEvent }[];
  observed: string[];
  inFlight: Set<string>;
} {
  const clock = new ManualClock(T0);
  const tasks = new Map<string, Task>([
    [
      'ns/a-0',
      running('a-0', {
        state: 'TASK_RUNNING',
        attempt: 1,
        podName: 'a-0-1',
        startTime: '2024-05-01T11:00:00Z',
      }),
    ],
    [
      'ns/a-1',
      running(
        'a-1',
        {
          state: 'TASK_RUNNING',
          attempt: 2,
          podName: 'a-1-2',
          launchTime: '2024-05-01T11:30:00Z',
          preemption: { attempt: 2, reason: 'FairShare' },
        },
        { priority: 5, preemptible: false },
      ),
    ],
  ]);
  const ledger = new Map<string, Pick<LaunchEntry, 'taskKey'>>([
    ['ns/a-0-1', { taskKey: 'ns/a-0' }],
    ['ns/a-1-2', { taskKey: 'ns/a-1' }],
  ]);
  const inFlight = new Set<string>();
  let captured: PreemptionContext | undefined;
  const preempted: { key: string; p: unknown }[] = [];
  const events: { name: string; e: KmesosEvent }[] = [];
  const observed: string[] = [];
  const deps: PreemptionDeps = {
    allocator: {
      planPreemptions: (_pending, ctx) => {
        captured = ctx;
        return {
          preemptions: [],
          fairShares: new Map([['ns/b', 0.5]]),
          roleFairShares: new Map(),
          shares: new Map([['ns/b', 0]]),
          ...plan,
        };
      },
    },
    state: {
      tasks,
      frameworks: new Map([
        ['ns/a', frameworkObject('a')],
        ['ns/b', frameworkObject('b')],
      ]),
      roles: new Map([['eng', role('eng', 'FairShare')]]),
    },
    ledger: {
      get: (k) => ledger.get(k) as LaunchEntry | undefined,
      inFlight: (k) => inFlight.has(k),
    },
    tasks: {
      statusOf: (_k, t) => t.status,
      preempt: (key, p) => {
        preempted.push({ key, p });
        return true;
      },
    },
    events: { record: (target, e) => events.push({ name: target.metadata?.name ?? '', e }) },
    logger: createLogger({ level: 'error', stream: new Writable({ write: (_c, _e, cb) => cb() }) }),
    clock,
    observer: {
      preempted: (reason, n) => observed.push(`preempted ${reason} ${n}`),
      belowFairShare: (fw, s) => observed.push(`below ${fw} ${s}`),
    },
    minRuntimeMs: 0,
    maxPreemptions: 10,
  };
  return {
    step: new PreemptionStep(deps),
    clock,
    ctx: () => {
      if (!captured) throw new Error('the planner was not asked');
      return captured;
    },
    preempted,
    events,
    observed,
    inFlight,
  };
}

const waiting: PendingTask[] = [{ taskId: 'ns/b-0-1', frameworkId: 'ns/b', resources: { cpu: 1000 } }];
const attempts = new Map<string, PendingAttempt>([
  [
    'ns/b-0-1',
    {
      taskKey: 'ns/b-0',
      podKey: 'ns/b-0-1',
      frameworkKey: 'ns/b',
      framework: frameworkObject('b'),
      task: taskObject('b-0', { framework: 'b' }),
      attempt: 1,
      podName: 'b-0-1',
      avoidNodes: [],
    },
  ],
]);

describe('PreemptionStep', () => {
  it('tells the planner what only the operator knows of running tasks', () => {
    const w = world();
    w.inFlight.add('ns/a-0-1');
    w.step.run(waiting, attempts);
    const ctx = w.ctx();
    // Launching: the operator cannot vouch for it, so it is never a victim.
    expect(ctx.task('ns/a-0-1')).toBeUndefined();
    w.inFlight.clear();
    expect(ctx.task('ns/a-0-1')).toEqual({
      priority: 0,
      preemptible: true,
      startedAt: Date.parse('2024-05-01T11:00:00Z'),
      preempting: false,
    });
    // Protected, started at launch, already being preempted.
    expect(ctx.task('ns/a-1-2')).toEqual({
      priority: 5,
      preemptible: false,
      startedAt: Date.parse('2024-05-01T11:30:00Z'),
      preempting: true,
    });
    // An attempt the status no longer follows, and a pod kmesos does not know.
    expect(ctx.task('ns/a-1-1')).toBeUndefined();
    expect(ctx.task('ns/x-1')).toBeUndefined();
  });

  it.each([
    ['eng', 'FairShare'],
    ['eng/ml/deep', 'FairShare'], // nearest ancestor with a ResourceRole
    ['*', 'GuaranteeOnly'], // the default role has none
    ['other', 'GuaranteeOnly'],
  ])('gives role %s the policy %s', (r, want) => {
    const w = world();
    w.step.run(waiting, attempts);
    expect(w.ctx().rolePolicy(r)).toBe(want);
  });

  it('marks each victim, records Events on both sides naming each other, and counts the preemption', () => {
    const w = world({
      preemptions: [
        {
          reason: 'FairShare',
          preemptor: 'ns/b-0-1',
          frameworkId: 'ns/b',
          agentId: 'n1',
          resources: { cpu: 1000 },
          victims: [{ taskId: 'ns/a-0-1', frameworkId: 'ns/a' }],
          shares: [
            { of: 'ns/b', before: 0, after: 0.25, target: 0.5 },
            { of: 'ns/a', before: 1, after: 0.75, target: 0.5 },
          ],
          message: 'restores the fair share of framework ns/b',
        },
      ],
    });
    expect(w.step.run(waiting, attempts)).toBe(1);
    const message = 'restores the fair share of framework ns/b; ns/a 1.0000 → 0.7500';
    expect(w.preempted).toEqual([
      { key: 'ns/a-0', p: { attempt: 1, reason: 'FairShare', preemptor: 'ns/b-0', message } },
    ]);
    expect(w.events).toEqual([
      {
        name: 'a-0',
        e: {
          type: 'Warning',
          reason: 'Preempted',
          message: `preempted on node n1 for task ns/b-0 (framework ns/b): ${message}`,
        },
      },
      {
        name: 'b-0',
        e: {
          type: 'Normal',
          reason: 'Preempting',
          message: `preempting task ns/a-0 (framework ns/a) on node n1: ${message}`,
        },
      },
    ]);
    expect(w.observed).toContain('preempted FairShare 1');
  });

  it('reports how long a framework waits below its fair share, and 0 once it does not', () => {
    const w = world();
    w.step.run(waiting, attempts);
    w.clock.advance(5_000);
    w.step.run(waiting, attempts);
    // Nothing waits any more: b is not starved. a, never starved, reports 0 every time.
    w.step.run([], attempts);
    expect(w.observed).toEqual([
      'below ns/a 0',
      'below ns/b 0',
      'below ns/a 0',
      'below ns/b 5',
      'below ns/a 0',
      'below ns/b 0',
    ]);
  });
});
