import { ManualClock } from '../util/clock.js';
import { CycleRunner } from './cycle-runner.js';

function runner(run: (full: boolean, r: CycleRunner) => void = () => undefined): {
  r: CycleRunner;
  clock: ManualClock;
  ran: string[];
  errors: unknown[];
} {
  const clock = new ManualClock(0);
  const ran: string[] = [];
  const errors: unknown[] = [];
  const r: CycleRunner = new CycleRunner({
    timers: clock,
    batchWindowMs: 50,
    intervalMs: 1000,
    run: (full) => {
      ran.push(`${full ? 'full' : 'event'}@${clock.now()}`);
      run(full, r);
    },
    failed: (err) => errors.push(err),
  });
  return { r, clock, ran, errors };
}

describe('CycleRunner', () => {
  it('runs a full cycle at start and then every interval', () => {
    const { r, clock, ran } = runner();
    r.start();
    clock.advance(2500);
    expect(ran).toEqual(['full@0', 'full@1000', 'full@2000']);
    expect(r.cycles).toBe(3);
  });

  it('batches requests into one event cycle at the end of the window', () => {
    const { r, clock, ran } = runner();
    r.start();
    clock.advance(100);
    r.request();
    clock.advance(10);
    r.request();
    r.request();
    clock.advance(39);
    expect(ran).toEqual(['full@0']);
    clock.advance(1);
    expect(ran).toEqual(['full@0', 'event@150']);
  });

  it('runs one more cycle right after one that asked for it, full if a full one was asked', () => {
    let asked = false;
    const { r, clock, ran } = runner((full, self) => {
      if (full || asked) return;
      asked = true;
      self.request();
      self.request();
      self.runNow(true);
    });
    r.start();
    r.request();
    clock.advance(50);
    clock.advance(0);
    expect(ran).toEqual(['full@0', 'event@50', 'full@50']);
  });

  it('reports a failing cycle and keeps to its plan', () => {
    const { r, clock, ran, errors } = runner(() => {
      throw new Error('boom');
    });
    r.start();
    clock.advance(1000);
    expect(ran).toEqual(['full@0', 'full@1000']);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom', 'boom']);
  });

  it('runs nothing before start or after stop', () => {
    const { r, clock, ran } = runner();
    r.request();
    r.runNow(true);
    clock.advance(5000);
    expect(ran).toEqual([]);
    r.start();
    r.request();
    r.stop();
    clock.advance(5000);
    expect(ran).toEqual(['full@5000']);
    expect(clock.pending).toBe(0);
    expect(r.isStarted).toBe(false);
  });
});
