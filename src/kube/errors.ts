import { ApiException } from '@kubernetes/client-node';

/** The HTTP status of a failed Kubernetes API call, or undefined for a transport error. */
export function statusCode(err: unknown): number | undefined {
  return err instanceof ApiException ? err.code : undefined;
}

export const isConflict = (err: unknown): boolean => statusCode(err) === 409;
export const isNotFound = (err: unknown): boolean => statusCode(err) === 404;

/** How long a 429 or 503 asks us to wait (Retry-After, seconds), or undefined when it is another error. */
export function retryAfterMs(err: unknown): number | undefined {
  if (!(err instanceof ApiException)) return undefined;
  if (err.code !== 429 && err.code !== 503) return undefined;
  const header = Object.entries(err.headers ?? {}).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000;
}

/** A short message for logs and conditions: the API server's own message when it sent one. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiException) {
    const body: unknown = err.body;
    if (typeof body === 'string') {
      try {
        const parsed = JSON.parse(body) as { message?: string };
        if (parsed.message) return `${err.code}: ${parsed.message}`;
      } catch {
        return `${err.code}: ${body.slice(0, 500)}`;
      }
    }
    if (body && typeof body === 'object' && 'message' in body) return `${err.code}: ${String(body.message)}`;
    return `${err.code}: ${err.message.split('\n')[0] ?? ''}`;
  }
  return err instanceof Error ? err.message : String(err);
}
