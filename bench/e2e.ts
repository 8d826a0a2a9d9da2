/**
 * End-to-end benchmark (`npm run bench:e2e`); prints one JSON document and a short table.
 *
 * One local control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler,
 * kwok) and N kwok nodes (16 CPU / 64 GiB). Each run measures, each in a fresh namespace
 * that is deleted (and its pods gone) before the next starts:
 *  a. ceiling — M pods created with spec.nodeName set by a tuned parallel client: pods/s
 *     until the last create is answered (a), and until the last pod is Running (a′), which
 *     puts kwok's status writes inside the window as they are for kmesos;
 *  a″. task ceiling — per task the writes kmesos cannot avoid, by the same client: create
 *     the Task (in a namespace no operator serves), then its pod with spec.nodeName; first
 *     create → last pod Running;
 *  b. kube-scheduler — the same M pods created unbound: first create → last pod bound;
 *  c. kmesos — the same workload as M Tasks of F Builtin frameworks, once for each F in
 *     --frameworks, the operator running as its own process (dist/bin/kmesos.mjs, as the
 *     integration tests start it) with its default flags: first Task create → last pod
 *     bound, Task created → pod bound latency, allocation cycle time, operator CPU and peak
 *     RSS, API requests per task.
 *  d. backlogs — the M pods (for a second kube-scheduler, started once they all exist) and
 *     the M Tasks (the operator started once they all exist): scheduler start → last pod
 *     bound. Without the creates in the window, this is what each scheduler itself can bind.
 * Figures are medians over runs; ratios are taken within each run, then their median. The
 * document ends with each control-plane component's CPU seconds and peak RSS over the benchmark.
 *
 * Flags: --nodes N (1000) --tasks M (10000) --frameworks 1,100 (F; each value is a kmesos
 *        case) --runs R (3) --concurrency C (client requests in flight, 128)
 *        --only ceiling,ceiling-tasks,scheduler,kmesos,scheduler-backlog,kmesos-backlog
 *        --sweep 32,64,128,256 (only the ceiling at each concurrency, to pick C)
 *        --operator-args "..." (kmesos flags; default none, as deploy/ ships it)
 *        --operator-node-args "--cpu-prof --cpu-prof-dir=/tmp/prof" (flags of the operator's node)
 *        --operator-main PATH (another build of kmesos' main.js, for before/after comparisons)
 *        --task-rate R (create the pods of (b) and the Tasks of (c) at R/s instead of all at
 *        once, for latency below saturation)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { controlPlaneBinaries } from '../dev/controlplane.js';
import { killOnExit } from '../dev/processes.js';
import {
  createAll as createAllWith,
  watchRunning,
  createNamespace as createNamespaceNamed,
  deleteNamespace as deleteNamespaceWith,
  KMESOS,
  POOL_LABEL,
  SCHEDULER_CLIENT,
  APISERVER_ARGS,
  CONTROLLER_MANAGER_ARGS,
  startBenchCluster,
  waitForCount,
  watchBound as watchBoundWith,
  type BenchCluster,
  type BoundWatch,
  type Creates,
} from './lib/cluster.js';
import {
  reconcilesPerTask,
  requestBreakdown,
  settle,
  startOperator as startOperatorWith,
  subtractSamples as subtract,
  type Operator,
} from './lib/operator.js';
import { pool } from './lib/http.js';
import { procUsage, usageOfProcessesIn, type ProcUsage } from './lib/proc.js';
import {
  histogram,
  histogramDelta,
  histogramQuantile,
  median,
  medians,
  percentile,
  round,
} from './lib/stats.js';
import { flags } from './lib/flags.js';

/**
 * How long to wait for M pods: 15 minutes, or 50 ms a pod for larger runs. kwok marks at
 * most about 185 pods Running a second here, fewer on a loaded machine.
 */
