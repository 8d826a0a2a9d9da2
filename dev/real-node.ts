/**
 * Real nodes for a local control plane: a kubelet and containerd (with Debian's runc) that
 * run real containers. Each node keeps to namespaces and a cgroup tree of its own:
 *
 * - a network namespace holding a veth pair (the node IP, 10.250.0.0/24, on one end; the
 *   kubelet refuses a loopback node IP; the other end stays in the namespace too, so no
 *   packet can leave it) and the pods' CNI bridge (10.251.<index>.0/24, whose gateway
 *   address is the node's side). The kubelet's iptables chains and the forwarding the
 *   bridge turns on stay there. The kubelet reaches the API server on the namespace's own
 *   127.0.0.1:6443, and pods at the `kubernetes` Service's address (which the namespace
 *   holds, as kube-proxy would route it), through relays over a Unix socket to the host's
 *   loopback. The API server reaches into the namespace (logs, exec, the pod proxy) through
 *   a dialer the node registers with the plane's egress proxy (egress-proxy.ts).
 * - a private mount namespace with its own /run (containerd's state, shim sockets, pods'
 *   network namespaces) and the kernel settings the kubelet would change on the host
 *   (vm.overcommit_memory, kernel.panic, …) shown to it as already set, so it leaves them be.
 * - a cgroup tree `/kmesos-rn-<owner pid>-<index>` in every hierarchy (see cgroups.ts) with
 *   the node's processes and its pods.
 *
 * Stopping a node kills its tree and removes it; the namespaces end with their last process,
 * taking the mounts, interfaces and iptables chains with them. Trees left by a run that
 * died are removed before a node starts (cleanupLeftoverNodes).
 */
import { CoreV1Api, KubeConfig, type V1Node } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createGroup, destroyTree, killTree, procsFiles, topGroups } from './cgroups.js';
import { KUBERNETES_SERVICE_IP, waitFor } from './controlplane.js';
import { isNodeReady } from './fake-nodes.js';
import type { Pki } from './pki.js';
import { ManagedProcess } from './processes.js';
import { startRelay } from './relay.js';

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, import.meta.dirname.includes('/dist/') ? '../..' : '..');

/** The parts scripts/build-realnode.sh builds or installs, by its key=value output. */
export interface RealNodeParts {
  kubelet: string;
  containerd: string;
  runc: string;
  cni: string;
  'pause-image': string;
  'pause-name': string;
  'command-image': string;
  'command-name': string;
}

const PART_KEYS: (keyof RealNodeParts)[] = [
  'kubelet',
  'containerd',
  'runc',
  'cni',
  'pause-image',
  'pause-name',
  'command-image',
  'command-name',
];

export function parseParts(stdout: string): RealNodeParts {
  const found = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) found.set(line.slice(0, i), line.slice(i + 1));
  }
  const missing = PART_KEYS.filter((k) => !found.get(k));
  if (missing.length > 0) throw new Error(`build-realnode.sh printed no ${missing.join(', ')}: ${stdout}`);
  return Object.fromEntries(PART_KEYS.map((k) => [k, found.get(k) ?? ''])) as unknown as RealNodeParts;
}

/** Builds or installs the parts on first use (cached) and returns where they are. */
export async function realNodeParts(): Promise<RealNodeParts> {
  const { stdout } = await run('bash', [join(repoRoot, 'scripts/build-realnode.sh')], {
    maxBuffer: 1 << 20,
  });
  return parseParts(stdout);
}

/** The part of a control plane a node needs (dev/controlplane.ts's ControlPlane has it). */
export interface PlaneForNodes {
  server: string;
  dir: string;
  pki: Pki;
}

export interface RealNodeOptions {
  /** Node name; also its hostname. */
  name: string;
  /** 0…252: picks the node IP (10.250.0.<index + 2>) and pod range (10.251.<index>.0/24). */
  index: number;
  labels?: Record<string, string>;
  log?: (message: string) => void;
  /** How long to wait for the node to be Ready. */
  readyTimeoutMs?: number;
  /** OCI image archives to import besides the pause and command images (e.g. kmesos' own). */
  images?: string[];
}

export interface RealNode {
  name: string;
  ip: string;
  /** Its configuration, state and logs (kubelet.log, containerd.log, pod-logs/). */
  dir: string;
  /** The cgroup tree of its processes and pods. */
  cgroup: string;
  /** Processes of the node that have exited; a healthy node has none. */
  crashed(): string[];
  stop(): Promise<void>;
}

