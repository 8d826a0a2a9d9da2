import { Counter, Gauge, Histogram, type LabelValues, type Registry } from 'prom-client';
import { TASK_STATES, TERMINAL_STATES, type TaskState } from '../api/task-states.js';
import { SeriesOwners } from './series.js';
import { metricUnit, toBaseUnits } from './units.js';

/** A Framework, by namespace and name. */
export interface FrameworkRef {
  readonly namespace: string;
  readonly name: string;
}

/** DRF shares as ratios: dominant = max over resources of allocated/total; weighted = dominant / weight. */
export interface Shares {
  readonly dominant: number;
  readonly weighted: number;
}

/** Amounts by Kubernetes resource name in src/resources' integer units (cpu in millicores). */
export type ResourceAmounts = Readonly<Record<string, number>>;

export const OFFER_OUTCOMES = ['accepted', 'declined', 'rescinded', 'expired'] as const;
export type OfferOutcome = (typeof OFFER_OUTCOMES)[number];

/** What a preemption restored (the planner's reasons). */
export const PREEMPTION_REASONS = ['Guarantee', 'FairShare', 'Priority'] as const;
export type PreemptionReasonLabel = (typeof PREEMPTION_REASONS)[number];

export const AGENT_STATES = ['active', 'cordoned', 'unreachable', 'tainted'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

/** Launch latency is measured from Task creation to the pod being bound, and to it running. */
export const LAUNCH_STAGES = ['bound', 'running'] as const;
export type LaunchStage = (typeof LAUNCH_STAGES)[number];

/** 1 ms to 10 s: a cycle over a small cluster takes milliseconds, one near the envelope seconds. */
export const CYCLE_BUCKETS_SECONDS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** 100 ms to 10 min: binding is quick, reaching Running includes image pulls. */
export const LAUNCH_BUCKETS_SECONDS: readonly number[] = [
  0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
];

/** What one watch cache holds (see cluster/cache-size.ts). */
export interface CacheSize {
  readonly kind: string;
  readonly objects: number;
  readonly approxBytes: number;
}

export interface BuildInfo {
  readonly version: string;
  readonly revision?: string;
  readonly nodejsVersion?: string;
}

export interface KmesosMetricsOptions {
  readonly build: BuildInfo;
  /** Milliseconds since the epoch; injected so tests control the last-cycle timestamp. */
  readonly now?: () => number;
}

const FRAMEWORK_LABELS = ['namespace', 'framework'] as const;
type FrameworkLabel = (typeof FRAMEWORK_LABELS)[number];

const CLUSTER = 'cluster';
const frameworkOwner = (fw: FrameworkRef): string => `framework:${fw.namespace}/${fw.name}`;
const roleOwner = (role: string): string => `role:${role}`;

/**
 * Every kmesos metric, registered in the registry passed in (never prom-client's global
 * one). The operator calls the setters as its state changes; series of a framework or role
 * are removed with forgetFramework / forgetRole so cardinality follows the live objects.
 * docs/metrics.md describes each metric.
 */
export class KmesosMetrics {
  private readonly now: () => number;
  private readonly owners = new SeriesOwners();
  private readonly knownFrameworks = new Set<string>();

  private readonly leader: Gauge;
  private readonly frameworkDominantShare: Gauge<FrameworkLabel | 'role'>;
  private readonly frameworkWeightedShare: Gauge<FrameworkLabel | 'role'>;
  private readonly roleDominantShare: Gauge<'role'>;
  private readonly roleWeightedShare: Gauge<'role'>;
  private readonly roleWeight: Gauge<'role'>;
  private readonly clusterCapacity: Gauge<'resource' | 'unit'>;
  private readonly clusterAllocated: Gauge<'resource' | 'unit'>;
  private readonly roleAllocated: Gauge<'role' | 'resource' | 'unit'>;
  private readonly roleQuota: Gauge<'role' | 'kind' | 'resource' | 'unit'>;
  private readonly frameworkAllocated: Gauge<FrameworkLabel | 'role' | 'resource' | 'unit'>;
  private readonly offers: Counter<FrameworkLabel | 'outcome'>;
  private readonly offersOutstanding: Gauge<FrameworkLabel>;
  private readonly offerFilters: Gauge<FrameworkLabel>;
  private readonly cycleDuration: Histogram;
  private readonly lastCycle: Gauge;
  private readonly tasks: Gauge<FrameworkLabel | 'state'>;
  private readonly tasksPending: Gauge<FrameworkLabel>;
  private readonly tasksUnschedulable: Gauge<FrameworkLabel>;
  private readonly taskTerminations: Counter<FrameworkLabel | 'state'>;
  private readonly launchLatency: Histogram<'stage'>;
  private readonly agents: Gauge<'state'>;
  private readonly apiRequests: Counter<'verb' | 'resource' | 'code'>;
  private readonly reconcileErrors: Counter;
  private readonly taskReconciles: Counter;
  private readonly cycleErrors: Counter;
  private readonly mesosCalls: Counter<'call' | 'code'>;
  private readonly mesosSchedulers: Gauge;
  private readonly mesosUnacknowledged: Gauge;
  private readonly preemptions: Counter<'reason'>;
  private readonly belowFairShare: Gauge<FrameworkLabel>;
  private cacheSizes: (() => readonly CacheSize[]) | undefined;

  constructor(registry: Registry, options: KmesosMetricsOptions) {
    this.now = options.now ?? Date.now;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- prom-client binds `this` in collect to the gauge
    const self = this;
    const registers = [registry];
    const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> =>
      new Gauge<L>({ name, help, labelNames, registers });
    const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> =>
      new Counter<L>({ name, help, labelNames, registers });
    const fwRole = [...FRAMEWORK_LABELS, 'role'] as const;

    const build = gauge('kmesos_build_info', 'Always 1; labels say which build is running.', [
      'version',
      'revision',
      'nodejs_version',
    ]);
    build.set(
      {
        version: options.build.version,
        revision: options.build.revision ?? 'unknown',
        nodejs_version: options.build.nodejsVersion ?? process.version,
      },
      1,
    );
    this.leader = gauge('kmesos_leader', '1 while this replica holds the leader Lease, else 0.', []);
    this.leader.set(0);

    this.frameworkDominantShare = gauge(
      'kmesos_framework_dominant_share_ratio',
      'Dominant share of a framework: max over resources of allocated / cluster total.',
      fwRole,
    );
    this.frameworkWeightedShare = gauge(
      'kmesos_framework_weighted_share_ratio',
      'Dominant share of a framework divided by its weight; DRF offers to the lowest first.',
      fwRole,
    );
    this.roleDominantShare = gauge(
      'kmesos_role_dominant_share_ratio',
      'Dominant share of a role: max over resources of allocated / cluster total.',
      ['role'],
    );
    this.roleWeightedShare = gauge(
      'kmesos_role_weighted_share_ratio',
      'Dominant share of a role divided by its weight; DRF offers to the lowest first.',
      ['role'],
    );
    this.roleWeight = gauge('kmesos_role_weight', 'Weight of a role (ResourceRole spec.weight, default 1).', [
      'role',
    ]);

    const resUnit = ['resource', 'unit'] as const;
    this.clusterCapacity = gauge(
      'kmesos_cluster_capacity',
      'Allocatable resources of all schedulable agents, in base units (cores, bytes, counts).',
      resUnit,
    );
    this.clusterAllocated = gauge(
      'kmesos_cluster_allocated',
      'Resources allocated to frameworks (running, launching and offered), in base units.',
      resUnit,
    );
    this.roleAllocated = gauge('kmesos_role_allocated', 'Resources allocated to a role, in base units.', [
      'role',
      ...resUnit,
    ]);
    this.roleQuota = gauge(
      'kmesos_role_quota',
      'Quota of a role, in base units; kind is guarantee or limit.',
      ['role', 'kind', ...resUnit],
    );
    this.frameworkAllocated = gauge(
      'kmesos_framework_allocated',
      'Resources allocated to a framework, in base units.',
      [...fwRole, ...resUnit],
    );

    this.offers = counter('kmesos_offers_total', 'Offers that ended, by outcome.', [
      ...FRAMEWORK_LABELS,
      'outcome',
    ]);
    this.offersOutstanding = gauge(
      'kmesos_offers_outstanding',
      'Offers made and not yet accepted, declined, rescinded or expired.',
      FRAMEWORK_LABELS,
    );
    this.offerFilters = gauge(
      'kmesos_offer_filters_active',
      'Decline filters in force (framework, agent) that keep an agent from being offered again.',
      FRAMEWORK_LABELS,
    );
    this.cycleDuration = new Histogram({
      name: 'kmesos_allocation_cycle_duration_seconds',
      help: 'Time one allocation cycle takes, from snapshot to offers handed out.',
      buckets: [...CYCLE_BUCKETS_SECONDS],
      registers,
    });
    this.lastCycle = gauge(
      'kmesos_allocation_last_cycle_timestamp_seconds',
      'Unix time at which the last allocation cycle ended.',
      [],
    );

    this.tasks = gauge('kmesos_framework_tasks', 'Tasks of a framework by Mesos state.', [
      ...FRAMEWORK_LABELS,
      'state',
    ]);
    this.tasksPending = gauge(
      'kmesos_framework_tasks_pending',
      'Tasks of a framework waiting for resources (not yet launched); includes unschedulable ones.',
      FRAMEWORK_LABELS,
    );
    this.tasksUnschedulable = gauge(
      'kmesos_framework_tasks_unschedulable',
      'Pending tasks that fit no agent, or that their constraints or quota keep from any agent.',
      FRAMEWORK_LABELS,
    );
    this.taskTerminations = counter(
      'kmesos_task_terminations_total',
      'Task attempts that reached a terminal Mesos state, by state.',
      [...FRAMEWORK_LABELS, 'state'],
    );
    this.launchLatency = new Histogram<'stage'>({
      name: 'kmesos_task_launch_duration_seconds',
      help: 'Time from Task creation to its pod being bound (stage=bound) and running (stage=running).',
      labelNames: ['stage'],
      buckets: [...LAUNCH_BUCKETS_SECONDS],
      registers,
    });
    this.agents = gauge('kmesos_agents', 'Agents (Nodes) by state.', ['state']);
    this.apiRequests = counter(
      'kmesos_kubernetes_api_requests_total',
      'Requests the operator made to the Kubernetes API, by verb, resource and HTTP status code.',
      ['verb', 'resource', 'code'],
    );
    this.reconcileErrors = counter(
      'kmesos_reconcile_errors_total',
      'Reconciles of one object that threw; the object is tried again, the others went on.',
      [],
    );
    this.taskReconciles = counter(
      'kmesos_task_reconciles_total',
      'Task decisions worked out anew; a pass reuses the last one when nothing the task reads changed.',
      [],
    );
    this.cycleErrors = counter(
      'kmesos_cycle_errors_total',
      'Allocation cycles that threw; the next cycle runs as planned.',
      [],
    );
    this.mesosCalls = counter(
      'kmesos_mesos_calls_total',
      'Calls to the Mesos v1 Scheduler API, by call type and HTTP status.',
      ['call', 'code'],
    );
    this.mesosSchedulers = gauge(
      'kmesos_mesos_subscribed_schedulers',
      'External schedulers with an open SUBSCRIBE stream to this replica.',
      [],
    );
    this.mesosUnacknowledged = gauge(
      'kmesos_mesos_unacknowledged_updates',
      'Status updates sent to external schedulers and not yet acknowledged.',
      [],
    );
    this.preemptions = counter(
      'kmesos_preemptions_total',
      'Tasks preempted, by what the preemption restored: Guarantee, FairShare or Priority.',
      ['reason'],
    );
    for (const reason of PREEMPTION_REASONS) this.preemptions.inc({ reason }, 0);
    this.belowFairShare = gauge(
      'kmesos_framework_below_fair_share_seconds',
      'How long a framework has been below its weighted fair share while tasks of it wait that nothing can place; 0 when it is not.',
      FRAMEWORK_LABELS,
    );
    // Computed at scrape time: the caches change with every watch event.
    new Gauge<'kind'>({
      name: 'kmesos_cache_objects',
      help: 'Objects in the watch caches, by kind (pod: kmesos launched it; foreign-pod: any other).',
      labelNames: ['kind'],
      registers,
      collect: function (this: Gauge<'kind'>) {
        for (const c of self.cacheSizes?.() ?? []) this.set({ kind: c.kind }, c.objects);
      },
    });
    new Gauge<'kind'>({
      name: 'kmesos_cache_approx_bytes',
      help: 'Estimated JSON size of the objects in the watch caches, by kind, from a sample of each.',
      labelNames: ['kind'],
      registers,
      collect: function (this: Gauge<'kind'>) {
        for (const c of self.cacheSizes?.() ?? []) this.set({ kind: c.kind }, c.approxBytes);
      },
    });
    this.setAgentsByState({});
  }

  countPreemptions(reason: PreemptionReasonLabel, count: number): void {
    this.preemptions.inc({ reason }, count);
  }

  /** Seconds the framework has been starved below its fair share (0: it is not). */
  setBelowFairShare(fw: FrameworkRef, seconds: number): void {
    this.setOwned(this.belowFairShare, this.touchFramework(fw), 'starved', this.fwLabels(fw), seconds);
  }

  /** Where the cache gauges read their figures at each scrape. */
  readCacheSizes(read: () => readonly CacheSize[]): void {
    this.cacheSizes = read;
  }

  setLeader(isLeader: boolean): void {
    this.leader.set(isLeader ? 1 : 0);
  }

  /** Sets a framework's shares; a changed role replaces the series of the old one. */
  setFrameworkShares(fw: FrameworkRef, role: string, shares: Shares): void {
    const owner = this.touchFramework(fw);
    const labels = { namespace: fw.namespace, framework: fw.name, role };
    const keep = new Set([
      this.setOwned(this.frameworkDominantShare, owner, `share|dominant|${role}`, labels, shares.dominant),
      this.setOwned(this.frameworkWeightedShare, owner, `share|weighted|${role}`, labels, shares.weighted),
    ]);
    this.owners.prune(owner, 'share|', keep);
  }

  /** Sets what a framework holds; resources absent from `amounts` are removed. */
  setFrameworkAllocated(fw: FrameworkRef, role: string, amounts: ResourceAmounts): void {
    const owner = this.touchFramework(fw);
    const base = { namespace: fw.namespace, framework: fw.name, role };
    this.setResources(this.frameworkAllocated, owner, `alloc|${role}|`, 'alloc|', base, amounts);
  }

  setRoleShares(role: string, shares: Shares & { readonly weight: number }): void {
    const owner = roleOwner(role);
    this.setOwned(this.roleDominantShare, owner, 'share|dominant', { role }, shares.dominant);
    this.setOwned(this.roleWeightedShare, owner, 'share|weighted', { role }, shares.weighted);
    this.setOwned(this.roleWeight, owner, 'weight', { role }, shares.weight);
  }

  setRoleAllocated(role: string, amounts: ResourceAmounts): void {
    this.setResources(this.roleAllocated, roleOwner(role), 'alloc|', 'alloc|', { role }, amounts);
  }

  /** Sets a role's quota; an absent guarantee or limit removes its series. */
  setRoleQuota(
    role: string,
    quota: { readonly guarantee?: ResourceAmounts; readonly limit?: ResourceAmounts },
  ): void {
    const owner = roleOwner(role);
    for (const kind of ['guarantee', 'limit'] as const) {
      const prefix = `quota|${kind}|`;
      this.setResources(this.roleQuota, owner, prefix, prefix, { role, kind }, quota[kind] ?? {});
    }
  }

  /** Capacity of the schedulable agents and what of it is allocated, cluster-wide. */
  setClusterResources(capacity: ResourceAmounts, allocated: ResourceAmounts): void {
    this.setResources(this.clusterCapacity, CLUSTER, 'capacity|', 'capacity|', {}, capacity);
    this.setResources(this.clusterAllocated, CLUSTER, 'alloc|', 'alloc|', {}, allocated);
  }

  countOffer(fw: FrameworkRef, outcome: OfferOutcome, count = 1): void {
    this.touchFramework(fw);
    this.offers.inc({ namespace: fw.namespace, framework: fw.name, outcome }, count);
  }

  setOutstandingOffers(fw: FrameworkRef, count: number): void {
    this.setOwned(this.offersOutstanding, this.touchFramework(fw), 'offers', this.fwLabels(fw), count);
  }

  setActiveFilters(fw: FrameworkRef, count: number): void {
    this.setOwned(this.offerFilters, this.touchFramework(fw), 'filters', this.fwLabels(fw), count);
  }

  /** Records one allocation cycle's duration and stamps the time it ended. */
  observeCycle(seconds: number): void {
    this.cycleDuration.observe(seconds);
    this.lastCycle.set(this.now() / 1000);
  }

  /** Sets the framework's task counts; states left out are 0, so every state has a series. */
  setTasksByState(fw: FrameworkRef, counts: Readonly<Partial<Record<TaskState, number>>>): void {
    const owner = this.touchFramework(fw);
    for (const state of TASK_STATES) {
      this.setOwned(this.tasks, owner, `tasks|${state}`, { ...this.fwLabels(fw), state }, counts[state] ?? 0);
    }
  }

  /** Pending tasks wait for resources; unschedulable ones are the pending ones nothing can take. */
  setPendingTasks(
    fw: FrameworkRef,
    counts: { readonly pending: number; readonly unschedulable: number },
  ): void {
    const owner = this.touchFramework(fw);
    this.setOwned(this.tasksPending, owner, 'pending', this.fwLabels(fw), counts.pending);
    this.setOwned(this.tasksUnschedulable, owner, 'unschedulable', this.fwLabels(fw), counts.unschedulable);
  }

  /** Counts a task attempt that reached a terminal state (TASK_FAILED, TASK_FINISHED, ...). */
  countTaskTermination(fw: FrameworkRef, state: TaskState): void {
    if (!TERMINAL_STATES.has(state)) throw new Error(`${state} is not a terminal task state`);
    this.touchFramework(fw);
    this.taskTerminations.inc({ ...this.fwLabels(fw), state });
  }

  countReconcileError(): void {
    this.reconcileErrors.inc();
  }

  countTaskReconcile(): void {
    this.taskReconciles.inc();
  }

  countCycleError(): void {
    this.cycleErrors.inc();
  }

  observeLaunchLatency(stage: LaunchStage, seconds: number): void {
    this.launchLatency.observe({ stage }, seconds);
  }

  /** Sets agent counts; states left out are 0. */
  setAgentsByState(counts: Readonly<Partial<Record<AgentState, number>>>): void {
    for (const state of AGENT_STATES) this.agents.set({ state }, counts[state] ?? 0);
  }

  /** Counts one Mesos scheduler API call (`call` is its type, or UNPARSED when it could not be read). */
  countMesosCall(call: string, code: number): void {
    this.mesosCalls.inc({ call, code: String(code) });
  }

  setMesosFigures(figures: { subscribed: number; unacknowledged: number }): void {
    this.mesosSchedulers.set(figures.subscribed);
    this.mesosUnacknowledged.set(figures.unacknowledged);
  }

  /** Counts one Kubernetes API request; code is the HTTP status or "error" when none came back. */
  countApiRequest(verb: string, resource: string, code: number | string): void {
    this.apiRequests.inc({ verb, resource, code: String(code) });
  }

  /** Removes every series of a deleted framework. */
  forgetFramework(fw: FrameworkRef): void {
    const owner = frameworkOwner(fw);
    this.owners.forget(owner);
    this.knownFrameworks.delete(owner);
  }

  /** Removes every series of a role that no longer exists (no ResourceRole, no framework). */
  forgetRole(role: string): void {
    this.owners.forget(roleOwner(role));
  }

  private fwLabels(fw: FrameworkRef): LabelValues<FrameworkLabel> {
    return { namespace: fw.namespace, framework: fw.name };
  }

  /**
   * Starts the framework's counters at 0 the first time it is seen, so that rate() and
   * increase() count its first offer or failure, and tracks them for forgetFramework.
   */
  private touchFramework(fw: FrameworkRef): string {
    const owner = frameworkOwner(fw);
    if (this.knownFrameworks.has(owner)) return owner;
    this.knownFrameworks.add(owner);
    for (const outcome of OFFER_OUTCOMES) {
      const labels = { ...this.fwLabels(fw), outcome };
      this.offers.inc(labels, 0);
      this.owners.track(owner, `offers|${outcome}`, () => this.offers.remove(labels));
    }
    for (const state of TERMINAL_STATES) {
      const labels = { ...this.fwLabels(fw), state };
      this.taskTerminations.inc(labels, 0);
      this.owners.track(owner, `terminations|${state}`, () => this.taskTerminations.remove(labels));
    }
    return owner;
  }

  private setOwned<L extends string>(
    gauge: Gauge<L>,
    owner: string,
    id: string,
    labels: LabelValues<L>,
    value: number,
  ): string {
    gauge.set(labels, value);
    this.owners.track(owner, id, () => gauge.remove(labels));
    return id;
  }

  /** Writes one series per resource under `idPrefix`, removing the owner's others under `prunePrefix`. */
  private setResources<L extends string>(
    gauge: Gauge<L | 'resource' | 'unit'>,
    owner: string,
    idPrefix: string,
    prunePrefix: string,
    base: LabelValues<L>,
    amounts: ResourceAmounts,
  ): void {
    const keep = new Set<string>();
    for (const [resource, amount] of Object.entries(amounts)) {
      const labels = { ...base, resource, unit: metricUnit(resource) } as LabelValues<
        L | 'resource' | 'unit'
      >;
      keep.add(this.setOwned(gauge, owner, `${idPrefix}${resource}`, labels, toBaseUnits(resource, amount)));
    }
    this.owners.prune(owner, prunePrefix, keep);
  }
}