const waitLimitMs = (tasks: number): number => Math.max(900_000, tasks * 50);
const repoRoot = resolve(import.meta.dirname, import.meta.dirname.includes('/dist/') ? '../..' : '..');
const POOL = 'bench-e2e';
/** The scheduler name of the backlog's pods: only the second kube-scheduler, started later, takes them. */
const BACKLOG_SCHEDULER = 'bench-backlog';
const SCENARIOS = ['ceiling', 'ceiling-tasks', 'scheduler', 'kmesos', 'scheduler-backlog', 'kmesos-backlog'];

/** The mixed task sizes, cycled: average 0.94 CPU, 1.8 GiB. */
const SIZES = [
  { cpu: '250m', memory: '256Mi' },
  { cpu: '500m', memory: '1Gi' },
  { cpu: '1', memory: '2Gi' },
  { cpu: '2', memory: '4Gi' },
] as const;

interface Args {
  nodes: number;
  tasks: number;
  /** Each value is a kmesos case: M Tasks spread over F frameworks. */
  frameworks: number[];
  runs: number;
  concurrency: number;
  only: Set<string>;
  sweep: number[];
  operatorArgs: string[];
  operatorNodeArgs: string[];
  operatorMain: string;
  /** Tasks created per second in the kmesos scenario; 0 creates them as fast as the client can. */
  taskRate: number;
}

function parseArgs(argv: readonly string[]): Args {
  const { get, num, list } = flags(argv);
  return {
    nodes: num('nodes', 1000),
    tasks: num('tasks', 10_000),
    frameworks: list(get('frameworks') ?? '1,100').map(Number),
    runs: num('runs', 3),
    concurrency: num('concurrency', 128),
    only: new Set(list(get('only') ?? SCENARIOS.join(','))),
    sweep: list(get('sweep')).map(Number),
    // Users run what deploy/ ships: the defaults, unless a flag is being studied.
    operatorArgs: list(get('operator-args')),
    operatorNodeArgs: list(get('operator-node-args')),
    operatorMain: get('operator-main') ?? join(repoRoot, 'dist/bin/kmesos.mjs'),
    taskRate: num('task-rate', 0),
  };
}

function log(message: string): void {
  process.stderr.write(`[bench:e2e ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function loadAverage(): number[] {
  return os.loadavg().map((x) => round(x));
}

// ---------------------------------------------------------------- the world

interface World extends BenchCluster {
  args: Args;
  seq: number;
}

async function createNamespace(w: World, prefix: string): Promise<string> {
  const name = `${prefix}-${Date.now().toString(36)}-${w.seq++}`;
  await createNamespaceNamed(w.api, name);
  return name;
}

function deleteNamespace(w: World, ns: string): Promise<void> {
  return deleteNamespaceWith(w.api, ns, w.args.concurrency);
}

function watchBound(w: World, ns: string): Promise<BoundWatch> {
  return watchBoundWith(w.api, ns);
}

// ---------------------------------------------------------------- workloads

function podBody(
  i: number,
  frameworks: number,
  nodeName: string | undefined,
  schedulerName?: string,
): string {
  const size = SIZES[i % SIZES.length] ?? SIZES[0];
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p-${i}`, labels: { 'bench.kmesos.io/framework': `fw-${i % frameworks}` } },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      ...(schedulerName ? { schedulerName } : {}),
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 0,
      nodeSelector: { [POOL_LABEL]: POOL },
      containers: [
        {
          name: 'task',
          image: 'busybox:1.37',
          command: ['sh', '-c', 'true'],
          resources: { requests: size, limits: size },
        },
      ],
    },
  });
}

function taskBody(i: number, frameworks: number): string {
  const size = SIZES[i % SIZES.length] ?? SIZES[0];
  return JSON.stringify({
    apiVersion: 'kmesos.io/v1alpha1',
    kind: 'Task',
    metadata: { name: `t-${i}` },
    spec: { framework: `fw-${i % frameworks}`, resources: size, command: 'true' },
  });
}

