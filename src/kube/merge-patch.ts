type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Whether two values serialize to the same JSON, whatever the order of their keys: the API
 * server returns objects with their keys sorted, not in the order they were written.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = Object.keys(a).filter((k) => a[k] !== undefined);
    return (
      keys.length === Object.keys(b).filter((k) => b[k] !== undefined).length &&
      keys.every((k) => sameJson(a[k], b[k]))
    );
  }
  return a === b;
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
  const patch: Record<string, Json> = {};
  for (const key of Object.keys(from)) {
    if (to[key] === undefined && from[key] !== undefined) patch[key] = null;
  }
  for (const [key, value] of Object.entries(to)) {
    if (value === undefined) continue;
    const sub = mergePatch(from[key], value);
    if (sub !== undefined) patch[key] = sub;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}
