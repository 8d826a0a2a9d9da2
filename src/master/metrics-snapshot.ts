/**
 * GET /metrics/snapshot: the model as Mesos' metric names (docs/monitoring.md), a flat map of
 * name → number, sorted by name. Pure.
 *
 * Differences from a Mesos master, all from kmesos keeping no history beyond its objects:
 * `master/tasks_<terminal state>` counts the Task objects in that state now rather than every
 * task that ever ended so, and counters of messages are not kept. The allocator/ metrics come
 * from the allocator, which runs on the leader only, so a standby leaves them out (as a standby
 * Mesos master has no allocator figures either).
 */
import type { TaskState } from '../api/task-states.js';
import type { Resources } from '../resources/index.js';
import { mesosScalars, type MesosScalars } from '../scheduler/external/mesos-resources.js';
import type { DurationStats } from '../util/duration-window.js';
import { agentCounts, type MasterModel } from './model.js';

export type MetricsSnapshot = Record<string, number>;

const RESOURCES: readonly (keyof MesosScalars)[] = ['cpus', 'mem', 'disk', 'gpus'];

/** The task states Mesos has a master/tasks_<state> metric for. */
const TASK_METRIC_STATES: readonly TaskState[] = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_UNREACHABLE',
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_LOST',
  'TASK_ERROR',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
];

const TIMER_PERCENTILES = ['p50', 'p90', 'p95', 'p99', 'p999', 'p9999'] as const;

function ratio(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

/** master/<r>_total, _used, _percent (a ratio, as Mesos'), and the revocable ones, which kmesos never has. */
function resourceMetrics(total: Resources, used: Resources, out: MetricsSnapshot): void {
  const t = mesosScalars(total);
  const u = mesosScalars(used);
  for (const r of RESOURCES) {
    out[`master/${r}_total`] = t[r];
    out[`master/${r}_used`] = u[r];
    out[`master/${r}_percent`] = ratio(u[r], t[r]);
    out[`master/${r}_revocable_total`] = 0;
    out[`master/${r}_revocable_used`] = 0;
    out[`master/${r}_revocable_percent`] = 0;
  }
}

function agentMetrics(m: MasterModel, out: MetricsSnapshot): void {
  const counts = agentCounts(m);
  out['master/slaves_active'] = counts.active;
  out['master/slaves_inactive'] = counts.inactive;
  out['master/slaves_connected'] = counts.active + counts.inactive;
  out['master/slaves_disconnected'] = counts.unreachable;
  out['master/slaves_unreachable'] = counts.unreachable;
}

function frameworkMetrics(m: MasterModel, out: MetricsSnapshot): void {
  const active = m.frameworks.filter((f) => f.active).length;
  const connected = m.frameworks.filter((f) => f.connected).length;
  out['master/frameworks_active'] = active;
  out['master/frameworks_inactive'] = m.frameworks.length - active;
  out['master/frameworks_connected'] = connected;
  out['master/frameworks_disconnected'] = m.frameworks.length - connected;
  out['master/outstanding_offers'] = m.offers.length;
}

function taskMetrics(m: MasterModel, out: MetricsSnapshot): void {
  const counts = new Map<TaskState, number>();
  for (const t of m.tasks) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  // TASK_GONE_BY_OPERATOR → master/tasks_gone_by_operator
  for (const s of TASK_METRIC_STATES)
    out[`master/tasks_${s.slice('TASK_'.length).toLowerCase()}`] = counts.get(s) ?? 0;
}

/** A Mesos timer: the last value under its own name, the window's statistics below it. */
function timerMetrics(name: string, stats: DurationStats, out: MetricsSnapshot): void {
  out[name] = stats.last;
  out[`${name}/count`] = stats.count;
  out[`${name}/min`] = stats.min;
  out[`${name}/max`] = stats.max;
  for (const p of TIMER_PERCENTILES) out[`${name}/${p}`] = stats[p];
}

function allocatorMetrics(m: MasterModel, out: MetricsSnapshot): void {
  const allocator = m.allocator;
  if (!allocator) return;
  out['allocator/mesos/allocation_runs'] = allocator.runs;
  if (allocator.runTimes) timerMetrics('allocator/mesos/allocation_run_ms', allocator.runTimes, out);
  for (const role of m.roles)
    out[`allocator/mesos/roles/${role.name}/shares/dominant`] = allocator.roleShare(role.name);
  const total = mesosScalars(m.total);
  const allocated = mesosScalars(m.used);
  const offered = mesosScalars(m.offered);
  for (const r of RESOURCES) {
    out[`allocator/mesos/resources/${r}/total`] = total[r];
    out[`allocator/mesos/resources/${r}/offered_or_allocated`] = allocated[r] + offered[r];
  }
}

function systemMetrics(m: MasterModel, out: MetricsSnapshot): void {
  const system = m.system;
  if (!system) return;
  out['system/cpus_total'] = system.cpus;
  out['system/load_1min'] = system.load[0];
  out['system/load_5min'] = system.load[1];
  out['system/load_15min'] = system.load[2];
  out['system/mem_total_bytes'] = system.memTotalBytes;
  out['system/mem_free_bytes'] = system.memFreeBytes;
}

export function metricsSnapshot(m: MasterModel): MetricsSnapshot {
  const out: MetricsSnapshot = {};
  out['master/elected'] = m.self.electedTime !== undefined ? 1 : 0;
  out['master/uptime_secs'] = Math.max(0, (m.now - m.self.startTime) / 1000);
  resourceMetrics(m.total, m.used, out);
  agentMetrics(m, out);
  frameworkMetrics(m, out);
  taskMetrics(m, out);
  allocatorMetrics(m, out);
  systemMetrics(m, out);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
