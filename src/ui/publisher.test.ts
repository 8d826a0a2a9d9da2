import type { Task } from '../api/types.js';
import type { MasterInputs } from '../master/inputs.js';
import { clusterInputs } from '../master/test-inputs.js';
import { ManualClock } from '../util/clock.js';
import { ViewPublisher } from './publisher.js';
import type { UiView } from './wire.js';

/** A cluster whose inputs the test changes, read afresh at each rebuild as the operator's are. */
class World {
  inputs: MasterInputs | undefined = clusterInputs();
  rebuilds = 0;

  read = (): MasterInputs | undefined => {
    this.rebuilds++;
    return this.inputs;
  };

  /** Ends task `key` (TASK_FINISHED). */
  finish(key: string): void {
    if (!this.inputs) return;
    const tasks = new Map(this.inputs.tasks);
    const t = tasks.get(key) as Task;
    tasks.set(key, { ...t, status: { ...t.status, state: 'TASK_FINISHED' } });
    this.inputs = { ...this.inputs, tasks, taskStatus: (k) => tasks.get(k)?.status };
  }
}

function setup(): { world: World; clock: ManualClock; publisher: ViewPublisher } {
  const world = new World();
  const clock = new ManualClock(0);
  return { world, clock, publisher: new ViewPublisher({ inputs: world.read, clock, intervalMs: 1000 }) };
}

describe('ViewPublisher', () => {
  it('sends the view at once, then only when it changes, at most once per interval', () => {
    const { world, clock, publisher } = setup();
    const sent: UiView[] = [];
    publisher.subscribe(
      {},
      (v) => sent.push(v),
      () => undefined,
    );
    expect(sent).toHaveLength(1);
    clock.advance(3000);
    expect(sent).toHaveLength(1);
    world.finish('ns/a-0');
    world.finish('ns/a-1');
    clock.advance(999);
    expect(sent).toHaveLength(1);
    clock.advance(1);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.tasks.find((t) => t.name === 'a-0')?.state).toBe('TASK_FINISHED');
    expect(sent[1]?.taskCounts['TASK_FINISHED']).toBe(3);
  });

  it('sends each client its own filter’s view, and only when that view changes', () => {
    const { world, clock, publisher } = setup();
    const a: UiView[] = [];
    const b: UiView[] = [];
    publisher.subscribe(
      { framework: 'ns/a' },
      (v) => a.push(v),
      () => undefined,
    );
    publisher.subscribe(
      { framework: 'ns/b', state: 'TASK_RUNNING' },
      (v) => b.push(v),
      () => undefined,
    );
    expect(a[0]?.tasks.map((t) => t.name)).toEqual(['a-0', 'a-1', 'a-2', 'a-3', 'a-4']);
    expect(b[0]?.tasks.map((t) => t.name)).toEqual(['b-0']);
    world.finish('ns/b-0');
    clock.advance(1000);
    // Both views changed (the counts are in both); b's list is now empty.
    expect([a.length, b.length]).toEqual([2, 2]);
    expect(b[1]?.tasks).toEqual([]);
  });

  it('rebuilds once per interval for all clients, and not at all once none listens', () => {
    const { world, clock, publisher } = setup();
    const stop1 = publisher.subscribe(
      {},
      () => undefined,
      () => undefined,
    );
    const stop2 = publisher.subscribe(
      { state: 'WAITING' },
      () => undefined,
      () => undefined,
    );
    world.rebuilds = 0;
    clock.advance(5000);
    expect(world.rebuilds).toBe(5);
    stop1();
    stop2();
    expect(publisher.listeners).toBe(0);
    clock.advance(5000);
    expect(world.rebuilds).toBe(5);
  });

  it('sends nothing before the caches have synced, then the first view', () => {
    const { world, clock, publisher } = setup();
    world.inputs = undefined;
    const sent: UiView[] = [];
    publisher.subscribe(
      {},
      (v) => sent.push(v),
      () => undefined,
    );
    expect(publisher.current({})).toBeUndefined();
    clock.advance(2000);
    expect(sent).toEqual([]);
    world.inputs = clusterInputs();
    clock.advance(1000);
    expect(sent).toHaveLength(1);
  });

  it('ends every stream when it closes, and ends new ones at once', () => {
    const { world, clock, publisher } = setup();
    const ended: string[] = [];
    publisher.subscribe(
      {},
      () => undefined,
      () => ended.push('first'),
    );
    publisher.subscribe(
      { state: 'WAITING' },
      () => undefined,
      () => ended.push('second'),
    );
    publisher.close();
    expect(ended).toEqual(['first', 'second']);
    expect(publisher.listeners).toBe(0);
    world.rebuilds = 0;
    clock.advance(5000);
    expect(world.rebuilds).toBe(0);
    publisher.subscribe(
      {},
      () => undefined,
      () => ended.push('late'),
    );
    expect(ended).toEqual(['first', 'second', 'late']);
  });
});
