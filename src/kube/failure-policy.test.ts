import { ApiException } from '@kubernetes/client-node';
import { backoffMs, classifyFailure, type Failure } from './failure-policy.js';

const api = (code: number, headers: Record<string, string> = {}): ApiException<string> =>
  new ApiException(code, `HTTP ${code}`, '', headers);

describe('classifyFailure', () => {
  it.each<{ name: string; err: unknown; want: Failure }>([
    {
      name: '429 with Retry-After',
      err: api(429, { 'Retry-After': '3' }),
      want: { kind: 'throttled', retryAfterMs: 3000 },
    },
    {
      name: '429 without Retry-After waits a second',
      err: api(429),
      want: { kind: 'throttled', retryAfterMs: 1000 },
    },
    {
      name: '503 with retry-after (any case)',
      err: api(503, { 'retry-after': '2' }),
      want: { kind: 'throttled', retryAfterMs: 2000 },
    },
    { name: '500', err: api(500), want: { kind: 'retry' } },
    { name: '409 conflict on a write', err: api(409), want: { kind: 'retry' } },
    { name: 'transport error', err: new Error('ECONNRESET'), want: { kind: 'retry' } },
    { name: '404', err: api(404), want: { kind: 'drop', reason: 'gone' } },
    { name: '410', err: api(410), want: { kind: 'drop', reason: 'gone' } },
    { name: '400', err: api(400), want: { kind: 'drop', reason: 'invalid' } },
    { name: '422', err: api(422), want: { kind: 'drop', reason: 'invalid' } },
    { name: '403', err: api(403), want: { kind: 'drop', reason: 'forbidden' } },
  ])('$name', ({ err, want }) => {
    expect(classifyFailure(err)).toEqual(want);
  });
});

describe('backoffMs', () => {
  it.each([
    { failures: 0, want: 0 },
    { failures: 1, want: 5 },
    { failures: 2, want: 10 },
    { failures: 5, want: 80 },
    // 5 ms · 2^14 = 81.92 s: capped at 60 s, and never overflows.
    { failures: 15, want: 60_000 },
    { failures: 10_000, want: 60_000 },
  ])('after $failures failures: $want ms', ({ failures, want }) => {
    expect(backoffMs(failures)).toBe(want);
  });
});
