import {
  CoreV1Api,
  CustomObjectsApi,
  type ApiConstructor,
  type ApiType,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type V1Node,
  type V1Pod,
} from '@kubernetes/client-node';
import type { Logger } from 'winston';
import { API_VERSION, DEFAULT_ROLE, GROUP, KINDS, VERSION } from '../api/constants.js';
import { resourceRoleName, roleOfResourceRole } from '../api/roles.js';
import type { Task, TaskStatus } from '../api/types.js';
import { isTerminalState, type TaskState } from '../api/task-states.js';
import type { AgentState } from '../cluster/agents.js';
import { Allocator, type PendingTask, type TaskPlacement, type Unschedulable } from '../allocator/index.js';
import { ResilientInformer, type WatchedKind } from '../cluster/informer.js';
import { ASSUME_TTL_MS, ClusterState, taskKeyOfPod, type Kind } from '../cluster/state.js';
import type { Config } from '../config.js';
import { isNotFound } from '../kube/errors.js';
import { EventRecorder } from '../kube/events.js';
import { ObjectCreator } from '../kube/object-creator.js';
import { buildPod } from '../launcher/pod.js';
import { Launcher, type LaunchRequest } from '../launcher/launcher.js';
import { formatQuantity, parseResourceList, type Resources } from '../resources/index.js';
import { taskEvents } from '../status/events.js';
import { countTasks, frameworkStatus } from '../status/framework-status.js';
import { resourceRoleStatus } from '../status/resourcerole-status.js';
import { launchedTaskStatus, waitingTaskStatus } from '../status/task-status.js';
import type { Clock } from '../util/clock.js';
import { AllocatorSync } from './allocator-sync.js';
import { reconcileTask, type TaskDecision } from './task-reconcile.js';
import { StatusWriter } from './status-writer.js';

/** What the operator reports of each cycle, for metrics (and tests). */
export interface CycleObserver {
  cycle(report: CycleReport): void;
  /** A task's first pod was created (`bound`) or first ran (`running`), this long after the Task was. */
  launchLatency(stage: 'bound' | 'running', seconds: number): void;
  /** An attempt reached a terminal state. */
  taskEnded(namespace: string, framework: string, state: TaskState): void;
}

export interface FrameworkFiguresReport {
  namespace: string;
  name: string;
  role: string;
  dominantShare: number;
  weightedShare: number;
  allocated: Resources;
  tasksByState: Partial<Record<TaskState, number>>;
  pending: number;
  unschedulable: number;
  outstandingOffers: number;
}

export interface RoleFiguresReport {
  role: string;
  weight: number;
  guarantee: Resources;
  limit: Resources;
  dominantShare: number;
  weightedShare: number;
  allocated: Resources;
}

export interface CycleReport {
  durationMs: number;
  placed: number;
  /** Framework, role and agent figures were recomputed (full cycles); otherwise they are the last ones. */
  full: boolean;
  frameworks: FrameworkFiguresReport[];
  roles: RoleFiguresReport[];
  agentsByState: Partial<Record<AgentState, number>>;
  capacity: Resources;
  allocated: Resources;
}

interface PendingLaunch {
  key: string;
  task: Task;
  attempt: number;
  podName: string;
  request: PendingTask;
}

/**
 * What a task's last reconcile read and decided. A cycle that finds the same inputs (the
 * same cached objects, by identity) reuses the decision instead of reconciling again.
 */
interface Reconciled {
  task: Task;
  status: TaskStatus | undefined;
  frameworkUid: string | undefined;
  pods: V1Pod[];
  nodes: (V1Node | undefined)[];
  launching: boolean;
  decision: TaskDecision;
  /** The task with the decided status, for framework status. */
  entry: Task;
}

interface Launching {
  taskKey: string;
  prev: TaskStatus | undefined;
  launch: { attempt: number; podName: string; nodeName: string; agentID: string; offerID: string };
}

/** Makes the API clients the operator writes and lists with (so main.ts can count their requests). */
export type ApiClientFactory = <T extends ApiType>(api: ApiConstructor<T>) => T;

/** Status writes and events in flight while pod creates are waiting. */
const LOW_PRIORITY_CONCURRENCY = 2;

