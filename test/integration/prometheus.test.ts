/**
 * Proves the dashboard and alert queries against a real Prometheus scraping kmesos'
 * /metrics. The target here is a stub server built from src/server and src/metrics with
 * known values: three frameworks, two of weight 1 at dominant share 0.5 and one whose role
 * has weight 2, so its weighted share is half its dominant share.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Registry } from 'prom-client';
import {
  prometheusBinaries,
  startPrometheus,
  type PromSample,
  type RunningPrometheus,
} from '../../dev/prometheus.js';
import { KmesosMetrics, type FrameworkRef, type ResourceAmounts } from '../../src/metrics/index.js';
import { startHttpServer, type HttpServer } from '../../src/server/http.js';
import {
  ALL,
  allQueries,
  headingAnchors,
  metricNames,
  readPrometheusRule,
  readRules,
  renderExpr,
  repoRoot,
  rulesFile,
  type MonitoringQuery,
} from './monitoring.js';
import { eventually } from './support.js';

const run = promisify(execFile);
const GI = 2 ** 30;

const alpha: FrameworkRef = { namespace: 'team-a', name: 'alpha' };
const beta: FrameworkRef = { namespace: 'team-b', name: 'beta' };
const gamma: FrameworkRef = { namespace: 'team-c', name: 'gamma' };

/**
 * Capacity: 16 cpu, 64Gi memory, 5 GPUs.
 *   alpha (analytics, w1): 8 cpu, 8Gi   → shares .5, .125      → dominant .5, weighted .5
 *   beta  (batch, w1):     2 cpu, 32Gi  → shares .125, .5      → dominant .5, weighted .5
 *   gamma (prod, w2):      1 cpu, 4Gi, 2 GPU → .0625, .0625, .4 → dominant .4, weighted .2
 */
const frameworks: Array<{
  fw: FrameworkRef;
  role: string;
  weight: number;
  alloc: ResourceAmounts;
  dominant: number;
}> = [
  { fw: alpha, role: 'analytics', weight: 1, alloc: { cpu: 8000, memory: 8 * GI }, dominant: 0.5 },
  { fw: beta, role: 'batch', weight: 1, alloc: { cpu: 2000, memory: 32 * GI }, dominant: 0.5 },
  {
    fw: gamma,
    role: 'prod',
    weight: 2,
    alloc: { cpu: 1000, memory: 4 * GI, 'nvidia.com/gpu': 2 },
    dominant: 0.4,
  },
];

function setSteadyState(metrics: KmesosMetrics): void {
  metrics.setLeader(true);
  metrics.setClusterResources(
    { cpu: 16000, memory: 64 * GI, 'nvidia.com/gpu': 5 },
    { cpu: 11000, memory: 44 * GI, 'nvidia.com/gpu': 2 },
  );
  for (const { fw, role, weight, alloc, dominant } of frameworks) {
    const shares = { dominant, weighted: dominant / weight };
    metrics.setFrameworkShares(fw, role, shares);
    metrics.setFrameworkAllocated(fw, role, alloc);
    metrics.setRoleShares(role, { ...shares, weight });
    metrics.setRoleAllocated(role, alloc);
  }
  metrics.setRoleQuota('prod', { guarantee: { 'nvidia.com/gpu': 2 } });
  metrics.setPendingTasks(alpha, { pending: 1, unschedulable: 1 });
  metrics.setPendingTasks(beta, { pending: 0, unschedulable: 0 });
  metrics.setPendingTasks(gamma, { pending: 3, unschedulable: 0 });
  metrics.setTasksByState(alpha, { TASK_RUNNING: 4 });
  metrics.setTasksByState(beta, { TASK_RUNNING: 6 });
  metrics.setTasksByState(gamma, { TASK_RUNNING: 2, TASK_STAGING: 1 });
  metrics.setOutstandingOffers(alpha, 1);
  metrics.setOutstandingOffers(beta, 0);
  metrics.setOutstandingOffers(gamma, 2);
  metrics.setActiveFilters(alpha, 0);
  metrics.setActiveFilters(beta, 2);
  metrics.setActiveFilters(gamma, 0);
  metrics.setAgentsByState({ active: 3, cordoned: 1, tainted: 1 });
  // gamma has waited below its fair share for 15 minutes; the others are not starved.
  metrics.setBelowFairShare(gamma, 900);
  metrics.setBelowFairShare(alpha, 0);
}

