import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startEgressProxy } from './egress-proxy.js';
import { generatePki, type Pki } from './pki.js';
import { ManagedProcess } from './processes.js';

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, import.meta.dirname.includes('/dist/') ? '../..' : '..');

export interface ControlPlaneOptions {
  /** Start kube-scheduler too (the reference scheduler, used by benchmarks). */
  scheduler?: boolean;
  /** Extra kube-apiserver flags, e.g. raised in-flight limits for benchmarks. */
  apiserverArgs?: string[];
  /**
   * kube-scheduler's KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1), e.g.
   * `{ clientConnection: { qps: 1000, burst: 2000 } }` for benchmarks. It is written to the
   * run folder and passed as --config; clientConnection.kubeconfig and leader election are
   * filled in. Without it kube-scheduler runs on flags and its defaults (qps 50, burst 100).
   */
  schedulerConfig?: Record<string, unknown>;
  /** Extra kube-scheduler flags (e.g. `-v=2`). */
  schedulerArgs?: string[];
  /** Extra kube-controller-manager flags. */
  controllerManagerArgs?: string[];
  /**
   * Let the API server reach real nodes' kubelets (dev/real-node.ts) for logs and exec: its
   * egress to the cluster goes through a CONNECT proxy (dev/egress-proxy.ts) that nodes
   * register with in `<dir>/egress/`.
   */
  realNodeEgress?: boolean;
  /**
   * Start the plane's processes outside the caller's process group, so that Ctrl-C in a
   * terminal reaches only the caller, which stops its operator while the API server still
   * answers and then the plane (`stop()`, or SIGKILL when the caller exits).
   */
  ownProcessGroup?: boolean;
  /** Progress messages. */
  log?: (message: string) => void;
}

export interface ControlPlane {
  /** Admin kubeconfig (cluster-admin through system:masters). */
  kubeconfig: string;
  server: string;
  /** Where the PKI, etcd data and each component's log live. */
  dir: string;
  pki: Pki;
  /** Components that have exited; a healthy plane has none. */
  crashed(): string[];
  /**
   * Stops one component (SIGKILL: a crash, not a clean shutdown) and starts it again with the
   * same flags and data; resolves once the API server answers /readyz again.
   */
  restart(component: RestartableComponent): Promise<void>;
  stop(): Promise<void>;
}

/** Components a test may crash and restart mid-run. */
export type RestartableComponent = 'etcd' | 'kube-apiserver';

/** How many past runs' folders (logs included) are kept under .cache/runs. */
const KEEP_RUNS = 5;
/** The Service range; the `kubernetes` Service takes its first address (a SAN of the API server's certificate). */
const SERVICE_CIDR = '10.96.0.0/16';
export const KUBERNETES_SERVICE_IP = '10.96.0.1';

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Builds the binaries on first use (cached by version) and returns their folders. */
export async function controlPlaneBinaries(): Promise<{ kubernetes: string; etcd: string; kwok: string }> {
  const { stdout } = await run('bash', [join(repoRoot, 'scripts/build-controlplane.sh')], {
    maxBuffer: 1 << 20,
  });
  const [kubernetes, etcd, kwok] = stdout.trim().split('\n');
  if (!kubernetes || !etcd || !kwok)
    throw new Error(`build-controlplane.sh printed no bin folders: ${stdout}`);
  return { kubernetes, etcd, kwok };
}

async function pruneRuns(runs: string): Promise<void> {
  // A run whose process still lives (a benchmark beside a test run, say) keeps its folder:
  // its etcd data and kubeconfig are in use.
  const names = (await readdir(runs).catch(() => [])).sort().filter((name) => !runIsAlive(name));
  for (const name of names.slice(0, Math.max(0, names.length - KEEP_RUNS + 1))) {
    await rm(join(runs, name), { recursive: true, force: true });
  }
}

