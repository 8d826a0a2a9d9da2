/**
 * kmesos as the benchmarks run it: its real entry point in its own process, as
 * test/integration/operator-harness.ts starts it, logging to a file; and what its /metrics say.
 *
 *   const op = startOperator({main, kubeconfig, namespaces, nodeSelector, args, nodeArgs, logPath})
 *   await op.ready(); op.pid; op.url; await op.metrics(); await op.stop()
 *   await settle(op, quietMs, timeoutMs)          until it has sent no API request for quietMs
 *   requestBreakdown(subtractSamples(after, before), tasks)   API requests per task
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { freePort } from '../../dev/controlplane.js';
import { killOnExit, OPERATOR_NODE_ARGS } from '../../dev/processes.js';
import { counterSum, parsePrometheus, round, type Sample } from './stats.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class Operator {
  readonly child: ChildProcess;
  private exited = false;

  constructor(
    main: string,
    kubeconfig: string,
    readonly port: number,
    args: string[],
    nodeArgs: string[],
    logPath: string,
  ) {
    const out = openSync(logPath, 'a');
    this.child = spawn(process.execPath, [...OPERATOR_NODE_ARGS, ...nodeArgs, main, ...args], {
      env: { ...process.env, KUBECONFIG: kubeconfig },
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    killOnExit(this.child);
    this.child.on('exit', () => (this.exited = true));
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async get(path: string): Promise<{ status: number; body: string }> {
    const res = await fetch(`${this.url}${path}`).catch(() => undefined);
    return res ? { status: res.status, body: await res.text() } : { status: 0, body: '' };
  }

  async ready(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error('kmesos exited before it was ready');
      if ((await this.get('/readyz')).status === 200) return;
      await sleep(100);
    }
    throw new Error('kmesos was not ready in time');
  }

  async metrics(): Promise<Sample[]> {
    return parsePrometheus((await this.get('/metrics')).body);
  }

  /** Ends the process as a crash would (SIGKILL) and waits until it has. */
  async kill(): Promise<void> {
    if (this.exited) return;
    const done = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGKILL');
    await done;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const done = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await done;
    clearTimeout(timer);
  }
}

export interface OperatorStart {
  /** kmesos' main.js (another build's, for before/after comparisons). */
  main: string;
  kubeconfig: string;
  namespaces: string[];
  nodeSelector: string;
  /** Extra kmesos flags. */
  args: string[];
  /** Flags of the operator's node (e.g. --cpu-prof). */
  nodeArgs: string[];
  logPath: string;
}

/** Starts kmesos alone (no leader election) on a free loopback port. */
export async function startOperator(o: OperatorStart): Promise<Operator> {
  const port = await freePort();
  return new Operator(
    o.main,
    o.kubeconfig,
    port,
    [
      `--namespaces=${o.namespaces.join(',')}`,
      `--node-selector=${o.nodeSelector}`,
      '--leader-elect=false',
      `--http-port=${port}`,
      '--http-host=127.0.0.1',
      ...o.args,
    ],
    o.nodeArgs,
    o.logPath,
  );
}

export const API_REQUESTS = 'kmesos_kubernetes_api_requests_total';

/** The operator's API requests per task, grouped: creates, status patches, others. */
export function requestBreakdown(samples: readonly Sample[], tasks: number): Record<string, number> {
  const by = (verb: string, resource: string): number =>
    counterSum(samples, API_REQUESTS, { verb, resource });
  const total = counterSum(samples, API_REQUESTS);
  const groups = {
    podCreates: by('create', 'pods'),
    taskStatusPatches: by('patch', 'tasks/status'),
    frameworkStatusPatches: by('patch', 'frameworks/status'),
    eventCreates: by('create', 'events'),
  };
  const others = total - Object.values(groups).reduce((a, b) => a + b, 0);
  return Object.fromEntries(
    Object.entries({ ...groups, others, total }).map(([k, v]) => [k, round(v / tasks, 3)]),
  );
}

/** Task decisions the operator worked out anew, per task (reused ones are not counted). */
export function reconcilesPerTask(samples: readonly Sample[], tasks: number): number {
  return round(counterSum(samples, 'kmesos_task_reconciles_total') / tasks, 2);
}

/** Waits until the operator has sent no API request for `quietMs` (its status writes drained). */
export async function settle(op: Operator, quietMs: number, timeoutMs: number): Promise<Sample[]> {
  const deadline = Date.now() + timeoutMs;
  let samples = await op.metrics();
  let total = counterSum(samples, API_REQUESTS);
  let since = Date.now();
  while (Date.now() < deadline) {
    // A scrape costs the operator a few ms (cache size estimates); a poll every 250 ms was a
    // tenth of its CPU while it settled, which the figures then counted as its own.
    await sleep(1000);
    samples = await op.metrics();
    const now = counterSum(samples, API_REQUESTS);
    if (now !== total) {
      total = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) break;
  }
  return samples;
}

/** Counter samples of `later` minus those of `earlier` with the same name and labels. */
export function subtractSamples(later: readonly Sample[], earlier: readonly Sample[]): Sample[] {
  const key = (s: Sample): string => `${s.name}${JSON.stringify(s.labels)}`;
  const base = new Map(earlier.map((s) => [key(s), s.value]));
  return later.map((s) => ({ ...s, value: s.value - (base.get(key(s)) ?? 0) }));
}
