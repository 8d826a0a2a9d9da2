/** RFC 3339 timestamps as Kubernetes writes them (whole seconds, UTC). */

export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Milliseconds since the epoch of a timestamp given as a string or a Date (client-node gives both). */
export function parseTime(t: string | Date | undefined): number | undefined {
  if (t === undefined) return undefined;
  const ms = typeof t === 'string' ? Date.parse(t) : t.getTime();
  return Number.isNaN(ms) ? undefined : ms;
}
