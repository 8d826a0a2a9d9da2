import { CoreV1Api, CustomObjectsApi, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { GROUP, VERSION } from '../../src/api/constants.js';
import type {
  Framework,
  FrameworkSpecInput,
  ResourceRoleSpecInput,
  Task,
  TaskSpecInput,
} from '../../src/api/types.js';
import type { ReadinessReport } from '../../src/server/health.js';
import { createFakeNodes, type FakeNodeSpec } from '../../dev/fake-nodes.js';
import { createNamespace, eventually, uniqueName } from './support.js';

const repoRoot = resolve(import.meta.dirname, '../..');

export interface OperatorProcessOptions {
  /**
   * What start() waits for: the allocator running (the default: a replica without leader
   * election, or one that must lead), or only the watch caches synced (one that may be a standby).
   */
  readyWhen?: 'leading' | 'synced';
}

/** The body of /readyz (src/server/health.ts). */
export type ReadyzBody = ReadinessReport['body'];

/** A kmesos process (the real entry point, built to dist/) serving one namespace and one pool of nodes. */
export class OperatorProcess {
  readonly logs: string[] = [];
  private child: ChildProcess | undefined;

  constructor(
    private readonly kubeconfig: string,
    private readonly args: string[],
    private readonly options: OperatorProcessOptions = {},
  ) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, [resolve(repoRoot, 'dist/bin/kmesos.mjs'), ...this.args], {
      env: { ...process.env, KUBECONFIG: this.kubeconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let exited: string | undefined;
    child.on('exit', (code, signal) => (exited = `kmesos exited (${code ?? signal})`));
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (l) => this.logs.push(l));
    }
    await eventually(
      () => {
        if (exited) throw new Error(`${exited}:\n${this.logs.slice(-20).join('\n')}`);
        const marker = this.options.readyWhen === 'synced' ? '"caches synced"' : '"allocator running"';
        if (!this.logs.some((l) => l.includes(marker))) throw new Error('kmesos is not running yet');
      },
      60_000,
      50,
    );
  }

  /** SIGKILL: no shutdown, no cleanup, as a crash. */
  kill(): void {
    this.child?.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const done = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await done;
  }

  errors(): string[] {
    return this.logs.filter((l) => l.includes('"level":"error"'));
  }

  /** The URL of its HTTP server, from the "serving metrics and health" log line (--http-port=0 picks the port). */
  get url(): string {
    for (const line of this.logs) {
      if (!line.includes('"serving metrics and health"')) continue;
      const { url } = JSON.parse(line) as { url?: unknown };
      if (typeof url === 'string') return url;
    }
    throw new Error('kmesos has not logged its HTTP address yet');
  }

  /** GET /readyz: whether this replica is ready, and whether it leads. */
  async readyz(): Promise<ReadyzBody> {
    const res = await fetch(`${this.url}/readyz`);
    return (await res.json()) as ReadyzBody;
  }
}

/**
 * One scenario's world: a namespace, a pool of fake nodes only its operator sees, and that
 * operator. Scenarios do not see each other's nodes, tasks or frameworks.
 */
export class Scenario {
  readonly pool: string;
  readonly core: CoreV1Api;
  readonly custom: CustomObjectsApi;
  namespace = '';
  operator: OperatorProcess | undefined;
  /** Further operator processes (standbys, say), stopped at teardown like `operator`. */
  readonly replicas: OperatorProcess[] = [];
  private readonly roles: string[] = [];
  private nodeCount = 0;

  /**
   * `given` names a namespace and pool that exist apart from the scenario (those an operator
   * deployed on the cluster serves); the scenario then neither creates nor deletes the namespace.
   */
  constructor(
    readonly kc: KubeConfig,
    private readonly given: { namespace?: string; pool?: string } = {},
  ) {
    this.pool = given.pool ?? uniqueName('pool');
    this.core = kc.makeApiClient(CoreV1Api);
    this.custom = kc.makeApiClient(CustomObjectsApi);
  }

  async setup(): Promise<void> {
    this.namespace = this.given.namespace ?? (await createNamespace(this.core, 'kmesos'));
  }

  operatorArgs(): string[] {
    return [
      `--namespaces=${this.namespace}`,
      `--node-selector=kmesos.io/pool=${this.pool}`,
      '--leader-elect=false',
      '--http-port=0',
      '--http-host=127.0.0.1',
      '--cycle-interval-ms=250',
      '--batch-window-ms=20',
      '--log-level=info',
    ];
  }

  async startOperator(extra: string[] = []): Promise<OperatorProcess> {
    const path = process.env.KUBECONFIG ?? '';
    this.operator = new OperatorProcess(path, [...this.operatorArgs(), ...extra]);
    await this.operator.start();
    return this.operator;
  }

