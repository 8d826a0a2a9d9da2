/**
 * Mesos scheduler API benchmark (`npm run bench:mesos`); prints one JSON document on stdout
 * and a short table on stderr.
 *
 * One local control plane (no kube-scheduler: kmesos binds its own pods) and N kwok nodes
 * (16 CPU / 64 GiB). Each run, every scenario in a fresh namespace served by its own operator
 * process (dist/bin/kmesos.mjs), the namespace deleted (its pods gone) before the next starts:
 *  a. offers — F external frameworks subscribe (JSON) and decline every offer at once with
 *     filters.refuse_seconds R. Offers received across all frameworks per second, counted
 *     over a window after a warm-up; allocation cycles; operator CPU and RSS; the client's CPU.
 *  b. launch — F external frameworks subscribe suppressed, are revived together, and accept
 *     their offers launching M tasks in all (cpus 0.1, mem 32, `sleep 3600`): ACCEPT sent →
 *     pod bound (its first watch event with spec.nodeName) and → TASK_RUNNING update. Beside
 *     it the built-in path, in another namespace: M Tasks of F Builtin frameworks created by
 *     the client, --concurrency in flight, create sent → pod bound. Both are split where the
 *     Task object first shows in a watch, and TASK_RUNNING where the pod turns Running.
 * The operator runs with --cycle-interval-ms=100 unless told otherwise: at its default of
 * 1000 ms a decline filter lasts at least 1 s, whatever refuse_seconds asks.
 * Figures are medians over runs.
 *
 * Flags: --nodes N (200) --frameworks F (100) --tasks M (2000) --runs R (3) --only a,b
 *        --window-seconds W (20) --warmup-seconds S (5) --refuse-seconds R (0.5)
 *        --cycle-interval-ms C (100, passed to the operator) --concurrency (128, creates in flight)
 *        --operator-args "..." (extra kmesos flags; default none)
 *        --media json|protobuf (the frameworks' calls and events; json)
 *        --operator-node-args "--cpu-prof --cpu-prof-dir=/tmp/prof" --operator-main PATH
 */
import os from 'node:os';
import { join, resolve } from 'node:path';
import { ANNOTATIONS, LABELS } from '../src/api/constants.js';
import { createMesosCodec, loadMesosSchema, type MesosCodec } from '../src/scheduler/mesos/index.js';
import type { scheduler, v1 } from '../src/scheduler/mesos/index.js';
import {
  createAll,
  createNamespace,
  deleteNamespace,
  KMESOS,
  POOL_LABEL,
  sleep,
  startBenchCluster,
  waitForCount,
  waitForQuietNodes,
  watchBound,
  watchSeen,
  type BenchCluster,
  type BoundWatch,
  type SeenWatch,
} from './lib/cluster.js';
import { pool, type WatchedObject } from './lib/http.js';
import { BenchScheduler } from './lib/mesos-client.js';
import { APPLICATION_JSON, APPLICATION_PROTOBUF, type MediaType } from '../src/scheduler/mesos/media-type.js';
import { API_REQUESTS, startOperator, subtractSamples, type Operator } from './lib/operator.js';
import { procUsage } from './lib/proc.js';
import {
  counterSum,
  histogram,
  histogramDelta,
  histogramQuantile,
  medians,
  percentile,
  round,
  type Sample,
} from './lib/stats.js';
import { flags } from './lib/flags.js';

const repoRoot = resolve(import.meta.dirname, import.meta.dirname.includes('/dist/') ? '../..' : '..');
const POOL = 'bench-mesos';
const SCENARIOS = ['a', 'b'];
const CYCLE_HISTOGRAM = 'kmesos_allocation_cycle_duration_seconds';
/** SUBSCRIBEs in flight: each creates a Framework object. */
const SUBSCRIBE_CONCURRENCY = 10;

/** The tasks of (b), in Mesos units. */
const TASK = { cpus: 0.1, mem: 32, command: 'sleep 3600' };
/**
 * Tasks a framework puts on one offer at most. Offers carry no pod count and kmesos counts
 * none for a Mesos task, so without a cap a framework could bind more pods to a node than
 * its 110 pods allocatable; a real kubelet would refuse them (OutOfpods).
 */
const MAX_TASKS_PER_OFFER = 100;