function createAll(
  w: World,
  path: string,
  count: number,
  concurrency: number,
  body: (i: number) => string,
  rate = 0,
): Promise<Creates> {
  return createAllWith(w.api, path, count, concurrency, body, rate);
}

// ---------------------------------------------------------------- (a) ceiling

interface CeilingResult {
  concurrency: number;
  /** (a) First create → last create answered. */
  seconds: number;
  podsPerSecond: number;
  /** (a′) First create → last pod Running. */
  runningSeconds: number;
  runningPerSecond: number;
}

async function ceiling(w: World, concurrency: number): Promise<CeilingResult> {
  const ns = await createNamespace(w, 'e2e-ceiling');
  const { tasks, nodes } = w.args;
  const running = await watchRunning(w.api, ns);
  const r = await createAll(w, `/api/v1/namespaces/${ns}/pods`, tasks, concurrency, (i) =>
    podBody(i, 1, `bench-n${i % nodes}`),
  );
  await waitForCount('ceiling pods Running', () => running.bound.size, tasks, waitLimitMs(tasks));
  running.stop();
  const seconds = (r.end - r.start) / 1000;
  const runningSeconds = (Math.max(...running.bound.values()) - r.start) / 1000;
  await deleteNamespace(w, ns);
  return {
    concurrency,
    seconds: round(seconds, 3),
    podsPerSecond: round(tasks / seconds, 1),
    runningSeconds: round(runningSeconds, 3),
    runningPerSecond: round(tasks / runningSeconds, 1),
  };
}

// ---------------------------------------------------------------- (a″) task ceiling

interface TaskCeilingResult {
  /** First create → last create answered. */
  createSeconds: number;
  /** First create → last pod Running. */
  seconds: number;
  tasksPerSecond: number;
}

/**
 * The writes of a task that no scheduler can avoid, by a client that knows where each goes:
 * its Task, then its pod with spec.nodeName. C tasks in flight, one request each at a time,
 * so the API server sees C requests in flight as in (a). No operator serves the namespace.
 */
async function ceilingTasks(w: World): Promise<TaskCeilingResult> {
  const ns = await createNamespace(w, 'e2e-ceiling-tasks');
  const { tasks, nodes } = w.args;
  const taskBodies = Array.from({ length: tasks }, (_, i) => taskBody(i, 1));
  const podBodies = Array.from({ length: tasks }, (_, i) => podBody(i, 1, `bench-n${i % nodes}`));
  const running = await watchRunning(w.api, ns);
  const start = performance.now();
  await pool(tasks, w.args.concurrency, async (i) => {
    await w.api.ok('POST', `${KMESOS}/namespaces/${ns}/tasks`, taskBodies[i]);
    await w.api.ok('POST', `/api/v1/namespaces/${ns}/pods`, podBodies[i]);
  });
  const end = performance.now();
  await waitForCount('task ceiling pods Running', () => running.bound.size, tasks, waitLimitMs(tasks));
  running.stop();
  const seconds = (Math.max(...running.bound.values()) - start) / 1000;
  await deleteNamespace(w, ns);
  return {
    createSeconds: round((end - start) / 1000, 3),
    seconds: round(seconds, 3),
    tasksPerSecond: round(tasks / seconds, 1),
  };
}

// ---------------------------------------------------------------- (b) kube-scheduler

interface SchedulerResult {
  seconds: number;
  podsBoundPerSecond: number;
  createSeconds: number;
  p50CreatedToBoundMs: number;
  p99CreatedToBoundMs: number;
}

