/**
 * The operator's cost of taking objects off the API server (`node dist/bench/watch.js`);
 * prints one JSON document.
 *
 * A child process serves N pods shaped as kube-apiserver returns them (bench/lib/api-objects.ts)
 * over loopback HTTP: a list (paged when asked) at resourceVersion 1, then a watch that sends
 * each pod once more as MODIFIED and stays open. Two clients take the list and all N events,
 * each run alternating which goes first:
 *  - `client-node`: client-node's informer (makeInformer over the generated CoreV1Api's list,
 *    its Watch, its ListWatch cache), as kmesos used it;
 *  - `kmesos`: cluster/list-watcher.ts over kube/list-watch-client.ts, as kmesos uses it.
 * The figures are this process's CPU time (the server is another process) and wall time,
 * medians over runs, and the ratio of the medians.
 *
 * Flags: --objects N (20000) --runs R (5)
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoreV1Api, makeInformer, type KubernetesObject } from '@kubernetes/client-node';
import { ListWatcher } from '../src/cluster/list-watcher.js';
import { KeepAliveKubeConfig } from '../src/kube/keepalive.js';
import { KubeListWatchClient } from '../src/kube/list-watch-client.js';
import { loadLocalServer } from '../src/kube/test-kubeconfig.js';
import { createLogger } from '../src/logging/logger.js';
import { makeInstrumentedApiClient } from '../src/metrics/kube-requests.js';
import { systemClock } from '../src/util/clock.js';
import { foreignPod } from './lib/api-objects.js';
import { flags } from './lib/flags.js';
import { median, round } from './lib/stats.js';

/** The API server stand-in: answers the pod list and watch from JSON built once. */
function serve(n: number): void {
  const items = Array.from({ length: n }, (_, i) => JSON.stringify(foreignPod(i)));
  const events = Buffer.from(
    items
      .map((item, i) => {
        const modified = item.replace(/"resourceVersion":"\d+"/, `"resourceVersion":"${2 + i}"`);
        return `{"type":"MODIFIED","object":${modified}}\n`;
      })
      .join(''),
  );
  const server = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    res.writeHead(200, { 'content-type': 'application/json' });
    if (query.get('watch') === 'true' || query.get('watch') === '1') {
      // Sent in 64 KiB writes, then held open as a quiet watch is.
      for (let at = 0; at < events.length; at += 65_536) res.write(events.subarray(at, at + 65_536));
      return;
    }
    const limit = Number(query.get('limit') ?? n) || n;
    const from = Number(query.get('continue') ?? 0);
    const to = Math.min(n, from + limit);
    const next = to < n ? `,"continue":"${to}"` : '';
    res.end(
      `{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"1"${next}},"items":[${items
        .slice(from, to)
        .join(',')}]}`,
    );
  });
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
  });
}

function kubeConfig(port: number): KeepAliveKubeConfig {
  return loadLocalServer(new KeepAliveKubeConfig(), port, 'bench');
}

const noCounter = { countApiRequest: (): void => undefined };
const quiet = createLogger({ level: 'warn', stream: process.stderr });

/** Resolves when `count` has seen `target` objects. */
function counter(target: number): { count: () => void; done: Promise<void> } {
  let seen = 0;
  let resolve = (): void => undefined;
  const done = new Promise<void>((r) => (resolve = r));
  return {
    count: () => {
      if (++seen === target) resolve();
    },
    done,
  };
}

type Take = (port: number, n: number) => Promise<void>;

const clientNode: Take = async (port, n) => {
  const kc = kubeConfig(port);
  const core = makeInstrumentedApiClient(kc, CoreV1Api, noCounter, 'bench');
  const c = counter(2 * n);
  const informer = makeInformer<KubernetesObject>(kc, '/api/v1/pods', () => core.listPodForAllNamespaces());
  informer.on('add', c.count);
  informer.on('update', c.count);
  let stopping = false;
  // client-node reports its own stop (an aborted fetch) as an error.
  informer.on('error', (err) => {
    if (!stopping) quiet.error('client-node informer failed', { error: String(err) });
  });
  await informer.start();
  await c.done;
  stopping = true;
  await informer.stop();
};

const kmesos: Take = async (port, n) => {
  const c = counter(2 * n);
  const watcher = new ListWatcher({
    kind: { name: 'pods', path: '/api/v1/pods' },
    handlers: { upsert: c.count, remove: () => undefined },
    client: new KubeListWatchClient(kubeConfig(port), noCounter, 'bench'),
    logger: quiet,
    clock: systemClock,
    random: Math.random,
  });
  await watcher.start();
  await c.done;
  await watcher.stop();
};

async function measure(take: Take, port: number, n: number): Promise<{ cpuMs: number; wallMs: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await take(port, n);
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs };
}

async function main(): Promise<void> {
  const { num } = flags(process.argv.slice(2));
  const n = num('objects', 20_000);
  const runs = num('runs', 5);
  if (process.argv.includes('--serve')) return serve(n);
  const child = spawn(
    process.execPath,
    [...process.execArgv, process.argv[1] ?? '', '--serve', '--objects', String(n)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const clients: Record<string, Take> = { 'client-node': clientNode, kmesos };
  const results: Record<string, { cpuMs: number; wallMs: number }[]> = { 'client-node': [], kmesos: [] };
  try {
    for (let r = 0; r < runs; r++) {
      const order = r % 2 === 0 ? ['client-node', 'kmesos'] : ['kmesos', 'client-node'];
      for (const name of order) {
        const take = clients[name];
        if (take) results[name]?.push(await measure(take, port, n));
      }
    }
  } finally {
    child.kill();
  }
  const summary = (rs: { cpuMs: number; wallMs: number }[]): Record<string, number> => {
    const cpu = median(rs.map((x) => x.cpuMs));
    return {
      medianCpuMs: round(cpu),
      medianWallMs: round(median(rs.map((x) => x.wallMs))),
      cpuMicrosPerObject: round((cpu * 1000) / (2 * n)),
    };
  };
  const old = summary(results['client-node'] ?? []);
  const now = summary(results.kmesos ?? []);
  const out = {
    nodejs: process.version,
    objects: n,
    runs,
    clientNode: old,
    kmesos: now,
    cpuRatio: round((now.medianCpuMs ?? 0) / (old.medianCpuMs ?? 1)),
    runsMs: results,
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

await main();