/** What a live operator does continuously: cycles, offers, launches, failures, API calls. */
function tick(metrics: KmesosMetrics): void {
  metrics.observeCycle(0.002);
  metrics.countPreemptions('FairShare', 1);
  metrics.countOffer(alpha, 'accepted');
  metrics.countOffer(beta, 'accepted');
  metrics.countOffer(beta, 'expired', 10);
  metrics.countOffer(gamma, 'declined');
  metrics.countTaskTermination(beta, 'TASK_FAILED');
  metrics.countTaskTermination(beta, 'TASK_FAILED');
  metrics.countTaskTermination(alpha, 'TASK_FINISHED');
  metrics.observeLaunchLatency('bound', 0.3);
  metrics.observeLaunchLatency('running', 4);
  metrics.countApiRequest('list', 'pods', 200);
  metrics.countApiRequest('create', 'pods', 201);
}

type Check = (samples: PromSample[]) => void;

const key = (s: PromSample, labels: string[]): string => labels.map((l) => s.metric[l] ?? '').join('/');

/** Exactly these series (by the given labels) with these values. */
function exactly(labels: string[], want: Record<string, number>): Check {
  return (samples) => {
    const got = Object.fromEntries(samples.map((s) => [key(s, labels), s.value]));
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const [k, v] of Object.entries(want)) expect(got[k]).toBeCloseTo(v, 9);
  };
}

/** These series (by the given labels), each value inside [min, max]. */
function within(labels: string[], names: string[], min: number, max: number): Check {
  return (samples) => {
    expect(samples.map((s) => key(s, labels)).sort()).toEqual([...names].sort());
    for (const s of samples) {
      expect(s.value).toBeGreaterThanOrEqual(min);
      expect(s.value).toBeLessThanOrEqual(max);
    }
  };
}

/** Series with these label values exist, and every one with a positive value is listed. */
function positiveExactly(labels: string[], names: string[]): Check {
  return (samples) => {
    expect(
      samples
        .filter((s) => s.value > 0)
        .map((s) => key(s, labels))
        .sort(),
    ).toEqual([...names].sort());
  };
}

const NO_SERIES: Check = (samples) => expect(samples).toEqual([]);

const FW = ['namespace', 'framework'];
const ROLES = { analytics: 0.5, batch: 0.5, prod: 0.4 };
const GAMMA_WEIGHTED = 0.2;
const OUTCOMES = ['accepted', 'declined', 'expired', 'rescinded'];

/**
 * What each query must return with the stub's values. Keys are query sources; every query
 * in the dashboard and the rules needs an entry, so a new panel or alert needs one too.
 */