async function scheduler(w: World): Promise<SchedulerResult> {
  const ns = await createNamespace(w, 'e2e-sched');
  const { tasks } = w.args;
  const watch = await watchBound(w, ns);
  const r = await createAll(
    w,
    `/api/v1/namespaces/${ns}/pods`,
    tasks,
    w.args.concurrency,
    (i) => podBody(i, 1, undefined),
    w.args.taskRate,
  );
  await waitForCount('kube-scheduler bound pods', () => watch.bound.size, tasks, waitLimitMs(tasks));
  watch.stop();
  const last = Math.max(...watch.bound.values());
  const latencies = Array.from(
    { length: tasks },
    (_, i) => (watch.bound.get(`p-${i}`) ?? last) - (r.done[i] ?? 0),
  );
  await deleteNamespace(w, ns);
  const seconds = (last - r.start) / 1000;
  return {
    seconds: round(seconds, 3),
    podsBoundPerSecond: round(tasks / seconds, 1),
    createSeconds: round((r.end - r.start) / 1000, 3),
    p50CreatedToBoundMs: round(percentile(latencies, 50), 1),
    p99CreatedToBoundMs: round(percentile(latencies, 99), 1),
  };
}

// ---------------------------------------------------------------- (c) kmesos

interface KmesosResult {
  frameworks: number;
  seconds: number;
  tasksBoundPerSecond: number;
  /** First Task create → last pod Running, for comparison with the ceilings' windows. */
  runningSeconds: number;
  taskCreateSeconds: number;
  p50TaskToBoundMs: number;
  p99TaskToBoundMs: number;
  maxTaskToBoundMs: number;
  cycles: { count: number; meanMs: number; p50Ms: number; p99Ms: number };
  /** Operator CPU seconds from the first Task create to the last bound pod, and until its writes settled. */
  cpuSecondsToBound: number;
  cpuSecondsTotal: number;
  peakRssMiB: number;
  /** API requests per task until the last pod was bound / until the operator's writes settled. */
  requestsPerTaskAtBound: Record<string, number>;
  requestsPerTask: Record<string, number>;
  /** Task decisions worked out anew per task, until the last pod was bound and until settled. */
  reconcilesPerTask: { atBound: number; settled: number };
  settleSeconds: number;
}

async function createFrameworks(w: World, ns: string, frameworks: number): Promise<void> {
  await pool(frameworks, 32, async (f) => {
    const body = {
      apiVersion: 'kmesos.io/v1alpha1',
      kind: 'Framework',
      metadata: { name: `fw-${f}` },
      spec: {},
    };
    await w.api.ok('POST', `${KMESOS}/namespaces/${ns}/frameworks`, JSON.stringify(body));
  });
}

function startOperator(w: World, ns: string): Promise<Operator> {
  return startOperatorWith({
    main: w.args.operatorMain,
    kubeconfig: w.plane.kubeconfig,
    namespaces: [ns],
    nodeSelector: `${POOL_LABEL}=${POOL}`,
    args: w.args.operatorArgs,
    nodeArgs: w.args.operatorNodeArgs,
    logPath: join(w.plane.dir, `kmesos-${ns}.log`),
  });
}

