import type { CoreV1Event } from '@kubernetes/client-node';
import type { Logger } from 'winston';
import type { Clock } from '../util/clock.js';
import { WorkQueue, type Concurrency } from '../util/work-queue.js';
import { errorMessage } from './errors.js';
import type { ObjectWriter } from './object-writer.js';
import { classifyFailure, type Backoff, backoffMs } from './failure-policy.js';

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

const EVENT_BACKOFF: Backoff = { baseMs: 100, capMs: 5_000 };
const EVENT_ATTEMPTS = 5;

/**
 * Records Kubernetes Events (core/v1) for kmesos' objects, in the background and bounded.
 * They are posted as built (ObjectWriter): no model classes either way, one Event per task.
 */
export class EventRecorder {
  private readonly queue: WorkQueue<number>;
  private readonly pending = new Map<number, CoreV1Event>();
  private seq = 0;
  /** Events sent, for the API-traffic figures of benchmarks. */
  sent = 0;

  constructor(
    private readonly creator: Pick<ObjectWriter, 'create'>,
    private readonly logger: Logger,
    private readonly clock: Clock,
    concurrency: Concurrency,
    private readonly component = 'kmesos',
  ) {
    this.queue = new WorkQueue({
      concurrency,
      worker: (id) => this.send(id),
      clock,
      classify: classifyFailure,
      // Events matter less than status: a few tries, then they are let go (see send()).
      backoff: (n) => backoffMs(n, EVENT_BACKOFF),
      onDrop: (id, err) => this.failed(id, err),
    });
  }

  record(target: EventTarget, event: KmesosEvent): void {
    const now = new Date(this.clock.now());
    const namespace = target.metadata?.namespace ?? 'default';
    const id = this.seq++;
    this.pending.set(id, {
      apiVersion: 'v1',
      kind: 'Event',
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
    try {
      await this.creator.create(`/api/v1/namespaces/${body.metadata.namespace ?? 'default'}/events`, body);
    } catch (err) {
      if (this.queue.failuresOf(id) + 1 >= EVENT_ATTEMPTS) {
        this.failed(id, err);
        return;
      }
      throw err;
    }
    this.pending.delete(id);
    this.sent++;
  }

  private failed(id: number, err: unknown): void {
    const body = this.pending.get(id);
    this.pending.delete(id);
    this.logger.warn('event not recorded', {
      reason: body?.reason,
      object: body?.involvedObject.name,
      error: errorMessage(err),
    });
  }
}
