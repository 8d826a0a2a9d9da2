/**
 * Quota: per-role guarantees and limits over the role hierarchy.
 *
 * consumed(n) = everything allocated (tasks and outstanding offers) to roles at or below n.
 * Limits: consumed(n) + request ≤ limit(n) for n and every ancestor with a limit.
 * Guarantees: unmet(n) = max(guarantee(n) − consumed(n), Σ unmet(children), 0) per
 * resource, so a child's guarantee stays reserved even when a sibling over-consumes the
 * parent's. The required headroom is Σ unmet(top-level roles): free capacity that roles
 * without unmet guarantees may not take. Everything is updated incrementally along one
 * path per allocation change: O(depth × resources).
 */
import { addInto, type Dense } from '../resources/vector.js';
import { parentPath } from './sorter/sorter.js';

/** A limit vector: a missing slot means unlimited. */
export type Limit = ReadonlyArray<number | undefined>;

interface QuotaNode {
  readonly path: string;
  readonly parent: QuotaNode | null;
  readonly children: Set<QuotaNode>;
  guarantee: Dense;
  limit: Limit | null;
  /** Invariant: Σ allocations of roles in this subtree. */
  readonly consumed: Dense;
  /** Invariant: max(guarantee − consumed, Σ children's unmet, 0). */
  unmet: Dense;
  /** Invariant: Σ children's unmet. */
  readonly childUnmet: Dense;
}

/** A resource slot over a role's limit. */
export interface LimitViolation {
  readonly role: string;
  readonly slot: number;
  readonly limit: number;
  readonly consumed: number;
}

export class QuotaTree {
  private readonly root: QuotaNode = newNode('', null);
  private readonly nodes = new Map<string, QuotaNode>();
  private guaranteeCount = 0;
  private limitCount = 0;

  /** Σ unmet guarantees of top-level roles: capacity held back as headroom. */
  get requiredHeadroom(): Dense {
    return this.root.childUnmet;
  }

  get hasGuarantees(): boolean {
    return this.guaranteeCount > 0;
  }

  get hasLimits(): boolean {
    return this.limitCount > 0;
  }

  setQuota(role: string, guarantee: Dense, limit: Limit | null): void {
    const n = this.node(role);
    if (n.guarantee.some((v) => v > 0)) this.guaranteeCount--;
    if (n.limit) this.limitCount--;
    n.guarantee = guarantee.slice();
    n.limit = limit;
    if (n.guarantee.some((v) => v > 0)) this.guaranteeCount++;
    if (n.limit) this.limitCount++;
    this.propagate(n);
  }

  /** Adds `delta` (or subtracts, with sign −1) to the consumption of `role` and its ancestors. */
  consume(role: string, delta: Dense, sign: 1 | -1): void {
    const start = this.node(role);
    for (let n: QuotaNode | null = start; n && n !== this.root; n = n.parent) {
      const c = n.consumed;
      while (c.length < delta.length) c.push(0);
      for (let i = 0; i < delta.length; i++) c[i] = (c[i] as number) + sign * (delta[i] ?? 0);
    }
    if (this.guaranteeCount > 0) this.propagate(start);
  }

  consumed(role: string): Dense {
    return this.nodes.get(role)?.consumed.slice() ?? [];
  }

  /** What the role (with its subroles) is still owed of its guarantee. */
  unmetOf(role: string): Dense {
    return this.nodes.get(role)?.unmet.slice() ?? [];
  }

  /** The first limit `request` would break for `role` or an ancestor, or null. */
  limitViolation(role: string, request: Dense): LimitViolation | null {
    if (this.limitCount === 0) return null;
    for (let n: QuotaNode | null = this.nodes.get(role) ?? null; n && n !== this.root; n = n.parent) {
      const v = n.limit ? firstOver(n, request) : -1;
      if (v >= 0) return { role: n.path, slot: v, limit: n.limit?.[v] ?? 0, consumed: n.consumed[v] ?? 0 };
    }
    return null;
  }

