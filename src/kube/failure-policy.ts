import { retryAfterMs, statusCode } from './errors.js';

/**
 * What to do with a failed API call, decided in one place for every work queue (as
 * controller-runtime's rate-limited queue does):
 * - `throttled`: the server asked us to wait (429, or 503 with Retry-After): the whole queue
 *   pauses that long, then the key is tried again;
 * - `retry`: anything else that may pass (5xx, 409 on write, transport errors): the key is tried
 *   again after its own exponential backoff;
 * - `drop`: trying again cannot help: the object is gone (404) or the request is invalid
 *   (400, 422) or forbidden (403). The caller decides what that means for the object.
 */
export type Failure =
  | { kind: 'throttled'; retryAfterMs: number }
  | { kind: 'retry' }
  | { kind: 'drop'; reason: 'gone' | 'invalid' | 'forbidden' };

export function classifyFailure(err: unknown): Failure {
  const wait = retryAfterMs(err);
  if (wait !== undefined) return { kind: 'throttled', retryAfterMs: wait };
  switch (statusCode(err)) {
    case 404:
    case 410:
      return { kind: 'drop', reason: 'gone' };
    case 400:
    case 422:
      return { kind: 'drop', reason: 'invalid' };
    case 403:
      return { kind: 'drop', reason: 'forbidden' };
    default:
      return { kind: 'retry' };
  }
}

export interface Backoff {
  /** Delay after the first failure. */
  baseMs: number;
  /** Longest delay, however many failures. */
  capMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 5, capMs: 60_000 };

/** base · 2^(failures−1), capped: 5 ms, 10 ms, 20 ms … 60 s. */
export function backoffMs(failures: number, b: Backoff = DEFAULT_BACKOFF): number {
  if (failures <= 0) return 0;
  return Math.min(b.capMs, b.baseMs * 2 ** Math.min(failures - 1, 52));
}
