/**
 * Chaos campaign (`npm run bench:chaos`); prints one JSON document on stdout and a short
 * table on stderr.
 *
 * One local control plane and N kwok nodes (16 CPU / 64 GiB). Each run, in a fresh namespace:
 * two kmesos replicas (dist/bin/kmesos.mjs) elect a leader through a Lease; M Tasks
 * (100m CPU, 64 MiB, never ending) are created, --concurrency in flight, and at moments drawn
 * from the seed inside that burst the leading replica is SIGKILLed and started again (the
 * standby takes over, the replacement a new replica with a new identity), and kube-apiserver
 * and etcd are each SIGKILLed and started again.
 * Once every Task runs, the run is judged (bench/lib/chaos-check.ts): pods per task attempt,
 * tasks with two live pods, lost, stuck, unsettled, orphaned and relaunched tasks, and the
 * time from the last disruption or create until it all settled. The replicas run with the
 * operator's default Lease timings (15 s / 10 s / 2 s); one that exits by itself (a leader
 * that could not renew in time) is started again, as its Deployment would, and counted.
 *
 * Flags: --nodes N (200) --tasks M (5000) --kills K (10) --apiserver-restarts A (1)
 *        --etcd-restarts E (1) --runs R (1) --seed S (1; run i uses S + i)
 *        --concurrency C (32) --settle-timeout-seconds T (600) --operator-main PATH
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runChaos, type ChaosResult } from './lib/chaos.js';
import { createNamespace, deleteNamespace, startBenchCluster } from './lib/cluster.js';
import { flags } from './lib/flags.js';
import { median, round } from './lib/stats.js';

const repoRoot = resolve(import.meta.dirname, import.meta.dirname.includes('/dist/') ? '../..' : '..');
const log = (m: string): void => void process.stderr.write(`[chaos] ${m}\n`);

function summary(r: ChaosResult): Record<string, unknown> {
  const f = r.findings;
  return {
    passed: r.passed,
    settled: r.settled,
    tasks: f.tasks,
    pods: f.pods,
    launchedTwice: f.duplicates.length + f.twiceLive.length,
    lost: f.lost.length,
    stuck: f.stuck.length,
    unsettled: f.unsettled.length,
    orphans: f.orphans.length,
    relaunched: f.relaunched.length,
    selfExits: r.selfExits,
    createSeconds: round(r.createSeconds, 1),
    settleSeconds: round(r.settleSeconds, 1),
    disruptions: r.disruptions.map((d) => ({ ...d, seconds: round(d.seconds, 1) })),
    examples: {
      duplicates: f.duplicates.slice(0, 5),
      lost: f.lost.slice(0, 5),
      stuck: f.stuck.slice(0, 5),
      unsettled: f.unsettled.slice(0, 5),
    },
  };
}

async function main(): Promise<void> {
  const f = flags(process.argv.slice(2));
  const nodes = f.num('nodes', 200);
  const runs = f.num('runs', 1);
  const seed = f.num('seed', 1);
  const concurrency = f.num('concurrency', 32);
  const main = f.get('operator-main') ?? join(repoRoot, 'dist/bin/kmesos.mjs');
  const cluster = await startBenchCluster({
    nodes,
    pool: 'chaos',
    sockets: concurrency + 8,
    scheduler: false,
    log,
  });
  const results: ChaosResult[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const namespace = `chaos-${i}`;
      await createNamespace(cluster.api, namespace);
      const logDir = await mkdtemp(join(tmpdir(), 'kmesos-chaos-'));
      log(`run ${i + 1}/${runs}: operator logs in ${logDir}`);
      results.push(
        await runChaos(
          {
            plane: cluster.plane,
            api: cluster.api,
            kubeconfig: cluster.plane.kubeconfig,
            namespace,
            pool: cluster.pool,
            main,
            logDir,
            log,
          },
          {
            tasks: f.num('tasks', 5000),
            kills: f.num('kills', 10),
            apiserverRestarts: f.num('apiserver-restarts', 1),
            etcdRestarts: f.num('etcd-restarts', 1),
            seed: seed + i,
            concurrency,
            settleTimeoutMs: f.num('settle-timeout-seconds', 600) * 1000,
            // The operator's defaults, as deploy/ runs it.
            lease: { durationSeconds: 15, renewDeadlineSeconds: 10, retryPeriodSeconds: 2 },
          },
        ),
      );
      const last = results.at(-1);
      if (last) log(`run ${i + 1}: ${JSON.stringify(summary(last))}`);
      // The plane is stopped after the last run; before another, its pods must go.
      if (i + 1 < runs) await deleteNamespace(cluster.api, namespace, concurrency);
    }
  } finally {
    cluster.api.close();
    await cluster.plane.stop();
  }
  const runsOut = results.map(summary);
  const doc = {
    benchmark: 'chaos',
    nodes,
    plan: results[0]?.plan,
    runs: runsOut,
    medianSettleSeconds: round(median(results.map((r) => r.settleSeconds)), 1),
    passed: results.every((r) => r.passed),
  };
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  log('run  passed  tasks  pods  twice  lost  stuck  unsettled  relaunched  settle s');
  runsOut.forEach((r, i) =>
    log(
      [
        i + 1,
        r.passed,
        r.tasks,
        r.pods,
        r.launchedTwice,
        r.lost,
        r.stuck,
        r.unsettled,
        r.relaunched,
        r.settleSeconds,
      ]
        .map(String)
        .join('  '),
    ),
  );
  if (!doc.passed) process.exitCode = 1;
}

await main();
