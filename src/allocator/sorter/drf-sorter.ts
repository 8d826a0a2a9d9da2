/**
 * Weighted, hierarchical Dominant Resource Fairness sorter.
 *
 * Tree: the root and one inner node per path prefix (`eng`, `eng/ml`); a client's own
 * allocation lives in a leaf under the inner node of its path (in a flat sorter, directly
 * under the root). An inner node's allocation is the sum of its subtree, so `eng` competes
 * with its siblings by everything allocated below it, then `eng`'s own leaf and `eng/ml`
 * compete inside it, as in Mesos' hierarchical DRF. A role's weight counts only between
 * the role and its siblings: inside `eng`, its own leaf is Mesos' hidden child `eng/.`, of
 * weight 1, so `eng`'s frameworks compete with its subroles as one more child would.
 *
 * Incremental: each inner node keeps its active items in a sorted list (a Ring). allocated() and
 * unallocated() change one leaf and its ancestors, and each of those moves within its
 * parent's array by binary search: O(depth × log n) comparisons plus a memmove, never a
 * re-sort of the world. A change of the total pool changes every share, so it only marks
 * the tree stale and the next query re-sorts once.
 */
import { addInto, subInto, type Dense } from '../../resources/vector.js';
import { Ring } from './ring.js';
import { checkPath, dominantShare, parentPath, type Sorter, type SorterOptions } from './sorter.js';

interface Node {
  readonly path: string;
  readonly leaf: boolean;
  /** The inner node whose `items` may hold this node; null for the root. */
  readonly parent: Inner | null;
  /** Invariant: inner alloc = Σ alloc of its self leaf and child inner nodes. */
  alloc: Dense;
  count: number;
  /** Invariant: nodeWeight(node), kept here so a share's update reads no map. */
  weight: number;
  /** Invariant (unless stale): share = dominantShare(alloc, total) / weight. */
  share: number;
  /** Invariant: true iff this node is in parent.items. */
  listed: boolean;
  /**
   * Invariant: the node's place among all the sorter's nodes by path (see Names): compares as
   * the paths do, without comparing strings.
   */
  rank: number;
}

interface Leaf extends Node {
  readonly leaf: true;
  active: boolean;
}

interface Inner extends Node {
  readonly leaf: false;
  readonly children: Map<string, Inner>;
  self: Leaf | null;
  /** Invariant: the listed items (active leaf, non-empty inner nodes), sorted by compare(). */
  readonly items: Ring<Node>;
}

/**
 * share, then allocation count, then name (by rank): a total order, so the result is
 * deterministic. Clients of equal size tie on share and count often (about 40% of the comparisons
 * while a cycle places tasks), so the names' order is read from ranks, not from the strings.
 */
function compare(a: Node, b: Node): number {
  if (a.share !== b.share) return a.share < b.share ? -1 : 1;
  if (a.count !== b.count) return a.count - b.count;
  return a.rank - b.rank;
}

/**
 * Every node of a sorter, sorted by path, each holding its index as its rank. Ranks are
 * renumbered when a node comes or goes: O(nodes), on rare events (a framework or role added or
 * removed), where comparisons are per allocation.
 */
class Names {
  private readonly nodes: Node[] = [];

  add(n: Node): void {
    const nodes = this.nodes;
    let lo = 0;
    let hi = nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((nodes[mid] as Node).path < n.path) lo = mid + 1;
      else hi = mid;
    }
    nodes.splice(lo, 0, n);
    this.renumber(lo);
  }

  remove(n: Node): void {
    const i = this.nodes.indexOf(n);
    if (i < 0) return;
    this.nodes.splice(i, 1);
    this.renumber(i);
  }

  /** Throws unless the nodes are in path order, each ranked by its index. */
  check(): void {
    this.nodes.forEach((n, i) => {
      if (n.rank !== i || (i > 0 && (this.nodes[i - 1] as Node).path > n.path))
        throw new Error(`sorter invariant broken: rank of ${n.path}`);
    });
  }

  private renumber(from: number): void {
    for (let i = from; i < this.nodes.length; i++) (this.nodes[i] as Node).rank = i;
  }
}

