import { ManualClock } from './clock.js';

describe('ManualClock', () => {
  it('moves only when advanced', () => {
    const clock = new ManualClock(1000);
    expect(clock.now()).toBe(1000);
    clock.advance(250);
    expect(clock.now()).toBe(1250);
  });
});
