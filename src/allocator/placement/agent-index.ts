/**
 * "Which agents can fit this?" — a segment tree over agent slots.
 *
 * Each tree node keeps, per resource, the largest free amount below it, and the best
 * placement score below it. A subtree whose maximum free is below the request in any
 * resource cannot hold a fitting agent and is skipped whole, so a search touches
 * O(log n) nodes in the common case instead of every agent. Leaves are exact, so a found
 * agent really fits. Updates after a placement are O(resources × log n).
 */
import type { Dense } from '../../resources/vector.js';

const NONE = -1;

export class AgentIndex {
  private leaves = 1;
  private dims = 0;
  /** Doubles per node: its best score, then its maximum free per resource. */
  private stride = 1;
  /**
   * Node n's row starts at n * stride: [best score, max free of resource 0, 1, …]. One row
   * per node keeps what a search reads of a node in one cache line, and a node's two
   * children side by side. Unused or unavailable leaves hold score -∞ and free -1 (fit nothing).
   */
  private rows = new Float64Array(2);
  /** Reused search stack (depth-first, so at most 2 × height entries). */
  private stack = new Int32Array(128);

  /** Rebuilds for `capacity` slots and `dims` resources; `free(slot)` null = absent. */
  rebuild(
    capacity: number,
    dims: number,
    free: (slot: number) => Dense | null,
    score: (slot: number) => number,
  ): void {
    let leaves = 1;
    while (leaves < capacity) leaves *= 2;
    this.leaves = leaves;
    this.dims = dims;
    this.stride = dims + 1;
    this.rows = new Float64Array(2 * leaves * this.stride).fill(NONE);
    for (let n = 0; n < 2 * leaves; n++) this.rows[n * this.stride] = -Infinity;
    this.stack = new Int32Array(2 * (Math.log2(leaves) + 2));
    for (let s = 0; s < capacity; s++) {
      const f = free(s);
      if (f) this.setLeaf(s, f, score(s));
    }
    for (let n = leaves - 1; n >= 1; n--) this.pull(n);
  }

  get capacity(): number {
    return this.leaves;
  }

  get dimensions(): number {
    return this.dims;
  }

  /** Updates one agent (null = absent or unavailable) and its ancestors. */
  update(slot: number, free: Dense | null, score: number): void {
    if (free) this.setLeaf(slot, free, score);
    else this.clearLeaf(slot);
    // A node that comes out unchanged leaves its ancestors unchanged too: most placements
    // change only the lower levels, where the agent was its subtree's maximum.
    for (let n = (slot + this.leaves) >> 1; n >= 1; n >>= 1) if (!this.pull(n)) return;
  }

  /**
   * Leftmost agent that fits `request` and passes `accept` (null = any) — first fit, i.e.
   * bin packing — or -1.
   */
  findFirst(request: Dense, accept: ((slot: number) => boolean) | null): number {
    const stack = this.stack;
    const leaves = this.leaves;
    let top = 0;
    stack[top++] = 1;
    while (top > 0) {
      let n = stack[--top] as number;
      if (!this.fitsNode(n, request)) continue;
      // Down the left children that fit; each right sibling waits on the stack, tested only
      // if the search comes back to it (an inner node that fits may still hold no leaf that does).
      while (n < leaves) {
        const l = 2 * n;
        stack[top++] = l + 1;
        if (!this.fitsNode(l, request)) break;
        n = l;
      }
      if (n >= leaves && (accept === null || accept(n - leaves))) return n - leaves;
    }
    return NONE;
  }

  /**
   * The fitting, accepted agent with the highest score (spread: most free); among equal
   * scores the first found, best subtree first and left before right; -1 if none. Branch and bound: best-scoring subtrees first, and a subtree
   * whose best score cannot beat the current best is skipped.
   */
  findBest(request: Dense, accept: ((slot: number) => boolean) | null): number {
    if (accept === null) {
      // The search's first descent follows the better child to a leaf with the best score; when
      // that leaf fits, every node above it fits too and the search would return it at once.
      const leaf = this.bestLeaf();
      if (this.fitsNode(leaf, request)) return leaf - this.leaves;
    }
    let best = NONE;
    let bestScore = -Infinity;
    const rows = this.rows;
    const stride = this.stride;
    const leaves = this.leaves;
    // No agent scores above the root's best: a find with that score ends the search.
    const maxScore = rows[stride] as number;
    const stack = this.stack;
    let top = 0;
    let n = 1;
    for (;;) {
      const s = rows[n * stride] as number;
      if (!(s < bestScore || (s === bestScore && best !== NONE)) && this.fitsNode(n, request)) {
        if (n < leaves) {
          // Descend into the better child (left on a tie) at once; the other waits on the stack.
          const l = 2 * n;
          const r = l + 1;
          const leftBetter = (rows[l * stride] as number) >= (rows[r * stride] as number);
          stack[top++] = leftBetter ? r : l;
          n = leftBetter ? l : r;
          continue;
        }
        const slot = n - leaves;
        if (accept === null || accept(slot)) {
          if (s >= maxScore) return slot;
          best = slot;
          bestScore = s;
        }
      }
      if (top === 0) return best;
      n = stack[--top] as number;
    }
  }

  /** The leaf the best-score descent reaches (the better child at each node, left on a tie). */
  private bestLeaf(): number {
    const rows = this.rows;
    const stride = this.stride;
    const leaves = this.leaves;
    let n = 1;
    while (n < leaves) {
      const l = 2 * n;
      n = (rows[l * stride] as number) >= (rows[(l + 1) * stride] as number) ? l : l + 1;
    }
    return n;
  }

  /** Per-resource maximum free over all agents (for "larger than any agent" messages). */
  maxFreeOf(dim: number): number {
    return dim < this.dims ? (this.rows[this.stride + 1 + dim] ?? NONE) : NONE;
  }

  private fitsNode(n: number, request: Dense): boolean {
    const base = n * this.stride + 1;
    const rows = this.rows;
    const dims = this.dims;
    for (let d = 0; d < request.length; d++) {
      const need = request[d] ?? 0;
      if (d >= dims) {
        if (need > 0) return false;
        continue;
      }
      if ((rows[base + d] as number) < need) return false;
    }
    // A request with no slots still needs a present agent.
    return dims === 0 || (rows[base] as number) >= 0;
  }

  private setLeaf(slot: number, free: Dense, score: number): void {
    const row = (slot + this.leaves) * this.stride;
    this.rows[row] = score;
    for (let d = 0; d < this.dims; d++) this.rows[row + 1 + d] = Math.max(free[d] ?? 0, 0);
  }

  private clearLeaf(slot: number): void {
    const row = (slot + this.leaves) * this.stride;
    this.rows[row] = -Infinity;
    for (let d = 0; d < this.dims; d++) this.rows[row + 1 + d] = NONE;
  }

  /** Recomputes node n (score and free alike, as one row) from its children; false when unchanged. */
  private pull(n: number): boolean {
    const stride = this.stride;
    const b = n * stride;
    const l = 2 * b;
    const r = l + stride;
    const rows = this.rows;
    let changed = false;
    for (let k = 0; k < stride; k++) {
      const a = rows[l + k] as number;
      const c = rows[r + k] as number;
      const m = a > c ? a : c;
      if (rows[b + k] !== m) {
        rows[b + k] = m;
        changed = true;
      }
    }
    return changed;
  }
}