interface Args {
  nodes: number;
  frameworks: number;
  tasks: number;
  runs: number;
  windowSeconds: number;
  warmupSeconds: number;
  refuseSeconds: number;
  cycleIntervalMs: number;
  concurrency: number;
  only: Set<string>;
  operatorArgs: string[];
  operatorNodeArgs: string[];
  operatorMain: string;
  media: MediaType;
}

function parseArgs(argv: readonly string[]): Args {
  const { get, num, list } = flags(argv);
  return {
    nodes: num('nodes', 200),
    frameworks: num('frameworks', 100),
    tasks: num('tasks', 2000),
    runs: num('runs', 3),
    windowSeconds: num('window-seconds', 20),
    warmupSeconds: num('warmup-seconds', 5),
    refuseSeconds: num('refuse-seconds', 0.5),
    cycleIntervalMs: num('cycle-interval-ms', 100),
    concurrency: num('concurrency', 128),
    only: new Set(list(get('only') ?? SCENARIOS.join(','))),
    operatorArgs: list(get('operator-args')),
    operatorNodeArgs: list(get('operator-node-args')),
    operatorMain: get('operator-main') ?? join(repoRoot, 'dist/bin/kmesos.mjs'),
    media: get('media') === 'protobuf' ? APPLICATION_PROTOBUF : APPLICATION_JSON,
  };
}

