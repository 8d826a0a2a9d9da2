/**
 * Allocator benchmarks (`npm run bench:allocator`); prints one JSON document.
 *
 *  a. declineOffers — Mesos' HierarchicalAllocator_BENCHMARK_Test.DeclineOffers at
 *     10,000 agents × 1,000 frameworks: agents cpus 24, mem 4096 MB, disk 4096 MB with
 *     16 cpus (and 2014 MB, 1024 MB) already allocated to one framework; every offer is
 *     declined with refuse_seconds = INT_MAX; we time allocate() per round.
 *  b. progressiveFill — 100,000 pending tasks from 1,000 Builtin frameworks (10 roles,
 *     weights 1–5, four task sizes) onto 10,000 agents: time to place all.
 *  c. incremental — after (b), 1% of tasks end and 1% new ones arrive: one placeTasks().
 *  d. scale (only with --only d) — beyond what the end-to-end benchmark can run on one
 *     machine: (a) and (b)+(c) at 50,000 agents × 1,000 frameworks, with 150,000 tasks
 *     (the Kubernetes envelope's pod count) placed at once.
 *
 * CPU time is reported for the whole process and for the main thread alone (the
 * allocator's own work; the garbage collector's helper threads excluded).
 *
 * Flags: --runs N (default 5), --rounds N (DeclineOffers rounds per run, default 20),
 * --only a|b|c|d. Figures are medians over runs.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Allocator } from '../src/allocator/index.js';
import type { PendingTask } from '../src/allocator/index.js';
import { Rng } from '../src/allocator/sorter/rng.js';
import { ManualClock } from '../src/util/clock.js';

const MB = 2 ** 20;
const GI = 2 ** 30;
const INT_MAX = 2 ** 31 - 1;

interface Args {
  runs: number;
  rounds: number;
  only: string | null;
}

function parseArgs(argv: readonly string[]): Args {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return { runs: Number(get('runs') ?? 5), rounds: Number(get('rounds') ?? 20), only: get('only') ?? null };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** User + system time of a cpuUsage() difference, in ms. */
function cpuMs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1000;
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

// ---------------------------------------------------------------- (a)

interface DeclineRun {
  roundMs: number[];
  /** User + system CPU time of each round: less sensitive than wall time to a busy machine. */
  roundCpuMs: number[];
  /** The same for the main thread alone: leaves out the garbage collector's helper threads. */
  roundThreadCpuMs: number[];
  offersPerRound: number[];
  setupMs: number;
}

function declineOffersRun(agents: number, frameworks: number, rounds: number): DeclineRun {
  const t0 = performance.now();
  const clock = new ManualClock(0);
  const alloc = new Allocator({ clock, seed: 1 });
  for (let f = 0; f < frameworks; f++) {
    alloc.addFramework({ frameworkId: `fw-${f}`, kind: 'External' });
  }
  for (let i = 0; i < agents; i++) {
    const agentId = `agent-${i}`;
    alloc.addAgent({
      agentId,
      hostname: agentId,
      attributes: {},
      total: { cpu: 24_000, memory: 4096 * MB, 'ephemeral-storage': 4096 * MB },
    });
    alloc.addTask({
      taskId: `used-${i}`,
      frameworkId: `fw-${i % frameworks}`,
      agentId,
      resources: { cpu: 16_000, memory: 2014 * MB, 'ephemeral-storage': 1024 * MB },
    });
  }
  const setupMs = performance.now() - t0;
  const roundMs: number[] = [];
  const roundCpuMs: number[] = [];
  const roundThreadCpuMs: number[] = [];
  const offersPerRound: number[] = [];
  for (let r = 0; r < rounds; r++) {
    clock.advance(1000);
    const cpu0 = process.cpuUsage();
    const thread0 = process.threadCpuUsage();
    const start = performance.now();
    const { offers } = alloc.allocate();
    roundMs.push(performance.now() - start);
    roundThreadCpuMs.push(cpuMs(process.threadCpuUsage(thread0)));
    roundCpuMs.push(cpuMs(process.cpuUsage(cpu0)));
    offersPerRound.push(offers.length);
    for (const o of offers) alloc.decline(o.offerId, INT_MAX);
  }
  return { roundMs, roundCpuMs, roundThreadCpuMs, offersPerRound, setupMs };
}

