/** Recent share samples per name, kept in the page (the operator keeps no history). */

export type History = ReadonlyMap<string, readonly number[]>;

export const HISTORY_LENGTH = 120;

/** Appends one sample per name; names no longer present are dropped. */
export function record(
  history: History,
  samples: ReadonlyMap<string, number>,
  length = HISTORY_LENGTH,
): History {
  const next = new Map<string, readonly number[]>();
  for (const [name, value] of samples) {
    const before = history.get(name) ?? [];
    next.set(name, [...before.slice(Math.max(0, before.length - length + 1)), value]);
  }
  return next;
}