const expectations: Record<string, Check> = {
  'panel "Leader replicas" A': exactly([], { '': 1 }),
  'panel "Agents by state" A': exactly(['state'], { active: 3, cordoned: 1, tainted: 1, unreachable: 0 }),
  'panel "Pending tasks" A': exactly([], { '': 4 }),
  'panel "Seconds since last allocation cycle" A': within([], [''], 0, 5),
  'panel "Outstanding offers" A': exactly([], { '': 3 }),
  'panel "Outstanding offers" B': exactly([], { '': 2 }),
  'panel "Dominant share by framework" A': exactly(FW, {
    'team-a/alpha': 0.5,
    'team-b/beta': 0.5,
    'team-c/gamma': 0.4,
  }),
  // The weight-2 framework's weighted share is half its dominant share.
  'panel "Weighted share by framework" A': exactly(FW, {
    'team-a/alpha': 0.5,
    'team-b/beta': 0.5,
    'team-c/gamma': GAMMA_WEIGHTED,
  }),
  'panel "Dominant share by role" A': exactly(['role'], ROLES),
  'panel "Weighted share by role" A': exactly(['role'], { analytics: 0.5, batch: 0.5, prod: 0.2 }),
  'panel "Cluster allocation per resource" A': exactly(['resource'], {
    cpu: 11 / 16,
    memory: 44 / 64,
    'nvidia.com/gpu': 2 / 5,
  }),
  'panel "CPU allocated vs capacity" A': exactly([], { '': 11 }),
  'panel "CPU allocated vs capacity" B': exactly([], { '': 16 }),
  'panel "Memory allocated vs capacity" A': exactly([], { '': 44 * GI }),
  'panel "Memory allocated vs capacity" B': exactly([], { '': 64 * GI }),
  'panel "Allocation by role (fraction of capacity)" A': exactly(['role', 'resource'], {
    'analytics/cpu': 0.5,
    'analytics/memory': 0.125,
    'batch/cpu': 0.125,
    'batch/memory': 0.5,
    'prod/cpu': 0.0625,
    'prod/memory': 0.0625,
    'prod/nvidia.com/gpu': 0.4,
  }),
  'panel "Allocation by role (fraction of capacity)" B': exactly(['role', 'kind', 'resource'], {
    'prod/guarantee/nvidia.com/gpu': 0.4,
  }),
  'panel "Allocation by framework (fraction of capacity)" A': exactly([...FW, 'resource'], {
    'team-a/alpha/cpu': 0.5,
    'team-a/alpha/memory': 0.125,
    'team-b/beta/cpu': 0.125,
    'team-b/beta/memory': 0.5,
    'team-c/gamma/cpu': 0.0625,
    'team-c/gamma/memory': 0.0625,
    'team-c/gamma/nvidia.com/gpu': 0.4,
  }),
  'panel "Pending and unschedulable tasks" A': exactly(FW, {
    'team-a/alpha': 1,
    'team-b/beta': 0,
    'team-c/gamma': 3,
  }),
  'panel "Pending and unschedulable tasks" B': exactly(FW, {
    'team-a/alpha': 1,
    'team-b/beta': 0,
    'team-c/gamma': 0,
  }),
  'panel "Tasks by state" A': (samples) => {
    expect(samples).toHaveLength(14);
    exactly(['state'], { TASK_RUNNING: 12, TASK_STAGING: 1 })(samples.filter((s) => s.value > 0));
  },
  'panel "Task launch latency" A': within(['stage'], ['bound', 'running'], 0.25, 5),
  'panel "Task launch latency" B': within(['stage'], ['bound', 'running'], 0.25, 5),
  'panel "Task launch latency" C': within(['stage'], ['bound', 'running'], 0.25, 5),
  'panel "Task terminations" A': (samples) => {
    // Every terminal state of every framework has a series (counters start at 0).
    expect(samples).toHaveLength(3 * 8);
    positiveExactly([...FW, 'state'], ['team-a/alpha/TASK_FINISHED', 'team-b/beta/TASK_FAILED'])(samples);
  },
  'panel "Offers by outcome" A': (samples) => {
    expect(samples.map((s) => s.metric.outcome).sort()).toEqual(OUTCOMES);
    positiveExactly(['outcome'], ['accepted', 'declined', 'expired'])(samples);
  },
  'panel "Allocation cycle duration" A': within([], [''], 0.001, 0.0025),
  'panel "Allocation cycle duration" B': within([], [''], 0.001, 0.0025),
  'panel "Allocation cycles per second" A': within([], [''], 0.5, 50),
  'panel "Kubernetes API requests" A': positiveExactly(['verb', 'code'], ['create/201', 'list/200']),
  'panel "Preemptions by reason" A': (samples) => {
    // Every reason has a series (the counter starts at 0); only FairShare preemptions happen.
    expect(samples.map((s) => s.metric.reason).sort()).toEqual(['FairShare', 'Guarantee', 'Priority']);
    positiveExactly(['reason'], ['FairShare'])(samples);
  },
  'panel "Time below fair share by framework" A': exactly(FW, { 'team-a/alpha': 0, 'team-c/gamma': 900 }),
  'variable namespace': exactly(['namespace'], { 'team-a': 1, 'team-b': 1, 'team-c': 1 }),
  'variable role': exactly(['role'], { analytics: 1, batch: 1, prod: 1 }),
  // gamma waits with schedulable tasks at weighted share .2 while others hold .5.
  'alert KmesosFrameworkStarved': exactly(FW, { 'team-c/gamma': GAMMA_WEIGHTED }),
  'alert KmesosFrameworkBelowFairShare': exactly(FW, { 'team-c/gamma': 900 }),
  'alert KmesosAllocatorStalled': NO_SERIES,
  'alert KmesosAllocatorSlow': NO_SERIES,
  'alert KmesosOffersExpiring': within(FW, ['team-b/beta'], 0.25, 1),
  'alert KmesosTasksFailingRepeatedly': within(FW, ['team-b/beta'], 5, Infinity),
  'alert KmesosTasksUnschedulable': exactly(FW, { 'team-a/alpha': 1 }),
  'alert KmesosNoLeader': NO_SERIES,
  'alert KmesosMultipleLeaders': NO_SERIES,
};

const queries = allQueries();