export class DrfSorter implements Sorter {
  private readonly root: Inner = newInner('', null);
  private readonly names = new Names();
  private readonly leaves = new Map<string, Leaf>();
  private readonly weights = new Map<string, number>();
  private readonly total: Dense = [];
  /** True when the pool changed and shares/orders must be recomputed before use. */
  private stale = false;
  /**
   * The leaf first() or visit() returned last: the client allocated to next, nearly always,
   * so allocated() finds it without a map lookup. Cleared when a client is removed.
   */
  private recent: Leaf | null = null;

  constructor(private readonly options: SorterOptions) {}

  add(client: string): void {
    checkPath(client, this.options.hierarchical);
    if (this.leaves.has(client)) throw new Error(`sorter already has client ${client}`);
    const parent = this.options.hierarchical ? this.innerFor(client) : this.root;
    const leaf: Leaf = {
      path: client,
      leaf: true,
      parent,
      alloc: [],
      count: 0,
      weight: 1,
      share: 0,
      listed: false,
      rank: 0,
      active: true,
    };
    leaf.weight = nodeWeight(leaf, this.options, this.weights);
    this.names.add(leaf);
    if (parent !== this.root) parent.self = leaf;
    this.leaves.set(client, leaf);
    this.list(leaf);
  }

  remove(client: string): void {
    const leaf = this.leaf(client);
    this.recent = null;
    this.unallocated(client, leaf.alloc.slice());
    if (leaf.listed) this.unlist(leaf);
    this.leaves.delete(client);
    this.names.remove(leaf);
    const parent = leaf.parent;
    if (parent && parent !== this.root) {
      parent.self = null;
      this.prune(parent);
    }
  }

  contains(client: string): boolean {
    return this.leaves.has(client);
  }

  count(): number {
    return this.leaves.size;
  }

  activate(client: string): void {
    const leaf = this.leaf(client);
    if (leaf.active) return;
    leaf.active = true;
    this.list(leaf);
  }

  deactivate(client: string): void {
    const leaf = this.leaf(client);
    if (!leaf.active) return;
    leaf.active = false;
    this.unlist(leaf);
  }

  isActive(client: string): boolean {
    return this.leaf(client).active;
  }

  updateWeight(path: string, weight: number): void {
    if (!(weight > 0) || !Number.isFinite(weight))
      throw new Error(`weight of ${path} must be positive, got ${weight}`);
    this.weights.set(path, weight);
    const leaf = this.leaves.get(path);
    if (leaf) {
      leaf.weight = nodeWeight(leaf, this.options, this.weights);
      this.rekey(leaf, [], 0);
    }
    const inner = this.options.hierarchical ? this.findInner(path) : undefined;
    if (inner) {
      inner.weight = nodeWeight(inner, this.options, this.weights);
      this.rekey(inner, [], 0);
    }
  }

  addTotal(resources: Dense): void {
    addInto(this.total, resources);
    this.stale = true;
  }

  removeTotal(resources: Dense): void {
    subInto(this.total, resources);
    this.stale = true;
  }

  allocated(client: string, resources: Dense): void {
    for (let n: Node | null = this.leaf(client); n && n !== this.root; n = n.parent) {
      this.rekey(n, resources, 1);
    }
  }

  unallocated(client: string, resources: Dense): void {
    for (let n: Node | null = this.leaf(client); n && n !== this.root; n = n.parent) {
      this.rekey(n, resources, -1);
    }
  }

  allocation(client: string): Dense {
    return this.leaf(client).alloc.slice();
  }

  allocationCount(client: string): number {
    return this.leaf(client).count;
  }

  /** The weighted dominant share of a client or inner path (0 when unknown). */
  share(path: string): number {
    this.refresh();
    const n = this.leaves.get(path) ?? this.findInner(path);
    return n ? n.share : 0;
  }

  sort(): string[] {
    const out: string[] = [];
    this.visit((c) => {
      out.push(c);
      return true;
    });
    return out;
  }

