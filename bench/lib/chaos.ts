/**
 * A chaos campaign against kmesos: a burst of Tasks while the leading operator is SIGKILLed
 * and restarted (its standby taking over through the Lease), and the API server and etcd
 * are crashed and restarted; then, once everything has settled, `checkChaos` judges what
 * is left. Used by `npm run bench:chaos` and, smaller, by the integration suite.
 *
 *   const result = await runChaos({ plane, api, namespace, pool, main, logDir, log }, plan)
 *   result.findings (chaos-check.ts), result.disruptions, result.settleSeconds, result.passed
 */
import { join } from 'node:path';
import type { ControlPlane, RestartableComponent } from '../../dev/controlplane.js';
import { freePort } from '../../dev/controlplane.js';
import { LABELS } from '../../src/api/constants.js';
import {
  checkChaos,
  chaosPassed,
  type ChaosFindings,
  type CheckedPod,
  type CheckedTask,
} from './chaos-check.js';
import { KMESOS, POOL_LABEL, sleep } from './cluster.js';
import { pool as inParallel, type ApiClient } from './http.js';
import { Operator } from './operator.js';

export interface ChaosPlan {
  tasks: number;
  /** SIGKILLs of the leading operator (each restarted at once as a standby). */
  kills: number;
  apiserverRestarts: number;
  etcdRestarts: number;
  /** Seeds when, in the burst, each disruption happens. */
  seed: number;
  /** Creates in flight. */
  concurrency: number;
  /** How long the run may take to settle after the last create and disruption. */
  settleTimeoutMs: number;
  /** The replicas' --lease-duration-seconds, --renew-deadline-seconds, --retry-period-seconds. */
  lease: { durationSeconds: number; renewDeadlineSeconds: number; retryPeriodSeconds: number };
}

export interface ChaosWorld {
  plane: ControlPlane;
  api: ApiClient;
  kubeconfig: string;
  namespace: string;
  /** The value of the nodes' `POOL_LABEL`: the operators' --node-selector. */
  pool: string;
  /** kmesos' main.js. */
  main: string;
  logDir: string;
  log: (message: string) => void;
}

export type DisruptionKind = 'kill-leader' | RestartableComponent;

export interface Disruption {
  kind: DisruptionKind;
  /** Tasks created when it began. */
  atCreated: number;
  /** How long it took: for a kill, until another replica led; for a restart, until the API server was ready again. */
  seconds: number;
}

export interface ChaosResult {
  plan: ChaosPlan;
  disruptions: Disruption[];
  /**
   * Replicas that exited by themselves (a leader that cannot renew its Lease in time steps
   * down by exiting) and were started again, as a Deployment would.
   */
  selfExits: number;
  /** From the first create to the last one answered. */
  createSeconds: number;
  /** From the last create or disruption until every Task was first seen settled (or the timeout). */
  settleSeconds: number;
  settled: boolean;
  findings: ChaosFindings;
  passed: boolean;
}

/** A small seeded generator (mulberry32): the same seed gives the same schedule. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** When each disruption happens, as a count of Tasks created, in order; all inside the burst. */
export function chaosSchedule(plan: ChaosPlan): Array<{ kind: DisruptionKind; atCreated: number }> {
  const random = seeded(plan.seed);
  const kinds: DisruptionKind[] = [
    ...Array<DisruptionKind>(plan.kills).fill('kill-leader'),
    ...Array<DisruptionKind>(plan.apiserverRestarts).fill('kube-apiserver'),
    ...Array<DisruptionKind>(plan.etcdRestarts).fill('etcd'),
  ];
  return kinds
    .map((kind) => ({ kind, atCreated: Math.floor(plan.tasks * (0.05 + 0.85 * random())) }))
    .sort((a, b) => a.atCreated - b.atCreated);
}

/** How long one create keeps being tried while the API server or etcd is down. */
const CREATE_TIMEOUT_MS = 180_000;

/**
 * Two replica slots, `a` and `b`, like a Deployment's two pods. Each start is a new pod with
 * a new identity (`a-0`, `a-1`…), so a killed leader's successor is the standby once the
 * Lease expires, not the restarted process resuming its own Lease. A replica that exits by
 * itself is started again, as its Deployment would.
 */
