import type { CoreV1Api, CoreV1Event } from '@kubernetes/client-node';
import type { Logger } from 'winston';
import type { Clock } from '../util/clock.js';
import { WorkQueue, type Concurrency } from '../util/work-queue.js';
import { errorMessage, retryAfterMs } from './errors.js';

export interface EventTarget {
  apiVersion: string;
  kind: string;
  metadata?: { namespace?: string; name?: string; uid?: string; resourceVersion?: string };
}

export interface KmesosEvent {
  type: 'Normal' | 'Warning';
  /** CamelCase, e.g. TaskLaunched. */
  reason: string;
  message: string;
}

/** Records Kubernetes Events (core/v1) for kmesos' objects, in the background and bounded. */
export class EventRecorder {
  private readonly queue: WorkQueue<number>;
  private readonly pending = new Map<number, CoreV1Event>();
  private seq = 0;
  /** Events sent, for the API-traffic figures of benchmarks. */
  sent = 0;

  constructor(
    private readonly core: CoreV1Api,
    private readonly logger: Logger,
    private readonly clock: Clock,
    concurrency: Concurrency,
    private readonly component = 'kmesos',
  ) {
    this.queue = new WorkQueue(
      concurrency,
      (id) => this.send(id),
      (id, err) => this.failed(id, err),
    );
  }

  record(target: EventTarget, event: KmesosEvent): void {
    const now = new Date(this.clock.now());
    const namespace = target.metadata?.namespace ?? 'default';
    const id = this.seq++;
    this.pending.set(id, {
      metadata: {
        name: `${target.metadata?.name ?? 'kmesos'}.${now.getTime().toString(16)}${id.toString(16)}`,
        namespace,
      },
      involvedObject: {
        apiVersion: target.apiVersion,
        kind: target.kind,
        name: target.metadata?.name,
        namespace: target.metadata?.namespace,
        uid: target.metadata?.uid,
        resourceVersion: target.metadata?.resourceVersion,
      },
      type: event.type,
      reason: event.reason,
      message: event.message.slice(0, 1024),
      source: { component: this.component },
      reportingComponent: this.component,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
    this.queue.add(id);
  }

  async idle(): Promise<void> {
    await this.queue.idle();
  }

  close(): void {
    this.queue.close();
  }

  private async send(id: number): Promise<void> {
    const body = this.pending.get(id);
    if (!body) return;
    await this.core.createNamespacedEvent({ namespace: body.metadata.namespace ?? 'default', body });
    this.pending.delete(id);
    this.sent++;
  }

  private failed(id: number, err: unknown): void {
    const wait = retryAfterMs(err);
    if (wait !== undefined) {
      this.queue.pause(wait);
      this.queue.add(id);
      return;
    }
    const body = this.pending.get(id);
    this.pending.delete(id);
    this.logger.warn('event not recorded', {
      reason: body?.reason,
      object: body?.involvedObject.name,
      error: errorMessage(err),
    });
  }
}
