/**
 * kmesos on real nodes (kubelet, containerd and runc, see dev/real-node.ts): tasks run in
 * real containers, so exit codes, the OOM killer, signals, environment and arguments are
 * the kernel's and the runtime's, not a fake kubelet's. Needs root and cgroups; two nodes
 * are started against the project's local control plane and must leave nothing behind.
 */
import { Watch, type V1ContainerStatus, type V1Pod } from '@kubernetes/client-node';
import { startRealNode, type RealNode } from '../../dev/real-node.js';
import { LABELS } from '../../src/api/constants.js';
import type { Task } from '../../src/api/types.js';
import { hostFootprint, type HostFootprint } from './host-footprint.js';
import { localPlane } from './local-plane.js';
import { Scenario } from '../integration/operator-harness.js';
import { eventually, kubeConfig } from '../integration/support.js';

const kc = kubeConfig();
const small = { cpu: '100m', memory: '64Mi' };

describe('kmesos on real nodes', () => {
  let s!: Scenario;
  let nodes: RealNode[] = [];
  const names = (): string[] => nodes.map((n) => n.name);
  let before: HostFootprint;
  let tornDown = false;

  beforeAll(async () => {
    before = await hostFootprint();
    s = new Scenario(kc);
    await s.setup();
    for (const index of [0, 1]) {
      nodes.push(
        await startRealNode(localPlane(kc), {
          name: `real-${index}-${s.pool}`,
          index,
          labels: { 'kmesos.io/pool': s.pool },
        }),
      );
    }
    await s.framework('f');
    await s.framework('nobody', { taskDefaults: { runAsUser: 65534 } });
    await s.startOperator();
  }, 600_000);

  afterAll(async () => {
    if (!tornDown) await s?.teardown();
    for (const node of nodes) await node.stop();
  }, 120_000);

  afterEach(() => {
    expect(s.operator?.errors() ?? []).toEqual([]);
    expect(nodes.flatMap((n) => n.crashed())).toEqual([]);
  });

  const finalState = async (name: string, timeoutMs = 90_000): Promise<Task> =>
    eventually(
      async () => {
        const task = await s.task(name);
        expect(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED']).toContain(task.status?.state);
        return task;
      },
      timeoutMs,
      250,
    );

  it('runs a command task in a container on a real node and reports its real exit code', async () => {
    await s.tasks('ok', 1, { framework: 'f', resources: small, command: 'sleep 1; exit 0' });
    await s.tasks('bad', 1, {
      framework: 'f',
      resources: small,
      command: 'sleep 1; exit 3',
      retry: { maxAttempts: 1 },
    });
    const ok = await finalState('ok-0');
    expect(ok.status?.state).toBe('TASK_FINISHED');
    expect(names()).toContain(ok.status?.nodeName);
    const bad = await finalState('bad-0');
    expect(bad.status).toMatchObject({ state: 'TASK_FAILED', exitCode: 3 });
    expect(names()).toContain(bad.status?.nodeName);
    const pods = await s.pods();
    const okPod = pods.find((p) => p.metadata?.labels?.[LABELS.task] === 'ok-0');
    // A real runtime ran it: the pod got an address on the node's bridge and a container ID.
    expect(okPod?.status?.podIP).toMatch(/^10\.251\.[01]\.\d+$/);
    expect(okPod?.status?.containerStatuses?.[0]?.containerID).toMatch(/^containerd:\/\//);
  });

  it('reports a task over its memory limit as killed by the kernel for it', async () => {
    // dd's 256 MiB block is touched as it is read, far past the 32 MiB limit.
    await s.tasks('oom', 1, {
      framework: 'f',
      resources: { cpu: '100m', memory: '32Mi' },
      command: 'dd if=/dev/zero of=/dev/null bs=256M count=1',
      retry: { maxAttempts: 1 },
    });
    const task = await finalState('oom-0');
    expect(task.status).toMatchObject({ state: 'TASK_FAILED', reason: 'REASON_CONTAINER_LIMITATION_MEMORY' });
  });

  it('passes environment and arguments to the process exactly as written', async () => {
    const value = `two  spaces, $HOME, "quotes", 'single', a\\backslash`;
    await s.tasks('env', 1, {
      framework: 'f',
      resources: small,
      env: [{ name: 'KMESOS_TEST_VALUE', value }],
      command: 'printf %s "$KMESOS_TEST_VALUE" > /dev/termination-log',
    });
    const args = ['a b', '$HOME', '', '*', '"x"'];
    await s.custom.createNamespacedCustomObject({
      group: 'kmesos.io',
      version: 'v1alpha1',
      namespace: s.namespace,
      plural: 'tasks',
      body: {
        apiVersion: 'kmesos.io/v1alpha1',
        kind: 'Task',
        metadata: { name: 'args-0' },
        spec: {
          framework: 'nobody',
          resources: small,
          container: {
            image: 'busybox:1.37',
            command: ['sh', '-c', 'for a in "$@"; do printf "[%s]" "$a"; done > /dev/termination-log', 'sh'],
            args,
          },
        },
      },
    });
    for (const name of ['env-0', 'args-0'])
      expect((await finalState(name)).status?.state).toBe('TASK_FINISHED');
    const pods = await s.pods();
    const message = (task: string): string | undefined =>
      pods.find((p) => p.metadata?.labels?.[LABELS.task] === task)?.status?.containerStatuses?.[0]?.state
        ?.terminated?.message;
    expect(message('env-0')).toBe(value);
    expect(message('args-0')).toBe(args.map((a) => `[${a}]`).join(''));
  });

  it('kills a Task with SIGTERM, then SIGKILL once its grace period is over', async () => {
    const grace = 3;
    // The task notes when SIGTERM came and keeps going; each loop notes it is still alive.
    const command = [
      'term=none',
      "trap 'term=$(date +%s)' TERM",
      'while true; do echo "term=$term alive=$(date +%s)" > /dev/termination-log; sleep 0.2; done',
    ].join('; ');
    await s.tasks('kill', 1, { framework: 'f', resources: small, command, killGracePeriodSeconds: grace });
    await s.waitForStates('kill', 'TASK_RUNNING', 1, 90_000);
    const last = new Map<string, V1ContainerStatus>();
    const watch = await new Watch(kc).watch(
      `/api/v1/namespaces/${s.namespace}/pods`,
      {},
      (_type: string, pod: V1Pod) => {
        const status = pod.status?.containerStatuses?.[0];
        if (pod.metadata?.labels?.[LABELS.task] === 'kill-0' && status?.state?.terminated)
          last.set(pod.metadata.name ?? '', status);
      },
      () => undefined,
    );
    try {
      // Wait for the container to be running (its first note) before killing it.
      await eventually(async () => {
        const pod = (await s.pods()).find((p) => p.metadata?.labels?.[LABELS.task] === 'kill-0');
        expect(pod?.status?.containerStatuses?.[0]?.state?.running).toBeDefined();
      });
      await s.custom.deleteNamespacedCustomObject({
        group: 'kmesos.io',
        version: 'v1alpha1',
        namespace: s.namespace,
        plural: 'tasks',
        name: 'kill-0',
        propagationPolicy: 'Foreground',
      });
      const ended = await eventually(
        () => {
          const status = [...last.values()][0];
          expect(status).toBeDefined();
          return status?.state?.terminated;
        },
        60_000,
        100,
      );
      // 137: killed by SIGKILL; it had survived SIGTERM for the grace period (in whole seconds).
      expect(ended?.exitCode).toBe(137);
      // Matched as a string first, so a failure shows what the task last wrote.
      expect(ended?.message?.trim()).toMatch(/^term=\d+ alive=\d+$/);
      const m = /^term=(\d+) alive=(\d+)$/.exec(ended?.message?.trim() ?? '');
      expect(Number(m?.[2]) - Number(m?.[1])).toBeGreaterThanOrEqual(grace - 1);
    } finally {
      watch.abort();
    }
  });

  it("serves a task's output through the API server, as kubectl logs reads it", async () => {
    await s.tasks('logs', 1, {
      framework: 'f',
      resources: small,
      command: 'echo "out of $0"; echo "to stderr" >&2',
    });
    expect((await finalState('logs-0')).status?.state).toBe('TASK_FINISHED');
    const pod = (await s.pods()).find((p) => p.metadata?.labels?.[LABELS.task] === 'logs-0');
    const log = await s.core.readNamespacedPodLog({
      name: pod?.metadata?.name ?? '',
      namespace: s.namespace,
    });
    // stdout and stderr are two pipes: their lines arrive in either order.
    expect(log.split('\n').sort()).toEqual(['', 'out of sh', 'to stderr']);
  });

  it('retries a task that really failed on the other node', async () => {
    await s.tasks('retry', 1, {
      framework: 'f',
      resources: small,
      command: 'exit 1',
      retry: { maxAttempts: 2, backoffSeconds: 0 },
    });
    const task = await finalState('retry-0');
    expect(task.status).toMatchObject({ state: 'TASK_FAILED', exitCode: 1 });
    const attempts = (await s.pods()).filter((p) => p.metadata?.labels?.[LABELS.task] === 'retry-0');
    expect(attempts).toHaveLength(2);
    const used = attempts.map((p) => p.spec?.nodeName).sort();
    expect(used).toEqual(names().sort());
  });

  it('leaves nothing behind on the host once stopped', async () => {
    tornDown = true;
    await s.teardown();
    for (const node of nodes) await node.stop();
    nodes = [];
    expect(await hostFootprint()).toEqual(before);
  });
});
