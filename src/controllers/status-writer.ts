import type { Logger } from 'winston';
import { GROUP, VERSION } from '../api/constants.js';
import { errorMessage } from '../kube/errors.js';
import { backoffMs, classifyFailure } from '../kube/failure-policy.js';
import { mergePatch, sameJson } from '../kube/merge-patch.js';
import type { ObjectWriter } from '../kube/object-writer.js';
import type { Clock } from '../util/clock.js';
import { WorkQueue, type Concurrency } from '../util/work-queue.js';

export type StatusPlural = 'tasks' | 'frameworks' | 'resourceroles';

interface Pending {
  plural: StatusPlural;
  namespace: string | undefined;
  name: string;
  from: unknown;
  to: unknown;
}

/** The most resourceVersions of one object's own writes kept while awaiting their echoes. */
const MAX_UNECHOED = 8;

/** The status subresource of a kmesos object. */
function statusPath(p: Pick<Pending, 'plural' | 'namespace' | 'name'>): string {
  const scope = p.namespace === undefined ? '' : `/namespaces/${encodeURIComponent(p.namespace)}`;
  return `/apis/${GROUP}/${VERSION}${scope}/${p.plural}/${encodeURIComponent(p.name)}/status`;
}

/**
 * The one writer of kmesos' status subresources. Callers hand it the status they want; it
 * writes a merge patch only when that differs from what the object has and from what was
 * last written (the watch may not have echoed it yet), coalescing repeated requests per
 * object so only the latest status is sent. A kind may wait a while before its first write
 * (a launched task's STAGING and RUNNING, a few hundred milliseconds apart, then cost one).
 * A write that fails is retried with backoff until it lands or a newer status supersedes it;
 * only an object that is gone, or a status the server refuses as invalid, is given up.
 */
export class StatusWriter {
  private readonly pending = new Map<string, Pending>();
  /** The status of each patch sent and not yet answered: its watch echo may come first. */
  private readonly inFlight = new Map<string, unknown>();
  /** The status each object was last written with (callers hand over statuses they no longer change). */
  private readonly lastWritten = new Map<string, unknown>();
  /**
   * The resourceVersions of this writer's answered patches whose watch echoes have not come
   * yet, oldest first: the watch can lag several writes behind, and an older echo of ours is
   * no one else's write.
   */
  private readonly ownVersions = new Map<string, string[]>();
  /** The UID of the object each key was last written for: a re-created object starts afresh. */
  private readonly uids = new Map<string, string>();
  /**
   * The resourceVersion of each object last found to hold what this writer expected. The
   * watch can still show it after a newer write of ours is answered: stale, not foreign.
   */
  private readonly consistent = new Map<string, string>();
  private readonly queue: WorkQueue<string>;
  /** Status patches sent, for the API-traffic figures of benchmarks. */
  writes = 0;

  constructor(
    private readonly api: Pick<ObjectWriter, 'mergePatch'>,
    private readonly logger: Logger,
    clock: Clock,
    concurrency: Concurrency,
    private readonly delayMs: Partial<Record<StatusPlural, number>> = {},
  ) {
    this.queue = new WorkQueue({
      concurrency,
      worker: (k) => this.write(k),
      clock,
      classify: classifyFailure,
      backoff: (n) => backoffMs(n),
      onDrop: (k, err, f) => this.dropped(k, err, f.reason),
      onRetry: (k, err, delayMs) =>
        this.logger.warn('status write failed; retrying', {
          object: k,
          retryInMs: delayMs,
          error: errorMessage(err),
        }),
    });
  }

  set(
    plural: StatusPlural,
    obj: {
      metadata?: { namespace?: string; name?: string; uid?: string; resourceVersion?: string };
      status?: unknown;
    },
    to: unknown,
  ): void {
    const namespace = obj.metadata?.namespace;
    const name = obj.metadata?.name ?? '';
    const key = `${plural}/${namespace ?? ''}/${name}`;
    const uid = obj.metadata?.uid ?? '';
    if (this.uids.get(key) !== uid) {
      // Deleted and created again under the same name: what was written was for the old one.
      this.lastWritten.delete(key);
      this.pending.delete(key);
      this.ownVersions.delete(key);
      this.consistent.delete(key);
      this.uids.set(key, uid);
    }
    // The object this status is decided from: if it holds what was expected, its version is
    // remembered, so the watch showing it again after this write's answer is not foreign.
    this.judge(key, obj);
    const written = this.lastWritten.get(key);
    if (written !== undefined && sameJson(written, to)) return;
    if (sameJson(obj.status ?? {}, to)) {
      this.pending.delete(key);
      return;
    }
    this.pending.set(key, { plural, namespace, name, from: this.pendingBase(key, obj.status), to });
    this.queue.addAfter(key, this.delayMs[plural] ?? 0);
  }

