import type { V1Pod } from '@kubernetes/client-node';
import type { Resources } from '../resources/index.js';
import type { Clock } from '../util/clock.js';

/**
 * The launch ledger: one entry per kmesos pod whose resources the allocator holds, from the
 * moment a task is placed until the pod ends, as kube-scheduler's cache owns assume/forget.
 * It is pure (no I/O): the launcher and the allocator sync tell it what happened, and it
 * tells them what a pod's resources are doing.
 *
 *              startCreate()            created()                observe()
 *   place() ─▶ placed ─────────▶ creating ─────────▶ unseen ─────────▶ observed ─gone()─▶ released
 *                │  ◀─requeue()─────┘ │                 │  ▲                ▲
 *                │   (throttled)      │ create failed   │  │ confirm():     │ adopt(): a live pod
 *                │                    │                 │  │ it exists      │ never placed here
 *                ▼ forget()           ▼ forget()        ▼  │                │ (after a restart)
 *           forgotten ◀───────────────┴────── past the TTL: takeStale() → live read
 *                                              404 → forget()
 *
 * Every way out of the ledger but drop() calls `release(podKey)`, which returns the pod's
 * allocation to the allocator; drop() is for allocations the allocator already let go (its
 * agent or framework was removed).
 *
 * Invariant: an entry exists exactly while the allocator holds a task allocation under its
 * pod key; `placed`, `creating` and `unseen` entries are "in flight": the task is neither
 * pending nor lost.
 */
export type LaunchPhase = 'placed' | 'creating' | 'unseen' | 'observed';

/** What a launch needs to create the pod and to report it in the Task's status. */
export interface LaunchPlan {
  attempt: number;
  podName: string;
  offerID: string;
  /** The complete pod, bound to its node through spec.nodeName. */
  pod: V1Pod;
  /** A group's pod: the other tasks of the group (keys), launched with the leader's pod. */
  members?: readonly string[];
}

export interface LaunchEntry {
  readonly podKey: string;
  readonly taskKey: string;
  readonly nodeName: string;
  readonly agentId: string;
  readonly requests: Resources;
  /** Set for launches made by this process; adopted pods have none. */
  readonly plan?: LaunchPlan;
  phase: LaunchPhase;
  /** Clock time the phase was entered (unseen: last confirmed to exist). */
  since: number;
  /** A live read of an unseen pod is under way. */
  checking: boolean;
  /** Unseen and absent from a list of pods begun after it was created: to be read at once. */
  suspect?: boolean;
}

export interface LedgerOptions {
  clock: Clock;
  /** How long a created pod may take to appear in the watch before a live read checks it. */
  unseenTtlMs: number;
  /** Returns an entry's allocation to the allocator. */
  release: (podKey: string) => void;
}

type Placement = Pick<LaunchEntry, 'podKey' | 'taskKey' | 'nodeName' | 'agentId' | 'requests'>;

export class LaunchLedger {
  private readonly entries = new Map<string, LaunchEntry>();
  /** The unseen entries, so each cycle's takeStale() looks at them and not at every live pod. */
  private readonly unseen = new Map<string, LaunchEntry>();
  /** The entries in flight (not observed), so a deleted task's are found without a scan of every pod. */
  private readonly launching = new Map<string, LaunchEntry>();

  constructor(private readonly options: LedgerOptions) {}

  /** The allocator placed a task: its allocation is held under the pod key from now on. */
  place(p: Placement & { plan: LaunchPlan }): void {
    this.unseen.delete(p.podKey);
    const e: LaunchEntry = { ...p, phase: 'placed', since: this.options.clock.now(), checking: false };
    this.entries.set(p.podKey, e);
    this.launching.set(p.podKey, e);
  }

  /** A live pod the ledger did not place (it predates this process): the allocator now holds it. */
  adopt(p: Placement): void {
    this.unseen.delete(p.podKey);
    this.launching.delete(p.podKey);
    this.entries.set(p.podKey, { ...p, phase: 'observed', since: this.options.clock.now(), checking: false });
  }