function figures(r: Resources): Record<string, string> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, formatQuantity(k, v)]));
}

function sameInputs(
  a: Omit<Reconciled, 'decision' | 'entry'>,
  b: Omit<Reconciled, 'decision' | 'entry'>,
): boolean {
  return (
    a.task === b.task &&
    a.status === b.status &&
    a.frameworkUid === b.frameworkUid &&
    a.launching === b.launching &&
    a.pods.length === b.pods.length &&
    a.pods.every((p, i) => p === b.pods[i]) &&
    a.nodes.length === b.nodes.length &&
    a.nodes.every((n, i) => n === b.nodes[i])
  );
}

/** A decision with no side effect to repeat and nothing waiting on the clock: the same inputs give it again. */
function isQuiet(d: TaskDecision): boolean {
  return !d.kill && d.status.nextRetryTime === undefined;
}

/**
 * kmesos' control loop. Informers fill the cluster state; every event asks for a cycle
 * (batched within a short window) and a timer runs one at least every interval. Only the
 * leader runs cycles. A cycle:
 *  1. brings the allocator up to date with nodes, roles, frameworks and kmesos' pods;
 *  2. reconciles every Task (state from its pod, kills, retries) and collects the pending ones;
 *  3. places pending tasks of built-in frameworks with task-granularity DRF and launches them;
 *  4. lets offers to external frameworks be made and expire;
 *  5. writes Framework and ResourceRole status.
 * Status and pods are written in the background by their single writers.
 */
export class Operator {
  readonly state: ClusterState;
  readonly allocator: Allocator;
  private readonly sync: AllocatorSync;
  private readonly launcher: Launcher;
  private readonly statuses: StatusWriter;
  private readonly events: EventRecorder;
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;
  private readonly informers: ResilientInformer<KubernetesObject>[] = [];
  /** Task status as last computed, ahead of the watch cache. */
  private readonly knownStatus = new Map<string, TaskStatus>();
  /** Each task's last reconcile, reused while its inputs are unchanged. */
  private readonly reconciled = new Map<string, Reconciled>();
  /** Tasks whose object, pods or launch changed since the last cycle: what an event-driven cycle reconciles. */
  private dirtyTasks = new Set<string>();
  /** The task of each kmesos pod seen, to find it again when the pod is deleted. */
  private readonly podTask = new Map<string, string>();
  /** Tasks waiting for placement, by task key, as of their last reconcile. */
  private pendingByTask = new Map<string, PendingLaunch>();
  /** Framework and role figures of the last full cycle (event-driven cycles do not recount). */
  private lastFigures: { frameworks: FrameworkFiguresReport[]; roles: RoleFiguresReport[] } = {
    frameworks: [],
    roles: [],
  };
  private readonly launching = new Map<string, Launching>();
  /**
   * Pods created (or found existing) and not yet seen in the watch, with when that was last
   * known. A watch that lags more than the assume TTL behind a burst must not make them
   * TASK_LOST: past the TTL a live read decides whether the pod is there.
   */
  private readonly unseen = new Map<string, { taskKey: string; since: number }>();
  private readonly checking = new Set<string>();
  private leading = false;
  private synced = false;
  private cycleTimer: NodeJS.Timeout | undefined;
  private batchTimer: NodeJS.Timeout | undefined;
  private running = false;
  private again = false;
  private againFull = false;
  private offerSeq = 0;
  private readonly offerPrefix: string;
  cycles = 0;