function log(message: string): void {
  process.stderr.write(`[bench:mesos ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function loadAverage(): number[] {
  return os.loadavg().map((x) => round(x));
}

// ---------------------------------------------------------------- the world

interface World extends BenchCluster {
  args: Args;
  codec: MesosCodec;
  seq: number;
}

/** A fresh namespace served by a fresh operator; both are removed after `body`. */
async function withOperator<T>(
  w: World,
  prefix: string,
  body: (op: Operator, ns: string) => Promise<T>,
): Promise<T> {
  const ns = `${prefix}-${Date.now().toString(36)}-${w.seq++}`;
  await createNamespace(w.api, ns);
  const op = await startOperator({
    main: w.args.operatorMain,
    kubeconfig: w.plane.kubeconfig,
    namespaces: [ns],
    nodeSelector: `${POOL_LABEL}=${w.pool}`,
    // The benchmark's schedulers call without credentials: authentication is not what it measures.
    args: ['--mesos-anonymous=true', `--cycle-interval-ms=${w.args.cycleIntervalMs}`, ...w.args.operatorArgs],
    nodeArgs: w.args.operatorNodeArgs,
    logPath: join(w.plane.dir, `kmesos-${ns}.log`),
  });
  try {
    await op.ready();
    return await body(op, ns);
  } finally {
    await op.stop();
    await deleteNamespace(w.api, ns, w.args.concurrency);
  }
}

type Handler = (event: scheduler.Event, at: number, self: BenchScheduler) => void;

/** Sent → answered times of the schedulers' calls, by call type, while recording. */
class CallLog {
  recording = true;
  private readonly ms = new Map<string, number[]>();

  /** Calls answered with anything but 202 (0: no answer), as `<type> <status>` → count. */
  readonly failed: Record<string, number> = {};

  readonly record = (type: string, status: number, ms: number): void => {
    if (!this.recording) return;
    if (status !== 202) this.failed[`${type} ${status}`] = (this.failed[`${type} ${status}`] ?? 0) + 1;
    const list = this.ms.get(type);
    if (list) list.push(ms);
    else this.ms.set(type, [ms]);
  };

  /** Count, p50 and p99 of each call type. */
  figures(): Record<string, CallFigures> {
    const out: Record<string, CallFigures> = {};
    for (const [type, xs] of [...this.ms].sort((a, b) => a[0].localeCompare(b[0]))) {
      out[type] = {
        count: xs.length,
        p50Ms: round(percentile(xs, 50), 1),
        p99Ms: round(percentile(xs, 99), 1),
      };
    }
    return out;
  }
}

interface CallFigures {
  count: number;
  p50Ms: number;
  p99Ms: number;
}

/** Subscribes F frameworks named `bench-<i>`, a few at a time; `handler(i)` answers framework i's events. */
async function subscribeAll(
  w: World,
  op: Operator,
  handler: (i: number) => Handler,
  o: { calls: CallLog; suppressed?: boolean },
): Promise<BenchScheduler[]> {
  const out: BenchScheduler[] = new Array<BenchScheduler>(w.args.frameworks);
  await pool(w.args.frameworks, SUBSCRIBE_CONCURRENCY, async (i) => {
    out[i] = await BenchScheduler.subscribe({
      url: op.url,
      info: { user: 'nobody', name: `bench-${i}`, failover_timeout: 60 },
      codec: w.codec,
      mediaType: w.args.media,
      suppressed: o.suppressed ?? false,
      onEvent: handler(i),
      onCall: o.calls.record,
    });
  });
  return out;
}

function closeAll(schedulers: readonly BenchScheduler[]): void {
  for (const s of schedulers) s.close();
}

/** How many calls failed; which ones go to the log. */
function failedCalls(calls: CallLog): number {
  const n = Object.values(calls.failed).reduce((a, k) => a + k, 0);
  if (n > 0) log(`calls not answered 202: ${JSON.stringify(calls.failed)}`);
  return n;
}

interface CycleFigures {
  count: number;
  meanMs: number;
  p99Ms: number;
}

function cyclesBetween(later: readonly Sample[], earlier: readonly Sample[]): CycleFigures {
  const h = histogramDelta(histogram(later, CYCLE_HISTOGRAM), histogram(earlier, CYCLE_HISTOGRAM));
  return {
    count: h.count,
    meanMs: round((h.sum / Math.max(1, h.count)) * 1000, 2),
    p99Ms: round(histogramQuantile(h, 0.99) * 1000, 2),
  };
}

// ---------------------------------------------------------------- (a) offers

/** Counts what arrives inside a window that opens and closes later. */
class WindowTally {
  private from = Infinity;
  private to = Infinity;
  offers = 0;
  events = 0;

  open(): void {
    this.from = performance.now();
  }

  close(): void {
    this.to = performance.now();
  }

  inside(at: number): boolean {
    return at >= this.from && at < this.to;
  }

  get seconds(): number {
    return (this.to - this.from) / 1000;
  }
}

/** A framework that declines every offer at once, one DECLINE per OFFERS event. */
function decliner(tally: WindowTally, refuseSeconds: number): Handler {
  return (event, at, self) => {
    const offers = event.offers?.offers;
    if (event.type !== 'OFFERS' || !offers) return;
    if (tally.inside(at)) {
      tally.offers += offers.length;
      tally.events++;
    }
    void self.decline(
      offers.map((o) => o.id),
      refuseSeconds,
    );
  };
}

interface OffersResult {
  offersPerSecond: number;
  offerEventsPerSecond: number;
  /** Each agent goes to one framework per cycle: N × cycles/s is the most there can be. */
  cycleBoundOffersPerSecond: number;
  cyclesPerSecond: number;
  cycleMeanMs: number;
  cycleP99Ms: number;
  /** DECLINE sent → 202. */
  declineP50Ms: number;
  declineP99Ms: number;
  operatorCpuPercent: number;
  operatorRssMiB: number;
  operatorPeakRssMiB: number;
  /** The operator's Kubernetes API requests per second in the window: all, and Framework status patches. */
  apiRequestsPerSecond: number;
  frameworkStatusPatchesPerSecond: number;
  /** This process (the F schedulers and nothing else while the window is open). */
  clientCpuPercent: number;
  failedCalls: number;
}

async function offers(w: World): Promise<OffersResult> {
  return withOperator(w, 'mesos-offers', async (op) => {
    const tally = new WindowTally();
    const calls = new CallLog();
    calls.recording = false;
    const schedulers = await subscribeAll(w, op, () => decliner(tally, w.args.refuseSeconds), { calls });
    log(`${schedulers.length} frameworks subscribed; warming up for ${w.args.warmupSeconds} s`);
    await sleep(w.args.warmupSeconds * 1000);
    const [before, cpu0, client0] = [await op.metrics(), await procUsage(op.pid), process.cpuUsage()];
    tally.open();
    calls.recording = true;
    await sleep(w.args.windowSeconds * 1000);
    tally.close();
    calls.recording = false;
    const client = process.cpuUsage(client0);
    const [after, cpu1] = [await op.metrics(), await procUsage(op.pid)];
    closeAll(schedulers);
    const declines = calls.figures().DECLINE;
    const cycles = cyclesBetween(after, before);
    const requests = subtractSamples(after, before);
    const s = tally.seconds;
    return {
      offersPerSecond: round(tally.offers / s, 1),
      offerEventsPerSecond: round(tally.events / s, 1),
      cycleBoundOffersPerSecond: round((w.args.nodes * cycles.count) / s, 1),
      cyclesPerSecond: round(cycles.count / s, 2),
      cycleMeanMs: cycles.meanMs,
      cycleP99Ms: cycles.p99Ms,
      declineP50Ms: declines?.p50Ms ?? 0,
      declineP99Ms: declines?.p99Ms ?? 0,
      operatorCpuPercent: round(((cpu1.cpuSeconds - cpu0.cpuSeconds) / s) * 100, 1),
      operatorRssMiB: round(cpu1.rssMiB, 1),
      operatorPeakRssMiB: round(cpu1.peakRssMiB, 1),
      apiRequestsPerSecond: round(API_TOTAL(requests) / s, 1),
      frameworkStatusPatchesPerSecond: round(
        counterSum(requests, API_REQUESTS, { verb: 'patch', resource: 'frameworks/status' }) / s,
        1,
      ),
      clientCpuPercent: round(((client.user + client.system) / 1e6 / s) * 100, 1),
      failedCalls: failedCalls(calls),
    };
  });
}

// ---------------------------------------------------------------- (b) launch

interface Latencies {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

function latencies(from: ReadonlyMap<string, number>, to: ReadonlyMap<string, number>): Latencies {
  const xs = [...from].map(([key, t]) => (to.get(key) ?? Infinity) - t);
  return {
    p50Ms: round(percentile(xs, 50), 1),
    p90Ms: round(percentile(xs, 90), 1),
    p99Ms: round(percentile(xs, 99), 1),
    maxMs: round(percentile(xs, 100), 1),
  };
}

interface LaunchResult {
  /** First request sent (ACCEPT or Task create) → last pod bound. */
  seconds: number;
  tasksBoundPerSecond: number;
  toBound: Latencies;
  /**
   * First request of the batch → each pod bound. The M ACCEPTs go out within milliseconds,
   * while the client holds its M Task creates at --concurrency in flight: per-task latency from
   * its own request leaves the client's queue out on the built-in side only; this keeps both in.
   */
  sinceFirstRequest: Latencies;
  /** First request sent → last request sent: how long the batch took to go out. */
  requestSpreadSeconds: number;
  /** Where the time goes: request sent → the Task object in a watch → its pod bound. */
  toTaskSeen: Latencies;
  taskSeenToBound: Latencies;
  /** Allocation cycles over the same span. */
  cycles: CycleFigures;
  /** Operator CPU seconds over the same span. */
  operatorCpuSeconds: number;
  /** The operator's API requests per task over the same span: all, pod creates, Task creates. */
  requestsPerTask: { total: number; podCreates: number; taskCreates: number };
}

interface MesosLaunchResult extends LaunchResult {
  /** ACCEPT sent → TASK_RUNNING update received, and its legs after the bind: kwok, then kmesos. */
  toRunning: Latencies;
  boundToPodRunning: Latencies;
  podRunningToUpdate: Latencies;
  /** REVIVE sent → each framework's first OFFERS event. */
  firstOffer: Latencies;
  acceptCalls: number;
  /** Each call type's sent → answered time: how quickly the operator answers during the burst. */
  calls: Record<string, CallFigures>;
  failedCalls: number;
}

function mesosValue(offer: v1.Offer, name: string): number {
  return offer.resources?.find((r) => r.name === name)?.scalar?.value ?? 0;
}

/** How many of `wanted` tasks fit on an offer (cpu in millicores, so 0.1-CPU steps stay exact). */
function tasksFitting(offer: v1.Offer, wanted: number): number {
  const byCpu = Math.floor(Math.round(mesosValue(offer, 'cpus') * 1000) / Math.round(TASK.cpus * 1000));
  const byMem = Math.floor(mesosValue(offer, 'mem') / TASK.mem);
  return Math.max(0, Math.min(wanted, byCpu, byMem, MAX_TASKS_PER_OFFER));
}

function taskInfo(id: string, offer: v1.Offer): v1.TaskInfo {
  return {
    name: id,
    task_id: { value: id },
    agent_id: offer.agent_id,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: TASK.cpus } },
      { name: 'mem', type: 'SCALAR', scalar: { value: TASK.mem } },
    ],
    command: { shell: true, value: TASK.command },
  };
}

/** What the launching frameworks record: when each task's ACCEPT went out, when it ran, what failed. */
interface LaunchLog {
  acceptedAt: Map<string, number>;
  runningAt: Map<string, number>;
  /** Each framework's first OFFERS event, by framework ID. */
  firstOfferAt: Map<string, number>;
  acceptCalls: number;
  /** Tasks that ended before running (`<id>: <state> <message>`): the benchmark stops on the first. */
  failed: string[];
}

interface Launch {
  offer: v1.Offer;
  infos: v1.TaskInfo[];
}

/** The tasks each offer takes off `pending`, and the offers left unused. */
function packOffers(
  offers: readonly v1.Offer[],
  pending: string[],
): { launches: Launch[]; unused: v1.OfferID[] } {
  const launches: Launch[] = [];
  const unused: v1.OfferID[] = [];
  for (const offer of offers) {
    const ids = pending.splice(0, tasksFitting(offer, pending.length));
    if (ids.length === 0) unused.push(offer.id);
    else launches.push({ offer, infos: ids.map((id) => taskInfo(id, offer)) });
  }
  return { launches, unused };
}

const STARTED = new Set(['TASK_STARTING', 'TASK_RUNNING']);

function recordUpdate(update: scheduler.Event_Update, at: number, launchLog: LaunchLog): void {
  const { task_id, state, message } = update.status;
  if (state === 'TASK_RUNNING' && !launchLog.runningAt.has(task_id.value))
    launchLog.runningAt.set(task_id.value, at);
  else if (state !== undefined && !STARTED.has(state))
    launchLog.failed.push(`${task_id.value}: ${state} ${message ?? ''}`);
}

/**
 * A framework with `pending` tasks to run: for each offer of an OFFERS event one ACCEPT
 * launching what fits (Mesos takes the offers of one ACCEPT only from one agent), one DECLINE
 * of the offers it does not use, and SUPPRESS once nothing is left. Every update is
 * acknowledged, as Mesos wants.
 */
function launcher(pending: string[], launchLog: LaunchLog, refuseSeconds: number): Handler {
  return (event, at, self) => {
    if (event.type === 'UPDATE' && event.update) {
      recordUpdate(event.update, at, launchLog);
      if (event.update.status.uuid !== undefined) void self.acknowledge(event.update);
      return;
    }
    const offers = event.offers?.offers;
    if (event.type !== 'OFFERS' || !offers) return;
    if (!launchLog.firstOfferAt.has(self.frameworkId.value))
      launchLog.firstOfferAt.set(self.frameworkId.value, at);
    const { launches, unused } = packOffers(offers, pending);
    for (const { offer, infos } of launches) {
      const sent = performance.now();
      for (const t of infos) launchLog.acceptedAt.set(t.task_id.value, sent);
      launchLog.acceptCalls++;
      void self.accept([offer.id], [{ type: 'LAUNCH', launch: { task_infos: infos } }], refuseSeconds);
    }
    if (unused.length > 0) void self.decline(unused, refuseSeconds);
    if (launches.length > 0 && pending.length === 0) void self.suppress();
  };
}

/** `count`, or a throw naming the first task that failed: waiting for it to run would be in vain. */
function unlessFailed(launchLog: LaunchLog, count: () => number): () => number {
  return () => {
    if (launchLog.failed.length > 0)
      throw new Error(`${launchLog.failed.length} tasks did not start; first ${launchLog.failed[0]}`);
    return count();
  };
}

/** Framework f's task IDs: every F-th of 0 … M−1, unique across frameworks. */
function taskIdsOf(f: number, frameworks: number, tasks: number): string[] {
  const out: string[] = [];
  for (let i = f; i < tasks; i += frameworks) out.push(`f${f}-t${i}`);
  return out;
}

const API_TOTAL = (s: readonly Sample[]): number => counterSum(s, API_REQUESTS);

function requestsPerTask(later: readonly Sample[], earlier: readonly Sample[], tasks: number) {
  const d = subtractSamples(later, earlier);
  const per = (n: number): number => round(n / tasks, 3);
  return {
    total: per(API_TOTAL(d)),
    podCreates: per(counterSum(d, API_REQUESTS, { verb: 'create', resource: 'pods' })),
    taskCreates: per(counterSum(d, API_REQUESTS, { verb: 'create', resource: 'tasks' })),
  };
}

/** Timing and operator figures of a launch from `start` to the last bound pod. */
async function launchFigures(
  op: Operator,
  watch: BoundWatch,
  start: number,
  before: { samples: Sample[]; cpuSeconds: number },
  tasks: number,
): Promise<Omit<LaunchResult, keyof Split>> {
  const last = Math.max(...watch.bound.values());
  const [after, cpu] = [await op.metrics(), await procUsage(op.pid)];
  const seconds = (last - start) / 1000;
  return {
    seconds: round(seconds, 3),
    tasksBoundPerSecond: round(tasks / seconds, 1),
    cycles: cyclesBetween(after, before.samples),
    operatorCpuSeconds: round(cpu.cpuSeconds - before.cpuSeconds, 2),
    requestsPerTask: requestsPerTask(after, before.samples, tasks),
  };
}

const mesosTaskId = (obj: WatchedObject): string =>
  obj.metadata?.annotations?.[ANNOTATIONS.mesosTaskId] ?? '';

const isRunning = (pod: WatchedObject): boolean => pod.status?.phase === 'Running';

function watchTasks(w: World, ns: string, keyOf: (task: WatchedObject) => string): Promise<SeenWatch> {
  return watchSeen(w.api, `${KMESOS}/namespaces/${ns}/tasks`, keyOf);
}

type Split = Pick<
  LaunchResult,
  'toBound' | 'sinceFirstRequest' | 'requestSpreadSeconds' | 'toTaskSeen' | 'taskSeenToBound'
>;

/** Request sent → pod bound, from the batch's first request, and the legs: → Task seen, → pod bound. */
function split(sent: ReadonlyMap<string, number>, tasks: SeenWatch, pods: BoundWatch): Split {
  const first = Math.min(...sent.values());
  return {
    toBound: latencies(sent, pods.bound),
    sinceFirstRequest: latencies(new Map([...sent.keys()].map((k) => [k, first])), pods.bound),
    requestSpreadSeconds: round((Math.max(...sent.values()) - first) / 1000, 3),
    toTaskSeen: latencies(sent, tasks.bound),
    taskSeenToBound: latencies(tasks.bound, pods.bound),
  };
}

async function mesosLaunch(w: World): Promise<MesosLaunchResult> {
  const { frameworks, tasks } = w.args;
  return withOperator(w, 'mesos-launch', async (op, ns) => {
    const launchLog: LaunchLog = {
      acceptedAt: new Map(),
      runningAt: new Map(),
      firstOfferAt: new Map(),
      acceptCalls: 0,
      failed: [],
    };
    const calls = new CallLog();
    const watch = await watchBound(w.api, ns, mesosTaskId);
    const taskWatch = await watchTasks(w, ns, mesosTaskId);
    const runningWatch = await watchSeen(w.api, `/api/v1/namespaces/${ns}/pods`, mesosTaskId, isRunning);
    const schedulers = await subscribeAll(
      w,
      op,
      (f) => launcher(taskIdsOf(f, frameworks, tasks), launchLog, w.args.refuseSeconds),
      { calls, suppressed: true },
    );
    log(`${schedulers.length} frameworks subscribed, suppressed; reviving them`);
    const before = { samples: await op.metrics(), cpuSeconds: (await procUsage(op.pid)).cpuSeconds };
    const start = performance.now();
    await Promise.all(schedulers.map((s) => s.revive()));
    try {
      await waitForCount(
        'Mesos tasks bound',
        unlessFailed(launchLog, () => watch.bound.size),
        tasks,
        900_000,
      );
      const figures = await launchFigures(op, watch, start, before, tasks);
      await waitForCount(
        'Mesos tasks running',
        unlessFailed(launchLog, () => launchLog.runningAt.size),
        tasks,
        300_000,
      );
      return {
        ...figures,
        ...split(launchLog.acceptedAt, taskWatch, watch),
        toRunning: latencies(launchLog.acceptedAt, launchLog.runningAt),
        boundToPodRunning: latencies(watch.bound, runningWatch.bound),
        podRunningToUpdate: latencies(runningWatch.bound, launchLog.runningAt),
        firstOffer: latencies(
          new Map(schedulers.map((x) => [x.frameworkId.value, start])),
          launchLog.firstOfferAt,
        ),
        acceptCalls: launchLog.acceptCalls,
        calls: calls.figures(),
        failedCalls: failedCalls(calls),
      };
    } finally {
      watch.stop();
      taskWatch.stop();
      runningWatch.stop();
      closeAll(schedulers);
    }
  });
}

async function createBuiltinFrameworks(w: World, ns: string): Promise<void> {
  await pool(w.args.frameworks, 32, async (f) => {
    const body = {
      apiVersion: 'kmesos.io/v1alpha1',
      kind: 'Framework',
      metadata: { name: `fw-${f}` },
      spec: {},
    };
    await w.api.ok('POST', `${KMESOS}/namespaces/${ns}/frameworks`, JSON.stringify(body));
  });
}

function builtinTaskBody(i: number, frameworks: number): string {
  return JSON.stringify({
    apiVersion: 'kmesos.io/v1alpha1',
    kind: 'Task',
    metadata: { name: `t-${i}` },
    spec: {
      framework: `fw-${i % frameworks}`,
      resources: { cpu: `${TASK.cpus * 1000}m`, memory: `${TASK.mem}Mi` },
      command: TASK.command,
    },
  });
}

async function builtinLaunch(w: World): Promise<LaunchResult> {
  const { frameworks, tasks } = w.args;
  return withOperator(w, 'builtin-launch', async (op, ns) => {
    await createBuiltinFrameworks(w, ns);
    const watch = await watchBound(w.api, ns, (pod) => pod.metadata?.labels?.[LABELS.task] ?? '');
    const taskWatch = await watchTasks(w, ns, (task) => task.metadata?.name ?? '');
    try {
      const before = { samples: await op.metrics(), cpuSeconds: (await procUsage(op.pid)).cpuSeconds };
      const creates = await createAll(
        w.api,
        `${KMESOS}/namespaces/${ns}/tasks`,
        tasks,
        w.args.concurrency,
        (i) => builtinTaskBody(i, frameworks),
      );
      await waitForCount('built-in tasks bound', () => watch.bound.size, tasks, 900_000);
      const sent = new Map(Array.from(creates.sent, (t, i) => [`t-${i}`, t]));
      return {
        ...(await launchFigures(op, watch, creates.start, before, tasks)),
        ...split(sent, taskWatch, watch),
      };
    } finally {
      watch.stop();
      taskWatch.stop();
    }
  });
}

// ---------------------------------------------------------------- main

interface Figures {
  offers?: OffersResult;
  mesosLaunch?: MesosLaunchResult;
  builtinLaunch?: LaunchResult;
}

interface RunResult extends Figures {
  run: number;
  loadAverage: number[];
}

async function oneRun(w: World, run: number): Promise<RunResult> {
  const out: RunResult = { run, loadAverage: loadAverage() };
  if (w.args.only.has('a')) {
    out.offers = await offers(w);
    log(
      `run ${run} (a): ${out.offers.offersPerSecond} offers/s, operator CPU ${out.offers.operatorCpuPercent}%`,
    );
  }
  if (w.args.only.has('b')) {
    out.mesosLaunch = await mesosLaunch(w);
    log(`run ${run} (b) Mesos: ACCEPT → bound p99 ${out.mesosLaunch.toBound.p99Ms} ms`);
    out.builtinLaunch = await builtinLaunch(w);
    log(`run ${run} (b) built-in: create → bound p99 ${out.builtinLaunch.toBound.p99Ms} ms`);
  }
  return out;
}

function latencyCell(l: Latencies): string {
  return `${l.p50Ms} / ${l.p90Ms} / ${l.p99Ms}`;
}

function callsCell(calls: Record<string, CallFigures>): string {
  return Object.entries(calls)
    .map(([type, c]) => `${type} ${c.p50Ms} / ${c.p99Ms}`)
    .join(', ');
}

function offerRows(o: OffersResult): [string, string][] {
  return [
    ['(a) offers/s received', String(o.offersPerSecond)],
    ['(a) cycle bound: nodes × cycles/s', String(o.cycleBoundOffersPerSecond)],
    ['(a) cycle mean / p99 (ms)', `${o.cycleMeanMs} / ${o.cycleP99Ms}`],
    ['(a) DECLINE answered p50 / p99 (ms)', `${o.declineP50Ms} / ${o.declineP99Ms}`],
    ['(a) operator CPU % / RSS (MiB)', `${o.operatorCpuPercent} / ${o.operatorRssMiB}`],
    ['(a) client CPU %', String(o.clientCpuPercent)],
    [
      '(a) operator API requests/s (Framework status)',
      `${o.apiRequestsPerSecond} (${o.frameworkStatusPatchesPerSecond})`,
    ],
  ];
}

function launchRows(name: string, l: LaunchResult): [string, string][] {
  return [
    [`(b) ${name} → bound p50 / p90 / p99 (ms)`, latencyCell(l.toBound)],
    [`(b) ${name}: first request → bound p50 / p90 / p99 (ms)`, latencyCell(l.sinceFirstRequest)],
    [`(b) ${name} → Task seen, p50 (ms)`, String(l.toTaskSeen.p50Ms)],
    [`(b) ${name}: Task seen → bound, p50 (ms)`, String(l.taskSeenToBound.p50Ms)],
    [`(b) ${name}: first → last bound (s)`, String(l.seconds)],
    [`(b) ${name}: first → last request sent (s)`, String(l.requestSpreadSeconds)],
    [`(b) ${name}: cycles, mean / p99 (ms)`, `${l.cycles.count}, ${l.cycles.meanMs} / ${l.cycles.p99Ms}`],
    [
      `(b) ${name}: operator CPU (s), API requests per task`,
      `${l.operatorCpuSeconds}, ${l.requestsPerTask.total}`,
    ],
  ];
}

function table(m: Figures): string {
  const rows: [string, string][] = [];
  if (m.offers) rows.push(...offerRows(m.offers));
  if (m.mesosLaunch) {
    rows.push(...launchRows('Mesos ACCEPT', m.mesosLaunch));
    const l = m.mesosLaunch;
    rows.push(
      ['(b) Mesos REVIVE → first OFFERS of each framework p50 / p90 / p99 (ms)', latencyCell(l.firstOffer)],
      ['(b) Mesos calls answered p50 / p99 (ms)', callsCell(l.calls)],
      ['(b) Mesos ACCEPT → TASK_RUNNING p50 / p90 / p99 (ms)', latencyCell(l.toRunning)],
      ['(b) Mesos bound → pod Running (kwok), p50 (ms)', String(l.boundToPodRunning.p50Ms)],
      ['(b) Mesos pod Running → TASK_RUNNING update, p50 (ms)', String(l.podRunningToUpdate.p50Ms)],
    );
  }
  if (m.builtinLaunch) rows.push(...launchRows('built-in Task create', m.builtinLaunch));
  const width = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const cluster = await startBenchCluster({
    nodes: args.nodes,
    pool: POOL,
    sockets: Math.max(args.concurrency, 64),
    scheduler: false,
    log,
  });
  const w: World = { ...cluster, args, codec: createMesosCodec(loadMesosSchema()), seq: 0 };
  log('waiting for the nodes to settle');
  await waitForQuietNodes(w.api, 10_000, 180_000);
  try {
    const runs: RunResult[] = [];
    for (let run = 1; run <= args.runs; run++) runs.push(await oneRun(w, run));
    const m: Figures = {
      offers: medians(runs.map((r) => r.offers).filter((x) => x !== undefined)),
      mesosLaunch: medians(runs.map((r) => r.mesosLaunch).filter((x) => x !== undefined)),
      builtinLaunch: medians(runs.map((r) => r.builtinLaunch).filter((x) => x !== undefined)),
    };
    const doc = {
      benchmark: 'mesos-api',
      nodes: args.nodes,
      frameworks: args.frameworks,
      tasks: args.tasks,
      runs: args.runs,
      windowSeconds: args.windowSeconds,
      warmupSeconds: args.warmupSeconds,
      refuseSeconds: args.refuseSeconds,
      // kmesos keeps a decline filter for at least one allocation interval.
      effectiveRefuseSeconds: Math.max(args.refuseSeconds, args.cycleIntervalMs / 1000),
      cycleIntervalMs: args.cycleIntervalMs,
      operatorArgs: args.operatorArgs,
      media: args.media,
      task: TASK,
      machine: {
        cpus: os.cpus().length,
        memoryGiB: round(os.totalmem() / 2 ** 30, 1),
        node: process.version,
      },
      medians: m,
      runResults: runs,
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    process.stderr.write(`\n${table(m)}\n`);
  } finally {
    w.api.close();
    await w.plane.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench:mesos failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