describe('monitoring files', () => {
  it('has an expectation for every dashboard and alert query, and no stale ones', () => {
    expect(queries.map((q) => q.source).sort()).toEqual(Object.keys(expectations).sort());
  });

  it('embeds exactly the groups of rules.yaml in the PrometheusRule', () => {
    const pr = readPrometheusRule();
    expect(pr.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(pr.kind).toBe('PrometheusRule');
    expect(pr.spec.groups).toEqual(readRules().groups);
  });

  it('passes promtool check rules', async () => {
    const { promtool } = await prometheusBinaries();
    const { stdout } = await run(promtool, ['check', 'rules', rulesFile]);
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('passes the promtool unit tests of the alerts (for: durations, annotations)', async () => {
    const { promtool } = await prometheusBinaries();
    const { stdout } = await run(promtool, ['test', 'rules', rulesFile.replace(/\.yaml$/, '.test.yaml')]);
    expect(stdout).toContain('SUCCESS');
  });

  it('gives every alert a runbook entry that exists in docs/runbooks.md', () => {
    const anchors = headingAnchors(readFileSync(join(repoRoot, 'docs/runbooks.md'), 'utf8'));
    for (const group of readRules().groups) {
      for (const rule of group.rules) {
        const anchor = rule.alert.toLowerCase();
        expect(rule.annotations?.runbook_url).toBe(`docs/runbooks.md#${anchor}`);
        expect(anchors).toContain(anchor);
        expect(rule.labels?.severity).toMatch(/^(critical|warning|info)$/);
      }
    }
  });
});

describe('dashboard and alert queries against a real Prometheus', () => {
  let server: HttpServer;
  let prometheus: RunningPrometheus;
  let ticker: NodeJS.Timeout;

  beforeAll(async () => {
    const registry = new Registry();
    const metrics = new KmesosMetrics(registry, { build: { version: 'test' } });
    setSteadyState(metrics);
    tick(metrics);
    ticker = setInterval(() => tick(metrics), 200);
    server = await startHttpServer({
      registry,
      host: '127.0.0.1',
      port: 0,
      readiness: () => ({ cachesSynced: true, leader: true, allocatorRunning: true }),
    });
    prometheus = await startPrometheus({
      targets: [`127.0.0.1:${server.port}`],
      scrapeIntervalSeconds: 1,
      rulesFiles: [rulesFile],
      log: (m) => console.log(`[prometheus] ${m}`),
    });
    // Rates need several samples: wait for four scrapes.
    await eventually(
      async () => {
        const [scrapes] = await prometheus.query('count_over_time(kmesos_leader[1m])');
        expect(scrapes?.value).toBeGreaterThanOrEqual(4);
      },
      60_000,
      250,
    );
  }, 120_000);

  afterAll(async () => {
    clearInterval(ticker);
    await prometheus?.stop();
    await server?.close();
  });

  it('scrapes the target', async () => {
    expect(await prometheus.query('up{job="kmesos"}')).toEqual([
      { metric: { __name__: 'up', instance: `127.0.0.1:${server.port}`, job: 'kmesos' }, value: 1 },
    ]);
  });

  it.each(queries.map((q): [string, MonitoringQuery] => [q.source, q]))('%s', async (source, q) => {
    const expr = renderExpr(q.expr, ALL);
    // Every metric the query reads exists, so an empty result is never a misspelt name.
    for (const name of metricNames(expr)) {
      expect({ name, series: (await prometheus.query(`count(${name})`)).length }).toEqual({
        name,
        series: 1,
      });
    }
    const check = expectations[source];
    if (!check) throw new Error(`no expectation for ${source}`);
    // Rates and alert conditions settle as samples accumulate; values set once hold at once.
    await eventually(async () => check(await prometheus.query(expr)), 20_000, 500);
  });

  it('narrows framework panels to the selected role', async () => {
    const pending = queries.find((q) => q.source === 'panel "Pending and unschedulable tasks" A');
    const shares = queries.find((q) => q.source === 'panel "Dominant share by framework" A');
    const prodOnly = { ...ALL, role: 'prod' };
    exactly(FW, { 'team-c/gamma': 3 })(await prometheus.query(renderExpr(pending!.expr, prodOnly)));
    exactly(FW, { 'team-c/gamma': 0.4 })(
      await prometheus.query(renderExpr(shares!.expr, { ...prodOnly, namespace: 'team-c' })),
    );
  });

  it('loads every rule and evaluates it without error', async () => {
    await eventually(
      async () => {
        const res = await fetch(`${prometheus.url}/api/v1/rules`);
        const body = (await res.json()) as {
          data: { groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }> };
        };
        const rules = body.data.groups.flatMap((g) => g.rules);
        expect(rules.map((r) => r.name).sort()).toEqual(
          queries
            .filter((q) => q.kind === 'alert')
            .map((q) => q.name)
            .sort(),
        );
        for (const r of rules)
          expect({ name: r.name, health: r.health, lastError: r.lastError ?? '' }).toEqual({
            name: r.name,
            health: 'ok',
            lastError: '',
          });
      },
      20_000,
      500,
    );
  });
});
