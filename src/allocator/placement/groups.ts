/**
 * Where a task group's tasks run, counted per agent and, lazily, per attribute value, so
 * constraint checks are O(1) lookups instead of scans over the group's tasks.
 */
import type { ValueCounts } from './constraints.js';

/** Reads an agent's field (`hostname` or an attribute); undefined when absent. */
export type FieldReader = (agentSlot: number, field: string) => string | undefined;

export class GroupState implements ValueCounts {
  /** Invariant: tasks of this group per agent slot (no zero entries). */
  private readonly perAgent = new Map<number, number>();
  /** Invariant: for each cached field, Σ perAgent by that field's value (no zero entries). */
  private readonly perField = new Map<string, Map<string, number>>();

  constructor(private readonly read: FieldReader) {}

  get size(): number {
    return this.perAgent.size;
  }

  add(agentSlot: number, delta: 1 | -1): void {
    const n = (this.perAgent.get(agentSlot) ?? 0) + delta;
    if (n <= 0) this.perAgent.delete(agentSlot);
    else this.perAgent.set(agentSlot, n);
    for (const [field, counts] of this.perField) {
      const v = this.read(agentSlot, field);
      if (v === undefined) continue;
      const c = (counts.get(v) ?? 0) + delta;
      if (c <= 0) counts.delete(v);
      else counts.set(v, c);
    }
  }

  count(field: string, value: string): number {
    return this.usedValues(field).get(value) ?? 0;
  }

  usedValues(field: string): ReadonlyMap<string, number> {
    let counts = this.perField.get(field);
    if (!counts) {
      counts = new Map();
      for (const [slot, n] of this.perAgent) {
        const v = this.read(slot, field);
        if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + n);
      }
      this.perField.set(field, counts);
    }
    return counts;
  }

  /** Drops per-value caches (an agent's attributes changed). */
  invalidate(): void {
    this.perField.clear();
  }
}