async function kmesos(w: World, frameworks: number): Promise<KmesosResult> {
  const ns = await createNamespace(w, 'e2e-kmesos');
  const { tasks } = w.args;
  await createFrameworks(w, ns, frameworks);
  const op = await startOperator(w, ns);
  try {
    await op.ready();
    const watch = await watchBound(w, ns);
    const running = await watchRunning(w.api, ns);
    const before = await op.metrics();
    const cpu0 = await procUsage(op.pid);
    const r = await createAll(
      w,
      `${KMESOS}/namespaces/${ns}/tasks`,
      tasks,
      w.args.concurrency,
      (i) => taskBody(i, frameworks),
      w.args.taskRate,
    );
    await waitForCount('kmesos bound pods', () => watch.bound.size, tasks, waitLimitMs(tasks));
    const last = Math.max(...watch.bound.values());
    const atBound = await op.metrics();
    const cpuBound = await procUsage(op.pid);
    const settled = await settle(op, 2000, 300_000);
    const settleSeconds = (performance.now() - last) / 1000;
    const cpuEnd: ProcUsage = await procUsage(op.pid);
    await waitForCount('kmesos pods Running', () => running.bound.size, tasks, waitLimitMs(tasks));
    running.stop();
    watch.stop();
    const latencies = Array.from(
      { length: tasks },
      (_, i) => (watch.bound.get(`t-${i}-1`) ?? last) - (r.done[i] ?? 0),
    );
    const cycles = histogramDelta(
      histogram(atBound, 'kmesos_allocation_cycle_duration_seconds'),
      histogram(before, 'kmesos_allocation_cycle_duration_seconds'),
    );
    const seconds = (last - r.start) / 1000;
    return {
      frameworks,
      seconds: round(seconds, 3),
      tasksBoundPerSecond: round(tasks / seconds, 1),
      runningSeconds: round((Math.max(...running.bound.values()) - r.start) / 1000, 3),
      taskCreateSeconds: round((r.end - r.start) / 1000, 3),
      p50TaskToBoundMs: round(percentile(latencies, 50), 1),
      p99TaskToBoundMs: round(percentile(latencies, 99), 1),
      maxTaskToBoundMs: round(percentile(latencies, 100), 1),
      cycles: {
        count: cycles.count,
        meanMs: round((cycles.sum / Math.max(1, cycles.count)) * 1000, 2),
        p50Ms: round(histogramQuantile(cycles, 0.5) * 1000, 2),
        p99Ms: round(histogramQuantile(cycles, 0.99) * 1000, 2),
      },
      cpuSecondsToBound: round(cpuBound.cpuSeconds - cpu0.cpuSeconds, 2),
      cpuSecondsTotal: round(cpuEnd.cpuSeconds - cpu0.cpuSeconds, 2),
      peakRssMiB: round(cpuEnd.peakRssMiB, 1),
      requestsPerTaskAtBound: requestBreakdown(subtract(atBound, before), tasks),
      requestsPerTask: requestBreakdown(subtract(settled, before), tasks),
      reconcilesPerTask: {
        atBound: reconcilesPerTask(subtract(atBound, before), tasks),
        settled: reconcilesPerTask(subtract(settled, before), tasks),
      },
      settleSeconds: round(settleSeconds, 1),
    };
  } finally {
    await op.stop();
    await deleteNamespace(w, ns);
  }
}

// ---------------------------------------------------------------- (d) backlogs

interface BacklogResult {
  /** Scheduler process started → last pod bound. */
  seconds: number;
  boundPerSecond: number;
}