  first(): string | undefined {
    this.refresh();
    let node: Inner = this.root;
    for (;;) {
      const top = node.items.length > 0 ? node.items.at(0) : undefined;
      if (top === undefined) return undefined;
      if (top.leaf) {
        this.recent = top as Leaf;
        return top.path;
      }
      node = top as Inner;
    }
  }

  visit(fn: (client: string) => boolean): void {
    this.refresh();
    this.walk(this.root, fn);
  }

  /** Throws if a structural invariant is broken (tests call this). */
  checkInvariants(): void {
    this.refresh();
    this.names.check();
    check(this.root, this.total, this.options, this.weights);
  }

  // ---- internals ----

  private leaf(client: string): Leaf {
    const r = this.recent;
    if (r !== null && r.path === client) return r;
    const l = this.leaves.get(client);
    if (!l) throw new Error(`sorter has no client ${client}`);
    return l;
  }

  private findInner(path: string): Inner | undefined {
    let node: Inner | undefined = this.root;
    let prefix = '';
    for (const seg of path.split('/')) {
      prefix = prefix === '' ? seg : `${prefix}/${seg}`;
      node = node.children.get(prefix);
      if (!node) return undefined;
    }
    return node;
  }

  /** The inner node for `path`, creating missing ancestors (empty, so unlisted). */
  private innerFor(path: string): Inner {
    const existing = this.findInner(path);
    if (existing) return existing;
    const parentP = parentPath(path);
    const parent = parentP === '' ? this.root : this.innerFor(parentP);
    const inner = newInner(path, parent);
    inner.weight = nodeWeight(inner, this.options, this.weights);
    inner.share = 0;
    parent.children.set(path, inner);
    this.names.add(inner);
    return inner;
  }

  /** Drops empty inner nodes bottom-up (no client, no children). */
  private prune(inner: Inner): void {
    let n: Inner | null = inner;
    while (n && n !== this.root && n.self === null && n.children.size === 0) {
      const parent: Inner | null = n.parent;
      if (n.listed) this.unlist(n);
      parent?.children.delete(n.path);
      this.names.remove(n);
      n = parent;
    }
  }

  private computeShare(n: Node): number {
    return dominantShare(n.alloc, this.total, this.options.excluded) / n.weight;
  }

  /**
   * Adds (sign 1: an allocation, counted) or subtracts (−1) `delta` to a node's allocation,
   * or only recomputes its share (0), and moves it to its new place in its parent's list.
   */
  private rekey(n: Node, delta: Dense, sign: 1 | -1 | 0): void {
    const parent = n.parent;
    const listed = n.listed && parent !== null && !this.stale;
    let i = -1;
    // The node allocated to is usually the one first in DRF order: skip the search then.
    if (listed) i = parent.items.at(0) === n ? 0 : indexOf(parent.items, n);
    if (sign === 1) {
      addInto(n.alloc, delta);
      n.count++;
    } else if (sign === -1) {
      subInto(n.alloc, delta);
    }
    if (this.stale) return;
    n.share = this.computeShare(n);
    if (!listed) return;
    moveTo(parent.items, i, n);
  }

  /** Inserts a node into its parent's list, listing the parent too if it was empty. */
  private list(n: Node): void {
    const parent = n.parent;
    if (!parent || n.listed) return;
    n.share = this.computeShare(n);
    const wasEmpty = parent.items.length === 0;
    if (this.stale) parent.items.push(n);
    else parent.items.insertAt(lowerBound(parent.items, n), n);
    n.listed = true;
    if (wasEmpty && parent !== this.root) this.list(parent);
  }

  /** Removes a node from its parent's list, unlisting the parent if it became empty. */
  private unlist(n: Node): void {
    const parent = n.parent;
    if (!parent || !n.listed) return;
    const i = this.stale ? parent.items.indexOf(n) : indexOf(parent.items, n);
    parent.items.removeAt(i);
    n.listed = false;
    if (parent.items.length === 0 && parent !== this.root) this.unlist(parent);
  }

  private walk(inner: Inner, fn: (client: string) => boolean): boolean {
    const items = inner.items;
    for (let i = 0; i < items.length; i++) {
      const it = items.at(i);
      if (it.leaf) {
        this.recent = it as Leaf;
        if (!fn(it.path)) return false;
      } else if (!this.walk(it as Inner, fn)) {
        return false;
      }
    }
    return true;
  }