/** The prefix of node cgroup trees; the owner's pid follows, so leftovers are told apart. */
const GROUP_PREFIX = 'kmesos-rn-';
const LEFTOVER = /^kmesos-rn-(\d+)-\d+$/;

function socketDirOf(cgroup: string): string {
  return join('/tmp', cgroup);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the nodes of runs whose process is gone (killed, or crashed before stopping them). */
export async function cleanupLeftoverNodes(log: (message: string) => void = () => undefined): Promise<void> {
  for (const name of topGroups(LEFTOVER)) {
    const owner = Number(LEFTOVER.exec(name)?.[1]);
    if (owner === process.pid || alive(owner)) continue;
    log(`removing the real node left by process ${owner} (cgroup /${name})`);
    await destroyTree(name);
    await rm(socketDirOf(name), { recursive: true, force: true });
  }
}

/**
 * Kernel settings the kubelet sets on start unless they already hold; they are not
 * namespaced, so the node's mount namespace shows it files that say they hold.
 */
const KUBELET_SYSCTLS: Record<string, string> = {
  'vm.overcommit_memory': '1',
  'vm.panic_on_oom': '0',
  'kernel.panic': '10',
  'kernel.panic_on_oops': '1',
  'kernel.keys.root_maxkeys': '1000000',
  'kernel.keys.root_maxbytes': '25000000',
};

/** Sets up the namespaces (see the module comment), signals readiness, then holds them. */
const HOLDER_SCRIPT = `set -e
dir=$1 ip=$2 service=$3
mount -t tmpfs -o mode=0755 kmesos-node /run
# Unix sockets take paths of at most 107 bytes: the kubelet's go under this short one.
mkdir -p "$dir/kubelet" /run/kubelet
mount --bind "$dir/kubelet" /run/kubelet
for f in "$dir"/sysctl/*; do [ -e "$f" ] || continue; mount --bind "$f" "/proc/sys/$(basename "$f" | tr . /)"; done
ip link set lo up
ip addr add "$service/32" dev lo
ip link add eth0 type veth peer name eth1
ip addr add "$ip/24" dev eth0
ip link set eth1 up
ip link set eth0 up
touch "$dir/holder.ready"
exec sleep infinity`;

/** Joins the cgroups named by $1, then runs the rest of the arguments. */
const JOIN_SCRIPT = 'for f in $1; do echo $$ > "$f"; done; shift; exec "$@"';

function containerdConfig(dir: string, parts: RealNodeParts): string {
  return `version = 3
root = "${dir}/containerd"
state = "/run/containerd"

[grpc]
  address = "/run/containerd/containerd.sock"

[plugins."io.containerd.cri.v1.runtime"]
  # The machine may withhold CAP_SYS_RESOURCE: even root cannot lower oom_score_adj then.
  restrict_oom_score_adj = true
  disable_apparmor = true
  [plugins."io.containerd.cri.v1.runtime".cni]
    bin_dirs = ["${parts.cni}"]
    conf_dir = "${dir}/cni"
  [plugins."io.containerd.cri.v1.runtime".containerd]
    default_runtime_name = "runc"
    [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]
        BinaryName = "${parts.runc}"
        SystemdCgroup = false

[plugins."io.containerd.cri.v1.images"]
  snapshotter = "overlayfs"
  [plugins."io.containerd.cri.v1.images".pinned_images]
    sandbox = "${parts['pause-name']}"

[plugins."io.containerd.grpc.v1.cri"]
  stream_server_address = "127.0.0.1"
`;
}

function cniConfig(dir: string, index: number): string {
  // The gateway (the bridge's own address in the node's namespace) lets pods reach the
  // addresses the namespace holds; it turns forwarding on in that namespace only, and with
  // no ipMasq there is no NAT: nothing is routed beyond the namespace.
  return JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'kmesos',
      plugins: [
        {
          type: 'bridge',
          bridge: 'cni0',
          isGateway: true,
          isDefaultGateway: true,
          ipMasq: false,
          ipam: {
            type: 'host-local',
            ranges: [[{ subnet: `10.251.${index}.0/24` }]],
            dataDir: join(dir, 'cni-ipam'),
          },
        },
      ],
    },
    null,
    2,
  );
}

