import {
  makeInformer,
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

/**
 * A client-node informer that comes back by itself. client-node's informer re-lists on 410
 * Gone but stops on any other error (a dropped connection, an API server restart), so this
 * restarts it with exponential backoff and logs each restart.
 */
export class ResilientInformer<T extends KubernetesObject> {
  private readonly informer;
  private stopped = false;
  private failures = 0;
  private timer: Timer | undefined;
  private syncedOnce = false;

  constructor(
    kc: KubeConfig,
    private readonly kind: WatchedKind<T>,
    handlers: InformerHandlers<T>,
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly maxBackoffMs = 30_000,
  ) {
    this.informer = makeInformer(kc, kind.path, () => kind.list(), kind.labelSelector);
    this.informer.on('add', (obj) => handlers.upsert(obj));
    this.informer.on('update', (obj) => handlers.upsert(obj));
    this.informer.on('delete', (obj) => handlers.remove(obj));
    this.informer.on('connect', () => {
      this.failures = 0;
    });
    this.informer.on('error', (err: unknown) => this.restartLater(err));
  }

  /** Resolves once the first list has been delivered. */
  async start(): Promise<void> {
    await this.informer.start();
    this.syncedOnce = true;
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
      if (this.stopped) return;
      this.informer.start().catch((e: unknown) => this.restartLater(e));
    });
  }
}