/** Starts a second kube-scheduler that takes only the backlog's pods, with the same client settings. */
async function startBacklogScheduler(w: World): Promise<ChildProcess> {
  const config = {
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    clientConnection: { ...SCHEDULER_CLIENT, kubeconfig: w.plane.kubeconfig },
    leaderElection: { leaderElect: false },
    profiles: [{ schedulerName: BACKLOG_SCHEDULER }],
  };
  const path = join(w.plane.dir, 'kube-scheduler-backlog.yaml');
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`);
  const out = openSync(join(w.plane.dir, 'kube-scheduler-backlog.log'), 'a');
  const bins = await controlPlaneBinaries();
  const child = spawn(join(bins.kubernetes, 'kube-scheduler'), [`--config=${path}`, '--secure-port=0'], {
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  killOnExit(child);
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await done;
  clearTimeout(timer);
}

async function schedulerBacklog(w: World): Promise<BacklogResult> {
  const ns = await createNamespace(w, 'e2e-sched-backlog');
  const { tasks } = w.args;
  const watch = await watchBound(w, ns);
  await createAll(w, `/api/v1/namespaces/${ns}/pods`, tasks, w.args.concurrency, (i) =>
    podBody(i, 1, undefined, BACKLOG_SCHEDULER),
  );
  const start = performance.now();
  const child = await startBacklogScheduler(w);
  try {
    await waitForCount(
      'kube-scheduler backlog bound pods',
      () => watch.bound.size,
      tasks,
      waitLimitMs(tasks),
    );
  } finally {
    await stopChild(child);
    watch.stop();
  }
  const seconds = (Math.max(...watch.bound.values()) - start) / 1000;
  await deleteNamespace(w, ns);
  return { seconds: round(seconds, 3), boundPerSecond: round(tasks / seconds, 1) };
}

async function kmesosBacklog(w: World, frameworks: number): Promise<BacklogResult> {
  const ns = await createNamespace(w, 'e2e-kmesos-backlog');
  const { tasks } = w.args;
  await createFrameworks(w, ns, frameworks);
  await createAll(w, `${KMESOS}/namespaces/${ns}/tasks`, tasks, w.args.concurrency, (i) =>
    taskBody(i, frameworks),
  );
  const watch = await watchBound(w, ns);
  const start = performance.now();
  const op = await startOperator(w, ns);
  try {
    await waitForCount('kmesos backlog bound pods', () => watch.bound.size, tasks, waitLimitMs(tasks));
  } finally {
    await op.stop();
    watch.stop();
  }
  const seconds = (Math.max(...watch.bound.values()) - start) / 1000;
  await deleteNamespace(w, ns);
  return { seconds: round(seconds, 3), boundPerSecond: round(tasks / seconds, 1) };
}

// ---------------------------------------------------------------- main

async function setup(args: Args): Promise<World> {
  const cluster = await startBenchCluster({
    nodes: args.nodes,
    pool: POOL,
    sockets: Math.max(args.concurrency, ...args.sweep, 64),
    scheduler: true,
    log,
  });
  const w = { ...cluster, args, seq: 0 };
  // A cold API server (empty caches, unopened connections) would handicap whichever scenario runs first.
  await ceiling({ ...w, args: { ...args, tasks: Math.min(args.tasks, 1000) } }, args.concurrency);
  log('warmed up');
  return w;
}

interface RunResult {
  run: number;
  loadAverage: number[];
  ceiling?: CeilingResult;
  ceilingTasks?: TaskCeilingResult;
  scheduler?: SchedulerResult;
  /** By number of frameworks. */
  kmesos?: Record<string, KmesosResult>;
  schedulerBacklog?: BacklogResult;
  kmesosBacklog?: Record<string, BacklogResult>;
}

type Figures = Omit<RunResult, 'run' | 'loadAverage'>;

async function oneRun(w: World, run: number): Promise<RunResult> {
  const out: RunResult = { run, loadAverage: loadAverage() };
  const { only, frameworks } = w.args;
  if (only.has('ceiling')) {
    out.ceiling = await ceiling(w, w.args.concurrency);
    log(`run ${run} ceiling: ${out.ceiling.podsPerSecond} pods/s, ${out.ceiling.runningPerSecond} Running/s`);
  }
  if (only.has('ceiling-tasks')) {
    out.ceilingTasks = await ceilingTasks(w);
    log(`run ${run} task ceiling: ${out.ceilingTasks.tasksPerSecond} tasks Running/s`);
  }
  if (only.has('scheduler')) {
    out.scheduler = await scheduler(w);
    log(`run ${run} kube-scheduler: ${out.scheduler.podsBoundPerSecond} pods bound/s`);
  }
  if (only.has('kmesos')) {
    out.kmesos = {};
    for (const f of frameworks) {
      const k = await kmesos(w, f);
      out.kmesos[String(f)] = k;
      log(
        `run ${run} kmesos (${f} frameworks): ${k.tasksBoundPerSecond} tasks bound/s, p99 ${k.p99TaskToBoundMs} ms`,
      );
    }
  }
  if (only.has('scheduler-backlog')) {
    out.schedulerBacklog = await schedulerBacklog(w);
    log(`run ${run} kube-scheduler backlog: ${out.schedulerBacklog.boundPerSecond} pods bound/s`);
  }
  if (only.has('kmesos-backlog')) {
    out.kmesosBacklog = {};
    for (const f of frameworks) {
      const k = await kmesosBacklog(w, f);
      out.kmesosBacklog[String(f)] = k;
      log(`run ${run} kmesos backlog (${f} frameworks): ${k.boundPerSecond} tasks bound/s`);
    }
  }
  return out;
}

function table(m: Figures, ratios: Record<string, number>): string {
  const rows: [string, string][] = [];
  // Medians of an even number of runs are means of two: rounded for reading.
  const v = (...xs: number[]): string => xs.map((x) => String(round(x))).join(' / ');
  if (m.ceiling) {
    rows.push(['ceiling a: pod creates (pods/s)', v(m.ceiling.podsPerSecond)]);
    rows.push(['ceiling a′: pods to Running (pods/s)', v(m.ceiling.runningPerSecond)]);
  }
  if (m.ceilingTasks)
    rows.push(['ceiling a″: Task + pod to Running (tasks/s)', v(m.ceilingTasks.tasksPerSecond)]);
  if (m.scheduler) {
    const s = m.scheduler;
    rows.push(
      ['kube-scheduler (pods bound/s)', v(s.podsBoundPerSecond)],
      ['kube-scheduler created→bound p50 / p99 (ms)', v(s.p50CreatedToBoundMs, s.p99CreatedToBoundMs)],
    );
  }
  for (const k of Object.values(m.kmesos ?? {})) {
    const f = `kmesos ${k.frameworks} fw`;
    rows.push(
      [`${f} (tasks bound/s)`, v(k.tasksBoundPerSecond)],
      [`${f} Task→bound p50 / p99 (ms)`, v(k.p50TaskToBoundMs, k.p99TaskToBoundMs)],
      [`${f} cycle mean / p99 (ms)`, v(k.cycles.meanMs, k.cycles.p99Ms)],
      [`${f} CPU to bound / total (s)`, v(k.cpuSecondsToBound, k.cpuSecondsTotal)],
      [`${f} peak RSS (MiB)`, v(k.peakRssMiB)],
      [`${f} API requests per task`, v(k.requestsPerTask.total ?? NaN)],
      [
        `${f} reconciles per task, bound / settled`,
        v(k.reconcilesPerTask.atBound, k.reconcilesPerTask.settled),
      ],
    );
  }
  if (m.schedulerBacklog)
    rows.push(['kube-scheduler backlog (pods bound/s)', v(m.schedulerBacklog.boundPerSecond)]);
  for (const [f, k] of Object.entries(m.kmesosBacklog ?? {}))
    rows.push([`kmesos ${f} fw backlog (tasks bound/s)`, v(k.boundPerSecond)]);
  for (const [k, r] of Object.entries(ratios)) rows.push([k, v(r)]);
  const width = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

/**
 * Throughputs against the ceilings and kube-scheduler, in one run: a burst against (a″),
 * which carries the same writes; a backlog, whose Tasks already exist, against (a′).
 */
function ratiosOf(r: Figures): Record<string, number> {
  const out: Record<string, number> = {};
  const { ceiling: c, ceilingTasks: ct, scheduler: s, schedulerBacklog: sb } = r;
  const put = (key: string, x: number | undefined, y: number | undefined): void => {
    if (x !== undefined && y !== undefined && y > 0) out[key] = round(x / y);
  };
  put('kube-scheduler / ceiling a′', s?.podsBoundPerSecond, c?.runningPerSecond);
  put('kube-scheduler backlog / ceiling a′', sb?.boundPerSecond, c?.runningPerSecond);
  for (const [f, k] of Object.entries(r.kmesos ?? {})) {
    put(`kmesos ${f} fw / ceiling a″`, k.tasksBoundPerSecond, ct?.tasksPerSecond);
    put(`kmesos ${f} fw / kube-scheduler`, k.tasksBoundPerSecond, s?.podsBoundPerSecond);
    put(`kmesos ${f} fw / ceiling a (pod creates)`, k.tasksBoundPerSecond, c?.podsPerSecond);
  }
  for (const [f, kb] of Object.entries(r.kmesosBacklog ?? {})) {
    put(`kmesos ${f} fw backlog / ceiling a′`, kb.boundPerSecond, c?.runningPerSecond);
    put(`kmesos ${f} fw backlog / kube-scheduler backlog`, kb.boundPerSecond, sb?.boundPerSecond);
  }
  return out;
}

async function sweep(w: World): Promise<void> {
  const results: (CeilingResult & { loadAverage: number[] })[] = [];
  for (const c of w.args.sweep) {
    results.push({ ...(await ceiling(w, c)), loadAverage: loadAverage() });
    log(`ceiling at concurrency ${c}: ${results.at(-1)?.podsPerSecond ?? 0} pods/s`);
  }
  process.stdout.write(
    `${JSON.stringify({ benchmark: 'e2e-ceiling-sweep', tasks: w.args.tasks, results }, null, 2)}\n`,
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const w = await setup(args);
  try {
    if (args.sweep.length > 0) return await sweep(w);
    const runs: RunResult[] = [];
    for (let run = 1; run <= args.runs; run++) {
      runs.push(await oneRun(w, run));
      // Each run whole on stderr too, so an interrupted benchmark leaves its finished runs.
      log(`run ${run} result ${JSON.stringify(runs.at(-1))}`);
    }
    const m: Figures = {
      ceiling: medians(runs.map((r) => r.ceiling).filter((x) => x !== undefined)),
      ceilingTasks: medians(runs.map((r) => r.ceilingTasks).filter((x) => x !== undefined)),
      scheduler: medians(runs.map((r) => r.scheduler).filter((x) => x !== undefined)),
      kmesos: medians(runs.map((r) => r.kmesos).filter((x) => x !== undefined)),
      schedulerBacklog: medians(runs.map((r) => r.schedulerBacklog).filter((x) => x !== undefined)),
      kmesosBacklog: medians(runs.map((r) => r.kmesosBacklog).filter((x) => x !== undefined)),
    };
    // Ratios within each run (the machine's speed drifts between runs), then their medians.
    const perRun = runs.map(ratiosOf);
    const ratios: Record<string, number> = {};
    for (const key of new Set(perRun.flatMap((r) => Object.keys(r)))) {
      ratios[key] = round(median(perRun.map((r) => r[key]).filter((x) => x !== undefined)));
    }
    // Each component's CPU and peak memory over the whole benchmark (setup and every run).
    const components = (await usageOfProcessesIn(w.plane.dir)).map((c) => ({
      name: c.name,
      cpuSeconds: round(c.cpuSeconds, 1),
      peakRssMiB: round(c.peakRssMiB),
    }));
    const doc = {
      benchmark: 'e2e',
      nodes: args.nodes,
      tasks: args.tasks,
      frameworks: args.frameworks,
      runs: args.runs,
      clientConcurrency: args.concurrency,
      operatorArgs: args.operatorArgs,
      taskRate: args.taskRate,
      apiserverArgs: APISERVER_ARGS,
      controllerManagerArgs: CONTROLLER_MANAGER_ARGS,
      schedulerClientConnection: SCHEDULER_CLIENT,
      machine: {
        cpus: os.cpus().length,
        memoryGiB: round(os.totalmem() / 2 ** 30, 1),
        node: process.version,
      },
      medians: m,
      ratios,
      ratiosPerRun: perRun,
      runResults: runs,
      components,
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    process.stderr.write(`\n${table(m, ratios)}\n`);
  } finally {
    w.api.close();
    await w.plane.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench:e2e failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
