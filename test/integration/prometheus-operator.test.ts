/**
 * The dashboard and alerts against the real thing: Prometheus scrapes a kmesos process on
 * the local control plane while three frameworks share one node, and every panel query and
 * alert expression is evaluated through Prometheus' HTTP API.
 */
import { startPrometheus, type RunningPrometheus } from '../../dev/prometheus.js';
import { allQueries, renderExpr, rulesFile } from './monitoring.js';
import { Scenario } from './operator-harness.js';
import { eventually, kubeConfig } from './support.js';

const kc = kubeConfig();

function metricsTarget(logs: readonly string[]): string {
  const line = logs.find((l) => l.includes('"serving metrics and health"'));
  const url = line ? (JSON.parse(line) as { url: string }).url : '';
  if (!url) throw new Error('the operator did not log its HTTP address');
  return new URL(url).host;
}

describe('Prometheus scraping a running kmesos', () => {
  const s = new Scenario(kc);
  let prom: RunningPrometheus;

  beforeAll(async () => {
    await s.setup();
    // Three roles so the hierarchy does not blur the figures: a and b weigh 1, c weighs 2
    // (and is guaranteed 2 CPUs, which it exceeds, so the guarantee changes nothing).
    await s.role(`${s.pool}-a`, { weight: 1 });
    await s.role(`${s.pool}-b`, { weight: 1 });
    await s.role(`${s.pool}-c`, { weight: 2, quota: { guarantee: { cpu: '2' } } });
    await s.nodes(1, { cpu: '8', memory: '32Gi' });
    for (const f of ['a', 'b', 'c']) {
      await s.framework(f, { role: `${s.pool}-${f}` });
      await s.tasks(f, 8, { framework: f, resources: { cpu: '1', memory: '1Gi' } });
    }
    const operator = await s.startOperator();
    // Weighted DRF on 8 CPUs: a 2, b 2, c 4 → dominant shares .25, .25, .5; weighted all .25.
    await s.waitForStates('a', 'TASK_RUNNING', 2);
    await s.waitForStates('b', 'TASK_RUNNING', 2);
    await s.waitForStates('c', 'TASK_RUNNING', 4);
    prom = await startPrometheus({
      targets: [metricsTarget(operator.logs)],
      scrapeIntervalSeconds: 1,
      rulesFiles: [rulesFile],
    });
  }, 180_000);

  afterAll(async () => {
    await prom?.stop();
    await s.teardown();
  });

  it('shows two equal-weight frameworks at equal dominant share and the weight-2 one at half its share', async () => {
    const ns = s.namespace;
    const byFramework = async (metric: string): Promise<Record<string, number>> =>
      Object.fromEntries(
        (await prom.query(`${metric}{namespace="${ns}"}`)).map((x): [string, number] => [
          x.metric.framework ?? '',
          x.value,
        ]),
      );
    await eventually(
      async () => {
        const dominant = await byFramework('kmesos_framework_dominant_share_ratio');
        const weighted = await byFramework('kmesos_framework_weighted_share_ratio');
        // 2 of 8 CPUs = .25 for a and b; 4 of 8 = .5 for c, weighted .5 / 2 = .25.
        expect(dominant).toEqual({ a: 0.25, b: 0.25, c: 0.5 });
        expect(weighted).toEqual({ a: 0.25, b: 0.25, c: 0.25 });
      },
      30_000,
      500,
    );
    const tasks = await prom.query(
      `sum by (framework) (kmesos_framework_tasks{namespace="${ns}", state="TASK_RUNNING"})`,
    );
    expect(
      Object.fromEntries(tasks.map((x): [string, number] => [x.metric.framework ?? '', x.value])),
    ).toEqual({ a: 2, b: 2, c: 4 });
  });

  it('answers every dashboard panel query and alert expression', async () => {
    // Counters and histograms need two scrapes before rate() has data: wait until the cycle
    // counter has two samples in Prometheus.
    await eventually(
      async () => {
        const scrapes = await prom.query(
          'count_over_time(kmesos_allocation_cycle_duration_seconds_count[5m])',
        );
        expect(scrapes[0]?.value ?? 0).toBeGreaterThanOrEqual(2);
      },
      30_000,
      250,
    );
    const failures: string[] = [];
    const empty: string[] = [];
    for (const q of allQueries()) {
      try {
        const samples = await prom.query(renderExpr(q.expr));
        if (q.kind !== 'alert' && samples.length === 0) empty.push(q.source);
      } catch (err) {
        failures.push(`${q.source}: ${(err as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
    // Panels over things this run never does (offers to external frameworks, failures) may be empty.
    const mayBeEmpty = /offer|filter|termination|failing|API requests|expir/i;
    expect(empty.filter((source) => !mayBeEmpty.test(source))).toEqual([]);
  });
});
