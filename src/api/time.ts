/** RFC 3339 timestamps as Kubernetes writes them (whole seconds, UTC). */

export function formatTime(ms: number): string {
  // toISOString is YYYY-MM-DDTHH:mm:ss.sssZ for years 0 to 9999: cut the milliseconds.
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Milliseconds since the epoch of a timestamp given as a string or a Date (client-node gives both, and null for an absent one). */
export function parseTime(t: string | Date | null | undefined): number | undefined {
  if (t === undefined || t === null) return undefined;
  const ms = typeof t === 'string' ? Date.parse(t) : t.getTime();
  return Number.isNaN(ms) ? undefined : ms;
}