  constructor(
    private readonly kc: KubeConfig,
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly observer?: CycleObserver,
    private readonly apiClient: ApiClientFactory = (api) => kc.makeApiClient(api),
  ) {
    this.state = new ClusterState((kind, key) => this.changed(kind, key));
    this.allocator = new Allocator({
      clock,
      offerTimeoutMs: config.offerTimeoutMs,
      fairnessExcludeResourceNames: config.fairnessExcludedResources,
      offerIdPrefix: `${clock.now().toString(36)}-O`,
    });
    this.offerPrefix = `${clock.now().toString(36)}-B`;
    this.sync = new AllocatorSync(this.allocator, this.state, logger);
    const core = apiClient(CoreV1Api);
    this.core = core;
    this.custom = apiClient(CustomObjectsApi);
    this.launcher = new Launcher(
      core,
      apiClient(ObjectCreator),
      this.state,
      { launched: (r) => this.launched(r), failed: (r, m) => this.launchFailed(r, m) },
      logger,
      config.launchConcurrency,
      () => clock.now(),
    );
    // Pod creates go first: during a burst, status and events trickle at a low
    // rate, so the API server's capacity goes to binding tasks (and a task's status changes
    // coalesce while they wait).
    const yieldToLaunches = (): number =>
      this.launcher.pendingCreates > 0 ? LOW_PRIORITY_CONCURRENCY : config.statusConcurrency;
    this.statuses = new StatusWriter(this.custom, logger, yieldToLaunches, {
      tasks: config.taskStatusDelayMs,
    });
    this.events = new EventRecorder(core, logger, clock, yieldToLaunches);
  }

  /** Starts the watches; resolves once every cache has synced. */
  async start(): Promise<void> {
    const core = this.apiClient(CoreV1Api);
    const kinds: [WatchedKind<KubernetesObject>, 'node' | 'framework' | 'task' | 'role' | 'pod'][] = [
      [
        {
          name: 'nodes',
          path: '/api/v1/nodes',
          list: () =>
            core.listNode(this.config.nodeSelector ? { labelSelector: this.config.nodeSelector } : {}),
          ...(this.config.nodeSelector ? { labelSelector: this.config.nodeSelector } : {}),
        },
        'node',
      ],
      [{ name: 'pods', path: '/api/v1/pods', list: () => core.listPodForAllNamespaces() }, 'pod'],
      [this.customKind(KINDS.resourceRole.plural, undefined), 'role'],
    ];
    const namespaces = this.config.namespaces.length > 0 ? this.config.namespaces : [undefined];
    for (const ns of namespaces) {
      kinds.push([this.customKind(KINDS.framework.plural, ns), 'framework']);
      kinds.push([this.customKind(KINDS.task.plural, ns), 'task']);
    }
    for (const [kind, as] of kinds) {
      const handlers =
        as === 'pod'
          ? {
              upsert: (o: KubernetesObject) => this.state.upsertPod(o),
              remove: (o: KubernetesObject) => this.state.removePod(o),
            }
          : {
              upsert: (o: KubernetesObject) => this.state.upsert(as, o),
              remove: (o: KubernetesObject) => this.state.remove(as, o),
            };
      this.informers.push(new ResilientInformer(this.kc, kind, handlers, this.logger));
    }
    await Promise.all(this.informers.map((i) => i.start()));
    this.synced = true;
    this.logger.info('caches synced', {
      nodes: this.state.nodes.size,
      pods: this.state.pods.size,
      frameworks: this.state.frameworks.size,
      tasks: this.state.tasks.size,
    });
  }

