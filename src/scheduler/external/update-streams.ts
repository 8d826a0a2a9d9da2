/**
 * Mesos' status update guarantee, per task: updates are delivered in order, each is resent
 * until the scheduler acknowledges its uuid, and the next update of the same task waits
 * for that acknowledgement (the agent's status update stream). Pure: the caller sends and
 * passes the time.
 *
 * Resends follow Mesos' status update manager: an unacknowledged update goes out again
 * `minMs` after it was last sent, the wait doubling up to `maxMs`. The wait is per update,
 * so an update sent just before a resend tick is not sent twice in a row.
 */
import type { TaskStatus } from '../mesos/types/v1.js';

export interface ResendBackoff {
  minMs: number;
  maxMs: number;
}

interface Stream {
  frameworkKey: string;
  queue: TaskStatus[];
  /** When the head was last sent, and how long to wait before sending it again. */
  sentAt: number;
  waitMs: number;
}

function sameUuid(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.from(a).equals(Buffer.from(b));
}

export class UpdateStreams {
  private readonly streams = new Map<string, Stream>();

  constructor(private readonly backoff: ResendBackoff) {}

  /** Queues an update; returns it when it is at the head (to be sent now), else undefined. */
  push(frameworkKey: string, taskKey: string, status: TaskStatus, now: number): TaskStatus | undefined {
    let s = this.streams.get(taskKey);
    if (!s) {
      s = { frameworkKey, queue: [], sentAt: now, waitMs: this.backoff.minMs };
      this.streams.set(taskKey, s);
    }
    s.queue.push(status);
    return s.queue.length === 1 ? status : undefined;
  }

  /**
   * An ACKNOWLEDGE: when it names the head's uuid the head is done. Returns whether it matched
   * and the next update to send now, if any.
   */
  acknowledge(
    taskKey: string,
    uuid: Uint8Array,
    now: number,
  ): { matched: boolean; acked?: TaskStatus; next?: TaskStatus } {
    const s = this.streams.get(taskKey);
    if (!s || !sameUuid(s.queue[0]?.uuid, uuid)) return { matched: false };
    const acked = s.queue.shift();
    const next = s.queue[0];
    if (!next) {
      this.streams.delete(taskKey);
      return { matched: true, ...(acked ? { acked } : {}) };
    }
    s.sentAt = now;
    s.waitMs = this.backoff.minMs;
    return { matched: true, ...(acked ? { acked } : {}), next };
  }

  /** Whether an update with this uuid waits in the task's stream (an executor sending it again). */
  holds(taskKey: string, uuid: Uint8Array): boolean {
    return this.streams.get(taskKey)?.queue.some((u) => sameUuid(u.uuid, uuid)) ?? false;
  }

  /** The unacknowledged head of every task of a framework, all sent now (on (re)subscription). */
  heads(frameworkKey: string, now: number): TaskStatus[] {
    return this.take(frameworkKey, now, () => true);
  }

  /** The heads of a framework whose wait has passed, sent now; each one's next wait doubles. */
  due(frameworkKey: string, now: number): TaskStatus[] {
    return this.take(frameworkKey, now, (s) => now - s.sentAt >= s.waitMs);
  }

  private take(frameworkKey: string, now: number, send: (s: Stream) => boolean): TaskStatus[] {
    const out: TaskStatus[] = [];
    for (const s of this.streams.values()) {
      const head = s.queue[0];
      if (s.frameworkKey !== frameworkKey || !head || !send(s)) continue;
      if (now - s.sentAt >= s.waitMs) s.waitMs = Math.min(s.waitMs * 2, this.backoff.maxMs);
      s.sentAt = now;
      out.push(head);
    }
    return out;
  }

  /** Updates not yet acknowledged of one task (head first). */
  pending(taskKey: string): readonly TaskStatus[] {
    return this.streams.get(taskKey)?.queue ?? [];
  }

  /** Updates not yet acknowledged, over all tasks. */
  get size(): number {
    let n = 0;
    for (const s of this.streams.values()) n += s.queue.length;
    return n;
  }

  /** Drops every stream of a removed framework. */
  forgetFramework(frameworkKey: string): void {
    for (const [k, s] of this.streams) if (s.frameworkKey === frameworkKey) this.streams.delete(k);
  }
}
