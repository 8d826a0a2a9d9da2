import { Writable } from 'node:stream';
import type { Task, TaskStatus } from '../api/types.js';
import { frameworkObject, readyNode, taskObject, taskPod } from '../api/test-builders.js';
import { ClusterState } from '../cluster/state.js';
import type { LaunchEntry } from '../launcher/ledger.js';
import { createLogger } from '../logging/logger.js';
import { ManualClock } from '../util/clock.js';
import { TaskController, type TaskObserver } from './task-controller.js';

const quiet = createLogger({ level: 'error', stream: new Writable({ write: (_c, _e, cb) => cb() }) });

interface Harness {
  tc: TaskController;
  state: ClusterState;
  clock: ManualClock;
  /** The status each task was last given, by task name. */
  written: Map<string, TaskStatus>;
  writes: string[];
  events: string[];
  kills: string[];
  forgotten: string[];
  restored: string[];
  inFlight: Set<string>;
  observed: string[];
  /** Decisions worked out anew. */
  reconciles: { count: number };
}

function harness(options: { resyncEvery?: number } = {}): Harness {
  const clock = new ManualClock(Date.parse('2026-01-01T00:00:10Z'));
  const state = new ClusterState();
  const h: Omit<Harness, 'tc'> = {
    state,
    clock,
    written: new Map(),
    writes: [],
    events: [],
    kills: [],
    forgotten: [],
    restored: [],
    inFlight: new Set(),
    observed: [],
    reconciles: { count: 0 },
  };
  const observer: TaskObserver = {
    launchLatency: (stage, s) => h.observed.push(`${stage}:${s}`),
    taskEnded: (ns, fw, st) => h.observed.push(`ended:${ns}/${fw}:${st}`),
    reconcileFailed: () => h.observed.push('reconcileFailed'),
    reconciled: () => h.reconciles.count++,
  };
  const tc = new TaskController({
    state,
    inFlight: (k) => h.inFlight.has(k),
    kill: (k, g) => h.kills.push(`${k}:${g}`),
    statuses: {
      set: (_plural, obj, to) => {
        h.written.set(obj.metadata?.name ?? '', to as TaskStatus);
        h.writes.push(obj.metadata?.name ?? '');
      },
      forget: (_plural, ns, name) => h.forgotten.push(`${ns ?? ''}/${name}`),
      overwritten: (_plural, obj) => {
        const written = h.written.get(obj.metadata?.name ?? '');
        return written !== undefined && JSON.stringify(written) !== JSON.stringify(obj.status);
      },
      restore: (_plural, obj, to) => {
        h.restored.push(obj.metadata?.name ?? '');
        h.written.set(obj.metadata?.name ?? '', to as TaskStatus);
      },
    },
    events: { record: (_t, e) => h.events.push(e.reason) },
    logger: quiet,
    clock,
    observer,
    ...options,
  });
  state.upsert('framework', frameworkObject('fw'));
  state.upsert('node', readyNode('n1'));
  return { ...h, tc };
}

function scheduled(
  s: TaskStatus | undefined,
): { status?: string; reason?: string; message?: string } | undefined {
  const c = s?.conditions?.find((x) => x.type === 'Scheduled');
  return c && { status: c.status, reason: c.reason, message: c.message };
}

function entry(task: Task): LaunchEntry {
  const name = task.metadata.name ?? '';
  return {
    podKey: `ns/${name}-1`,
    taskKey: `ns/${name}`,
    nodeName: 'n1',
    agentId: 'uid-n1',
    requests: { cpu: 1000 },
    plan: { attempt: 1, podName: `${name}-1`, offerID: 'B1', pod: { metadata: { name: `${name}-1` } } },
    phase: 'unseen',
    since: 0,
    checking: false,
  };
}

