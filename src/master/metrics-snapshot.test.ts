import { DurationWindow } from '../util/duration-window.js';
import { metricsSnapshot } from './metrics-snapshot.js';
import { buildModel } from './model.js';
import { clusterInputs } from './test-inputs.js';

const runTimes = new DurationWindow();
for (const ms of [4, 2, 6]) runTimes.record(ms);

const leader = metricsSnapshot(
  buildModel(
    clusterInputs({
      allocator: { roleShare: (role) => (role === '*' ? 0.75 : 0.1), runs: 42, runTimes: runTimes.stats() },
      system: { cpus: 2, load: [0.5, 0.25, 0.125], memTotalBytes: 8e9, memFreeBytes: 2e9 },
    }),
  ),
);

describe('metricsSnapshot', () => {
  it.each<[string, number]>([
    ['master/elected', 1],
    ['master/uptime_secs', 60],
    // 12 CPU less a foreign pod's 1; tasks use 9.25 of the 11.
    ['master/cpus_total', 11],
    ['master/cpus_used', 9.25],
    ['master/cpus_percent', 9.25 / 11],
    ['master/mem_total', 18432],
    ['master/mem_used', 14464],
    ['master/disk_total', 102400],
    ['master/disk_percent', 0],
    ['master/gpus_total', 0],
    ['master/gpus_percent', 0],
    ['master/cpus_revocable_total', 0],
    ['master/slaves_active', 1],
    ['master/slaves_inactive', 0],
    ['master/slaves_connected', 1],
    ['master/slaves_disconnected', 0],
    ['master/slaves_unreachable', 0],
    ['master/frameworks_active', 3],
    ['master/frameworks_connected', 3],
    ['master/frameworks_disconnected', 0],
    ['master/outstanding_offers', 1],
    ['master/tasks_running', 4],
    ['master/tasks_staging', 1],
    ['master/tasks_finished', 1],
    ['master/tasks_unreachable', 1],
    ['master/tasks_gone_by_operator', 0],
    ['allocator/mesos/allocation_runs', 42],
    ['allocator/mesos/allocation_run_ms', 6],
    ['allocator/mesos/allocation_run_ms/count', 3],
    ['allocator/mesos/allocation_run_ms/min', 2],
    ['allocator/mesos/allocation_run_ms/max', 6],
    ['allocator/mesos/allocation_run_ms/p50', 4],
    ['allocator/mesos/roles/*/shares/dominant', 0.75],
    ['allocator/mesos/roles/eng/ml/shares/dominant', 0.1],
    ['allocator/mesos/resources/cpus/total', 11],
    // used 9.25 + offered 0.5
    ['allocator/mesos/resources/cpus/offered_or_allocated', 9.75],
    ['system/cpus_total', 2],
    ['system/load_5min', 0.25],
    ['system/mem_free_bytes', 2e9],
  ])('%s = %d', (name, value) => {
    expect(leader[name]).toBeCloseTo(value, 9);
  });

  it('is sorted by name', () => {
    const names = Object.keys(leader);
    expect(names).toEqual([...names].sort());
  });

  it('on a standby: master/elected 0 and no allocator figures, the cluster’s still there', () => {
    const inputs = clusterInputs();
    const standby = metricsSnapshot(
      buildModel({ ...inputs, self: { ...inputs.self, electedTime: undefined } }),
    );
    expect(standby['master/elected']).toBe(0);
    expect(standby['master/cpus_used']).toBe(9.25);
    expect(Object.keys(standby).filter((n) => n.startsWith('allocator/'))).toEqual([]);
  });

  it('counts disconnected External frameworks as inactive', () => {
    const snapshot = metricsSnapshot(buildModel(clusterInputs({ connected: () => false })));
    expect(snapshot['master/frameworks_inactive']).toBe(1);
    expect(snapshot['master/frameworks_disconnected']).toBe(1);
  });
});
