/**
 * A list in a ring buffer: read by index like an array, with inserts and removals that shift
 * whichever side of the position is shorter. A DRF sorter's commonest moves are the first
 * client (just given resources) going far back and a released client coming far forward;
 * in a plain array each shifts nearly the whole list, here only the few items past its place.
 */
export class Ring<T> {
  /** Invariant: the items are buf[(head + i) & mask] for i < length; other slots are undefined. */
  private buf: Array<T | undefined> = new Array<T | undefined>(8).fill(undefined);
  private mask = 7;
  private head = 0;
  private size = 0;

  get length(): number {
    return this.size;
  }

  /** The item at index i (0 ≤ i < length). */
  at(i: number): T {
    return this.buf[(this.head + i) & this.mask] as T;
  }

  push(x: T): void {
    this.insertAt(this.size, x);
  }

  /** Inserts x so that it is at index p (0 ≤ p ≤ length). */
  insertAt(p: number, x: T): void {
    if (this.size === this.buf.length) this.grow();
    const buf = this.buf;
    const mask = this.mask;
    if (p < this.size >> 1) {
      // The items before p move one place towards the front.
      this.head = (this.head - 1) & mask;
      const h = this.head;
      for (let k = 0; k < p; k++) buf[(h + k) & mask] = buf[(h + k + 1) & mask];
    } else {
      const h = this.head;
      for (let k = this.size; k > p; k--) buf[(h + k) & mask] = buf[(h + k - 1) & mask];
    }
    buf[(this.head + p) & mask] = x;
    this.size++;
  }

  /** Removes and returns the item at index i. */
  removeAt(i: number): T {
    const buf = this.buf;
    const mask = this.mask;
    const h = this.head;
    const x = buf[(h + i) & mask] as T;
    if (i < this.size >> 1) {
      // The items before i move one place towards the back.
      for (let k = i; k > 0; k--) buf[(h + k) & mask] = buf[(h + k - 1) & mask];
      buf[h] = undefined;
      this.head = (h + 1) & mask;
    } else {
      for (let k = i; k < this.size - 1; k++) buf[(h + k) & mask] = buf[(h + k + 1) & mask];
      buf[(h + this.size - 1) & mask] = undefined;
    }
    this.size--;
    return x;
  }

  /** Moves the item at index i to index p (its index once moved). */
  move(i: number, p: number): void {
    if (i !== p) this.insertAt(p, this.removeAt(i));
  }

  indexOf(x: T): number {
    for (let i = 0; i < this.size; i++) if (this.at(i) === x) return i;
    return -1;
  }

  sort(compare: (a: T, b: T) => number): void {
    const items = this.toArray().sort(compare);
    this.buf.fill(undefined);
    for (let i = 0; i < items.length; i++) this.buf[i] = items[i];
    this.head = 0;
  }

  toArray(): T[] {
    const out = new Array<T>(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.at(i);
    return out;
  }

  private grow(): void {
    const items = this.toArray();
    this.buf = new Array<T | undefined>(this.buf.length * 2).fill(undefined);
    for (let i = 0; i < items.length; i++) this.buf[i] = items[i];
    this.mask = this.buf.length - 1;
    this.head = 0;
  }
}