  /** How much more of `slot` the role may take before some limit on its path: ∞ if none. */
  limitRoom(role: string, slot: number): number {
    let room = Infinity;
    if (this.limitCount === 0) return room;
    for (let n: QuotaNode | null = this.nodes.get(role) ?? null; n && n !== this.root; n = n.parent) {
      const l = n.limit?.[slot];
      if (l !== undefined) room = Math.min(room, Math.max(l - (n.consumed[slot] ?? 0), 0));
    }
    return room;
  }

  /** max(guarantee − consumed, 0) of the role itself: what stage 1 may still give it. */
  ownUnmet(role: string, slot: number): number {
    const n = this.nodes.get(role);
    if (!n) return 0;
    return Math.max((n.guarantee[slot] ?? 0) - (n.consumed[slot] ?? 0), 0);
  }

  /** Roles (other than `except`) whose own guarantee of `slot` is not met: who the headroom is held for. */
  rolesWithUnmet(slot: number, except: string): string[] {
    const out: string[] = [];
    for (const [path, n] of this.nodes) {
      if (path !== except && (n.guarantee[slot] ?? 0) > (n.consumed[slot] ?? 0)) out.push(path);
    }
    return out.sort();
  }

  hasOwnUnmet(role: string): boolean {
    const n = this.nodes.get(role);
    if (!n) return false;
    for (let i = 0; i < n.guarantee.length; i++)
      if ((n.guarantee[i] ?? 0) > (n.consumed[i] ?? 0)) return true;
    return false;
  }

  /** Roles (paths) whose consumption is over their limit now, deepest first. */
  overLimit(): string[] {
    const out: QuotaNode[] = [];
    for (const n of this.nodes.values()) if (n.limit && firstOver(n, []) >= 0) out.push(n);
    return out.sort((a, b) => b.path.split('/').length - a.path.split('/').length).map((n) => n.path);
  }

  /** Throws if an incremental aggregate drifted (tests call this). */
  checkInvariants(): void {
    const verify = (n: QuotaNode): void => {
      const sum: Dense = [];
      for (const c of n.children) {
        verify(c);
        addInto(sum, c.unmet);
      }
      for (let i = 0; i < Math.max(sum.length, n.childUnmet.length); i++) {
        if ((sum[i] ?? 0) !== (n.childUnmet[i] ?? 0))
          throw new Error(`quota invariant broken at '${n.path}'`);
      }
    };
    verify(this.root);
  }

  private node(role: string): QuotaNode {
    let n = this.nodes.get(role);
    if (n) return n;
    const pp = parentPath(role);
    const parent = pp === '' ? this.root : this.node(pp);
    n = newNode(role, parent);
    parent.children.add(n);
    this.nodes.set(role, n);
    return n;
  }

  /** Recomputes unmet from `n` up to the root, pushing each change into the parent's sum. */
  private propagate(start: QuotaNode): void {
    for (let n: QuotaNode | null = start; n && n !== this.root; n = n.parent) {
      const len = Math.max(n.guarantee.length, n.childUnmet.length, n.unmet.length);
      const next: Dense = new Array<number>(len);
      for (let i = 0; i < len; i++) {
        next[i] = Math.max((n.guarantee[i] ?? 0) - (n.consumed[i] ?? 0), n.childUnmet[i] ?? 0, 0);
      }
      const parentSum = (n.parent ?? this.root).childUnmet;
      for (let i = 0; i < len; i++) {
        while (parentSum.length <= i) parentSum.push(0);
        parentSum[i] = (parentSum[i] ?? 0) + (next[i] ?? 0) - (n.unmet[i] ?? 0);
      }
      n.unmet = next;
    }
  }
}

function newNode(path: string, parent: QuotaNode | null): QuotaNode {
  return {
    path,
    parent,
    children: new Set(),
    guarantee: [],
    limit: null,
    consumed: [],
    unmet: [],
    childUnmet: [],
  };
}

/** First slot where consumed + request exceeds the node's limit, or -1. */
function firstOver(n: QuotaNode, request: Dense): number {
  const limit = n.limit;
  if (!limit) return -1;
  for (let i = 0; i < limit.length; i++) {
    const l = limit[i];
    if (l !== undefined && (n.consumed[i] ?? 0) + (request[i] ?? 0) > l) return i;
  }
  return -1;
}
