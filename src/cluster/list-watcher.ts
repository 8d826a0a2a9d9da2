import type { KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'winston';
import { objectKey } from '../api/keys.js';
import {
  ApiStatusError,
  isGone,
  type ListWatchClient,
  type Query,
  type WatchEvent,
} from '../kube/list-watch-client.js';
import type { Clock, Timer } from '../util/clock.js';
import type { Random } from '../util/random.js';

export interface WatchHandlers {
  upsert(obj: KubernetesObject): void;
  remove(obj: KubernetesObject): void;
  /**
   * A list has been delivered whole (removals included), begun at clock time `startedAt`.
   * Everything that existed then and is not in the handlers' view now was gone by then: the
   * one moment a watch's reader cannot otherwise tell "late" from "missed".
   */
  relisted?(startedAt: number): void;
}

export interface WatchedKind {
  /** For logs, e.g. `pods`. */
  name: string;
  /** The collection's path, listed and watched, e.g. `/api/v1/pods`. */
  path: string;
  labelSelector?: string;
}

export interface ListWatcherOptions {
  kind: WatchedKind;
  handlers: WatchHandlers;
  client: ListWatchClient;
  logger: Logger;
  clock: Clock;
  random: Random;
  /** Items per list page. */
  pageSize?: number;
  /** A watch asks the server to end it after this long, and up to twice as long (randomly, to spread re-watches). */
  minWatchSeconds?: number;
  maxBackoffMs?: number;
}

/** A watch that ends this soon with no event counts as a failure, so a server that closes at once is not hammered. */
const EARLY_END_MS = 1_000;
/** How long past its timeoutSeconds a watch may stay open before the client gives up on it (a dead connection). */
const WATCH_GRACE_S = 30;

/**
 * Keeps one kind of object flowing into the handlers, as client-go's reflector does: a paged
 * list, then a watch from the list's resourceVersion with bookmarks, re-watched from the last
 * version seen when the server ends it, listed again on 410 Gone (objects gone meanwhile are
 * removed), and restarted with exponential backoff on any other failure. Knows each object's
 * last resourceVersion only to skip repeats and to find deletions across a re-list.
 */
export class ListWatcher {
  private readonly known = new Map<string, KubernetesObject>();
  private resourceVersion = '';
  private stopped = false;
  private failures = 0;
  private synced = false;
  private whenSynced: (() => void) | undefined;
  private abort: AbortController | undefined;
  private wait: { timer: Timer; wake: () => void } | undefined;
  private running: Promise<void> | undefined;
  private readonly pageSize: number;
  private readonly minWatchSeconds: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly o: ListWatcherOptions) {
    this.pageSize = o.pageSize ?? 500;
    this.minWatchSeconds = o.minWatchSeconds ?? 300;
    this.maxBackoffMs = o.maxBackoffMs ?? 30_000;
  }

  /**
   * Starts listing and watching; resolves once a first list has been delivered, however many
   * retries that takes (a cache that failed to list would show an empty cluster).
   */
  start(): Promise<void> {
    return new Promise((resolve) => {
      this.whenSynced = resolve;
      this.running = this.loop();
    });
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  /** How many objects were delivered and not removed. */
  get size(): number {
    return this.known.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    if (this.wait) {
      this.wait.timer.cancel();
      this.wait.wake();
    }
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.resourceVersion === '') await this.relist();
        if (this.stopped) return;
        await this.watchOnce();
      } catch (err) {
        if (this.stopped) return;
        await this.retry(err);
      }
    }
  }

  private async retry(err: unknown): Promise<void> {
    const gone = isGone(err);
    if (gone) this.resourceVersion = '';
    // Gone the first time is routine (the watch fell behind compaction): list again at once.
    const delay = gone && this.failures === 0 ? 0 : Math.min(this.maxBackoffMs, 250 * 2 ** this.failures);
    this.failures++;
    this.o.logger.warn(gone ? 'watch expired; listing again' : 'watch failed; restarting', {
      kind: this.o.kind.name,
      error: err instanceof Error ? err.message : String(err),
      retryInMs: delay,
    });
    if (delay === 0) return;
    await new Promise<void>((wake) => {
      this.wait = { timer: this.o.clock.after(delay, wake), wake };
    });
    this.wait = undefined;
  }

  private query(extra: Record<string, string>): Query {
    const { labelSelector } = this.o.kind;
    return labelSelector ? { ...extra, labelSelector } : extra;
  }

  private async relist(): Promise<void> {
    const startedAt = this.o.clock.now();
    const abort = (this.abort = new AbortController());
    const listed = new Set<string>();
    let token: string | undefined;
    let version: string;
    do {
      const page = await this.o.client.list(
        this.o.kind.path,
        this.query({ limit: String(this.pageSize), ...(token ? { continue: token } : {}) }),
        abort.signal,
      );
      for (const obj of page.items) {
        listed.add(objectKey(obj));
        this.upsert(obj);
      }
      token = page.continue;
      version = page.resourceVersion;
    } while (token !== undefined && !this.stopped);
    if (this.stopped) return;
    for (const [key, obj] of this.known) {
      if (listed.has(key)) continue;
      this.known.delete(key);
      this.deliver('remove', obj);
    }
    this.resourceVersion = version;
    try {
      this.o.handlers.relisted?.(startedAt);
    } catch (err) {
      this.o.logger.error('watch handler failed', {
        kind: this.o.kind.name,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
    }
    if (!this.synced) {
      this.synced = true;
      this.whenSynced?.();
    }
  }

  private async watchOnce(): Promise<void> {
    const seconds = Math.floor(this.minWatchSeconds * (1 + this.o.random()));
    const abort = (this.abort = new AbortController());
    const deadline = this.o.clock.after((seconds + WATCH_GRACE_S) * 1000, () =>
      abort.abort(new Error(`watch still open ${WATCH_GRACE_S}s after its ${seconds}s timeout`)),
    );
    const began = this.o.clock.now();
    let events = 0;
    try {
      await this.o.client.watch(
        this.o.kind.path,
        this.query({
          resourceVersion: this.resourceVersion,
          allowWatchBookmarks: 'true',
          timeoutSeconds: String(seconds),
        }),
        (event) => {
          this.apply(event);
          events++;
          this.failures = 0;
        },
        abort.signal,
      );
    } finally {
      deadline.cancel();
    }
    if (events === 0 && this.o.clock.now() - began < EARLY_END_MS) {
      throw new Error('the server ended the watch at once');
    }
  }

  private apply(event: WatchEvent): void {
    const obj = event.object;
    switch (event.type) {
      case 'ERROR': {
        throw new ApiStatusError(obj.code, obj.message ?? 'watch error', obj.reason);
      }
      case 'ADDED':
      case 'MODIFIED':
        this.upsert(obj);
        break;
      case 'DELETED':
        this.known.delete(objectKey(obj));
        this.deliver('remove', obj);
        break;
      case 'BOOKMARK':
        break;
      default:
        throw new Error(`unknown watch event type ${String(event.type)}`);
    }
    const version = obj.metadata?.resourceVersion;
    if (version) this.resourceVersion = version;
  }

  private upsert(obj: KubernetesObject): void {
    const key = objectKey(obj);
    const prev = this.known.get(key);
    const version = obj.metadata?.resourceVersion;
    if (prev !== undefined && version !== undefined && prev.metadata?.resourceVersion === version) return;
    this.known.set(key, obj);
    this.deliver('upsert', obj);
  }

  /** One object's handler failing is logged and does not stop the others or the watch. */
  private deliver(how: 'upsert' | 'remove', obj: KubernetesObject): void {
    try {
      this.o.handlers[how](obj);
    } catch (err) {
      this.o.logger.error('watch handler failed', {
        kind: this.o.kind.name,
        object: objectKey(obj),
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
    }
  }
}
