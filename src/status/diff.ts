/**
 * Whether a freshly computed status differs from the stored one, so that status is written only
 * when something a reader would see has changed. lastTransitionTime is ignored (the conditions
 * helper keeps it stable anyway; a recomputed timestamp alone is no reason to write), and a field
 * set to undefined counts as absent.
 */
export function statusDiffers(stored: unknown, computed: unknown): boolean {
  return !same(stored, computed);
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => same(x, b[i]));
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (k === 'lastTransitionTime') continue;
    if (!same(a[k], b[k])) return false;
  }
  return true;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}