describe('TaskController', () => {
  it('turns a new Task into a pending first attempt and says it waits', () => {
    const h = harness();
    h.state.upsert('task', taskObject('a'));
    const pending = h.tc.reconcile(true);
    expect(pending.map((p) => [p.taskKey, p.podKey, p.attempt, p.frameworkKey])).toEqual([
      ['ns/a', 'ns/a-1', 1, 'ns/fw'],
    ]);
    expect(scheduled(h.written.get('a'))).toEqual({
      status: 'False',
      reason: 'Pending',
      message: 'waiting for an offer that fits',
    });
  });

  it('leaves out attempts in flight and tasks without a framework', () => {
    const h = harness();
    h.state.upsert('task', taskObject('a'));
    h.state.upsert('task', taskObject('b', { framework: 'missing' }));
    h.inFlight.add('ns/a-1');
    expect(h.tc.reconcile(true)).toEqual([]);
    expect(scheduled(h.written.get('b'))?.reason).toBe('FrameworkNotFound');
  });

  it('writes the launch into the status, with an Event and the bound latency', () => {
    const h = harness();
    const a = taskObject('a');
    h.state.upsert('task', a);
    h.tc.reconcile(true);
    h.tc.launched(entry(a));
    const s = h.written.get('a');
    expect([s?.state, s?.attempt, s?.podName, s?.nodeName, s?.agentID, s?.offerID]).toEqual([
      'TASK_STAGING',
      1,
      'a-1',
      'n1',
      'uid-n1',
      'B1',
    ]);
    expect(h.events).toEqual(['Launched']);
    // Created at the epoch, launched at 00:00:10 of 2026-01-01.
    expect(h.observed).toEqual([`bound:${Date.parse('2026-01-01T00:00:10Z') / 1000}`]);
  });

  it('says why an attempt was not placed, and a failed launch waits to be placed again', () => {
    const h = harness();
    h.state.upsert('task', taskObject('a'));
    h.tc.reconcile(true);
    const why = { reason: 'Unschedulable' as const, message: 'InsufficientResources: cpu' };
    h.tc.waiting([{ taskKey: 'ns/a', frameworkKey: 'ns/fw', why }]);
    expect(scheduled(h.written.get('a'))).toEqual({ status: 'False', ...why });
    h.tc.launchFailed(entry(taskObject('a')), 'boom');
    expect(scheduled(h.written.get('a'))?.message).toBe('launch failed, will retry: boom');
  });

  it('follows the pod, and an event-driven pass looks only at tasks that changed', () => {
    const h = harness();
    const a = taskObject('a');
    h.state.upsert('task', a);
    h.state.upsert('task', taskObject('b'));
    h.tc.reconcile(true);
    h.tc.launched(entry(a));
    h.inFlight.add('ns/a-1');
    h.writes.length = 0;
    // a is launching (its status stays), b is still pending.
    expect(h.tc.reconcile(false).map((p) => p.taskKey)).toEqual(['ns/b']);
    expect(h.writes).toEqual([]);
    h.inFlight.delete('ns/a-1');
    h.state.upsertPod(taskPod(a, 1, 'Running'));
    h.tc.podChanged('ns/a-1');
    h.tc.reconcile(false);
    expect(h.written.get('a')?.state).toBe('TASK_RUNNING');
    expect(h.writes).toEqual(['a']);
    h.state.upsertPod(taskPod(a, 1, 'Succeeded'));
    h.tc.podChanged('ns/a-1');
    h.tc.reconcile(false);
    expect(h.written.get('a')?.state).toBe('TASK_FINISHED');
    expect(h.observed).toContain('ended:ns/fw:TASK_FINISHED');
  });

  /** Task `name` launched and seen running on node `node`. */
  function running(h: Harness, name: string, node = 'n1'): Task {
    const t = taskObject(name);
    h.state.upsert('task', t);
    h.tc.taskChanged(`ns/${name}`);
    h.tc.reconcile(false);
    h.tc.launched({ ...entry(t), nodeName: node });
    h.state.upsertPod(taskPod(t, 1, 'Running', node));
    h.tc.podChanged(`ns/${name}-1`);
    h.tc.reconcile(false);
    expect(h.written.get(name)?.state).toBe('TASK_RUNNING');
    return t;
  }

  it('looks again at the tasks of a node or Framework that changed, in an event-driven pass', () => {
    const h = harness();
    h.state.upsert('node', readyNode('n2'));
    h.tc.reconcile(true);
    running(h, 'a', 'n1');
    running(h, 'b', 'n2');
    h.writes.length = 0;
    h.state.remove('node', readyNode('n1'));
    h.tc.nodeChanged('n1');
    h.tc.reconcile(false);
    expect(h.written.get('a')?.state).toBe('TASK_GONE');
    expect(h.writes).toEqual(['a']);
    // A Framework's status writes are no change to its tasks; its deletion is.
    h.state.upsert('framework', { ...frameworkObject('fw'), status: { registered: true } } as never);
    h.tc.frameworkChanged('ns/fw');
    h.tc.reconcile(false);
    expect(h.kills).toEqual([]);
    h.state.remove('framework', frameworkObject('fw'));
    h.tc.frameworkChanged('ns/fw');
    h.tc.reconcile(false);
    // Both pods are still in the cache (a's node is gone, not its pod object).
    expect(h.kills.sort()).toEqual(['ns/a-1:30', 'ns/b-1:30']);
  });

  it('decides nothing again for a node heartbeat, only for a change of the node health', () => {
    const h = harness();
    running(h, 'a', 'n1');
    h.tc.touch('ns/a');
    h.tc.reconcile(false);
    h.reconciles.count = 0;
    const beat = readyNode('n1');
    h.state.upsert('node', { ...beat, metadata: { ...beat.metadata, resourceVersion: '2' } });
    h.tc.nodeChanged('n1');
    h.tc.reconcile(false);
    expect(h.reconciles.count).toBe(0);
    h.state.upsert('node', {
      ...beat,
      status: { ...beat.status, conditions: [{ type: 'Ready', status: 'False' }] },
    });
    h.tc.nodeChanged('n1');
    h.tc.reconcile(false);
    expect(h.reconciles.count).toBe(1);
    expect(h.written.get('a')?.state).toBe('TASK_UNREACHABLE');
  });

  it('looks at every task only at each resync; full passes between look at the changed ones', () => {
    const h = harness({ resyncEvery: 3 });
    h.tc.reconcile(true); // the first full pass is a resync
    running(h, 'a');
    h.writes.length = 0;
    // The node goes without its event reaching the controller (a lost watch event).
    h.state.remove('node', readyNode('n1'));
    h.tc.reconcile(true);
    h.tc.reconcile(true);
    expect(h.writes).toEqual([]);
    h.tc.reconcile(true); // the resync
    expect(h.written.get('a')?.state).toBe('TASK_GONE');
  });

  it('puts back a status someone else wrote, as the pods say it is', () => {
    const h = harness();
    const a = taskObject('a');
    h.state.upsert('task', a);
    h.tc.reconcile(true);
    h.tc.launched(entry(a));
    h.state.upsertPod(taskPod(a, 1, 'Running'));
    h.tc.podChanged('ns/a-1');
    h.tc.reconcile(false);
    const running = h.written.get('a');
    expect(running?.state).toBe('TASK_RUNNING');
    // The watch echoes what was written: nothing to do.
    h.state.upsert('task', { ...a, status: running });
    h.tc.taskChanged('ns/a');
    h.tc.reconcile(false);
    expect(h.restored).toEqual([]);
    // That pass looked again, as every pass after a status change does (the status is an
    // input); a later echo of the same write changes nothing the decision reads.
    h.reconciles.count = 0;
    h.state.upsert('task', { ...a, metadata: { ...a.metadata, resourceVersion: '9' }, status: running });
    h.tc.taskChanged('ns/a');
    h.tc.reconcile(false);
    expect(h.reconciles.count).toBe(0);
    // A status forged through the status subresource is overwritten with the observed one.
    h.state.upsert('task', { ...a, status: { ...running, state: 'TASK_FINISHED' as const, exitCode: 0 } });
    h.tc.taskChanged('ns/a');
    h.tc.reconcile(false);
    expect(h.restored).toEqual(['a']);
    expect(h.written.get('a')?.state).toBe('TASK_RUNNING');
    expect(h.reconciles.count).toBe(1);
  });

  it('decides again when what a Task echo carries besides its status is read: its spec or deletion', () => {
    const h = harness();
    const a = running(h, 'a');
    const status = h.written.get('a');
    h.state.upsert('task', { ...a, status });
    h.tc.taskChanged('ns/a');
    h.tc.reconcile(false);
    h.reconciles.count = 0;
    h.state.upsert('task', { ...a, metadata: { ...a.metadata, labels: { team: 'x' } }, status });
    h.tc.taskChanged('ns/a');
    h.tc.reconcile(false);
    expect(h.reconciles.count).toBe(0);
    h.state.upsert('task', { ...a, metadata: { ...a.metadata, generation: 2 }, status });
    h.tc.taskChanged('ns/a');
    h.tc.reconcile(false);
    expect(h.reconciles.count).toBe(1);
    const deleting = {
      ...a,
      metadata: {
        ...a.metadata,
        generation: 2,
        deletionTimestamp: new Date('2026-01-01T00:01:00Z'),
        finalizers: ['x'],
      },
      status,
    };
    h.state.upsert('task', deleting);
    h.tc.taskChanged('ns/a');
    h.tc.reconcile(false);
    expect(h.reconciles.count).toBe(2);
    expect(h.kills).toEqual(['ns/a-1:' + String(a.spec.killGracePeriodSeconds)]);
    // Once the decided status has been read back, an echo of it with the finalizer taken off
    // (the same deletion, no longer held) is decided again.
    h.tc.taskChanged('ns/a');
    h.tc.reconcile(false);
    const settled = h.reconciles.count;
    h.tc.taskChanged('ns/a');
    h.tc.reconcile(false);
    expect(h.reconciles.count).toBe(settled);
    h.state.upsert('task', {
      ...a,
      metadata: { ...deleting.metadata, finalizers: [] },
      status: h.written.get('a'),
    });
    h.tc.taskChanged('ns/a');
    h.tc.reconcile(false);
    expect(h.reconciles.count).toBe(settled + 1);
  });

  it('goes on past a task whose reconcile throws, and counts it', () => {
    const h = harness();
    h.state.upsert('task', { ...taskObject('bad'), spec: undefined } as unknown as Task);
    h.state.upsert('task', taskObject('good'));
    expect(h.tc.reconcile(true).map((p) => p.taskKey)).toEqual(['ns/good']);
    expect(h.observed).toEqual(['reconcileFailed']);
  });

  it('forgets what it knew of a deleted task', () => {
    const h = harness();
    const a = taskObject('a');
    h.state.upsert('task', a);
    h.tc.reconcile(true);
    h.state.remove('task', a);
    h.tc.taskChanged('ns/a');
    expect(h.forgotten).toEqual(['ns/a']);
    expect(h.tc.taskCounts('ns/fw')).toEqual({ pending: 0, byState: {} });
    expect(h.tc.reconcile(true)).toEqual([]);
  });

  it('counts every task by its decided status, by framework', () => {
    const h = harness();
    h.state.upsert('task', taskObject('a'));
    h.state.upsert('task', taskObject('b'));
    h.tc.reconcile(true);
    expect(h.tc.taskCounts('ns/fw')).toEqual({ pending: 2, byState: {} });
    running(h, 'c');
    expect(h.tc.taskCounts('ns/fw')).toEqual({ pending: 2, byState: { TASK_RUNNING: 1 } });
  });
});

