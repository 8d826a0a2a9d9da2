import type { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'winston';
import type { ClusterState } from '../cluster/state.js';
import type { ObjectCreator } from '../kube/object-creator.js';
import { errorMessage, isConflict, isNotFound, retryAfterMs } from '../kube/errors.js';
import type { Resources } from '../resources/index.js';
import { WorkQueue } from '../util/work-queue.js';

export interface LaunchRequest {
  taskKey: string;
  /** The complete pod, bound to its node through spec.nodeName. */
  pod: V1Pod;
  requests: Resources;
}

export interface LaunchOutcome {
  /** Called once the API server holds the pod (created now, or already there: 409). */
  launched(req: LaunchRequest): void;
  /** Called when the create failed for good; the assumed resources are already released. */
  failed(req: LaunchRequest, message: string): void;
}

/**
 * The only writer of pods. A launch first *assumes* the pod's resources in the cluster state
 * (so the next cycle does not offer them again), then creates it:
 *
 *   assume ──create ok / 409──▶ (watch shows pod) ──▶ forgotten by ClusterState.upsertPod
 *      └────create failed─────▶ forget (resources released), outcome.failed
 *
 * The pod name is derived from task and attempt, so a create retried after a crash meets
 * 409 instead of launching twice. A 429 pauses all creates for its Retry-After.
 */
export class Launcher {
  private readonly creates: WorkQueue<string>;
  private readonly kills: WorkQueue<string>;
  private readonly pending = new Map<string, LaunchRequest>();
  private readonly killGrace = new Map<string, number>();

  constructor(
    private readonly core: CoreV1Api,
    private readonly creator: ObjectCreator,
    private readonly state: ClusterState,
    private readonly outcome: LaunchOutcome,
    private readonly logger: Logger,
    concurrency: number,
    private readonly now: () => number,
  ) {
    this.creates = new WorkQueue(
      concurrency,
      (key) => this.create(key),
      (key, err) => this.createFailed(key, err),
    );
    this.kills = new WorkQueue(
      concurrency,
      (key) => this.kill(key),
      (key, err) => this.killFailed(key, err),
    );
  }

  launch(req: LaunchRequest): void {
    const key = `${req.pod.metadata?.namespace ?? ''}/${req.pod.metadata?.name ?? ''}`;
    if (this.pending.has(key) || this.state.pods.has(key)) return;
    this.state.assume({
      key,
      nodeName: req.pod.spec?.nodeName ?? '',
      requests: req.requests,
      taskKey: req.taskKey,
      since: this.now(),
    });
    this.pending.set(key, req);
    this.creates.add(key);
  }

  /** Deletes a pod with the given grace period (idempotent: a pod already gone is fine). */
  killPod(podKey: string, gracePeriodSeconds: number): void {
    this.killGrace.set(podKey, gracePeriodSeconds);
    this.kills.add(podKey);
  }

  isLaunching(podKey: string): boolean {
    return this.pending.has(podKey);
  }

  /** Pod creates queued or in flight; other writers yield while there are any. */
  get pendingCreates(): number {
    return this.creates.length;
  }

  get inFlight(): number {
    return this.creates.length + this.kills.length;
  }

  async idle(): Promise<void> {
    await Promise.all([this.creates.idle(), this.kills.idle()]);
  }

  close(): void {
    this.creates.close();
    this.kills.close();
  }

  private async create(key: string): Promise<void> {
    const req = this.pending.get(key);
    if (!req) return;
    try {
      const namespace = encodeURIComponent(req.pod.metadata?.namespace ?? '');
      await this.creator.create(`/api/v1/namespaces/${namespace}/pods`, {
        apiVersion: 'v1',
        kind: 'Pod',
        ...req.pod,
      });
      // One line per pod of a burst is debug: the Task's Launched Event and status say the same.
      if (this.logger.isDebugEnabled())
        this.logger.debug('launched task', { task: req.taskKey, pod: key, node: req.pod.spec?.nodeName });
    } catch (err) {
      if (!isConflict(err)) throw err;
      this.logger.info('pod already exists; not launching again', { task: req.taskKey, pod: key });
    }
    this.pending.delete(key);
    this.outcome.launched(req);
  }

  private createFailed(key: string, err: unknown): void {
    const req = this.pending.get(key);
    const wait = retryAfterMs(err);
    if (req && wait !== undefined) {
      // Throttled: keep the resources assumed and try again once the server allows.
      this.logger.warn('pod create throttled', { pod: key, retryInMs: wait });
      this.creates.pause(wait);
      this.creates.add(key);
      return;
    }
    this.pending.delete(key);
    this.state.forget(key);
    const message = errorMessage(err);
    this.logger.error('pod create failed', { pod: key, task: req?.taskKey, error: message });
    if (req) this.outcome.failed(req, message);
  }

  private async kill(podKey: string): Promise<void> {
    const [namespace = '', name = ''] = podKey.split('/');
    const grace = this.killGrace.get(podKey);
    try {
      await this.core.deleteNamespacedPod({ namespace, name, gracePeriodSeconds: grace });
      this.logger.info('killed pod', { pod: podKey, gracePeriodSeconds: grace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    this.killGrace.delete(podKey);
  }

  private killFailed(podKey: string, err: unknown): void {
    const wait = retryAfterMs(err);
    if (wait !== undefined) {
      this.kills.pause(wait);
      this.kills.add(podKey);
      return;
    }
    this.logger.error('pod delete failed; the next cycle retries', { pod: podKey, error: errorMessage(err) });
  }
}