function kubeletConfig(dir: string, cgroup: string, ip: string, pki: Pki): Record<string, unknown> {
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    // Machines with cgroup v1 only: the kubelet refuses them unless told to warn instead.
    failCgroupV1: false,
    cgroupDriver: 'cgroupfs',
    cgroupRoot: `/${cgroup}`,
    containerRuntimeEndpoint: 'unix:///run/containerd/containerd.sock',
    address: ip,
    port: 10250,
    readOnlyPort: 0,
    healthzPort: 0,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: pki.caCert },
    },
    authorization: { mode: 'Webhook' },
    resolvConf: join(dir, 'resolv.conf'),
    podLogsDir: join(dir, 'pod-logs'),
    failSwapOn: false,
    // The machine's disk is shared: evict only when it is nearly full, and never collect
    // the imported images (nothing could pull them again).
    evictionHard: {
      'memory.available': '50Mi',
      'nodefs.available': '1%',
      'imagefs.available': '1%',
      'nodefs.inodesFree': '1%',
    },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    serializeImagePulls: false,
  };
}

function kubeconfig(pki: Pki): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'local', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority': pki.caCert } },
    ],
    users: [{ name: 'kubelet', user: { 'client-certificate': pki.adminCert, 'client-key': pki.adminKey } }],
    contexts: [{ name: 'local', context: { cluster: 'local', user: 'kubelet' } }],
    'current-context': 'local',
  });
}

/**
 * Starts one real node joined to `plane` and resolves once it is Ready. Runs as root on a
 * machine with cgroups mounted under /sys/fs/cgroup.
 */
