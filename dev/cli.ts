/**
 * Developer command line: `up` starts a local control plane with fake nodes (and kmesos when
 * built), `nodes …` changes fake nodes on any cluster.
 *
 *   node dist/dev/cli.js up [--nodes 4] [--real-nodes 0] [--no-operator] [--examples DIR] [-- kmesos flags…]
 *   node dist/dev/cli.js nodes create NAME [--cpu 16 --memory 64Gi --gpus 1 --zone z --label k=v]
 *   node dist/dev/cli.js nodes (not-ready|ready|cordon|uncordon|delete) NAME
 */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { spawn } from 'node:child_process';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startControlPlane } from './controlplane.js';
import { cordonNode, createFakeNode, createFakeNodes, deleteNode, setNodeReady } from './fake-nodes.js';
import { applyManifests, readManifests } from './manifests.js';
import { OPERATOR_NODE_ARGS } from './processes.js';
import { startRealNode, type RealNode } from './real-node.js';

const repoRoot = resolve(import.meta.dirname, '../..');

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function loadKubeConfig(path?: string): KubeConfig {
  const kc = new KubeConfig();
  if (path) kc.loadFromFile(path);
  else kc.loadFromDefault();
  return kc;
}

async function up(argv: string[]): Promise<void> {
  const split = argv.indexOf('--');
  const args = split < 0 ? argv : argv.slice(0, split);
  const operatorArgs = split < 0 ? [] : argv.slice(split + 1);
  const { values } = parseArgs({
    args,
    options: {
      nodes: { type: 'string', default: '4' },
      // Nodes with a kubelet, containerd and runc that run real containers (root only).
      'real-nodes': { type: 'string', default: '0' },
      'no-operator': { type: 'boolean', default: false },
      examples: { type: 'string', default: join(repoRoot, 'examples') },
    },
  });
  // The plane is outside this process group: every way this command is asked to end stops it.
  // Before the plane is up, or at a second signal, exiting SIGKILLs whatever of it has started.
  let shutdown = (): void => process.exit(130);
  let signalled = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (signalled) process.exit(130);
      signalled = true;
      shutdown();
    });
  }
  const plane = await startControlPlane({
    realNodeEgress: values['real-nodes'] !== '0',
    ownProcessGroup: true,
    log: (m) => console.log(`[control plane] ${m}`),
  });
  const stableKubeconfig = join(repoRoot, '.cache', 'kubeconfig');
  // .cache may not exist when KMESOS_CACHE keeps the binaries elsewhere.
  await mkdir(dirname(stableKubeconfig), { recursive: true });
  await copyFile(plane.kubeconfig, stableKubeconfig);
  const kc = loadKubeConfig(plane.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  let operator: ReturnType<typeof spawn> | undefined;
  const realNodes: RealNode[] = [];
  const stopAll = async (): Promise<void> => {
    // The operator first, so it can free its lease while the API server still answers.
    const child = operator;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    }
    for (const node of realNodes) await node.stop();
    await plane.stop();
    process.exit(0);
  };
  shutdown = () => void stopAll();

  if (await exists(join(repoRoot, 'crds')))
    await applyManifests(kc, await readManifests(join(repoRoot, 'crds')));
  const count = Number.parseInt(values.nodes, 10);
  await createFakeNodes(core, count, (i) => ({
    name: `node-${i}`,
    cpu: '8',
    memory: '32Gi',
    zone: `zone-${i % 2}`,
    region: 'local',
  }));
  console.log(`[control plane] created ${count} fake nodes`);
  const realCount = Number.parseInt(values['real-nodes'], 10);
  if (!Number.isInteger(realCount) || realCount < 0)
    throw new Error(`--real-nodes wants a count, not ${values['real-nodes']}`);
  for (let i = 0; i < realCount; i++) {
    realNodes.push(
      await startRealNode(plane, {
        name: `real-${i}`,
        index: i,
        log: (m) => console.log(`[real nodes] ${m}`),
      }),
    );
  }

  const main = join(repoRoot, 'dist/bin/kmesos.mjs');
  if (!values['no-operator'] && (await exists(main))) {
    // Local only: Mesos schedulers may call without credentials (flags after `--` can say otherwise).
    operator = spawn(
      process.execPath,
      ['--enable-source-maps', ...OPERATOR_NODE_ARGS, main, '--mesos-anonymous=true', ...operatorArgs],
      {
        stdio: 'inherit',
        env: { ...process.env, KUBECONFIG: plane.kubeconfig },
      },
    );
    operator.on('exit', (code) => console.log(`[kmesos] exited with ${code}`));
    if (await exists(values.examples)) await applyManifests(kc, await readManifests(values.examples));
  }
  console.log(
    [
      '',
      'kmesos local cluster is up. In another shell:',
      `  export KUBECONFIG=${stableKubeconfig}`,
      '  kubectl get nodes',
      '  kubectl get kmesos -A',
      `Web UI: http://127.0.0.1:${httpPort(operatorArgs)}/`,
      `Mesos master URL (the v1 Scheduler API): http://127.0.0.1:${httpPort(operatorArgs)}, e.g.`,
      `  python3 examples/mesos-framework/sleep_framework.py --master http://127.0.0.1:${httpPort(operatorArgs)} \\`,
      '    --label kmesos.io/fake-exit-code=0 --label kmesos.io/fake-run-duration=5s',
      `Logs of the control plane: ${plane.dir}`,
      'Press Ctrl-C to stop everything.',
      '',
    ].join('\n'),
  );
}

async function nodes(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      kubeconfig: { type: 'string' },
      cpu: { type: 'string' },
      memory: { type: 'string' },
      'ephemeral-storage': { type: 'string' },
      pods: { type: 'string' },
      gpus: { type: 'string' },
      zone: { type: 'string' },
      region: { type: 'string' },
      label: { type: 'string', multiple: true },
    },
  });
  const [action, name] = positionals;
  if (!action || !name) throw new Error('usage: nodes (create|not-ready|ready|cordon|uncordon|delete) NAME');
  const core = loadKubeConfig(values.kubeconfig).makeApiClient(CoreV1Api);
  switch (action) {
    case 'create': {
      const labels = Object.fromEntries(
        (values.label ?? []).map((l) => {
          const i = l.indexOf('=');
          if (i <= 0) throw new Error(`--label ${l}: want key=value`);
          return [l.slice(0, i), l.slice(i + 1)];
        }),
      );
      await createFakeNode(core, {
        name,
        cpu: values.cpu,
        memory: values.memory,
        ephemeralStorage: values['ephemeral-storage'],
        pods: values.pods,
        gpus: values.gpus,
        zone: values.zone,
        region: values.region,
        labels,
      });
      return;
    }
    case 'not-ready':
      return setNodeReady(core, name, false);
    case 'ready':
      return setNodeReady(core, name, true);
    case 'cordon':
      return cordonNode(core, name, true);
    case 'uncordon':
      return cordonNode(core, name, false);
    case 'delete':
      return deleteNode(core, name);
    default:
      throw new Error(`unknown nodes action ${action}`);
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'up') return up(rest);
  if (command === 'nodes') return nodes(rest);
  throw new Error('usage: cli.js (up|nodes) …');
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

/** The operator's HTTP port as its flags set it (8080 by default). */
function httpPort(args: readonly string[]): string {
  const flag = [...args].reverse().find((a) => a.startsWith('--http-port='));
  return flag ? flag.slice('--http-port='.length) : '8080';
}
