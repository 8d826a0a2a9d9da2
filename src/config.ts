import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { parsePortRange, type PortRange } from './scheduler/external/ports.js';

/** Everything kmesos can be configured with. main.ts reads it once; nothing else reads flags or env. */
export interface Config {
  /** Path of a kubeconfig; unset means KUBECONFIG, ~/.kube/config or in-cluster, as kubectl does. */
  kubeconfig: string | undefined;
  /** Namespaces whose Frameworks and Tasks kmesos serves; empty means all. */
  namespaces: string[];
  /** Label selector of the Nodes that are agents; empty means all. */
  nodeSelector: string;
  /** Campaign for a Lease and act only while holding it; off runs as the only replica. */
  leaderElect: boolean;
  leaseNamespace: string;
  leaseName: string;
  /** This replica's identity in the Lease. */
  identity: string;
  leaseDurationSeconds: number;
  renewDeadlineSeconds: number;
  retryPeriodSeconds: number;
  httpHost: string;
  httpPort: number;
  /** The host other replicas and Mesos schedulers reach this one at (the pod IP); default the hostname. */
  advertiseHost: string;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  /** A cycle runs at least this often. */
  cycleIntervalMs: number;
  /** Events within this window are handled by one cycle. */
  batchWindowMs: number;
  /** Outstanding offers to external frameworks are rescinded after this. */
  offerTimeoutMs: number;
  /** Pod creates in flight at once. */
  launchConcurrency: number;
  /** Status patches and events in flight at once. */
  statusConcurrency: number;
  /** A Task's status is written this long after it changes, so changes in quick succession share a write. */
  taskStatusDelayMs: number;
  /** V8's old-generation growth between full collections, in percent; 0: V8's own heuristics. */
  heapGrowthPercent: number;
  /** Image of command tasks whose Framework names none. */
  defaultImage: string;
  /** Resources left out of dominant shares, as Mesos' fair_sharing_excluded_resource_names. */
  fairnessExcludedResources: string[];
  /** A task must have run this long before it may be preempted. */
  preemptionMinRuntimeSeconds: number;
  /** At most this many tasks are preempted in one cycle; 0 turns preemption off. */
  maxPreemptionsPerCycle: number;
  /** The namespace of the Frameworks and Tasks of schedulers that subscribe through the Mesos API. */
  mesosNamespace: string;
  /** Seconds between HEARTBEAT events on a subscription. */
  mesosHeartbeatSeconds: number;
  /** Serve Mesos API calls that carry no credentials (local use only). */
  mesosAnonymous: boolean;
  /** The Secret, in the operator's namespace, of Basic credentials (principal → secret); empty: none. */
  mesosCredentialsSecret: string;
  /** Calls per second each framework may make (bursts of twice that). */
  mesosCallRate: number;
  /** The host ports each node offers Mesos frameworks as `ports`; undefined: none. */
  mesosPorts: PortRange | undefined;
}

interface Option {
  flag: string;
  env: string;
  default: string;
  help: string;
}

