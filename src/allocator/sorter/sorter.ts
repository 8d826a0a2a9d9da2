/**
 * The fairness interface, after Mesos' `Sorter`: it knows clients (role paths or framework
 * IDs), their allocations and the total pool, and orders the active clients. It knows
 * nothing of offers, agents or tasks, so DRF and random ordering are interchangeable.
 *
 * Clients are paths: with `hierarchical`, `eng/ml` is a child of `eng` and the order is
 * computed level by level (siblings compete, then each subtree is ordered recursively).
 */
import type { Dense } from '../../resources/vector.js';

export interface Sorter {
  /** Adds an active client with no allocation. Adding an existing client is an error. */
  add(client: string): void;
  /** Removes a client and forgets its allocation. */
  remove(client: string): void;
  contains(client: string): boolean;
  /** Number of clients, active or not. */
  count(): number;

  /** Only active clients are returned by sort(), first() and visit(). */
  activate(client: string): void;
  deactivate(client: string): void;
  isActive(client: string): boolean;

  /** Weight of a path (a client or an inner node of the hierarchy); default 1. */
  updateWeight(path: string, weight: number): void;

  /** The pool that shares are relative to. */
  addTotal(resources: Dense): void;
  removeTotal(resources: Dense): void;

  allocated(client: string, resources: Dense): void;
  unallocated(client: string, resources: Dense): void;
  /** A copy of the client's own allocation. */
  allocation(client: string): Dense;
  /** How many times allocated() was called for the client: the second tie-breaker. */
  allocationCount(client: string): number;

  /** Active clients, first = next to receive resources. */
  sort(): string[];
  /** sort()[0] without building the list. */
  first(): string | undefined;
  /**
   * Calls `fn` for active clients in sort() order until it returns false. `fn` must not
   * change the sorter unless it then returns false (the walk reads live structures).
   */
  visit(fn: (client: string) => boolean): void;
}

export interface SorterOptions {
  /** Treat `/` in client names as hierarchy (roles); frameworks use a flat sorter. */
  hierarchical: boolean;
  /** Resource slots ignored when computing dominant shares (e.g. GPUs). */
  excluded: ReadonlySet<number>;
}

export type SorterFactory = (options: SorterOptions) => Sorter;

/**
 * Dominant share of `allocation` in `total`, skipping `excluded` slots and slots with no
 * total: max over resources r of allocation[r] / total[r].
 */
export function dominantShare(allocation: Dense, total: Dense, excluded: ReadonlySet<number>): number {
  let share = 0;
  // Most clusters have no excluded resource in use: then no set lookup per resource.
  const anyExcluded = excluded.size > 0;
  for (let i = 0; i < allocation.length; i++) {
    const a = allocation[i] ?? 0;
    const t = total[i] ?? 0;
    if (a <= 0 || t <= 0 || (anyExcluded && excluded.has(i))) continue;
    const s = a / t;
    if (s > share) share = s;
  }
  return share;
}

/** The parent path of `eng/ml/x` is `eng/ml`; of a top-level path, ''. */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** Rejects empty segments (`a//b`, `/a`), which would alias distinct paths. */
export function checkPath(path: string, hierarchical: boolean): void {
  if (path.length === 0) throw new Error('sorter client name must not be empty');
  if (hierarchical && path.split('/').some((s) => s.length === 0)) {
    throw new Error(`invalid hierarchical path ${JSON.stringify(path)}: empty segment`);
  }
}
