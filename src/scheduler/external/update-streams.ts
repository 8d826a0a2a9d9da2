/**
 * Mesos' status update guarantee, per task: updates are delivered in order, each is resent
 * until the scheduler acknowledges its uuid, and the next update of the same task waits
 * for that acknowledgement (the agent's status update stream). Pure: the caller sends.
 */
import type { TaskStatus } from '../mesos/types/v1.js';

interface Stream {
  frameworkKey: string;
  queue: TaskStatus[];
}

function sameUuid(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.from(a).equals(Buffer.from(b));
}

export class UpdateStreams {
  private readonly streams = new Map<string, Stream>();

  /** Queues an update; returns it when it is at the head (to be sent now), else undefined. */
  push(frameworkKey: string, taskKey: string, status: TaskStatus): TaskStatus | undefined {
    let s = this.streams.get(taskKey);
    if (!s) {
      s = { frameworkKey, queue: [] };
      this.streams.set(taskKey, s);
    }
    s.queue.push(status);
    return s.queue.length === 1 ? status : undefined;
  }

  /**
   * An ACKNOWLEDGE: when it names the head's uuid the head is done. Returns whether it matched
   * and the next update to send, if any.
   */
  acknowledge(taskKey: string, uuid: Uint8Array): { matched: boolean; next?: TaskStatus } {
    const s = this.streams.get(taskKey);
    if (!s || !sameUuid(s.queue[0]?.uuid, uuid)) return { matched: false };
    s.queue.shift();
    const next = s.queue[0];
    if (!next) this.streams.delete(taskKey);
    return next ? { matched: true, next } : { matched: true };
  }

  /** The unacknowledged head of every task of a framework: resent on (re)subscription and on a timer. */
  heads(frameworkKey: string): TaskStatus[] {
    const out: TaskStatus[] = [];
    for (const s of this.streams.values()) {
      const head = s.queue[0];
      if (s.frameworkKey === frameworkKey && head) out.push(head);
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