/** Whether the process that made a run folder (`<time>-<pid>`) is still running. */
function runIsAlive(name: string): boolean {
  const pid = Number(name.slice(name.lastIndexOf('-') + 1));
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but is another user's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function kubeconfigYaml(server: string, pki: { ca: string; cert: string; key: string }): string {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: kmesos-local',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(pki.ca)}`,
    'users:',
    '- name: kmesos-admin',
    '  user:',
    `    client-certificate-data: ${b64(pki.cert)}`,
    `    client-key-data: ${b64(pki.key)}`,
    'contexts:',
    '- name: kmesos-local',
    '  context:',
    '    cluster: kmesos-local',
    '    user: kmesos-admin',
    'current-context: kmesos-local',
    '',
  ].join('\n');
}

/** GETs a path with the admin cert; resolves the status code, or 0 when nothing answered. */
async function probe(
  server: string,
  path: string,
  tls: { ca: string; cert: string; key: string },
): Promise<number> {
  return new Promise((resolveCode) => {
    const req = request(`${server}${path}`, { ...tls, timeout: 2000 }, (res) => {
      res.resume();
      resolveCode(res.statusCode ?? 0);
    });
    req.on('error', () => resolveCode(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Polls `check` until it holds; fails early when a process it waits on has exited. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  dead: () => string[],
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    const crashed = dead();
    if (crashed.length > 0) throw new Error(`${crashed.join(', ')} exited while waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * kube-scheduler's connection and election flags, or a --config file carrying them: with
 * --config, kube-scheduler ignores --kubeconfig and --leader-elect, so they go in the file.
 */
async function schedulerConfigArgs(
  dir: string,
  kubeconfig: string,
  config: Record<string, unknown> | undefined,
): Promise<string[]> {
  if (!config) return [`--kubeconfig=${kubeconfig}`, '--leader-elect=false'];
  const given = (key: string): Record<string, unknown> => {
    const v = config[key];
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  };
  const full = {
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    ...config,
    clientConnection: { ...given('clientConnection'), kubeconfig },
    leaderElection: { ...given('leaderElection'), leaderElect: false },
  };
  const path = join(dir, 'kube-scheduler.yaml');
  // JSON is YAML, so no YAML writer is needed.
  await writeFile(path, `${JSON.stringify(full, null, 2)}\n`);
  return [`--config=${path}`];
}

