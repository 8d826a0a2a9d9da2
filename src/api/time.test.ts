import { formatTime, parseTime } from './time.js';

describe('formatTime', () => {
  it('writes whole seconds in UTC, as Kubernetes does', () => {
    expect(formatTime(Date.UTC(2026, 11, 7, 9, 5, 3, 999))).toBe('2026-12-07T09:05:03Z');
    expect(formatTime(0)).toBe('1970-01-01T00:00:00Z');
  });

  it('reads back to the second it wrote', () => {
    const ms = Date.UTC(2024, 1, 29, 23, 59, 59, 500);
    expect(parseTime(formatTime(ms))).toBe(ms - 500);
  });
});

describe('parseTime', () => {
  it('takes strings and Dates, and nothing for an absent or malformed time', () => {
    expect(parseTime('2026-12-07T09:05:03Z')).toBe(Date.UTC(2026, 11, 7, 9, 5, 3));
    expect(parseTime(new Date(5))).toBe(5);
    expect(parseTime(null)).toBeUndefined();
    expect(parseTime(undefined)).toBeUndefined();
    expect(parseTime('not a time')).toBeUndefined();
  });
});
