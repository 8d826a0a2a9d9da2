import {
  CoreV1Api,
  CustomObjectsApi,
  type ApiConstructor,
  type ApiType,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { Logger } from 'winston';
import {
  Allocator,
  type Offer,
  type PendingTask,
  type PlacementResult,
  type Rescind,
} from '../allocator/index.js';
import { ListWatcher } from '../cluster/list-watcher.js';
import { KubeListWatchClient, type ListWatchClient } from '../kube/list-watch-client.js';
import { ClusterState, type Kind } from '../cluster/state.js';
import type { Config } from '../config.js';
import { EventRecorder } from '../kube/events.js';
import { ObjectWriter } from '../kube/object-writer.js';
import { Launcher } from '../launcher/launcher.js';
import { LaunchLedger } from '../launcher/ledger.js';
import { BuiltinScheduler } from '../scheduler/builtin/scheduler.js';
import { ExecutorHub } from '../scheduler/executor/hub.js';
import { CallHandler } from '../scheduler/external/calls.js';
import { ExternalScheduler } from '../scheduler/external/external-scheduler.js';
import { kubeWrites } from '../scheduler/external/kube-writes.js';
import { createMesosCodec, loadMesosSchema, type MesosCodec } from '../scheduler/mesos/index.js';
import type { MasterInfo } from '../scheduler/mesos/types/v1.js';
import type { SchedulerInput } from '../scheduler/types.js';
import type { TaskStatus } from '../api/types.js';
import type { Clock } from '../util/clock.js';
import { DurationWindow } from '../util/duration-window.js';
import { secureToken } from '../util/token.js';
import type { Random } from '../util/random.js';
import { AllocatorSync } from './allocator-sync.js';
import { cycleReport, type CycleObserver } from './cycle-report.js';
import { CycleRunner } from './cycle-runner.js';
import { applyDecisions, rescindOutcome, type DecisionTargets } from './decisions.js';
import { PreemptionStep } from './preemption.js';
import { SharePublisher, type FrameworkFiguresReport, type RoleFiguresReport } from './share-publisher.js';
import { StatusWriter } from './status-writer.js';
import { TaskController } from './task-controller.js';
import { watches } from './watches.js';

export type { CycleObserver, CycleReport, OfferOutcome } from './cycle-report.js';
export type { FrameworkFiguresReport, RoleFiguresReport } from './share-publisher.js';

/** Makes the API clients the operator writes and lists with (so main.ts can count their requests). */
export type ApiClientFactory = <T extends ApiType>(api: ApiConstructor<T>) => T;

/** Status writes and events in flight while pod creates are waiting. */
const LOW_PRIORITY_CONCURRENCY = 2;
/**
 * How long a created pod may stay out of the watch before a live read checks it. A backstop
 * only: a watch delivers every change after its list, so a pod it has not shown is late, and
 * one a re-list missed is read at once (LaunchLedger.relisted). Reading every late pod made
 * an API server that was already minutes behind slower still.
 */
export const UNSEEN_TTL_MS = 600_000;
/** Mesos' status update manager: resend after 10 s, doubling up to 10 min. */
const UPDATE_RESEND = { minMs: 10_000, maxMs: 600_000 };

/**
 * kmesos' control loop: the wiring of its parts and the steps of one cycle. Informers fill
 * the cluster state; every change asks the cycle runner for a cycle (batched) and it runs a
 * full one at least every interval. Only the leader runs cycles.
 */
export class Operator {
  readonly state: ClusterState;
  readonly allocator: Allocator;
  readonly ledger: LaunchLedger;
  private readonly sync: AllocatorSync;
  private readonly launcher: Launcher;
  private readonly statuses: StatusWriter;
  private readonly events: EventRecorder;
  private readonly tasks: TaskController;
  private readonly shares: SharePublisher;
  private readonly runner: CycleRunner;
  private readonly builtin: BuiltinScheduler;
  private readonly preemption: PreemptionStep;
  /** The Mesos v1 Scheduler HTTP API's side of the operator: its frameworks, streams and calls. */
  readonly external: ExternalScheduler;
  readonly calls: CallHandler;
  /** Custom executors and the Mesos v1 Executor HTTP API's state. */
  readonly executors: ExecutorHub;
  readonly codec: MesosCodec;
  private readonly targets: DecisionTargets;
  private readonly informers: ListWatcher[] = [];
  /** Framework and role figures of the last full cycle (event-driven cycles do not recount). */
  private figures: { frameworks: FrameworkFiguresReport[]; roles: RoleFiguresReport[] } = {
    frameworks: [],
    roles: [],
  };
  private synced = false;
  /** Clock ms at which this replica began leading (Mesos' elected_time). */
  private leadingFrom: number | undefined;
  /** How long recent cycles took, for Mesos' allocator/mesos/allocation_run_ms. */
  readonly cycleTimes = new DurationWindow();

  constructor(
    private readonly kc: KubeConfig,
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly random: Random,
    /** What SUBSCRIBED tells schedulers of this master. */
    readonly master: MasterInfo,
    private readonly observer?: CycleObserver,
    private readonly apiClient: ApiClientFactory = (api) => kc.makeApiClient(api),
    private readonly listWatch: ListWatchClient = new KubeListWatchClient(kc),
  ) {
    const epoch = clock.now().toString(36);
    this.state = new ClusterState((kind, key) => this.changed(kind, key));
    this.allocator = new Allocator({
      clock,
      offerTimeoutMs: config.offerTimeoutMs,
      allocationIntervalMs: config.cycleIntervalMs,
      fairnessExcludeResourceNames: config.fairnessExcludedResources,
      offerIdPrefix: `${epoch}-O`,
    });
    this.ledger = new LaunchLedger({
      clock,
      unseenTtlMs: UNSEEN_TTL_MS,
      release: (podKey) => this.allocator.removeTask(podKey),
    });
    this.sync = new AllocatorSync(this.allocator, this.state, this.ledger, logger, (key) =>
      this.external.wantsOffers(key),
    );
    const core = apiClient(CoreV1Api);
    const custom = apiClient(CustomObjectsApi);
    const writer = apiClient(ObjectWriter);
    this.launcher = new Launcher(
      core,
      writer,
      this.ledger,
      {
        launched: (e) => this.tasks.launched(e),
        failed: (e, message, invalid) => this.tasks.launchFailed(e, message, invalid),
        verified: (e) => this.tasks.touch(e.taskKey),
      },
      logger,
      config.launchConcurrency,
      clock,
    );
    // Pod creates go first: during a burst, status and events trickle at a low rate, so the
    // API server's capacity goes to binding tasks (and a task's status changes coalesce).
    const yieldToLaunches = (): number =>
      this.launcher.pendingCreates > 0 ? LOW_PRIORITY_CONCURRENCY : config.statusConcurrency;
    this.statuses = new StatusWriter(writer, logger, clock, yieldToLaunches, {
      tasks: config.taskStatusDelayMs,
    });
    this.events = new EventRecorder(writer, logger, clock, yieldToLaunches);
    this.tasks = new TaskController({
      state: this.state,
      inFlight: (podKey) => this.ledger.inFlight(podKey),
      kill: (podKey, grace) => this.launcher.killPod(podKey, grace),
      statuses: this.statuses,
      events: this.events,
      logger,
      clock,
      ...(observer ? { observer } : {}),
      transitions: (key, task, prev, next) => this.external.taskTransition(key, task, prev, next),
      pendingUpdates: (key) => this.external.pendingUpdates(key),
      reported: (key) => this.executors.reported(key),
    });
    this.shares = new SharePublisher(this.allocator, this.statuses, clock, this.events);
    let offerSeq = 0;
    this.builtin = new BuiltinScheduler({
      defaults: { image: config.defaultImage },
      nextOfferId: () => `${epoch}-B${offerSeq++}`,
    });
    this.preemption = new PreemptionStep({
      allocator: this.allocator,
      state: this.state,
      ledger: this.ledger,
      tasks: this.tasks,
      events: this.events,
      logger,
      clock,
      observer,
      minRuntimeMs: config.preemptionMinRuntimeSeconds * 1000,
      maxPreemptions: config.maxPreemptionsPerCycle,
    });
    this.codec = createMesosCodec(loadMesosSchema());
    // Task creates share the pod creates' budget of requests in flight.
    const writes = kubeWrites(custom, config.launchConcurrency);
    this.external = new ExternalScheduler(
      {
        ...(config.mesosPorts ? { ports: config.mesosPorts } : {}),
        heartbeatSeconds: config.mesosHeartbeatSeconds,
        updateResend: UPDATE_RESEND,
        master,
      },
      {
        state: this.state,
        allocator: this.allocator,
        writes,
        taskStatus: (key) => this.taskStatus(key),
        requestCycle: () => this.runner.request(),
        refreshTask: (key) => this.tasks.refresh(key),
        codec: this.codec,
        clock,
        random,
        logger,
        executorReported: (key, state) => this.executors.wasReported(key, state),
        executorAcknowledged: (key, status) => this.executors.acknowledged(key, status),
      },
    );
    this.executors = new ExecutorHub({
      state: this.state,
      scheduler: this.external,
      codec: this.codec,
      clock,
      logger,
      newToken: secureToken,
      reportChanged: (key) => {
        this.tasks.reportedChanged(key);
        this.runner.request();
      },
      heartbeatSeconds: config.mesosHeartbeatSeconds,
    });
    this.calls = new CallHandler({
      scheduler: this.external,
      allocator: this.allocator,
      ledger: this.ledger,
      launcher: this.launcher,
      state: this.state,
      writes,
      defaults: { image: config.defaultImage },
      codec: this.codec,
      executors: this.executors,
      logger,
      ...(observer ? { offersEnded: (fw, outcome, n) => observer.offersEnded(fw, outcome, n) } : {}),
    });
    this.targets = {
      ledger: this.ledger,
      launcher: this.launcher,
      allocator: this.allocator,
      waiting: (w) => this.tasks.waiting(w),
      ...(observer ? { offersEnded: (fw, outcome, n) => observer.offersEnded(fw, outcome, n) } : {}),
    };
    this.runner = new CycleRunner({
      timers: clock,
      batchWindowMs: config.batchWindowMs,
      intervalMs: config.cycleIntervalMs,
      run: (full) => this.cycle(full),
      failed: (err) => {
        this.observer?.cycleFailed();
        this.logger.error('allocation cycle failed', {
          error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        });
      },
    });
  }

  /** Starts the watches; resolves once every cache has synced. */
  async start(): Promise<void> {
    const scope = {
      namespaces: this.config.namespaces,
      ...(this.config.nodeSelector ? { nodeSelector: this.config.nodeSelector } : {}),
    };
    // Pods a re-list did not show may have gone in the gap before it: the ledger reads them.
    const podsRelisted = (startedAt: number): void =>
      this.ledger.relisted(startedAt, (podKey) => this.state.pods.has(podKey));
    for (const w of watches(this.state, scope, podsRelisted)) {
      this.informers.push(
        new ListWatcher({
          ...w,
          client: this.listWatch,
          logger: this.logger,
          clock: this.clock,
          random: this.random,
        }),
      );
    }
    await Promise.all(this.informers.map((i) => i.start()));
    this.synced = true;
    const { nodes, pods, frameworks, tasks } = this.state;
    this.logger.info('caches synced', {
      nodes: nodes.size,
      pods: pods.size,
      frameworks: frameworks.size,
      tasks: tasks.size,
    });
  }

  get isSynced(): boolean {
    return this.synced;
  }

  get isLeading(): boolean {
    return this.runner.isStarted;
  }

  get cycles(): number {
    return this.runner.cycles;
  }

  /** Clock ms since which this replica leads; undefined on a standby. */
  get leadingSince(): number | undefined {
    return this.leadingFrom;
  }

  /** A Task's status as the task controller last decided it, which may be ahead of the watch cache. */
  taskStatus(key: string): TaskStatus | undefined {
    const task = this.state.tasks.get(key);
    return task ? this.tasks.statusOf(key, task) : undefined;
  }

  /** Begins allocating and launching (on becoming leader). */
  lead(): void {
    if (this.runner.isStarted) return;
    this.external.restore();
    this.leadingFrom = this.clock.now();
    this.logger.info('allocator running');
    this.runner.start();
  }

  async stop(): Promise<void> {
    this.runner.stop();
    this.external.close();
    this.executors.close();
    await Promise.all(this.informers.map((i) => i.stop()));
    this.launcher.close();
    this.statuses.close();
    this.events.close();
  }

  /** Resolves when no launch, status write or event is in flight (for tests and shutdown). */
  async idle(): Promise<void> {
    await Promise.all([this.launcher.idle(), this.statuses.idle(), this.events.idle()]);
  }

  get apiWrites(): { statusPatches: number; events: number } {
    return { statusPatches: this.statuses.writes, events: this.events.sent };
  }

  /** Runs a full cycle now (tests). */
  runCycle(full = true): void {
    this.runner.runNow(full);
  }

  private changed(kind: Kind, key: string): void {
    if (kind === 'task') {
      this.tasks.taskChanged(key);
      if (!this.state.tasks.has(key)) {
        this.ledger.forgetTask(key);
        this.external.taskRemoved(key);
        this.executors.taskRemoved(key);
      }
    }
    if (kind === 'pod') this.tasks.podChanged(key);
    if (kind === 'node') this.tasks.nodeChanged(key);
    if (kind === 'framework') this.tasks.frameworkChanged(key);
    this.runner.request();
  }

  /**
   * One cycle. Full cycles (the timer's) look at every task and write Framework and
   * ResourceRole status; event-driven ones reconcile only the tasks whose object, pods or
   * launch changed, so a burst of 10,000 tasks costs O(changes), not O(tasks).
   */
  private cycle(full: boolean): void {
    if (!this.synced) return;
    const started = performance.now();
    // 1. The allocator up to date with nodes, roles, frameworks and kmesos' pods.
    const rescinded = [...this.sync.sync()];
    this.rescinded(rescinded);
    // 2. Pods created but still not in the watch are read.
    this.launcher.verify(this.ledger.takeStale());
    // 3. Tasks reconciled: state from their pods, kills, retries; pending attempts collected.
    const pending = this.tasks.reconcile(full);
    // 4. Built-in frameworks' attempts placed (task-granularity DRF) and launched.
    let placed = 0;
    const unplaced = new Map<string, number>();
    // External frameworks whose dominant share comes first are offered within the placement.
    const offered: Offer[] = [];
    const input: Omit<SchedulerInput, 'pending'> = {
      agentNames: this.sync.agents,
      place: (tasks) => {
        const result = this.allocator.placeTasks(tasks);
        offered.push(...(result.offers ?? []));
        return result;
      },
      offers: [],
      rescinded: [],
    };
    const builtin = pending.filter((p) => p.framework.spec.scheduler === 'Builtin');
    let placement: { requests: readonly PendingTask[]; result: PlacementResult } | undefined;
    const placeBuiltin = (tasks: readonly PendingTask[]): PlacementResult => {
      const result = input.place(tasks);
      placement = { requests: tasks, result };
      return result;
    };
    placed += applyDecisions(
      this.builtin.cycle({ ...input, place: placeBuiltin, pending: builtin }),
      this.targets,
      unplaced,
    );
    // 4b. Tasks no agent had room for may preempt others (full cycles: at most once per interval).
    if (full) this.preempt(placement, builtin);
    // 5. Offers to external frameworks made and expired, and sent to their schedulers.
    const allocation = this.allocator.allocate();
    this.rescinded(allocation.rescinded);
    rescinded.push(...allocation.rescinded);
    const external = pending.filter((p) => p.framework.spec.scheduler === 'External');
    applyDecisions(
      this.external.cycle({
        ...input,
        pending: external,
        offers: [...offered, ...allocation.offers],
        rescinded,
      }),
      this.targets,
      unplaced,
    );
    // 6. Framework and ResourceRole status and figures (full cycles only).
    if (full) {
      const { frameworks, roles } = this.state;
      this.figures = this.shares.publish({
        frameworks,
        roles,
        taskCounts: (key) => this.tasks.taskCounts(key),
        unschedulable: unplaced,
        invalid: this.sync.invalid,
        connected: (key) => this.external.connected(key),
      });
    }
    this.report(started, placed, full);
  }

  private preempt(
    placement: { requests: readonly PendingTask[]; result: PlacementResult } | undefined,
    builtin: readonly SchedulerInput['pending'][number][],
  ): void {
    const short = new Set(
      (placement?.result.unschedulable ?? [])
        .filter((u) => u.reason === 'InsufficientResources')
        .map((u) => u.taskId),
    );
    const unplaced = (placement?.requests ?? []).filter((t) => short.has(t.taskId));
    this.preemption.run(unplaced, new Map(builtin.map((p) => [p.podKey, p])));
  }

  private rescinded(rescinds: readonly Rescind[]): void {
    for (const r of rescinds) {
      this.logger.info('offer rescinded', { offer: r.offerId, framework: r.frameworkId, reason: r.reason });
      this.observer?.offersEnded(r.frameworkId, rescindOutcome(r), 1);
    }
  }

  private report(started: number, placed: number, full: boolean): void {
    const durationMs = performance.now() - started;
    this.cycleTimes.record(durationMs);
    this.observer?.cycle(
      cycleReport({
        durationMs,
        placed,
        full,
        figures: this.figures,
        agents: this.sync.agents.values(),
        capacity: () => this.allocator.poolTotal(),
        mesos: this.external.figures(),
      }),
    );
  }
}
