import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { freePort } from './controlplane.js';
import { ManagedProcess } from './processes.js';

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, import.meta.dirname.includes('/dist/') ? '../..' : '..');

export interface PrometheusBinaries {
  prometheus: string;
  promtool: string;
}

export interface PrometheusOptions {
  /** host:port of each target, scraped at /metrics over plain HTTP. */
  targets: string[];
  scrapeIntervalSeconds: number;
  /** Rule files to load (evaluated every scrape interval). */
  rulesFiles?: string[];
  log?: (message: string) => void;
}

/** One series of an instant query, with its value parsed (NaN and ±Inf included). */
export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

export interface RunningPrometheus {
  url: string;
  /** `prometheus --version`'s first line. */
  version: string;
  /** Evaluates `expr` now through the HTTP API; a scalar comes back as one label-less sample. */
  query(expr: string): Promise<PromSample[]>;
  stop(): Promise<void>;
}

/** Installs Debian's prometheus package when needed (scripts/ensure-prometheus.sh) and returns the binaries. */
export async function prometheusBinaries(): Promise<PrometheusBinaries> {
  const { stdout } = await run('bash', [join(repoRoot, 'scripts/ensure-prometheus.sh')], {
    maxBuffer: 1 << 20,
  });
  const found = Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((line) => line.split('=', 2) as [string, string]),
  );
  const { prometheus, promtool } = found;
  if (!prometheus || !promtool) throw new Error(`ensure-prometheus.sh printed no binaries: ${stdout}`);
  return { prometheus, promtool };
}

/**
 * Starts Prometheus on a free loopback port with a throwaway data folder. It scrapes only
 * the given targets and sends nothing anywhere: no Alertmanager, no remote write, and the
 * admin and lifecycle APIs stay off.
 */
export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const log = options.log ?? ((): void => undefined);
  const bins = await prometheusBinaries();
  const version = (await run(bins.prometheus, ['--version'])).stdout.split('\n')[0] ?? 'unknown';
  const dir = await mkdtemp(join(tmpdir(), 'kmesos-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(configFile, configYaml(options));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  log(`starting ${version} on ${url} (data and log in ${dir})`);
  const proc = new ManagedProcess(
    'prometheus',
    bins.prometheus,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    join(dir, 'prometheus.log'),
  );
  const killNow = (): void => proc.killNow();
  process.once('exit', killNow);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killNow);
    await proc.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, proc);
  } catch (err) {
    const tail = await readFile(proc.logPath, 'utf8').catch(() => '');
    await proc.stop();
    throw new Error(`${String(err)}\n--- ${proc.logPath} ---\n${tail.slice(-4000)}`, { cause: err });
  }
  return { url, version, query: (expr) => instantQuery(url, expr), stop };
}

function configYaml(options: PrometheusOptions): string {
  const interval = `${options.scrapeIntervalSeconds}s`;
  return stringify({
    global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
    rule_files: options.rulesFiles ?? [],
    scrape_configs: [
      { job_name: 'kmesos', metrics_path: '/metrics', static_configs: [{ targets: options.targets }] },
    ],
  });
}

async function waitReady(url: string, proc: ManagedProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.hasExited) throw new Error('prometheus exited while starting');
    const status = await fetch(`${url}/-/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`prometheus was not ready within ${timeoutMs} ms`);
}

interface ApiResponse {
  status: 'success' | 'error';
  error?: string;
  errorType?: string;
  data?: { resultType: string; result: unknown };
}

type RawValue = [number, string];

async function instantQuery(url: string, expr: string): Promise<PromSample[]> {
  const res = await fetch(`${url}/api/v1/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query: expr }),
  });
  const body = (await res.json()) as ApiResponse;
  if (body.status !== 'success' || !body.data) {
    throw new Error(`query failed (${body.errorType ?? res.status}): ${body.error ?? ''}\n${expr}`);
  }
  const { resultType, result } = body.data;
  if (resultType === 'scalar') return [{ metric: {}, value: parseValue((result as RawValue)[1]) }];
  if (resultType !== 'vector') throw new Error(`unexpected ${resultType} result for ${expr}`);
  return (result as Array<{ metric: Record<string, string>; value: RawValue }>).map((s) => ({
    metric: s.metric,
    value: parseValue(s.value[1]),
  }));
}

/** Prometheus writes infinities as +Inf and -Inf, which Number() does not read. */
function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}