// ---------------------------------------------------------------- (b), (c)

const SIZES: ReadonlyArray<{ cpu: number; memory: number }> = [
  { cpu: 250, memory: 256 * MB },
  { cpu: 500, memory: 1 * GI },
  { cpu: 1000, memory: 512 * MB },
  { cpu: 2000, memory: 4 * GI },
];

interface FillRun {
  fillMs: number;
  /** User + system CPU time of the fill: less sensitive than wall time to a busy machine. */
  fillCpuMs: number;
  /** The same for the main thread alone. */
  fillThreadCpuMs: number;
  placed: number;
  unschedulable: number;
  incrementalMs: number;
  incrementalPlaced: number;
}

function fillRun(agents: number, frameworks: number, taskCount: number): FillRun {
  const rng = new Rng(7);
  const alloc = new Allocator({ clock: new ManualClock(0), seed: 2 });
  for (let i = 0; i < agents; i++) {
    alloc.addAgent({
      agentId: `agent-${i}`,
      hostname: `node-${i}`,
      attributes: { zone: `z${i % 3}` },
      total: { cpu: 16_000, memory: 64 * GI },
    });
  }
  for (let r = 0; r < 10; r++) alloc.setRole(`team-${r}`, { weight: 1 + (r % 5) });
  for (let f = 0; f < frameworks; f++) {
    alloc.addFramework({
      frameworkId: `fw-${f}`,
      role: `team-${f % 10}`,
      kind: 'Builtin',
      placement: f % 4 === 0 ? 'BinPack' : 'Spread',
    });
  }
  const pending: PendingTask[] = [];
  for (let t = 0; t < taskCount; t++) {
    const f = rng.int(frameworks);
    const size = SIZES[f % SIZES.length] ?? { cpu: 100, memory: MB };
    pending.push({
      taskId: `task-${t}`,
      frameworkId: `fw-${f}`,
      resources: size,
      createdAt: t,
      priority: t % 3,
    });
  }
  gc();
  const cpu0 = process.cpuUsage();
  const thread0 = process.threadCpuUsage();
  const start = performance.now();
  const r = alloc.placeTasks(pending);
  const fillMs = performance.now() - start;
  const fillThreadCpuMs = cpuMs(process.threadCpuUsage(thread0));
  const fillCpuMs = cpuMs(process.cpuUsage(cpu0));

  // (c) 1% of tasks end, as many new ones arrive
  const ended = Math.floor(r.placements.length / 100);
  const order = r.placements.map((p) => p.taskId);
  rng.shuffle(order);
  for (const id of order.slice(0, ended)) alloc.removeTask(id);
  const more: PendingTask[] = [];
  for (let t = 0; t < ended; t++) {
    const f = rng.int(frameworks);
    const size = SIZES[f % SIZES.length] ?? { cpu: 100, memory: MB };
    more.push({ taskId: `new-${t}`, frameworkId: `fw-${f}`, resources: size, createdAt: taskCount + t });
  }
  gc();
  const s2 = performance.now();
  const r2 = alloc.placeTasks(more);
  const incrementalMs = performance.now() - s2;
  return {
    fillMs,
    fillCpuMs,
    fillThreadCpuMs,
    placed: r.placements.length,
    unschedulable: r.unschedulable.length,
    incrementalMs,
    incrementalPlaced: r2.placements.length,
  };
}

function memory(): Record<string, number> {
  const m = process.memoryUsage();
  return {
    rssMiB: round(m.rss / MB, 1),
    heapUsedMiB: round(m.heapUsed / MB, 1),
    maxRssMiB: round((process.resourceUsage().maxRSS * 1024) / MB, 1),
  };
}