export async function startRealNode(plane: PlaneForNodes, options: RealNodeOptions): Promise<RealNode> {
  const log = options.log ?? ((): void => undefined);
  const { name, index } = options;
  if (!Number.isInteger(index) || index < 0 || index > 252)
    throw new Error(`real node index must be an integer from 0 to 252, not ${index}`);
  const parts = await realNodeParts();
  await cleanupLeftoverNodes(log);

  const ip = `10.250.0.${index + 2}`;
  const cgroup = `${GROUP_PREFIX}${process.pid}-${index}`;
  const dir = join(plane.dir, 'nodes', name);
  await mkdir(join(dir, 'sysctl'), { recursive: true });
  await mkdir(join(dir, 'cni'), { recursive: true });
  for (const [key, value] of Object.entries(KUBELET_SYSCTLS))
    await writeFile(join(dir, 'sysctl', key), `${value}\n`);
  await writeFile(join(dir, 'resolv.conf'), '');
  await writeFile(join(dir, 'containerd.toml'), containerdConfig(dir, parts));
  await writeFile(join(dir, 'cni', '10-kmesos.conflist'), cniConfig(dir, index));
  // JSON is YAML, so no YAML writer is needed.
  await writeFile(
    join(dir, 'kubelet.yaml'),
    JSON.stringify(kubeletConfig(dir, cgroup, ip, plane.pki), null, 2),
  );
  await writeFile(join(dir, 'kubeconfig'), kubeconfig(plane.pki), { mode: 0o600 });
  createGroup(`${cgroup}/runtime`);
  // The API relay's socket: a short path (Unix socket paths are short) outside /run, which
  // the node's mount namespace replaces.
  const socketDir = socketDirOf(cgroup);
  await mkdir(socketDir, { recursive: true, mode: 0o700 });
  const apiSocket = join(socketDir, 'api.sock');
  const egressRegistry = join(plane.dir, 'egress');
  const joinGroup = procsFiles(`${cgroup}/runtime`).join(' ');
  // The names the plane's egress proxy finds this node by (see egress-proxy.ts).
  const egressKeys = [ip, `10.251.${index}`];

  const procs: ManagedProcess[] = [];
  const start = (proc: string, command: string[]): ManagedProcess => {
    log(`[${name}] starting ${proc}`);
    const [bin = '', ...args] = command;
    const p = new ManagedProcess(
      proc,
      'sh',
      ['-c', JOIN_SCRIPT, 'sh', joinGroup, bin, ...args],
      join(dir, `${proc}.log`),
    );
    procs.push(p);
    return p;
  };
  const crashed = (): string[] =>
    procs.filter((p) => p.hasExited).map((p) => `${p.name} of ${name} (log: ${p.logPath})`);
  let relay: Server | undefined;
  const killNow = (): void => {
    killTree(cgroup);
  };
  process.once('exit', killNow);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killNow);
    // The kubelet first, so it does not see its runtime vanish; then everything in the tree.
    await procs.find((p) => p.name === 'kubelet')?.stop(5_000);
    await destroyTree(cgroup);
    await Promise.all(procs.map((p) => p.stop()));
    await new Promise<void>((r) => (relay ? relay.close(() => r()) : r()));
    await rm(socketDir, { recursive: true, force: true });
    for (const key of egressKeys) await rm(join(egressRegistry, key), { force: true });
    log(`[${name}] stopped`);
  };

  try {
    const holder = start('netns', [
      'unshare',
      '--net',
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      HOLDER_SCRIPT,
      'sh',
      dir,
      ip,
      KUBERNETES_SERVICE_IP,
    ]);
    await waitFor(`${name}'s namespaces`, () => existsSync(join(dir, 'holder.ready')), 30_000, crashed);
    const pid = String(holder.pid);
    const enter = (command: string[]): string[] => ['nsenter', '-t', pid, '-n', '-m', '--', ...command];

    const api = new URL(plane.server);
    relay = await startRelay({ path: apiSocket }, { host: api.hostname, port: Number(api.port) });
    const relayScript = join(
      import.meta.dirname,
      import.meta.filename.endsWith('.ts') ? 'relay.ts' : 'relay.js',
    );
    start('relay', enter([process.execPath, relayScript, 'tcp:127.0.0.1:6443', `unix:${apiSocket}`]));
    start(
      'service-relay',
      enter([process.execPath, relayScript, `tcp:${KUBERNETES_SERVICE_IP}:443`, `unix:${apiSocket}`]),
    );
    // The way in, for logs, exec and the pod proxy, when the plane proxies its egress.
    if (existsSync(egressRegistry)) {
      const dialerSocket = join(socketDir, 'dialer.sock');
      const dialerScript = join(
        import.meta.dirname,
        import.meta.filename.endsWith('.ts') ? 'egress-proxy.ts' : 'egress-proxy.js',
      );
      start('dialer', enter([process.execPath, dialerScript, 'dial', dialerSocket]));
      await waitFor(`${name}'s dialer`, () => existsSync(dialerSocket), 30_000, crashed);
      for (const key of egressKeys) await writeFile(join(egressRegistry, key), dialerSocket);
    }

    start(
      'containerd',
      enter([
        'env',
        `PATH=${parts.containerd}:${process.env.PATH ?? ''}`,
        join(parts.containerd, 'containerd'),
        `--config=${join(dir, 'containerd.toml')}`,
      ]),
    );
    const ctr = (...args: string[]): Promise<unknown> =>
      run('nsenter', [
        '-t',
        pid,
        '-n',
        '-m',
        '--',
        join(parts.containerd, 'ctr'),
        '--address=/run/containerd/containerd.sock',
        '--namespace=k8s.io',
        ...args,
      ]);
    await waitFor(
      `${name}'s containerd`,
      () => existsSync(`/proc/${pid}/root/run/containerd/containerd.sock`),
      60_000,
      crashed,
    );
    for (const image of [parts['pause-image'], parts['command-image'], ...(options.images ?? [])]) {
      await ctr('images', 'import', '--platform=linux/amd64', image);
    }

    const labels = Object.entries(options.labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    start(
      'kubelet',
      enter([
        join(parts.kubelet, 'kubelet'),
        `--config=${join(dir, 'kubelet.yaml')}`,
        `--kubeconfig=${join(dir, 'kubeconfig')}`,
        '--root-dir=/run/kubelet',
        `--hostname-override=${name}`,
        `--node-ip=${ip}`,
        ...(labels ? [`--node-labels=${labels}`] : []),
        '--v=1',
      ]),
    );
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'local', server: plane.server, caFile: plane.pki.caCert }],
      users: [{ name: 'admin', certFile: plane.pki.adminCert, keyFile: plane.pki.adminKey }],
      contexts: [{ name: 'local', cluster: 'local', user: 'admin' }],
      currentContext: 'local',
    });
    const core = kc.makeApiClient(CoreV1Api);
    await waitFor(
      `node ${name} to be Ready`,
      async () => isNodeReady(await core.readNode({ name }).catch((): V1Node => ({}))),
      options.readyTimeoutMs ?? 180_000,
      crashed,
    );
  } catch (err) {
    await stop().catch(() => undefined);
    throw new Error(`real node ${name} failed to start (logs in ${dir}): ${(err as Error).message}`, {
      cause: err,
    });
  }
  log(`[${name}] Ready at ${ip}`);
  return { name, ip, dir, cgroup, crashed, stop };
}
