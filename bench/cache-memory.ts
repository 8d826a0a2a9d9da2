/**
 * Heap held by the operator's watch caches, by object kind (`node --expose-gc
 * dist/bench/cache-memory.js`); prints one JSON document.
 *
 * For each kind, N objects shaped as the API server returns them (managedFields, kubelet
 * status, a Deployment's pod spec; kmesos' pods as the launcher builds them) are parsed
 * from JSON, as a watch delivers them, and stored in a ClusterState either whole or trimmed
 * as the operator's watches trim them (cluster/trim.ts). The heap growth after a full GC,
 * divided by N, is the cost of one cached object.
 *
 * Flags: --pods N (20000, foreign and kmesos' each) --nodes N (2000) --tasks N (20000).
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { taskObject } from '../src/api/test-builders.js';
import type { Task } from '../src/api/types.js';
import { ClusterState } from '../src/cluster/state.js';
import { trimCustom, trimInPlace, trimNode, trimPod } from '../src/cluster/trim.js';
import { foreignPod, node, ownPod, task } from './lib/api-objects.js';
import { flags } from './lib/flags.js';

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('run with node --expose-gc');
  g();
  g();
}

interface KindFigure {
  objects: number;
  wholeBytesPerObject: number;
  trimmedBytesPerObject: number;
  ratio: number;
}

/** Bytes of heap one cached object holds, whole or trimmed. */
function measure(
  n: number,
  make: (i: number) => object,
  store: (s: ClusterState, o: object, trim: boolean) => void,
): KindFigure {
  const bytes = (trim: boolean): number => {
    // Serialised up front so the parse (what a watch does) makes each object's own strings.
    const json = Array.from({ length: n }, (_, i) => JSON.stringify(make(i)));
    const state = new ClusterState();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (const j of json) store(state, JSON.parse(j) as object, trim);
    gc();
    const after = process.memoryUsage().heapUsed;
    // Both stay alive until measured: the JSON was in `before`, the state is what is measured.
    if (state.pods.size + state.nodes.size + state.tasks.size === 0 || json.length !== n)
      throw new Error('nothing stored');
    return (after - before) / n;
  };
  const whole = bytes(false);
  const trimmed = bytes(true);
  return {
    objects: n,
    wholeBytesPerObject: Math.round(whole),
    trimmedBytesPerObject: Math.round(trimmed),
    ratio: Math.round((trimmed / whole) * 100) / 100,
  };
}

function main(): void {
  const { num } = flags(process.argv.slice(2));
  const pods = num('pods', 20_000);
  const nodes = num('nodes', 2_000);
  const tasks = num('tasks', 20_000);
  const templateTask = taskObject('t');
  const out = {
    nodejs: process.version,
    foreignPod: measure(pods, foreignPod, (s, o, trim) =>
      s.upsertPod(trim ? trimInPlace(o as V1Pod, trimPod) : o),
    ),
    kmesosPod: measure(
      pods,
      (i) => ownPod({ ...templateTask, metadata: { ...templateTask.metadata, name: `task-${i}` } }, i),
      (s, o, trim) => s.upsertPod(trim ? trimInPlace(o as V1Pod, trimPod) : o),
    ),
    node: measure(nodes, node, (s, o, trim) =>
      s.upsert('node', trim ? trimInPlace(o as V1Node, trimNode) : o),
    ),
    task: measure(tasks, task, (s, o, trim) =>
      s.upsert('task', trim ? trimInPlace(o as Task, trimCustom) : o),
    ),
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

main();