describe('TaskController isolation', () => {
  it.each<{ name: string; resources: Record<string, string>; field: string }>([
    { name: 'a quantity out of range', resources: { cpu: '1e400' }, field: 'spec.resources.cpu' },
    { name: 'a negative integer', resources: { cpu: -1 as unknown as string }, field: 'spec.resources.cpu' },
    { name: 'no resources at all', resources: { cpu: '0', memory: '0' }, field: 'spec.resources' },
  ])('keeps a task with $name out of placement, saying which field and why', ({ resources, field }) => {
    const h = harness();
    h.state.upsert('task', taskObject('bad', { resources }));
    h.state.upsert('task', taskObject('good'));
    expect(h.tc.reconcile(true).map((p) => p.taskKey)).toEqual(['ns/good']);
    const c = scheduled(h.written.get('bad'));
    expect(c?.reason).toBe('InvalidSpec');
    expect(c?.message?.startsWith(`${field}: `)).toBe(true);
    expect(h.events).toContain('InvalidSpec');
    expect(h.observed).toEqual([]);
  });
});

describe('TaskController spec checks', () => {
  it('checks a spec again once it is edited (a new generation), and places the task then', () => {
    const h = harness();
    const bad = taskObject('t', { resources: { cpu: '1e400' } });
    h.state.upsert('task', bad);
    expect(h.tc.reconcile(true)).toEqual([]);
    // Its status echo: the same spec, still refused.
    h.state.upsert('task', { ...bad, status: h.written.get('t') });
    h.tc.taskChanged('ns/t');
    expect(h.tc.reconcile(false)).toEqual([]);
    const fixed = taskObject('t');
    h.state.upsert('task', { ...fixed, metadata: { ...fixed.metadata, generation: 2 } });
    h.tc.taskChanged('ns/t');
    expect(h.tc.reconcile(false).map((p) => p.taskKey)).toEqual(['ns/t']);
  });
});