/** kube-apiserver flags to reach real nodes' kubelets through the egress proxy. */
async function egressArgs(dir: string, socket: string, pki: Pki): Promise<string[]> {
  const config = {
    apiVersion: 'apiserver.k8s.io/v1beta1',
    kind: 'EgressSelectorConfiguration',
    egressSelections: [
      {
        name: 'cluster',
        connection: { proxyProtocol: 'HTTPConnect', transport: { uds: { udsName: socket } } },
      },
    ],
  };
  const path = join(dir, 'egress-selector.yaml');
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`);
  return [
    `--egress-selector-config-file=${path}`,
    // A node's InternalIP is the one address the proxy knows it by.
    '--kubelet-preferred-address-types=InternalIP',
    `--kubelet-client-certificate=${pki.adminCert}`,
    `--kubelet-client-key=${pki.adminKey}`,
  ];
}

/**
 * Starts etcd, kube-apiserver, kube-controller-manager, kwok (and optionally kube-scheduler)
 * on loopback with free ports and a fresh PKI, and returns once the API server is ready.
 */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const log = options.log ?? ((): void => undefined);
  const bins = await controlPlaneBinaries();
  // Empty means unset, as in the scripts' ${KMESOS_CACHE:-…}: a relative folder breaks the real nodes.
  const cache = process.env.KMESOS_CACHE;
  const runs = join(cache !== undefined && cache !== '' ? cache : join(repoRoot, '.cache'), 'runs');
  await mkdir(runs, { recursive: true });
  await pruneRuns(runs);
  const dir = join(runs, `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  await mkdir(dir, { recursive: true });
  const pki = await generatePki(dir);
  const tls = {
    ca: await readFile(pki.caCert, 'utf8'),
    cert: await readFile(pki.adminCert, 'utf8'),
    key: await readFile(pki.adminKey, 'utf8'),
  };
  const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const server = `https://127.0.0.1:${apiPort}`;
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, kubeconfigYaml(server, tls), { mode: 0o600 });

  const procs: ManagedProcess[] = [];
  const commands = new Map<string, { bin: string; args: string[] }>();
  const start = (name: string, bin: string, args: string[]): ManagedProcess => {
    log(`starting ${name}`);
    const p = new ManagedProcess(name, bin, args, join(dir, `${name}.log`), options.ownProcessGroup);
    procs.push(p);
    commands.set(name, { bin, args });
    return p;
  };
  const crashed = (): string[] =>
    procs.filter((p) => p.hasExited).map((p) => `${p.name} (log: ${p.logPath})`);
  const restart = async (name: RestartableComponent): Promise<void> => {
    const i = procs.findIndex((p) => p.name === name);
    const command = commands.get(name);
    if (i < 0 || !command) throw new Error(`${name} is not running in this control plane`);
    await procs[i]?.kill();
    procs.splice(i, 1);
    const p = start(name, command.bin, command.args);
    // Keep the start order, so stop() still stops the API server before etcd.
    procs.splice(procs.indexOf(p), 1);
    procs.splice(i, 0, p);
    await waitFor(
      `kube-apiserver /readyz after restarting ${name}`,
      async () => (await probe(server, '/readyz', tls)) === 200,
      120_000,
      crashed,
    );
  };
  const killAll = (): void => procs.forEach((p) => p.killNow());
  process.once('exit', killAll);
  // A short path of its own: Unix socket paths are limited to 107 bytes.
  const egressSocket = `/tmp/kmesos-egress-${process.pid}-${apiPort}.sock`;
  const egress = options.realNodeEgress
    ? await startEgressProxy(
        egressSocket,
        await mkdir(join(dir, 'egress'), { recursive: true }).then(() => join(dir, 'egress')),
      )
    : undefined;
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killAll);
    for (const p of [...procs].reverse()) await p.stop();
    if (egress) {
      await new Promise((r) => egress.close(r));
      await rm(egressSocket, { force: true });
    }
  };

  try {
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    start('etcd', join(bins.etcd, 'etcd'), [
      '--name=kmesos',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=kmesos=${peerUrl}`,
      // A throwaway test store: durability is not worth the fsync latency.
      '--unsafe-no-fsync',
      '--quota-backend-bytes=8589934592',
      '--log-level=warn',
    ]);
    start('kube-apiserver', join(bins.kubernetes, 'kube-apiserver'), [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${pki.serverCert}`,
      `--tls-private-key-file=${pki.serverKey}`,
      `--client-ca-file=${pki.caCert}`,
      `--service-account-key-file=${pki.serviceAccountPub}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--authorization-mode=Node,RBAC',
      '--allow-privileged=true',
      '--profiling=false',
      ...(options.realNodeEgress ? await egressArgs(dir, egressSocket, pki) : []),
      ...(options.apiserverArgs ?? []),
    ]);
    await waitFor(
      'kube-apiserver /readyz',
      async () => (await probe(server, '/readyz', tls)) === 200,
      120_000,
      crashed,
    );

    start('kube-controller-manager', join(bins.kubernetes, 'kube-controller-manager'), [
      `--kubeconfig=${kubeconfig}`,
      '--leader-elect=false',
      '--secure-port=0',
      `--service-account-private-key-file=${pki.serviceAccountKey}`,
      `--root-ca-file=${pki.caCert}`,
      '--controllers=*,-bootstrapsigner,-tokencleaner',
      ...(options.controllerManagerArgs ?? []),
    ]);
    if (options.scheduler) {
      start('kube-scheduler', join(bins.kubernetes, 'kube-scheduler'), [
        ...(await schedulerConfigArgs(dir, kubeconfig, options.schedulerConfig)),
        '--secure-port=0',
        ...(options.schedulerArgs ?? []),
      ]);
    }
    start('kwok', join(bins.kwok, 'kwok'), [
      `--kubeconfig=${kubeconfig}`,
      `--config=${join(repoRoot, 'dev/kwok-stages.yaml')}`,
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      '--node-lease-duration-seconds=40',
      '--server-address=',
    ]);
    // The default ServiceAccount appears once the controller manager runs; pods need it.
    await waitFor(
      'the default ServiceAccount',
      async () => (await probe(server, '/api/v1/namespaces/default/serviceaccounts/default', tls)) === 200,
      60_000,
      crashed,
    );
  } catch (err) {
    await stop();
    throw new Error(`local control plane failed to start (logs in ${dir}): ${(err as Error).message}`, {
      cause: err,
    });
  }
  log(`control plane ready at ${server}; kubeconfig ${kubeconfig}`);
  return { kubeconfig, server, dir, pki, crashed, restart, stop };
}
