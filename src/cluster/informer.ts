import {
  makeInformer,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { Logger } from 'winston';
import type { Clock, Timer } from '../util/clock.js';

export interface InformerHandlers<T> {
  upsert(obj: T): void;
  remove(obj: T): void;
}

export interface WatchedKind<T extends KubernetesObject> {
  /** For logs, e.g. `pods`. */
  name: string;
  /** The watch path, e.g. `/api/v1/pods`. */
  path: string;
  list(): Promise<KubernetesListObject<T>>;
  labelSelector?: string;
}

/** client-node's makeInformer, or a stand-in for it in tests. */
export type MakeInformer<T extends KubernetesObject> = (
  kc: KubeConfig,
  path: string,
  list: () => Promise<KubernetesListObject<T>>,
  labelSelector?: string,
) => Informer<T>;

/**
 * A client-node informer that comes back by itself. client-node's informer re-lists on 410
 * Gone but stops on any other error (a dropped connection, an API server restart), so this
 * restarts it with exponential backoff and logs each restart.
 */
export class ResilientInformer<T extends KubernetesObject> {
  private readonly informer: Informer<T>;
  private stopped = false;
  private failures = 0;
  private timer: Timer | undefined;
  private syncedOnce = false;
  /** Whether a list has succeeded; client-node's start() also resolves when the list failed. */
  private listed = false;
  private whenSynced: (() => void) | undefined;

  constructor(
    kc: KubeConfig,
    private readonly kind: WatchedKind<T>,
    handlers: InformerHandlers<T>,
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly maxBackoffMs = 30_000,
    make: MakeInformer<T> = makeInformer,
  ) {
    this.informer = make(
      kc,
      kind.path,
      async () => {
        const list = await kind.list();
        this.listed = true;
        return list;
      },
      kind.labelSelector,
    );
    this.informer.on('add', (obj) => handlers.upsert(obj));
    this.informer.on('update', (obj) => handlers.upsert(obj));
    this.informer.on('delete', (obj) => handlers.remove(obj));
    this.informer.on('connect', () => {
      this.failures = 0;
    });
    this.informer.on('error', (err: unknown) => this.restartLater(err));
  }

  /**
   * Resolves once a first list has been delivered, however many restarts that takes: a
   * cache that failed to list is not synced (it would show an empty cluster).
   */
  start(): Promise<void> {
    return new Promise((resolve) => {
      this.whenSynced = resolve;
      this.run();
    });
  }

  get hasSynced(): boolean {
    return this.syncedOnce;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.informer.stop();
  }

  private restartLater(err: unknown): void {
    if (this.stopped) return;
    const delay = Math.min(this.maxBackoffMs, 250 * 2 ** this.failures);
    this.failures++;
    this.logger.warn('watch failed; restarting', {
      kind: this.kind.name,
      error: err instanceof Error ? err.message : String(err),
      retryInMs: delay,
    });
    this.timer?.cancel();
    this.timer = this.clock.after(delay, () => {
      if (!this.stopped) this.run();
    });
  }

  private run(): void {
    this.informer.start().then(
      () => {
        // The list's items are in the cache once start() has returned after a listing.
        if (!this.listed || this.syncedOnce) return;
        this.syncedOnce = true;
        this.whenSynced?.();
      },
      (e: unknown) => this.restartLater(e),
    );
  }
}
