import { readFileSync } from 'node:fs';
import { Registry, type MetricValueWithName } from 'prom-client';
import { KmesosMetrics, type FrameworkRef } from './metrics.js';

type Labels = Record<string, string>;
interface Sample {
  labels: Labels;
  value: number;
}

async function samples(registry: Registry, name: string): Promise<Sample[]> {
  const metrics = await registry.getMetricsAsJSON();
  // Histograms list their _bucket, _sum and _count samples under the base name.
  const values = metrics.flatMap((m) =>
    (m.values as Array<MetricValueWithName<string>>).filter((v) => (v.metricName ?? m.name) === name),
  );
  if (!metrics.some((m) => name.startsWith(m.name))) throw new Error(`no metric ${name}`);
  return values.map((v) => ({
    labels: Object.fromEntries(Object.entries(v.labels).map(([k, x]) => [k, String(x)])),
    value: v.value,
  }));
}

async function value(registry: Registry, name: string, labels: Labels): Promise<number | undefined> {
  const matching = (await samples(registry, name)).filter((s) =>
    Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (matching.length > 1)
    throw new Error(`${name} ${JSON.stringify(labels)} matches ${matching.length} series`);
  return matching[0]?.value;
}

function setup(now = 1_700_000_000_000): { registry: Registry; metrics: KmesosMetrics } {
  const registry = new Registry();
  const metrics = new KmesosMetrics(registry, {
    build: { version: '1.2.3', revision: 'abc' },
    now: () => now,
  });
  return { registry, metrics };
}

const alpha: FrameworkRef = { namespace: 'team-a', name: 'alpha' };
const beta: FrameworkRef = { namespace: 'team-b', name: 'beta' };

describe('KmesosMetrics', () => {
  it('registers in the registry it is given, with build info and leader 0', async () => {
    const { registry, metrics } = setup();
    expect(await value(registry, 'kmesos_build_info', { version: '1.2.3', revision: 'abc' })).toBe(1);
    expect(await value(registry, 'kmesos_leader', {})).toBe(0);
    // A second instance registers its own series (no global registry) and each keeps its values.
    const other = setup();
    metrics.setLeader(true);
    other.metrics.setOutstandingOffers(alpha, 4);
    expect(await value(registry, 'kmesos_leader', {})).toBe(1);
    expect(await value(other.registry, 'kmesos_leader', {})).toBe(0);
    expect(await samples(registry, 'kmesos_offers_outstanding')).toEqual([]);
    expect(await value(other.registry, 'kmesos_offers_outstanding', { framework: 'alpha' })).toBe(4);
  });

  it('exports every name with the kmesos_ prefix', async () => {
    const { registry } = setup();
    for (const m of await registry.getMetricsAsJSON()) expect(m.name).toMatch(/^kmesos_[a-z_]+$/);
  });

  it('sets framework shares and moves them when the role changes', async () => {
    const { registry, metrics } = setup();
    metrics.setFrameworkShares(alpha, 'eng', { dominant: 0.5, weighted: 0.25 });
    expect(
      await value(registry, 'kmesos_framework_dominant_share_ratio', { framework: 'alpha', role: 'eng' }),
    ).toBe(0.5);
    expect(
      await value(registry, 'kmesos_framework_weighted_share_ratio', { framework: 'alpha', role: 'eng' }),
    ).toBe(0.25);
    metrics.setFrameworkShares(alpha, 'ops', { dominant: 0.4, weighted: 0.4 });
    const series = await samples(registry, 'kmesos_framework_dominant_share_ratio');
    expect(series).toEqual([
      { labels: { namespace: 'team-a', framework: 'alpha', role: 'ops' }, value: 0.4 },
    ]);
  });

  it('exports resources in base units with a unit label and drops resources that went away', async () => {
    const { registry, metrics } = setup();
    metrics.setClusterResources({ cpu: 8000, memory: 2 ** 34, 'nvidia.com/gpu': 2 }, { cpu: 1500 });
    expect(await value(registry, 'kmesos_cluster_capacity', { resource: 'cpu', unit: 'core' })).toBe(8);
    expect(await value(registry, 'kmesos_cluster_capacity', { resource: 'memory', unit: 'byte' })).toBe(
      2 ** 34,
    );
    expect(await value(registry, 'kmesos_cluster_allocated', { resource: 'cpu' })).toBe(1.5);
    metrics.setClusterResources({ cpu: 8000, memory: 2 ** 34 }, { cpu: 1500 });
    expect(await value(registry, 'kmesos_cluster_capacity', { resource: 'nvidia.com/gpu' })).toBeUndefined();
  });

  it('sets role shares, allocation and quota', async () => {
    const { registry, metrics } = setup();
    metrics.setRoleShares('eng', { dominant: 0.6, weighted: 0.3, weight: 2 });
    metrics.setRoleAllocated('eng', { cpu: 500 });
    metrics.setRoleQuota('eng', { guarantee: { cpu: 2000 }, limit: { cpu: 4000 } });
    expect(await value(registry, 'kmesos_role_weight', { role: 'eng' })).toBe(2);
    expect(await value(registry, 'kmesos_role_weighted_share_ratio', { role: 'eng' })).toBe(0.3);
    expect(await value(registry, 'kmesos_role_allocated', { role: 'eng', resource: 'cpu' })).toBe(0.5);
    expect(await value(registry, 'kmesos_role_quota', { role: 'eng', kind: 'limit' })).toBe(4);
    metrics.setRoleQuota('eng', { guarantee: { cpu: 2000 } });
    expect(await value(registry, 'kmesos_role_quota', { role: 'eng', kind: 'limit' })).toBeUndefined();
    metrics.forgetRole('eng');
    expect(await samples(registry, 'kmesos_role_weight')).toEqual([]);
    expect(await samples(registry, 'kmesos_role_quota')).toEqual([]);
  });

  it('starts offer and termination counters at zero for a new framework', async () => {
    const { registry, metrics } = setup();
    metrics.setOutstandingOffers(alpha, 2);
    const offers = await samples(registry, 'kmesos_offers_total');
    expect(offers.map((s) => [s.labels.outcome, s.value]).sort()).toEqual([
      ['accepted', 0],
      ['declined', 0],
      ['expired', 0],
      ['rescinded', 0],
    ]);
    metrics.countOffer(alpha, 'declined', 3);
    expect(await value(registry, 'kmesos_offers_total', { outcome: 'declined' })).toBe(3);
    expect(await value(registry, 'kmesos_task_terminations_total', { state: 'TASK_FAILED' })).toBe(0);
  });

  it('writes every task state, zero when left out', async () => {
    const { registry, metrics } = setup();
    metrics.setTasksByState(alpha, { TASK_RUNNING: 3, TASK_STAGING: 1 });
    const tasks = await samples(registry, 'kmesos_framework_tasks');
    expect(tasks).toHaveLength(14);
    expect(await value(registry, 'kmesos_framework_tasks', { state: 'TASK_RUNNING' })).toBe(3);
    expect(await value(registry, 'kmesos_framework_tasks', { state: 'TASK_FAILED' })).toBe(0);
  });

  it('refuses to count a non-terminal state as a termination', () => {
    const { metrics } = setup();
    expect(() => metrics.countTaskTermination(alpha, 'TASK_RUNNING')).toThrow(/not a terminal/);
  });

  it('forgets every series of a deleted framework and keeps the others', async () => {
    const { registry, metrics } = setup();
    for (const fw of [alpha, beta]) {
      metrics.setFrameworkShares(fw, 'eng', { dominant: 0.1, weighted: 0.1 });
      metrics.setFrameworkAllocated(fw, 'eng', { cpu: 100, memory: 1024 });
      metrics.setTasksByState(fw, { TASK_RUNNING: 1 });
      metrics.setPendingTasks(fw, { pending: 2, unschedulable: 1 });
      metrics.setOutstandingOffers(fw, 1);
      metrics.setActiveFilters(fw, 1);
      metrics.countOffer(fw, 'accepted');
      metrics.countTaskTermination(fw, 'TASK_FAILED');
    }
    metrics.forgetFramework(alpha);
    for (const m of await registry.getMetricsAsJSON()) {
      for (const v of m.values) expect(v.labels.framework).not.toBe('alpha');
    }
    expect(await value(registry, 'kmesos_framework_tasks_pending', { framework: 'beta' })).toBe(2);
    // A framework that comes back starts from zero again.
    metrics.setPendingTasks(alpha, { pending: 1, unschedulable: 0 });
    expect(await value(registry, 'kmesos_offers_total', { framework: 'alpha', outcome: 'accepted' })).toBe(0);
  });

  it('observes cycles and stamps the end of the last one from the injected clock', async () => {
    const { registry, metrics } = setup(1_700_000_123_000);
    metrics.observeCycle(0.003);
    expect(await value(registry, 'kmesos_allocation_last_cycle_timestamp_seconds', {})).toBe(1_700_000_123);
    expect(await value(registry, 'kmesos_allocation_cycle_duration_seconds_count', {})).toBe(1);
    expect(await value(registry, 'kmesos_allocation_cycle_duration_seconds_bucket', { le: '0.005' })).toBe(1);
    expect(await value(registry, 'kmesos_allocation_cycle_duration_seconds_bucket', { le: '0.0025' })).toBe(
      0,
    );
    expect(await value(registry, 'kmesos_allocation_cycle_duration_seconds_bucket', { le: '0.001' })).toBe(0);
  });

  it('observes launch latency by stage, agents by state and API requests', async () => {
    const { registry, metrics } = setup();
    metrics.observeLaunchLatency('bound', 0.2);
    metrics.observeLaunchLatency('running', 4);
    metrics.setAgentsByState({ active: 3, cordoned: 1 });
    metrics.countApiRequest('create', 'pods', 201);
    metrics.setLeader(true);
    expect(await value(registry, 'kmesos_task_launch_duration_seconds_count', { stage: 'running' })).toBe(1);
    expect(await value(registry, 'kmesos_agents', { state: 'active' })).toBe(3);
    expect(await value(registry, 'kmesos_agents', { state: 'unreachable' })).toBe(0);
    expect(await value(registry, 'kmesos_kubernetes_api_requests_total', { code: '201' })).toBe(1);
    expect(await value(registry, 'kmesos_leader', {})).toBe(1);
  });

  it('reads the cache sizes at each scrape, by kind', async () => {
    const { registry, metrics } = setup();
    expect(await samples(registry, 'kmesos_cache_objects')).toEqual([]);
    let pods = 3;
    metrics.readCacheSizes(() => [
      { kind: 'node', objects: 2, approxBytes: 800 },
      { kind: 'foreign-pod', objects: pods, approxBytes: pods * 300 },
    ]);
    expect(await value(registry, 'kmesos_cache_objects', { kind: 'foreign-pod' })).toBe(3);
    pods = 5;
    expect(await value(registry, 'kmesos_cache_objects', { kind: 'foreign-pod' })).toBe(5);
    expect(await value(registry, 'kmesos_cache_approx_bytes', { kind: 'foreign-pod' })).toBe(1500);
    expect(await value(registry, 'kmesos_cache_approx_bytes', { kind: 'node' })).toBe(800);
  });

  it('is documented: docs/metrics.md names every metric it registers', async () => {
    const { registry } = setup();
    const doc = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
    const missing = (await registry.getMetricsAsJSON())
      .map((m) => m.name)
      .filter((n) => !doc.includes(`\`${n}\``));
    expect(missing).toEqual([]);
  });
});
