/**
 * Random sorter (Mesos' `RandomSorter`): a weighted random order, level by level in the
 * hierarchy, from a seeded generator, so the same seed and calls give the same orders.
 * Each sort draws a fresh order; allocations are kept only for bookkeeping.
 */
import { addInto, subInto, type Dense } from '../../resources/vector.js';
import { Rng } from './rng.js';
import { checkPath, type Sorter, type SorterOptions } from './sorter.js';

interface Client {
  alloc: Dense;
  count: number;
  active: boolean;
}

/** One level of the hierarchy while drawing an order. */
interface Level {
  self: string | null;
  children: Map<string, Level>;
}

export class RandomSorter implements Sorter {
  private readonly clients = new Map<string, Client>();
  private readonly weights = new Map<string, number>();
  private readonly rng: Rng;

  constructor(
    private readonly options: SorterOptions,
    seed: number,
  ) {
    this.rng = new Rng(seed);
  }

  add(client: string): void {
    checkPath(client, this.options.hierarchical);
    if (this.clients.has(client)) throw new Error(`sorter already has client ${client}`);
    this.clients.set(client, { alloc: [], count: 0, active: true });
  }

  remove(client: string): void {
    this.get(client);
    this.clients.delete(client);
  }

  contains(client: string): boolean {
    return this.clients.has(client);
  }

  count(): number {
    return this.clients.size;
  }

  activate(client: string): void {
    this.get(client).active = true;
  }

  deactivate(client: string): void {
    this.get(client).active = false;
  }

  isActive(client: string): boolean {
    return this.get(client).active;
  }

  updateWeight(path: string, weight: number): void {
    if (!(weight > 0) || !Number.isFinite(weight))
      throw new Error(`weight of ${path} must be positive, got ${weight}`);
    this.weights.set(path, weight);
  }

  addTotal(_resources: Dense): void {
    // Random order ignores the pool.
  }

  removeTotal(_resources: Dense): void {
    // Random order ignores the pool.
  }

  allocated(client: string, resources: Dense): void {
    const c = this.get(client);
    addInto(c.alloc, resources);
    c.count++;
  }

  unallocated(client: string, resources: Dense): void {
    subInto(this.get(client).alloc, resources);
  }

  allocation(client: string): Dense {
    return this.get(client).alloc.slice();
  }

  allocationCount(client: string): number {
    return this.get(client).count;
  }

  sort(): string[] {
    // Sorted input keeps the draw independent of Map insertion history.
    const active = [...this.clients.entries()]
      .filter(([, c]) => c.active)
      .map(([name]) => name)
      .sort();
    const root: Level = { self: null, children: new Map() };
    for (const name of active) this.place(root, name);
    const out: string[] = [];
    this.emit(root, out);
    return out;
  }

  first(): string | undefined {
    return this.sort()[0];
  }

  visit(fn: (client: string) => boolean): void {
    for (const c of this.sort()) if (!fn(c)) return;
  }

  private get(client: string): Client {
    const c = this.clients.get(client);
    if (!c) throw new Error(`sorter has no client ${client}`);
    return c;
  }

  private place(root: Level, name: string): void {
    if (!this.options.hierarchical) {
      root.children.set(name, { self: name, children: new Map() });
      return;
    }
    let level = root;
    let prefix = '';
    for (const seg of name.split('/')) {
      prefix = prefix === '' ? seg : `${prefix}/${seg}`;
      let next = level.children.get(prefix);
      if (!next) {
        next = { self: null, children: new Map() };
        level.children.set(prefix, next);
      }
      level = next;
    }
    level.self = name;
  }

  /** Weighted shuffle (Efraimidis–Spirakis keys) of a level's items, then recurse. */
  private emit(level: Level, out: string[]): void {
    const items: Array<{ key: number; self: boolean; path: string; level: Level }> = [];
    if (level.self !== null && level.children.size > 0) {
      // The role's own clients are Mesos' hidden child `<role>/.`, of weight 1.
      items.push({ key: this.key(`${level.self}/.`), self: true, path: level.self, level });
    } else if (level.self !== null) {
      out.push(level.self);
      return;
    }
    for (const [path, child] of level.children)
      items.push({ key: this.key(path), self: false, path, level: child });
    items.sort((a, b) => a.key - b.key);
    for (const it of items) {
      if (it.self) out.push(it.path);
      else this.emit(it.level, out);
    }
  }

  private key(path: string): number {
    // Smaller key first; a heavier weight makes a smaller key more likely.
    return -Math.log(1 - this.rng.next()) / (this.weights.get(path) ?? 1);
  }
}