  private customKind(plural: string, namespace: string | undefined): WatchedKind<KubernetesObject> {
    const base = `/apis/${GROUP}/${VERSION}`;
    const path = namespace ? `${base}/namespaces/${namespace}/${plural}` : `${base}/${plural}`;
    const list = (): Promise<KubernetesListObject<KubernetesObject>> =>
      (namespace
        ? this.custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural })
        : this.custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural })) as Promise<
        KubernetesListObject<KubernetesObject>
      >;
    return { name: plural, path, list };
  }

  get isSynced(): boolean {
    return this.synced;
  }

  get isLeading(): boolean {
    return this.leading;
  }

  /** Begins allocating and launching (on becoming leader). */
  lead(): void {
    if (this.leading) return;
    this.leading = true;
    this.logger.info('allocator running');
    this.tick();
  }

  async stop(): Promise<void> {
    this.leading = false;
    clearTimeout(this.cycleTimer);
    clearTimeout(this.batchTimer);
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

  private changed(kind: Kind, key: string): void {
    if (kind === 'task') this.dirtyTasks.add(key);
    if (kind === 'pod') this.podChanged(key);
    if (kind === 'task' && !this.state.tasks.has(key)) {
      this.knownStatus.delete(key);
      this.reconciled.delete(key);
      this.pendingByTask.delete(key);
      for (const [podKey, u] of this.unseen) if (u.taskKey === key) this.unseen.delete(podKey);
      const [ns, name] = key.split('/');
      this.statuses.forget('tasks', ns, name ?? '');
    }
    if (!this.leading || this.batchTimer) return;
    this.batchTimer = setTimeout(() => {
      this.batchTimer = undefined;
      this.runCycle(false);
    }, this.config.batchWindowMs);
  }

  private podChanged(podKey: string): void {
    const pod = this.state.pods.get(podKey);
    if (pod) this.unseen.delete(podKey);
    const taskKey = (pod && taskKeyOfPod(pod)) ?? this.podTask.get(podKey);
    if (pod && taskKey) this.podTask.set(podKey, taskKey);
    else this.podTask.delete(podKey);
    if (taskKey) this.dirtyTasks.add(taskKey);
  }

  private tick(): void {
    if (!this.leading) return;
    this.runCycle(true);
    this.cycleTimer = setTimeout(() => this.tick(), this.config.cycleIntervalMs);
  }

  /**
   * Runs one cycle; a request during a cycle runs another right after it. The timer's
   * cycles are full: every task looked at (node and framework changes and expired
   * assumptions are caught there, level-based, within the cycle interval; decisions with a
   * side effect or a retry backoff are made again even when nothing they read changed) and
   * Framework and ResourceRole status written. Cycles asked for by
   * watch events reconcile only the tasks whose object, pods or launch changed, and place
   * what is pending: during a burst of 10,000 tasks they stay O(changes), not O(tasks).
   */
  runCycle(full = true): void {
    if (!this.leading || !this.synced) return;
    if (this.running) {
      this.again = true;
      this.againFull ||= full;
      return;
    }
    this.running = true;
    try {
      this.cycle(full);
    } catch (err) {
      this.logger.error('allocation cycle failed', {
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
    } finally {
      this.running = false;
    }
    if (this.again) {
      const againFull = this.againFull;
      this.again = false;
      this.againFull = false;
      setImmediate(() => this.runCycle(againFull));
    }
  }

  private cycle(full: boolean): void {
    const started = performance.now();
    this.cycles++;
    // 1. Allocator up to date.
    for (const r of this.sync.sync()) {
      this.logger.info('offer rescinded', { offer: r.offerId, framework: r.frameworkId, reason: r.reason });
    }
    // 2. Every task reconciled; pending ones collected.
    const pending = this.reconcileTasks(full);
    // 3. Built-in frameworks' tasks placed and launched.
    const result =
      pending.size > 0
        ? this.allocator.placeTasks([...pending.values()].map((p) => p.request))
        : { placements: [], unschedulable: [] };
    for (const p of result.placements) {
      const t = pending.get(p.taskId);
      if (t) this.launch(p, t);
    }
    this.markWaiting(result.unschedulable, pending);
    // 4. External frameworks' offers made (held until the Mesos API collects them) and expired.
    this.allocator.allocate();
    // 5. Framework and role status (full cycles only).
    if (full) {
      const unschedulable = new Map<string, number>();
      for (const u of result.unschedulable) {
        unschedulable.set(u.frameworkId, (unschedulable.get(u.frameworkId) ?? 0) + 1);
      }
      const frameworks = this.writeFrameworkStatuses(this.tasksByFramework(), unschedulable);
      this.lastFigures = { frameworks, roles: this.writeRoleStatuses() };
    }
    this.report(started, result.placements.length, full);
  }

  /** Every task with its status as last decided, by framework key. */
  private tasksByFramework(): Map<string, Task[]> {
    const out = new Map<string, Task[]>();
    for (const [key, r] of this.reconciled) {
      if (!this.state.tasks.has(key)) continue;
      const fwKey = `${r.task.metadata.namespace ?? ''}/${r.task.spec.framework}`;
      const list = out.get(fwKey);
      if (list) list.push(r.entry);
      else out.set(fwKey, [r.entry]);
    }
    return out;
  }

  /** Reconciles every task (full) or the changed ones; returns the tasks to place, by pod key. */
  private reconcileTasks(full: boolean): Map<string, PendingLaunch> {
    const keys = full ? [...this.state.tasks.keys()] : [...this.dirtyTasks];
    this.dirtyTasks = new Set();
    if (full) this.pendingByTask = new Map();
    for (const key of keys) {
      const task = this.state.tasks.get(key);
      if (!task) {
        this.pendingByTask.delete(key);
        continue;
      }
      const fwKey = `${task.metadata.namespace ?? ''}/${task.spec.framework}`;
      let decision: TaskDecision;
      try {
        ({ decision } = this.reconcileIfChanged(key, task, fwKey, full));
      } catch (err) {
        // One task's surprise must not stop the others.
        this.logger.error('task reconcile failed', {
          task: key,
          error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        });
        continue;
      }
      const launch = this.pendingLaunch(key, task, fwKey, decision);
      if (launch) this.pendingByTask.set(key, launch);
      else this.pendingByTask.delete(key);
    }
    const pending = new Map<string, PendingLaunch>();
    for (const p of this.pendingByTask.values()) {
      // Launched since its reconcile: the launch outcome marks it dirty for the next cycle.
      if (this.isLaunching(p.request.taskId) || this.state.pods.has(p.request.taskId)) continue;
      pending.set(p.request.taskId, p);
    }
    return pending;
  }

  /** A task to place this cycle: pending, of a built-in framework, and not already being launched. */
  private pendingLaunch(
    key: string,
    task: Task,
    fwKey: string,
    decision: TaskDecision,
  ): PendingLaunch | undefined {
    const fw = this.state.frameworks.get(fwKey);
    if (!decision.pending || fw?.spec.scheduler !== 'Builtin' || task.metadata.deletionTimestamp)
      return undefined;
    const podKey = `${task.metadata.namespace ?? ''}/${decision.pending.podName}`;
    if (this.isLaunching(podKey) || this.state.pods.has(podKey)) return undefined;
    return {
      key,
      task,
      attempt: decision.pending.attempt,
      podName: decision.pending.podName,
      request: this.pendingTask(podKey, fwKey, task, decision.pending.avoidNodes),
    };
  }

  private report(started: number, placed: number, full: boolean): void {
    if (!this.observer) return;
    const { frameworks, roles } = this.lastFigures;
    const agentsByState: Partial<Record<AgentState, number>> = {};
    const allocated: Record<string, number> = {};
    // Event-driven cycles only time themselves: recounting 1,000 agents and 100 frameworks
    // whose figures had not changed was 4% of the operator's CPU under a burst.
    if (full) {
      for (const a of this.sync.agents.values()) agentsByState[a.state] = (agentsByState[a.state] ?? 0) + 1;
      for (const f of frameworks) {
        for (const [k, v] of Object.entries(f.allocated)) allocated[k] = (allocated[k] ?? 0) + v;
      }
    }
    this.observer.cycle({
      durationMs: performance.now() - started,
      placed,
      full,
      frameworks,
      roles,
      agentsByState,
      capacity: full ? this.allocator.poolTotal() : {},
      allocated,
    });
  }

  private pendingTask(podKey: string, fwKey: string, task: Task, avoidNodes: string[]): PendingTask {
    const constraints = (task.spec.constraints ?? []).map((c) =>
      c.value === undefined
        ? { field: c.field, operator: c.operator }
        : { field: c.field, operator: c.operator, value: c.value },
    );
    // A retry avoids the nodes earlier attempts ran on, unless that would leave none.
    const avoid = avoidNodes.filter((n) => this.sync.agents.has(n));
    if (avoid.length > 0 && avoid.length < this.sync.agents.size) {
      constraints.push({
        field: 'hostname',
        operator: 'UNLIKE',
        value: avoid.map((n) => n.replace(/[.]/g, '\\.')).join('|'),
      });
    }
    return {
      taskId: podKey,
      frameworkId: fwKey,
      resources: parseResourceList(task.spec.resources),
      priority: task.spec.priority,
      createdAt: task.metadata.creationTimestamp ? new Date(task.metadata.creationTimestamp).getTime() : 0,
      constraints,
    };
  }

  /** The task's decision: reconciled now, or the last one when nothing it reads has changed. */
  private reconcileIfChanged(
    key: string,
    task: Task,
    fwKey: string,
    full: boolean,
  ): { decision: TaskDecision; entry: Task } {
    const ns = task.metadata.namespace ?? '';
    const status = this.knownStatus.get(key) ?? task.status;
    const pods = this.state.podsOfTask(key);
    const nodeNames = [...pods.map((p) => p.spec?.nodeName ?? ''), status?.nodeName ?? ''];
    const inputs = {
      task,
      status,
      frameworkUid: this.state.frameworks.get(fwKey)?.metadata.uid,
      pods,
      nodes: nodeNames.map((n) => this.state.nodes.get(n)),
      launching: status?.podName ? this.isLaunching(`${ns}/${status.podName}`) : false,
    };
    const last = this.reconciled.get(key);
    // A full cycle looks again at decisions that act or depend on the time (a retry's backoff).
    if (last && sameInputs(last, inputs) && (!full || isQuiet(last.decision))) return last;
    const decision = this.reconcile(key, task, fwKey);
    // Inputs as read before the reconcile: a status it changed makes the next cycle look again.
    const done = { ...inputs, decision, entry: { ...task, status: decision.status } };
    this.reconciled.set(key, done);
    return done;
  }

  private reconcile(key: string, task: Task, fwKey: string): TaskDecision {
    const prev = this.knownStatus.get(key) ?? task.status;
    const decision = reconcileTask(
      {
        task,
        status: prev,
        pods: this.state.podsOfTask(key),
        nodes: this.state.nodes,
        framework: this.state.frameworks.get(fwKey),
        // Created but not yet in the watch cache (assumed) counts as launching, not lost.
        launching: (podName) => this.isLaunching(`${task.metadata.namespace ?? ''}/${podName}`),
      },
      this.clock,
    );
    if (decision.kill) {
      for (const name of decision.kill.podNames) {
        this.launcher.killPod(`${task.metadata.namespace ?? ''}/${name}`, decision.kill.gracePeriodSeconds);
      }
    }
    this.setTaskStatus(key, task, prev, decision.status);
    return decision;
  }

  private isLaunching(podKey: string): boolean {
    return (
      this.launching.has(podKey) || this.state.isAssumed(podKey, this.clock.now()) || this.isUnseen(podKey)
    );
  }

  /** Created and not yet in the watch: true while the TTL runs, then while a live read says it exists. */
  private isUnseen(podKey: string): boolean {
    const u = this.unseen.get(podKey);
    if (!u || this.state.pods.has(podKey)) return false;
    if (this.clock.now() - u.since <= ASSUME_TTL_MS || this.checking.has(podKey)) return true;
    this.checking.add(podKey);
    const [namespace = '', name = ''] = podKey.split('/');
    this.core
      .readNamespacedPod({ namespace, name })
      .then(
        () => this.unseen.set(podKey, { ...u, since: this.clock.now() }),
        (err: unknown) => {
          if (isNotFound(err)) this.unseen.delete(podKey);
          else this.unseen.set(podKey, { ...u, since: this.clock.now() });
        },
      )
      .finally(() => {
        this.checking.delete(podKey);
        this.dirtyTasks.add(u.taskKey);
      })
      .catch(() => undefined);
    return true;
  }

  private setTaskStatus(key: string, task: Task, prev: TaskStatus | undefined, next: TaskStatus): void {
    if (JSON.stringify(prev) === JSON.stringify(next)) return;
    this.knownStatus.set(key, next);
    this.observeTransition(task, prev, next);
    if (next.state !== prev?.state && next.state !== undefined) {
      const failed = next.state === 'TASK_FAILED' || next.state === 'TASK_LOST' || next.state === 'TASK_GONE';
      // A launch and its start are the normal course (and are in the status): debug, not one
      // info line each for every task of a burst.
      const routine =
        next.state === 'TASK_STAGING' || next.state === 'TASK_STARTING' || next.state === 'TASK_RUNNING';
      const level = failed ? 'warn' : routine ? 'debug' : 'info';
      // winston formats an event before its transports drop it by level.
      if (this.logger.isLevelEnabled(level))
        this.logger.log(level, 'task state changed', {
          namespace: task.metadata.namespace,
          name: task.metadata.name,
          framework: task.spec.framework,
          state: next.state,
          reason: next.reason,
          attempt: next.attempt,
          node: next.nodeName,
        });
    }
    if (task.metadata.deletionTimestamp && !task.metadata.finalizers?.length) return;
    this.statuses.set('tasks', task, next);
    for (const e of taskEvents(prev, next)) this.events.record({ ...task, apiVersion: API_VERSION }, e);
  }

  private observeTransition(task: Task, prev: TaskStatus | undefined, next: TaskStatus): void {
    if (!this.observer || next.state === prev?.state || next.state === undefined) return;
    const created = task.metadata.creationTimestamp
      ? new Date(task.metadata.creationTimestamp).getTime()
      : undefined;
    if (next.attempt === 1 && created !== undefined) {
      const seconds = Math.max(0, (this.clock.now() - created) / 1000);
      if (next.state === 'TASK_STAGING') this.observer.launchLatency('bound', seconds);
      if (next.state === 'TASK_RUNNING' && prev?.startTime === undefined)
        this.observer.launchLatency('running', seconds);
    }
    if (isTerminalState(next.state) && !isTerminalState(prev?.state)) {
      this.observer.taskEnded(task.metadata.namespace ?? '', task.spec.framework, next.state);
    }
  }

  private launch(p: TaskPlacement, t: PendingLaunch): void {
    const { task } = t;
    const fw = this.state.frameworks.get(`${task.metadata.namespace ?? ''}/${task.spec.framework}`);
    if (!fw) return;
    const offerID = `${this.offerPrefix}${this.offerSeq++}`;
    const pod = buildPod({
      task,
      framework: fw,
      attempt: t.attempt,
      nodeName: p.hostname,
      agentID: p.agentId,
      offerID,
      defaults: { image: this.config.defaultImage },
    });
    this.sync.placed(p.taskId, p.agentId);
    this.launching.set(p.taskId, {
      taskKey: t.key,
      prev: this.knownStatus.get(t.key) ?? task.status,
      launch: { attempt: t.attempt, podName: t.podName, nodeName: p.hostname, agentID: p.agentId, offerID },
    });
    this.launcher.launch({ taskKey: t.key, pod, requests: p.resources });
  }

  private launched(req: LaunchRequest): void {
    const podKey = `${req.pod.metadata?.namespace ?? ''}/${req.pod.metadata?.name ?? ''}`;
    const l = this.launching.get(podKey);
    this.launching.delete(podKey);
    if (!this.state.pods.has(podKey))
      this.unseen.set(podKey, { taskKey: req.taskKey, since: this.clock.now() });
    this.dirtyTasks.add(req.taskKey);
    const task = this.state.tasks.get(req.taskKey);
    if (!l || !task) return;
    const prev = this.knownStatus.get(req.taskKey) ?? l.prev;
    this.setTaskStatus(
      req.taskKey,
      task,
      prev,
      launchedTaskStatus(prev, l.launch, task.metadata.generation ?? 0, this.clock),
    );
  }

  private launchFailed(req: LaunchRequest, message: string): void {
    const podKey = `${req.pod.metadata?.namespace ?? ''}/${req.pod.metadata?.name ?? ''}`;
    this.launching.delete(podKey);
    this.dirtyTasks.add(req.taskKey);
    this.sync.release(podKey);
    const task = this.state.tasks.get(req.taskKey);
    if (!task) return;
    const prev = this.knownStatus.get(req.taskKey) ?? task.status;
    const why = { reason: 'Pending' as const, message: `launch failed, will retry: ${message}` };
    this.setTaskStatus(
      req.taskKey,
      task,
      prev,
      waitingTaskStatus(prev, why, task.metadata.generation ?? 0, this.clock),
    );
  }

  private markWaiting(
    unschedulable: readonly Unschedulable[],
    pendingTasks: Map<string, PendingLaunch>,
  ): void {
    const why = new Map(unschedulable.map((u) => [u.taskId, u]));
    for (const [podKey, { key, task }] of pendingTasks) {
      if (this.launching.has(podKey)) continue;
      const u = why.get(podKey);
      if (u && this.logger.isDebugEnabled())
        this.logger.debug('task not placed', { task: key, reason: u.reason, message: u.message });
      const prev = this.knownStatus.get(key) ?? task.status;
      if (prev?.nextRetryTime !== undefined && !u) continue;
      const reason =
        u && u.reason !== 'QuotaLimitReached' && u.reason !== 'GuaranteeHeadroom'
          ? ('Unschedulable' as const)
          : ('Pending' as const);
      const message = u ? `${u.reason}: ${u.message}` : 'waiting for an offer that fits';
      this.setTaskStatus(
        key,
        task,
        prev,
        waitingTaskStatus(prev, { reason, message }, task.metadata.generation ?? 0, this.clock),
      );
    }
  }

  private writeFrameworkStatuses(
    tasksByFramework: Map<string, Task[]>,
    unschedulable: Map<string, number>,
  ): FrameworkFiguresReport[] {
    const offers = new Map<string, number>();
    for (const o of this.allocator.outstandingOffers())
      offers.set(o.frameworkId, (offers.get(o.frameworkId) ?? 0) + 1);
    const reports: FrameworkFiguresReport[] = [];
    for (const [key, fw] of this.state.frameworks) {
      const share = this.allocator.frameworkShare(key);
      const role = fw.spec.role || DEFAULT_ROLE;
      const allocated = this.allocator.frameworkAllocation(key);
      const tasks = tasksByFramework.get(key) ?? [];
      const figuresNow = {
        dominantShare: share,
        weightedShare: share / this.roleWeight(role),
        allocated: figures(allocated),
        outstandingOffers: offers.get(key) ?? 0,
      };
      this.statuses.set(
        'frameworks',
        fw,
        frameworkStatus({ framework: fw, tasks, figures: figuresNow }, this.clock),
      );
      const counts = countTasks(tasks);
      reports.push({
        namespace: fw.metadata.namespace ?? '',
        name: fw.metadata.name ?? '',
        role,
        dominantShare: figuresNow.dominantShare,
        weightedShare: figuresNow.weightedShare,
        allocated,
        tasksByState: counts.byState,
        pending: counts.pending,
        unschedulable: unschedulable.get(key) ?? 0,
        outstandingOffers: figuresNow.outstandingOffers,
      });
    }
    return reports;
  }

  private roleWeight(role: string): number {
    const name = resourceRoleName(role);
    return (name ? this.state.roles.get(name)?.spec.weight : undefined) ?? 1;
  }

  private writeRoleStatuses(): RoleFiguresReport[] {
    const members = new Map<string, string[]>();
    for (const [key, fw] of this.state.frameworks) {
      const role = fw.spec.role || DEFAULT_ROLE;
      members.set(role, [...(members.get(role) ?? []), key]);
    }
    const reports: RoleFiguresReport[] = [];
    const roles = new Set<string>(members.keys());
    for (const rr of this.state.roles.values()) roles.add(roleOfResourceRole(rr.metadata.name ?? ''));
    for (const role of roles) {
      const weight = this.roleWeight(role);
      const weighted = this.allocator.roleShare(role);
      const allocated = this.allocator.roleAllocation(role);
      const name = resourceRoleName(role);
      const rr = name ? this.state.roles.get(name) : undefined;
      reports.push({
        role,
        weight,
        guarantee: parseResourceList(rr?.spec.quota?.guarantee),
        limit: parseResourceList(rr?.spec.quota?.limit),
        dominantShare: weighted * weight,
        weightedShare: weighted,
        allocated,
      });
      if (!rr) continue;
      const status = resourceRoleStatus(
        rr,
        {
          dominantShare: weighted * weight,
          weightedShare: weighted,
          allocated: figures(allocated),
          frameworks: (members.get(role) ?? []).sort(),
        },
        this.clock,
      );
      this.statuses.set('resourceroles', rr, status);
    }
    return reports;
  }
}