describe('TaskController launch refusals', () => {
  it('ends the attempt as TASK_ERROR when the API server refuses the pod as invalid', () => {
    const h = harness();
    const a = taskObject('a');
    h.state.upsert('task', a);
    h.tc.reconcile(true);
    h.tc.launchFailed(entry(a), '422: Pod "a-1" is invalid', true);
    const s = h.written.get('a');
    expect([s?.state, s?.reason, s?.attempt, s?.podName]).toEqual([
      'TASK_ERROR',
      'REASON_TASK_INVALID',
      1,
      'a-1',
    ]);
    expect(s?.message).toBe('the API server refused the pod: 422: Pod "a-1" is invalid');
    expect(s?.completionTime).toBeDefined();
    expect(h.observed).toContain('ended:ns/fw:TASK_ERROR');
    // Not placed again: the same pod would be refused again.
    expect(h.tc.reconcile(true)).toEqual([]);
    expect(h.tc.reconcile(true)).toEqual([]);
  });

  it('places the task again after a failure that may pass', () => {
    const h = harness();
    const a = taskObject('a');
    h.state.upsert('task', a);
    h.tc.reconcile(true);
    h.tc.launchFailed(entry(a), '403: exceeded quota', false);
    expect(h.written.get('a')?.state).toBeUndefined();
    expect(h.tc.reconcile(true).map((p) => p.podKey)).toEqual(['ns/a-1']);
  });
});