function declineReport(args: Args): Record<string, unknown> {
  const runs: DeclineRun[] = [];
  for (let i = 0; i < args.runs; i++) {
    gc();
    runs.push(declineOffersRun(10_000, 1_000, args.rounds));
  }
  return {
    agents: 10_000,
    frameworks: 1_000,
    roundsPerRun: args.rounds,
    medianRoundMs: round(median(runs.map((r) => median(r.roundMs)))),
    medianRoundCpuMs: round(median(runs.map((r) => median(r.roundCpuMs)))),
    medianRoundThreadCpuMs: round(median(runs.map((r) => median(r.roundThreadCpuMs)))),
    medianFirstRoundMs: round(median(runs.map((r) => r.roundMs[0] ?? 0))),
    medianLastRoundMs: round(median(runs.map((r) => r.roundMs[r.roundMs.length - 1] ?? 0))),
    offersPerRound: runs[0]?.offersPerRound[0] ?? 0,
    medianSetupMs: round(median(runs.map((r) => r.setupMs))),
    mesos17CppMs: 1060,
    memory: memory(),
  };
}

function fillReport(args: Args): Record<string, unknown> {
  const runs: FillRun[] = [];
  for (let i = 0; i < args.runs; i++) {
    gc();
    runs.push(fillRun(10_000, 1_000, 100_000));
  }
  const fillMs = median(runs.map((r) => r.fillMs));
  const placed = runs[0]?.placed ?? 0;
  const unschedulable = runs[0]?.unschedulable ?? 0;
  return {
    progressiveFill: {
      agents: 10_000,
      frameworks: 1_000,
      tasks: 100_000,
      placed,
      unschedulable,
      medianMs: round(fillMs),
      medianCpuMs: round(median(runs.map((r) => r.fillCpuMs))),
      medianThreadCpuMs: round(median(runs.map((r) => r.fillThreadCpuMs))),
      tasksPerSecond: Math.round((placed + unschedulable) / (fillMs / 1000)),
    },
    incremental: {
      tasksEnded: Math.floor(placed / 100),
      placed: runs[0]?.incrementalPlaced ?? 0,
      medianMs: round(median(runs.map((r) => r.incrementalMs))),
    },
    memory: memory(),
  };
}

/** (d): the same scenarios at 50,000 agents. */
function scaleReport(args: Args): Record<string, unknown> {
  const agents = 50_000;
  const tasks = 150_000;
  const declines: DeclineRun[] = [];
  const fills: FillRun[] = [];
  for (let i = 0; i < args.runs; i++) {
    gc();
    declines.push(declineOffersRun(agents, 1_000, args.rounds));
    gc();
    fills.push(fillRun(agents, 1_000, tasks));
  }
  const fillMs = median(fills.map((r) => r.fillMs));
  const placed = fills[0]?.placed ?? 0;
  return {
    scale: {
      agents,
      frameworks: 1_000,
      declineOffers: {
        roundsPerRun: args.rounds,
        medianRoundMs: round(median(declines.map((r) => median(r.roundMs)))),
        medianRoundThreadCpuMs: round(median(declines.map((r) => median(r.roundThreadCpuMs)))),
        offersPerRound: declines[0]?.offersPerRound[0] ?? 0,
        medianSetupMs: round(median(declines.map((r) => r.setupMs))),
      },
      progressiveFill: {
        tasks,
        placed,
        unschedulable: fills[0]?.unschedulable ?? 0,
        medianMs: round(fillMs),
        medianCpuMs: round(median(fills.map((r) => r.fillCpuMs))),
        medianThreadCpuMs: round(median(fills.map((r) => r.fillThreadCpuMs))),
        tasksPerSecond: Math.round(tasks / (fillMs / 1000)),
      },
      incremental: {
        tasksEnded: Math.floor(placed / 100),
        medianMs: round(median(fills.map((r) => r.incrementalMs))),
      },
    },
    memory: memory(),
  };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const out: Record<string, unknown> = {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: os.cpus().length,
    runs: args.runs,
  };
  if (args.only === null || args.only === 'a') out.declineOffers = declineReport(args);
  if (args.only === null || args.only === 'b' || args.only === 'c') Object.assign(out, fillReport(args));
  if (args.only === 'd') Object.assign(out, scaleReport(args));
  // A busy machine inflates every figure; the load average says how busy it was.
  out.loadAverage = os.loadavg().map((x) => round(x));
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

main();