  /**
   * Whether someone else wrote the object's status: it is neither what this writer last
   * wrote nor on its way there, nor what a patch awaiting its answer wrote (whose watch echo
   * can arrive before the answer), nor what a write waiting to be retried will write (one
   * that failed with a timeout may have landed), nor the echo of an earlier write of ours
   * (by its resourceVersion), nor a version of the object already found to hold what was
   * expected (the watch has not shown a newer write of ours yet).
   */
  overwritten(
    plural: StatusPlural,
    obj: { metadata?: { namespace?: string; name?: string; resourceVersion?: string }; status?: unknown },
  ): boolean {
    return this.judge(`${plural}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`, obj);
  }

  /** overwritten(), remembering the version of an object that holds what was expected. */
  private judge(key: string, obj: { metadata?: { resourceVersion?: string }; status?: unknown }): boolean {
    const version = obj.metadata?.resourceVersion;
    if (version !== undefined && this.consistent.get(key) === version) return false;
    const foreign = !this.ownEcho(key, version) && this.unexpected(key, obj.status ?? {});
    if (!foreign && version !== undefined) this.consistent.set(key, version);
    return foreign;
  }

  /** Whether a status is none that this writer wrote, is writing or is about to write. */
  private unexpected(key: string, status: unknown): boolean {
    // What the object should hold now: the base of the write on its way, else the last one made.
    const pending = this.pending.get(key);
    const base = pending?.from ?? this.lastWritten.get(key);
    if (base === undefined) return false;
    if (sameJson(base, status)) return false;
    if (pending && sameJson(pending.to, status)) return false;
    // Or what a patch still awaiting its answer wrote: its echo can come first.
    const flying = this.inFlight.get(key);
    return flying === undefined || !sameJson(flying, status);
  }

  /** Writes `to` again over a status someone else wrote, patching from what the object now has. */
  restore(
    plural: StatusPlural,
    obj: { metadata?: { namespace?: string; name?: string; uid?: string }; status?: unknown },
    to: unknown,
  ): void {
    const key = `${plural}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
    // The patch must start from what the object holds now, not from what was written.
    this.lastWritten.delete(key);
    this.pending.delete(key);
    this.set(plural, obj, to);
  }

  /** Forget an object that was deleted. */
  forget(plural: StatusPlural, namespace: string | undefined, name: string): void {
    const key = `${plural}/${namespace ?? ''}/${name}`;
    this.pending.delete(key);
    this.inFlight.delete(key);
    this.lastWritten.delete(key);
    this.ownVersions.delete(key);
    this.consistent.delete(key);
    this.uids.delete(key);
  }

  async idle(): Promise<void> {
    await this.queue.idle();
  }

  close(): void {
    this.queue.close();
  }

  /**
   * Whether `version` is one this writer's patches produced. Watch events come in order, so
   * its echo also means the echoes of every earlier write of ours have passed.
   */
  private ownEcho(key: string, version: string | undefined): boolean {
    const versions = this.ownVersions.get(key);
    const i = version === undefined || versions === undefined ? -1 : versions.indexOf(version);
    if (i < 0) return false;
    if (i === (versions?.length ?? 0) - 1) this.ownVersions.delete(key);
    else versions?.splice(0, i + 1);
    return true;
  }

  private remember(key: string, answer: unknown): void {
    const version = (answer as { metadata?: { resourceVersion?: string } } | undefined)?.metadata
      ?.resourceVersion;
    if (version === undefined) return;
    const versions = this.ownVersions.get(key) ?? [];
    versions.push(version);
    // Echoes that never come (a watch restarted past them) must not pile up.
    if (versions.length > MAX_UNECHOED) versions.shift();
    this.ownVersions.set(key, versions);
  }

  /** Diff against what we last wrote when the cache is behind it, else against the cache. */
  private pendingBase(key: string, cached: unknown): unknown {
    return this.lastWritten.get(key) ?? cached ?? {};
  }

  private async write(key: string): Promise<void> {
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    const body = mergePatch(p.from, p.to);
    if (body === undefined) return;
    this.inFlight.set(key, p.to);
    try {
      const answer = await this.api.mergePatch(statusPath(p), { status: body });
      this.writes++;
      this.remember(key, answer);
      this.lastWritten.set(key, p.to);
    } catch (err) {
      // Keep the request for the retry, unless a newer status came meanwhile.
      if (!this.pending.has(key)) this.pending.set(key, p);
      throw err;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private dropped(key: string, err: unknown, reason: string): void {
    this.pending.delete(key);
    this.lastWritten.delete(key);
    if (reason === 'gone') return;
    this.logger.error('status write refused', { object: key, error: errorMessage(err) });
  }
}
