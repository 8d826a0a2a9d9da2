import type { CoreV1Api } from '@kubernetes/client-node';
import type { Logger } from 'winston';
import { splitKey } from '../api/keys.js';
import type { ObjectWriter } from '../kube/object-writer.js';
import { errorMessage, isConflict, isNotFound } from '../kube/errors.js';
import { backoffMs, classifyFailure } from '../kube/failure-policy.js';
import type { Clock } from '../util/clock.js';
import { WorkQueue, type FailureClass } from '../util/work-queue.js';
import type { LaunchEntry, LaunchLedger } from './ledger.js';

export interface LaunchOutcome {
  /** The API server holds the pod (created now, or already there: 409). */
  launched(entry: LaunchEntry): void;
  /**
   * The create failed for good; the ledger has already released the resources. `invalid`:
   * the API server refused the pod itself (400/422), so launching it again cannot help.
   */
  failed(entry: LaunchEntry, message: string, invalid: boolean): void;
  /** A live read settled whether an unseen pod exists (if not, the ledger has forgotten it). */
  verified(entry: LaunchEntry, exists: boolean): void;
}

/**
 * The only writer of pods. It creates the pods of the ledger's placed entries, deletes pods
 * the controllers want gone, and reads pods the watch may have missed; it reports each outcome
 * to the ledger (see ledger.ts for the life of a launch) and then to its caller.
 *
 * The pod name is derived from task and attempt, so a create retried after a crash meets
 * 409 instead of launching twice. Failed calls are retried by the queues (kube/failure-policy.ts):
 * a throttled create keeps its resources held; a create the server refuses for good ends its
 * launch.
 */
export class Launcher {
  private readonly creates: WorkQueue<string>;
  private readonly kills: WorkQueue<string>;
  private readonly reads: WorkQueue<string>;
  private readonly killGrace = new Map<string, number>();

  constructor(
    private readonly core: CoreV1Api,
    private readonly creator: Pick<ObjectWriter, 'create'>,
    private readonly ledger: LaunchLedger,
    private readonly outcome: LaunchOutcome,
    private readonly logger: Logger,
    concurrency: number,
    clock: Clock,
  ) {
    type Drop = Extract<FailureClass, { kind: 'drop' }>;
    const queue = (
      worker: (key: string) => Promise<void>,
      what: string,
      hooks: { dropped?: (key: string, err: unknown, f: Drop) => void; retrying?: (key: string) => void },
    ): WorkQueue<string> =>
      new WorkQueue({
        concurrency,
        worker,
        clock,
        classify: classifyFailure,
        backoff: (n) => backoffMs(n),
        onDrop: (key, err, f) => {
          if (hooks.dropped) hooks.dropped(key, err, f);
          else this.logger.error(`${what} refused`, { pod: key, error: errorMessage(err) });
        },
        onRetry: (key, err, delayMs, f) => {
          hooks.retrying?.(key);
          this.logger.warn(`${what} failed; retrying`, {
            pod: key,
            retryInMs: delayMs,
            throttled: f.kind === 'throttled',
            error: errorMessage(err),
          });
        },
      });
    this.creates = queue((k) => this.create(k), 'pod create', {
      dropped: (k, err, f) => this.createFailed(k, err, f.reason === 'invalid'),
      // The create is sent again: its resources stay held meanwhile.
      retrying: (k) => this.ledger.requeue(k),
    });
    this.kills = queue((k) => this.kill(k), 'pod delete', {});
    this.reads = queue((k) => this.read(k), 'pod read', {
      // Not known either way: another TTL before the next read.
      dropped: (k, err) => {
        this.logger.error('pod read refused', { pod: k, error: errorMessage(err) });
        this.ledger.confirm(k);
      },
    });
  }

  /** Creates the pod of a placed ledger entry. */
  launch(podKey: string): void {
    if (this.ledger.get(podKey)?.phase === 'placed') this.creates.add(podKey);
  }

  /** Deletes a pod with the given grace period (idempotent: a pod already gone is fine). */
  killPod(podKey: string, gracePeriodSeconds: number): void {
    this.killGrace.set(podKey, gracePeriodSeconds);
    this.kills.add(podKey);
  }

  /** Reads pods that were created but are not in the watch after the ledger's TTL. */
  verify(entries: readonly LaunchEntry[]): void {
    for (const e of entries) this.reads.add(e.podKey);
  }

  /** Pod creates queued or in flight; other writers yield while there are any. */
  get pendingCreates(): number {
    return this.creates.length;
  }

  get inFlight(): number {
    return this.creates.length + this.kills.length + this.reads.length;
  }

  async idle(): Promise<void> {
    await Promise.all([this.creates.idle(), this.kills.idle(), this.reads.idle()]);
  }

  close(): void {
    this.creates.close();
    this.kills.close();
    this.reads.close();
  }

  private async create(key: string): Promise<void> {
    const entry = this.ledger.startCreate(key);
    const pod = entry?.plan?.pod;
    if (!entry || !pod) return;
    try {
      const namespace = encodeURIComponent(pod.metadata?.namespace ?? '');
      await this.creator.create(`/api/v1/namespaces/${namespace}/pods`, {
        apiVersion: 'v1',
        kind: 'Pod',
        ...pod,
      });
      // One line per pod of a burst is debug: the Task's Launched Event and status say the same.
      if (this.logger.isDebugEnabled())
        this.logger.debug('launched task', { task: entry.taskKey, pod: key, node: entry.nodeName });
    } catch (err) {
      if (!isConflict(err)) throw err;
      this.logger.info('pod already exists; not launching again', { task: entry.taskKey, pod: key });
    }
    this.ledger.created(key);
    this.outcome.launched(entry);
  }

  private createFailed(key: string, err: unknown, invalid: boolean): void {
    const forgotten = this.ledger.forget(key);
    const message = errorMessage(err);
    // A pod refused as invalid is the tenant's input, reported on its Task: a warning here.
    this.logger.log(invalid ? 'warn' : 'error', 'pod create refused', {
      pod: key,
      task: forgotten?.taskKey,
      error: message,
    });
    if (forgotten) this.outcome.failed(forgotten, message, invalid);
  }

  private async kill(podKey: string): Promise<void> {
    const { namespace, name } = splitKey(podKey);
    const grace = this.killGrace.get(podKey);
    try {
      await this.core.deleteNamespacedPod({ namespace, name, gracePeriodSeconds: grace });
      this.logger.info('killed pod', { pod: podKey, gracePeriodSeconds: grace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    this.killGrace.delete(podKey);
  }

  private async read(podKey: string): Promise<void> {
    const entry = this.ledger.get(podKey);
    if (entry?.phase !== 'unseen') return;
    const { namespace, name } = splitKey(podKey);
    let exists = true;
    try {
      await this.core.readNamespacedPod({ namespace, name });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      exists = false;
    }
    if (exists) this.ledger.confirm(podKey);
    else this.ledger.forget(podKey);
    this.outcome.verified(entry, exists);
  }
}