  /**
   * Starts one more operator on this scenario's namespace and pool, with leader election on
   * the given Lease instead of --leader-elect=false; it need not lead to have started.
   */
  async startReplica(
    lease: { namespace: string; name: string; identity: string },
    extra: string[] = [],
    kubeconfig = process.env.KUBECONFIG ?? '',
  ): Promise<OperatorProcess> {
    const args = [
      ...this.operatorArgs().filter((a) => a !== '--leader-elect=false'),
      '--leader-elect=true',
      `--lease-namespace=${lease.namespace}`,
      `--lease-name=${lease.name}`,
      `--identity=${lease.identity}`,
      ...extra,
    ];
    const replica = new OperatorProcess(kubeconfig, args, { readyWhen: 'synced' });
    this.replicas.push(replica);
    await replica.start();
    return replica;
  }

  async teardown(): Promise<void> {
    const running = [this.operator, ...this.replicas].filter((o) => o !== undefined);
    await Promise.all(running.map((o) => o.stop()));
    const nodes = await this.core.listNode({ labelSelector: `kmesos.io/pool=${this.pool}` });
    await Promise.all(nodes.items.map((n) => this.core.deleteNode({ name: n.metadata?.name ?? '' })));
    for (const name of this.roles) {
      await this.custom
        .deleteClusterCustomObject({ group: GROUP, version: VERSION, plural: 'resourceroles', name })
        .catch(() => undefined);
    }
    if (!this.given.namespace) {
      await this.core.deleteNamespace({ name: this.namespace });
      return;
    }
    for (const plural of ['tasks', 'frameworks']) {
      await this.custom.deleteCollectionNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: this.namespace,
        plural,
      });
    }
  }

  /** Adds nodes to this scenario's pool; returns their names. */
  async nodes(count: number, spec: Omit<FakeNodeSpec, 'name'> = {}): Promise<string[]> {
    const first = this.nodeCount;
    this.nodeCount += count;
    const names = Array.from({ length: count }, (_, i) => `${this.pool}-n${first + i}`);
    await createFakeNodes(this.core, count, (i) => ({
      ...spec,
      name: names[i] ?? '',
      labels: { ...spec.labels, 'kmesos.io/pool': this.pool },
    }));
    return names;
  }

  async role(name: string, spec: ResourceRoleSpecInput): Promise<void> {
    this.roles.push(name);
    await this.custom.createClusterCustomObject({
      group: GROUP,
      version: VERSION,
      plural: 'resourceroles',
      body: { apiVersion: `${GROUP}/${VERSION}`, kind: 'ResourceRole', metadata: { name }, spec },
    });
  }

  async framework(name: string, spec: FrameworkSpecInput = {}): Promise<void> {
    await this.custom.createNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: this.namespace,
      plural: 'frameworks',
      body: { apiVersion: `${GROUP}/${VERSION}`, kind: 'Framework', metadata: { name }, spec },
    });
  }

  /** Creates tasks `${prefix}-0…`; annotations drive the fake kubelet (see dev/kwok-stages.yaml). */
  async tasks(
    prefix: string,
    count: number,
    spec: Omit<TaskSpecInput, 'command' | 'container'> & { command?: string },
    annotations: Record<string, string> = {},
  ): Promise<string[]> {
    const names = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < names.length) {
        const name = names[next++] ?? '';
        await this.custom.createNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace: this.namespace,
          plural: 'tasks',
          body: {
            apiVersion: `${GROUP}/${VERSION}`,
            kind: 'Task',
            metadata: { name, annotations },
            spec: { command: 'true', ...spec },
          },
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(16, count) }, worker));
    return names;
  }

  async task(name: string): Promise<Task> {
    return (await this.custom.getNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: this.namespace,
      plural: 'tasks',
      name,
    })) as Task;
  }

  async allTasks(): Promise<Task[]> {
    const list = (await this.custom.listNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: this.namespace,
      plural: 'tasks',
    })) as { items: Task[] };
    return list.items;
  }

  async getFramework(name: string): Promise<Framework> {
    return (await this.custom.getNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: this.namespace,
      plural: 'frameworks',
      name,
    })) as Framework;
  }

  async pods(): Promise<V1Pod[]> {
    return (await this.core.listNamespacedPod({ namespace: this.namespace })).items;
  }

  /** Task states by task name, as the API server has them. */
  async states(): Promise<Map<string, string | undefined>> {
    return new Map((await this.allTasks()).map((t) => [t.metadata.name ?? '', t.status?.state]));
  }

  /** Waits until `count` tasks whose names start with `prefix` are in `state`. */
  async waitForStates(prefix: string, state: string, count: number, timeoutMs = 60_000): Promise<void> {
    await eventually(
      async () => {
        const n = [...(await this.states())].filter(
          ([k, s]) => k.startsWith(`${prefix}-`) && s === state,
        ).length;
        expect({ prefix, state, count: n }).toEqual({ prefix, state, count });
      },
      timeoutMs,
      200,
    );
  }
}

/** Gives each test of the enclosing describe a fresh Scenario; an error logged by its operator fails the test. */
export function freshScenarioEachTest(kc: KubeConfig, use: (s: Scenario) => void): void {
  let current: Scenario | undefined;
  beforeEach(async () => {
    current = new Scenario(kc);
    use(current);
    await current.setup();
  });
  afterEach(async () => {
    expect(current?.operator?.errors() ?? []).toEqual([]);
    await current?.teardown();
  });
}