  /** The create request is being sent. */
  startCreate(podKey: string): LaunchEntry | undefined {
    return this.move(podKey, ['placed'], 'creating');
  }

  /** The create was throttled: it waits to be sent again. */
  requeue(podKey: string): LaunchEntry | undefined {
    return this.move(podKey, ['creating'], 'placed');
  }

  /** The API server holds the pod (created now, or already there). */
  created(podKey: string): LaunchEntry | undefined {
    return this.move(podKey, ['creating'], 'unseen');
  }

  /** The watch shows the pod live. */
  observe(podKey: string): void {
    const e = this.entries.get(podKey);
    if (e && e.phase !== 'observed') this.move(podKey, [e.phase], 'observed');
  }

  /**
   * The pod watch listed again from `startedAt` (after a gap it could not resume across): a
   * pod created before then that the list did not show (`listed` is false) may have been
   * deleted in the gap, and is read at the next takeStale(). Any other unseen pod is only
   * late, however late, because a watch delivers every change after its list.
   */
  relisted(startedAt: number, listed: (podKey: string) => boolean): void {
    for (const e of this.unseen.values()) {
      if (e.since < startedAt && !listed(e.podKey)) e.suspect = true;
    }
  }

  /**
   * Unseen entries that nobody is checking yet and that a list missed or that are past the
   * TTL (a backstop); each is marked as being checked.
   */
  takeStale(): LaunchEntry[] {
    const now = this.options.clock.now();
    const out: LaunchEntry[] = [];
    for (const e of this.unseen.values()) {
      if (e.checking || (!e.suspect && now - e.since <= this.options.unseenTtlMs)) continue;
      e.checking = true;
      out.push(e);
    }
    return out;
  }

  /** A live read found an unseen pod: the watch is only behind; wait another TTL. */
  confirm(podKey: string): void {
    const e = this.entries.get(podKey);
    if (e?.phase !== 'unseen') return;
    e.checking = false;
    e.suspect = false;
    e.since = this.options.clock.now();
  }

  /** Leaves the ledger and releases the allocation: a create failed, a pod never appeared, or its task went away. */
  forget(podKey: string): LaunchEntry | undefined {
    const e = this.entries.get(podKey);
    if (!e) return undefined;
    this.entries.delete(podKey);
    this.unseen.delete(podKey);
    this.launching.delete(podKey);
    this.options.release(podKey);
    return e;
  }

  /** The pod ended or was deleted: its resources are free again. */
  gone(podKey: string): LaunchEntry | undefined {
    return this.forget(podKey);
  }

  /** The allocator already released this allocation (agent or framework removed). */
  drop(podKey: string): void {
    this.entries.delete(podKey);
    this.unseen.delete(podKey);
    this.launching.delete(podKey);
  }

  /** Forgets a deleted task's launches that no pod confirms yet (its pods are garbage-collected). */
  forgetTask(taskKey: string): void {
    for (const e of [...this.launching.values()]) {
      if (e.taskKey === taskKey) this.forget(e.podKey);
    }
  }

  get(podKey: string): LaunchEntry | undefined {
    return this.entries.get(podKey);
  }

  has(podKey: string): boolean {
    return this.entries.has(podKey);
  }

  /** Placed, being created, or created and not yet seen: neither pending nor lost. */
  inFlight(podKey: string): boolean {
    const phase = this.entries.get(podKey)?.phase;
    return phase !== undefined && phase !== 'observed';
  }

  count(phase: LaunchPhase): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.phase === phase) n++;
    return n;
  }

  get size(): number {
    return this.entries.size;
  }

  private move(podKey: string, from: LaunchPhase[], to: LaunchPhase): LaunchEntry | undefined {
    const e = this.entries.get(podKey);
    if (!e || !from.includes(e.phase)) return undefined;
    if (to === 'unseen') this.unseen.set(podKey, e);
    else this.unseen.delete(podKey);
    if (to === 'observed') this.launching.delete(podKey);
    else this.launching.set(podKey, e);
    e.phase = to;
    e.since = this.options.clock.now();
    e.checking = false;
    e.suspect = false;
    return e;
  }
}