class Replicas {
  private readonly running = new Map<string, { identity: string; op: Operator }>();
  private readonly generation = new Map<string, number>();
  private stopping = false;
  selfExits = 0;

  constructor(
    private readonly w: ChaosWorld,
    private readonly lease: ChaosPlan['lease'],
  ) {}

  async start(slot: string): Promise<void> {
    const n = this.generation.get(slot) ?? 0;
    this.generation.set(slot, n + 1);
    const identity = `${slot}-${n}`;
    const port = await freePort();
    const op = new Operator(
      this.w.main,
      this.w.kubeconfig,
      port,
      [
        `--namespaces=${this.w.namespace}`,
        `--node-selector=${POOL_LABEL}=${this.w.pool}`,
        '--leader-elect=true',
        `--lease-namespace=${this.w.namespace}`,
        '--lease-name=kmesos-chaos',
        `--identity=${identity}`,
        `--lease-duration-seconds=${this.lease.durationSeconds}`,
        `--renew-deadline-seconds=${this.lease.renewDeadlineSeconds}`,
        `--retry-period-seconds=${this.lease.retryPeriodSeconds}`,
        `--http-port=${port}`,
        '--http-host=127.0.0.1',
      ],
      [],
      join(this.w.logDir, `kmesos-${identity}.log`),
    );
    this.running.set(slot, { identity, op });
    op.child.once('exit', () => {
      if (this.stopping || this.running.get(slot)?.op !== op) return;
      this.selfExits++;
      this.w.log(`replica ${identity} exited by itself; starting its slot again`);
      this.start(slot).catch((err: unknown) =>
        this.w.log(`slot ${slot} did not start again: ${String(err)}`),
      );
    });
    await op.ready();
  }

  /** The slot and identity of the replica that leads now, once one does. */
  async leader(timeoutMs = 120_000): Promise<{ slot: string; identity: string }> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const [slot, { identity, op }] of this.running) {
        const r = await op.get('/readyz');
        if (r.status === 200 && (JSON.parse(r.body) as { leader?: boolean }).leader)
          return { slot, identity };
      }
      await sleep(200);
    }
    throw new Error('no replica took the lead');
  }

  /** SIGKILLs a slot's replica and starts a new one in its place. */
  async killAndReplace(slot: string): Promise<void> {
    const r = this.running.get(slot);
    if (!r) throw new Error(`no replica in slot ${slot}`);
    this.running.delete(slot);
    await r.op.kill();
    await this.start(slot);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.running.values()].map((r) => r.op.stop()));
    this.running.clear();
  }
}

/** A create that the API server may not answer while it or etcd restarts: tried until it lands. */
async function createUntilDone(api: ApiClient, path: string, body: string): Promise<void> {
  const deadline = Date.now() + CREATE_TIMEOUT_MS;
  let last = '';
  for (let delay = 100; Date.now() < deadline; delay = Math.min(delay * 2, 2000)) {
    const reply = await api.send('POST', path, body).catch((err: unknown) => {
      last = String(err);
      return undefined;
    });
    // 409: an earlier try was stored even though its answer was lost.
    if (reply && ((reply.status >= 200 && reply.status < 300) || reply.status === 409)) return;
    if (reply) last = `HTTP ${reply.status} ${reply.body.slice(0, 200)}`;
    await sleep(delay);
  }
  throw new Error(`POST ${path} did not land in ${CREATE_TIMEOUT_MS} ms: ${last}`);
}

interface TaskObject {
  metadata: { name: string };
  status?: { state?: string; attempt?: number; podName?: string };
}
interface PodObject {
  metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
  status?: { phase?: string };
}

async function listAll<T>(api: ApiClient, path: string): Promise<T[] | undefined> {
  const reply = await api.send('GET', path).catch(() => undefined);
  if (!reply || reply.status !== 200) return undefined;
  return (JSON.parse(reply.body) as { items: T[] }).items;
}