/** Every option as flag and environment variable; flags win. Listed in the README. */
export const OPTIONS = {
  kubeconfig: {
    flag: 'kubeconfig',
    env: 'KUBECONFIG',
    default: '',
    help: 'kubeconfig path (default: in-cluster or ~/.kube/config)',
  },
  namespaces: {
    flag: 'namespaces',
    env: 'KMESOS_NAMESPACES',
    default: '',
    help: 'comma-separated namespaces to serve (default: all)',
  },
  nodeSelector: {
    flag: 'node-selector',
    env: 'KMESOS_NODE_SELECTOR',
    default: '',
    help: 'label selector of the nodes used as agents (default: all)',
  },
  leaderElect: {
    flag: 'leader-elect',
    env: 'KMESOS_LEADER_ELECT',
    default: 'true',
    help: 'run leader election (true/false)',
  },
  leaseNamespace: {
    flag: 'lease-namespace',
    env: 'POD_NAMESPACE',
    default: 'default',
    help: 'namespace of the leader Lease',
  },
  leaseName: {
    flag: 'lease-name',
    env: 'KMESOS_LEASE_NAME',
    default: 'kmesos-leader',
    help: 'name of the leader Lease',
  },
  identity: {
    flag: 'identity',
    env: 'POD_NAME',
    default: '',
    help: 'identity in the Lease (default: hostname and pid)',
  },
  leaseDurationSeconds: {
    flag: 'lease-duration-seconds',
    env: 'KMESOS_LEASE_DURATION_SECONDS',
    default: '15',
    help: 'how long a lease lasts unrenewed',
  },
  renewDeadlineSeconds: {
    flag: 'renew-deadline-seconds',
    env: 'KMESOS_RENEW_DEADLINE_SECONDS',
    default: '10',
    help: 'how long the leader tries to renew before stepping down',
  },
  retryPeriodSeconds: {
    flag: 'retry-period-seconds',
    env: 'KMESOS_RETRY_PERIOD_SECONDS',
    default: '2',
    help: 'time between election attempts',
  },
  httpHost: {
    flag: 'http-host',
    env: 'KMESOS_HTTP_HOST',
    default: '0.0.0.0',
    help: 'address of the metrics, health and API server',
  },
  httpPort: {
    flag: 'http-port',
    env: 'KMESOS_HTTP_PORT',
    default: '8080',
    help: 'port of the metrics, health and API server',
  },
  advertiseHost: {
    flag: 'advertise-host',
    env: 'POD_IP',
    default: '',
    help: 'host a standby redirects Mesos schedulers to when this replica leads, and custom executors call (default: hostname)',
  },
  logLevel: {
    flag: 'log-level',
    env: 'KMESOS_LOG_LEVEL',
    default: 'info',
    help: 'error, warn, info or debug',
  },
  cycleIntervalMs: {
    flag: 'cycle-interval-ms',
    env: 'KMESOS_CYCLE_INTERVAL_MS',
    default: '1000',
    help: 'longest time between allocation cycles',
  },
  batchWindowMs: {
    flag: 'batch-window-ms',
    env: 'KMESOS_BATCH_WINDOW_MS',
    default: '50',
    help: 'events within this window share one cycle',
  },
  offerTimeoutMs: {
    flag: 'offer-timeout-ms',
    env: 'KMESOS_OFFER_TIMEOUT_MS',
    default: '30000',
    help: 'outstanding offers are rescinded after this',
  },
  launchConcurrency: {
    flag: 'launch-concurrency',
    env: 'KMESOS_LAUNCH_CONCURRENCY',
    default: '128',
    help: 'pod creates in flight at once',
  },
  statusConcurrency: {
    flag: 'status-concurrency',
    env: 'KMESOS_STATUS_CONCURRENCY',
    default: '16',
    help: 'status writes in flight at once',
  },
  taskStatusDelayMs: {
    flag: 'task-status-delay-ms',
    env: 'KMESOS_TASK_STATUS_DELAY_MS',
    default: '1000',
    help: 'a Task status change is written after this, with any that follow',
  },
  heapGrowthPercent: {
    flag: 'heap-growth-percent',
    env: 'KMESOS_HEAP_GROWTH_PERCENT',
    default: '50',
    help: 'heap growth over what survived the last full garbage collection before the next (0: V8 decides, up to 300)',
  },
  defaultImage: {
    flag: 'default-image',
    env: 'KMESOS_DEFAULT_IMAGE',
    default: 'busybox:1.37',
    help: 'image of command tasks',
  },
  fairnessExcludedResources: {
    flag: 'fairness-excluded-resources',
    env: 'KMESOS_FAIRNESS_EXCLUDED_RESOURCES',
    default: 'nvidia.com/gpu',
    help: 'comma-separated resources left out of dominant shares',
  },
  preemptionMinRuntimeSeconds: {
    flag: 'preemption-min-runtime-seconds',
    env: 'KMESOS_PREEMPTION_MIN_RUNTIME_SECONDS',
    default: '60',
    help: 'a task runs at least this long before it may be preempted',
  },
  maxPreemptionsPerCycle: {
    flag: 'max-preemptions-per-cycle',
    env: 'KMESOS_MAX_PREEMPTIONS_PER_CYCLE',
    default: '10',
    help: 'tasks preempted at most in one cycle (0: never preempt)',
  },
  mesosNamespace: {
    flag: 'mesos-namespace',
    env: 'KMESOS_MESOS_NAMESPACE',
    default: '',
    help: 'namespace of frameworks that subscribe through the Mesos API (default: the first served namespace, else default)',
  },
  mesosHeartbeatSeconds: {
    flag: 'mesos-heartbeat-seconds',
    env: 'KMESOS_MESOS_HEARTBEAT_SECONDS',
    default: '5',
    help: 'seconds between HEARTBEAT events to Mesos schedulers and operator API subscribers',
  },
  mesosAnonymous: {
    flag: 'mesos-anonymous',
    env: 'KMESOS_MESOS_ANONYMOUS',
    default: 'false',
    help: 'serve Mesos API calls without credentials (true/false; local use only)',
  },
  mesosCredentialsSecret: {
    flag: 'mesos-credentials-secret',
    env: 'KMESOS_MESOS_CREDENTIALS_SECRET',
    default: '',
    help: 'Secret in the operator namespace of Basic credentials, principal → secret (default: none)',
  },
  mesosPorts: {
    flag: 'mesos-ports',
    env: 'KMESOS_MESOS_PORTS',
    default: '31000-32000',
    help: 'host ports each node offers Mesos frameworks, as begin-end (empty: none)',
  },
  mesosCallRate: {
    flag: 'mesos-call-rate',
    env: 'KMESOS_MESOS_CALL_RATE',
    default: '100',
    help: 'Mesos API calls per second each framework may make',
  },
} as const satisfies Record<keyof Config, Option>;