  /** After a pool change: recompute every share and sort every list once. */
  private refresh(): void {
    if (!this.stale) return;
    this.stale = false;
    const redo = (inner: Inner): void => {
      for (const c of inner.children.values()) redo(c);
      if (inner.self) inner.self.share = this.computeShare(inner.self);
      if (inner !== this.root) inner.share = this.computeShare(inner);
      inner.items.sort(compare);
    };
    for (const l of this.leaves.values()) if (l.parent === this.root) l.share = this.computeShare(l);
    redo(this.root);
  }
}

/**
 * A node's weight: its path's weight, except a client's own leaf in a hierarchy, which is
 * Mesos' hidden child `<role>/.` and weighs 1 (the role's weight applies to its inner node).
 */
function nodeWeight(n: Node, options: SorterOptions, weights: ReadonlyMap<string, number>): number {
  if (n.leaf && options.hierarchical) return 1;
  return weights.get(n.path) ?? 1;
}

function newInner(path: string, parent: Inner | null): Inner {
  return {
    path,
    leaf: false,
    parent,
    alloc: [],
    count: 0,
    weight: 1,
    share: 0,
    listed: false,
    rank: 0,
    children: new Map(),
    self: null,
    items: new Ring<Node>(),
  };
}

/**
 * Moves `n` (at index i, key just changed) to its sorted place, found by binary search. The
 * ring shifts only the shorter side at each end of the move, so the usual DRF moves (the first
 * far back, a released client far forward) shift few items, and nothing is allocated.
 */
function moveTo(items: Ring<Node>, i: number, n: Node): void {
  const len = items.length;
  if (i + 1 < len && compare(items.at(i + 1), n) < 0) {
    // Later: just before the first item after i that sorts at or after n.
    items.move(i, lowerBound(items, n, i + 2, len) - 1);
    return;
  }
  if (i > 0 && compare(items.at(i - 1), n) > 0) items.move(i, lowerBound(items, n, 0, i - 1));
}

/** First index in [lo, hi) whose item sorts at or after `n`. */
function lowerBound(items: Ring<Node>, n: Node, lo = 0, hi = items.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(items.at(mid), n) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of `n` in a sorted list; keys are unique (names differ), so lowerBound finds it. */
function indexOf(items: Ring<Node>, n: Node): number {
  const i = lowerBound(items, n);
  if (i < items.length && items.at(i) === n) return i;
  const j = items.indexOf(n);
  if (j < 0) throw new Error(`sorter invariant broken: ${n.path} is not in its parent's list`);
  return j;
}

function check(
  inner: Inner,
  total: Dense,
  options: SorterOptions,
  weights: ReadonlyMap<string, number>,
): void {
  const sum: Dense = [];
  if (inner.self) addInto(sum, inner.self.alloc);
  for (const c of inner.children.values()) {
    check(c, total, options, weights);
    addInto(sum, c.alloc);
  }
  for (let i = 1; i < inner.items.length; i++) {
    if (compare(inner.items.at(i - 1), inner.items.at(i)) >= 0) {
      throw new Error(`sorter invariant broken: items of '${inner.path}' out of order`);
    }
  }
  for (const it of inner.items.toArray()) {
    if (it.weight !== nodeWeight(it, options, weights))
      throw new Error(`sorter invariant broken: stale weight of ${it.path}`);
    const want = dominantShare(it.alloc, total, options.excluded) / nodeWeight(it, options, weights);
    if (Math.abs(it.share - want) > 1e-12)
      throw new Error(`sorter invariant broken: stale share of ${it.path}`);
    if (!it.listed) throw new Error(`sorter invariant broken: ${it.path} listed flag`);
  }
  if (inner.parent !== null) {
    for (let i = 0; i < Math.max(sum.length, inner.alloc.length); i++) {
      if ((sum[i] ?? 0) !== (inner.alloc[i] ?? 0)) {
        throw new Error(
          `sorter invariant broken: allocation of '${inner.path}' is not the sum of its subtree`,
        );
      }
    }
  }
}
