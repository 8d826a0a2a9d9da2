/** What replaces a secret in a log event. */
export const REDACTED = '[REDACTED]';

// Field names (lower-cased, without - and _) whose values are never logged, matched as
// suffixes so that `bearerToken`, `client-key-data` and `X-Api-Key` are caught too.
const SECRET_SUFFIXES = [
  'token',
  'password',
  'passwd',
  'secret',
  'authorization',
  'keydata',
  'privatekey',
  'apikey',
  'cookie',
  'credentials',
];

// Credentials that turn up inside free text (an error message quoting a header, say).
const INLINE_SECRETS = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;

const MAX_DEPTH = 8;

export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_]/g, '');
  return SECRET_SUFFIXES.some((s) => k.endsWith(s));
}

export function redactText(text: string): string {
  return text.replace(INLINE_SECRETS, `$1 ${REDACTED}`);
}

/**
 * A copy of `value` with secret fields replaced and inline credentials masked. Errors
 * become { name, message, stack }; cycles and very deep objects are cut short.
 */
export function redact(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  try {
    if (value instanceof Error) {
      return {
        name: value.name,
        message: redactText(value.message),
        stack: value.stack && redactText(value.stack),
      };
    }
    if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1, seen));
    if (value instanceof Date) return value.toISOString();
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = isSecretKey(k) ? REDACTED : redact(v, depth + 1, seen);
    return out;
  } finally {
    seen.delete(value);
  }
}
