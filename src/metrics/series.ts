/**
 * Remembers which labelled series each owner (a framework, a role, the cluster) has
 * written, so that replacing an owner's set of series or forgetting the owner removes
 * exactly those. prom-client can only remove a series by its full label set, and series
 * that nobody removes would grow without bound as frameworks come and go.
 */
export class SeriesOwners {
  // owner → series id → function removing that series from its metric
  private readonly owners = new Map<string, Map<string, () => void>>();

  /** Records that `owner` wrote the series `id`; `remove` deletes it from its metric. */
  track(owner: string, id: string, remove: () => void): void {
    let series = this.owners.get(owner);
    if (!series) {
      series = new Map();
      this.owners.set(owner, series);
    }
    series.set(id, remove);
  }

  /** Removes the owner's series whose id starts with `prefix` and is not in `keep`. */
  prune(owner: string, prefix: string, keep: ReadonlySet<string>): void {
    const series = this.owners.get(owner);
    if (!series) return;
    for (const [id, remove] of series) {
      if (id.startsWith(prefix) && !keep.has(id)) {
        remove();
        series.delete(id);
      }
    }
    if (series.size === 0) this.owners.delete(owner);
  }

  /** Removes every series of the owner. */
  forget(owner: string): void {
    this.prune(owner, '', new Set());
  }

  /** How many series the owner has; for tests and cardinality checks. */
  count(owner: string): number {
    return this.owners.get(owner)?.size ?? 0;
  }
}
