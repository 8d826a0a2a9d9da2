import { ManualClock } from './clock.js';

describe('ManualClock', () => {
  it('moves only when advanced', () => {
    const clock = new ManualClock(1000);
    expect(clock.now()).toBe(1000);
    clock.advance(250);
    expect(clock.now()).toBe(1250);
  });

  it('fires timers in due order, ties in the order they were set, at their due time', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.after(20, () => fired.push(`b@${clock.now()}`));
    clock.after(10, () => fired.push(`a@${clock.now()}`));
    clock.after(20, () => fired.push(`c@${clock.now()}`));
    clock.advance(19);
    expect(fired).toEqual(['a@10']);
    clock.advance(1);
    expect(fired).toEqual(['a@10', 'b@20', 'c@20']);
    expect(clock.pending).toBe(0);
  });

  it('runs timers set by callbacks when they fall due within the same advance', () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    clock.after(5, () => {
      fired.push(clock.now());
      clock.after(5, () => fired.push(clock.now()));
      clock.after(50, () => fired.push(clock.now()));
    });
    clock.advance(10);
    expect(fired).toEqual([5, 10]);
    expect(clock.pending).toBe(1);
  });

  it('repeats every() until cancelled, and cancel() stops a timer', () => {
    const clock = new ManualClock(0);
    const ticks: number[] = [];
    const t = clock.every(10, () => ticks.push(clock.now()));
    const never = clock.after(15, () => ticks.push(-1));
    never.cancel();
    clock.advance(35);
    expect(ticks).toEqual([10, 20, 30]);
    t.cancel();
    clock.advance(100);
    expect(ticks).toEqual([10, 20, 30]);
    expect(clock.pending).toBe(0);
  });
});
