type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Whether two values serialize to the same JSON, whatever the order of their keys: the API
 * server returns objects with their keys sorted, not in the order they were written.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (!isObject(a) || !isObject(b)) return false;
  // Counted in loops rather than filtered key lists: statuses are compared on every decision.
  let defined = 0;
  const keys = Object.keys(a);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (a[k] === undefined) continue;
    defined++;
    if (!sameJson(a[k], b[k])) return false;
  }
  return defined === definedKeys(b);
}

function definedKeys(o: Record<string, unknown>): number {
  let n = 0;
  const keys = Object.keys(o);
  for (let i = 0; i < keys.length; i++) if (o[keys[i] as string] !== undefined) n++;
  return n;
}

/**
 * The JSON merge patch (RFC 7386) that turns `from` into `to`: changed keys with their new
 * values, removed keys as null, nested objects recursively, arrays whole. Undefined when
 * nothing differs, so callers skip the write.
 */
export function mergePatch(from: unknown, to: unknown): Json | undefined {
  if (!isObject(from) || !isObject(to)) {
    return sameJson(from, to) ? undefined : ((to ?? null) as Json);
  }
  let patch: Record<string, Json> | undefined;
  for (const key of Object.keys(from)) {
    if (to[key] === undefined && from[key] !== undefined) (patch ??= {})[key] = null;
  }
  for (const key of Object.keys(to)) {
    const value = to[key];
    if (value === undefined) continue;
    const sub = mergePatch(from[key], value);
    if (sub !== undefined) (patch ??= {})[key] = sub;
  }
  return patch;
}