/** The Tasks and pods of the namespace as the checker reads them; undefined while the API server does not answer. */
async function observe(w: ChaosWorld): Promise<ChaosFindings | undefined> {
  const tasks = await listAll<TaskObject>(w.api, `${KMESOS}/namespaces/${w.namespace}/tasks`);
  const pods = await listAll<PodObject>(w.api, `/api/v1/namespaces/${w.namespace}/pods`);
  if (!tasks || !pods) return undefined;
  const checkedTasks: CheckedTask[] = tasks.map((t) => ({
    name: t.metadata.name,
    state: t.status?.state,
    attempt: t.status?.attempt,
    podName: t.status?.podName,
  }));
  const checkedPods: CheckedPod[] = pods.map((p) => ({
    name: p.metadata.name,
    task: p.metadata.labels?.[LABELS.task],
    attempt: p.metadata.labels?.[LABELS.attempt],
    live: !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
  }));
  return checkChaos(checkedTasks, checkedPods);
}

function settledNow(f: ChaosFindings, tasks: number): boolean {
  return f.tasks === tasks && chaosPassed(f);
}

async function disrupt(w: ChaosWorld, replicas: Replicas, kind: DisruptionKind): Promise<void> {
  if (kind === 'kill-leader') {
    const leader = await replicas.leader();
    w.log(`killing the leader ${leader.identity}`);
    await replicas.killAndReplace(leader.slot);
    // Done once another replica leads: the disruption's time is the failover's.
    const next = await replicas.leader();
    w.log(`${next.identity} leads`);
    return;
  }
  w.log(`crashing and restarting ${kind}`);
  await w.plane.restart(kind);
}

/** Runs one campaign in `w.namespace` (which must exist, with the pool's nodes Ready). */
export async function runChaos(w: ChaosWorld, plan: ChaosPlan): Promise<ChaosResult> {
  const taskPath = `${KMESOS}/namespaces/${w.namespace}/tasks`;
  await createUntilDone(
    w.api,
    `${KMESOS}/namespaces/${w.namespace}/frameworks`,
    JSON.stringify({
      apiVersion: 'kmesos.io/v1alpha1',
      kind: 'Framework',
      metadata: { name: 'chaos' },
      spec: {},
    }),
  );
  const replicas = new Replicas(w, plan.lease);
  await Promise.all(['a', 'b'].map((id) => replicas.start(id)));
  await replicas.leader();

  const schedule = chaosSchedule(plan);
  const disruptions: Disruption[] = [];
  let created = 0;
  let lastEvent = performance.now();
  const start = performance.now();
  try {
    const creating = inParallel(plan.tasks, plan.concurrency, async (i) => {
      const body = {
        apiVersion: 'kmesos.io/v1alpha1',
        kind: 'Task',
        metadata: { name: `t-${i}` },
        spec: { framework: 'chaos', resources: { cpu: '100m', memory: '64Mi' }, command: 'sleep 3600' },
      };
      await createUntilDone(w.api, taskPath, JSON.stringify(body));
      created++;
    });
    const disrupting = (async (): Promise<void> => {
      for (const d of schedule) {
        while (created < d.atCreated) await sleep(20);
        const began = performance.now();
        await disrupt(w, replicas, d.kind);
        disruptions.push({
          kind: d.kind,
          atCreated: d.atCreated,
          seconds: (performance.now() - began) / 1000,
        });
        lastEvent = performance.now();
      }
    })();
    await creating;
    const createSeconds = (performance.now() - start) / 1000;
    lastEvent = Math.max(lastEvent, performance.now());
    await disrupting;
    w.log(`all ${plan.tasks} Tasks created; waiting for the run to settle`);

    const settleFrom = Math.max(lastEvent, performance.now());
    let findings: ChaosFindings | undefined;
    let calmSince: number | undefined;
    let calm = 0;
    while (performance.now() - settleFrom < plan.settleTimeoutMs) {
      findings = (await observe(w)) ?? findings;
      const now = findings !== undefined && settledNow(findings, plan.tasks);
      calm = now ? calm + 1 : 0;
      calmSince = now ? (calmSince ?? performance.now()) : undefined;
      // Three looks a second apart that agree, so a pod still on its way is not missed.
      if (calm >= 3) break;
      await sleep(1000);
    }
    const final = findings ?? (await observe(w));
    if (!final) throw new Error('the API server did not answer after the run');
    return {
      plan,
      disruptions,
      selfExits: replicas.selfExits,
      createSeconds,
      settleSeconds: ((calmSince ?? performance.now()) - settleFrom) / 1000,
      settled: calm >= 3,
      findings: final,
      passed: calm >= 3 && chaosPassed(final),
    };
  } finally {
    await replicas.stop();
  }
}