export class ConfigError extends Error {}

function positiveInt(name: string, value: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new ConfigError(`${name}: ${JSON.stringify(value)} is not an integer ≥ ${min}`);
  return n;
}

function bool(name: string, value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ConfigError(`${name}: ${JSON.stringify(value)} is not true or false`);
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function portRange(value: string): PortRange | undefined {
  if (value.trim() === '') return undefined;
  const range = parsePortRange(value);
  if (!range)
    throw new ConfigError(`--mesos-ports: ${JSON.stringify(value)} is not a port range such as 31000-32000`);
  return range;
}

/** Parses flags and environment into a Config, naming the option in any error. */
export function parseConfig(argv: string[], env: Readonly<Record<string, string | undefined>>): Config {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(Object.values(OPTIONS).map((o) => [o.flag, { type: 'string' as const }])),
    strict: true,
  });
  const get = (key: keyof Config): string => {
    const o = OPTIONS[key];
    const v = values[o.flag];
    return typeof v === 'string' ? v : (env[o.env] ?? o.default);
  };
  const logLevel = get('logLevel');
  if (!['error', 'warn', 'info', 'debug'].includes(logLevel)) {
    throw new ConfigError(`--log-level: ${JSON.stringify(logLevel)} is not one of error, warn, info, debug`);
  }
  const namespaces = list(get('namespaces'));
  const mesosNamespace = get('mesosNamespace') || namespaces[0] || 'default';
  if (namespaces.length > 0 && !namespaces.includes(mesosNamespace))
    throw new ConfigError(`--mesos-namespace: ${mesosNamespace} is not one of the served --namespaces`);
  return {
    kubeconfig: get('kubeconfig') || undefined,
    namespaces,
    nodeSelector: get('nodeSelector'),
    leaderElect: bool('--leader-elect', get('leaderElect')),
    leaseNamespace: get('leaseNamespace'),
    leaseName: get('leaseName'),
    identity: get('identity') || `${hostname()}-${process.pid}`,
    leaseDurationSeconds: positiveInt('--lease-duration-seconds', get('leaseDurationSeconds')),
    renewDeadlineSeconds: positiveInt('--renew-deadline-seconds', get('renewDeadlineSeconds')),
    retryPeriodSeconds: positiveInt('--retry-period-seconds', get('retryPeriodSeconds')),
    httpHost: get('httpHost'),
    httpPort: positiveInt('--http-port', get('httpPort'), 0),
    advertiseHost: get('advertiseHost') || hostname(),
    logLevel: logLevel as Config['logLevel'],
    cycleIntervalMs: positiveInt('--cycle-interval-ms', get('cycleIntervalMs')),
    batchWindowMs: positiveInt('--batch-window-ms', get('batchWindowMs'), 0),
    offerTimeoutMs: positiveInt('--offer-timeout-ms', get('offerTimeoutMs')),
    launchConcurrency: positiveInt('--launch-concurrency', get('launchConcurrency')),
    statusConcurrency: positiveInt('--status-concurrency', get('statusConcurrency')),
    taskStatusDelayMs: positiveInt('--task-status-delay-ms', get('taskStatusDelayMs'), 0),
    heapGrowthPercent: positiveInt('--heap-growth-percent', get('heapGrowthPercent'), 0),
    defaultImage: get('defaultImage'),
    fairnessExcludedResources: list(get('fairnessExcludedResources')),
    preemptionMinRuntimeSeconds: positiveInt(
      '--preemption-min-runtime-seconds',
      get('preemptionMinRuntimeSeconds'),
      0,
    ),
    maxPreemptionsPerCycle: positiveInt('--max-preemptions-per-cycle', get('maxPreemptionsPerCycle'), 0),
    mesosNamespace,
    mesosHeartbeatSeconds: positiveInt('--mesos-heartbeat-seconds', get('mesosHeartbeatSeconds')),
    mesosAnonymous: bool('--mesos-anonymous', get('mesosAnonymous')),
    mesosCredentialsSecret: get('mesosCredentialsSecret'),
    mesosCallRate: positiveInt('--mesos-call-rate', get('mesosCallRate')),
    mesosPorts: portRange(get('mesosPorts')),
  };
}
