import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { Framework, ResourceRole, Task } from '../api/types.js';
import { LABELS, MANAGED_BY } from '../api/constants.js';
import { joinKey, objectKey } from '../api/keys.js';
import { add, isTerminalPod, podRequests, subtractClamped, type Resources } from '../resources/index.js';

export type Kind = 'node' | 'pod' | 'framework' | 'task' | 'role';

/** The task key (namespace/name) of a kmesos pod: its controlling owner, since labels may be shortened. */
export function taskKeyOfPod(pod: V1Pod): string | undefined {
  if (pod.metadata?.labels?.[LABELS.managedBy] !== MANAGED_BY) return undefined;
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Task');
  return owner ? joinKey(pod.metadata.namespace, owner.name) : undefined;
}

/**
 * The watch caches of every kind kmesos reads, with the indexes a cycle needs: the requests
 * of foreign pods per node (kept incrementally, so a cycle never sums 150,000 pods), the
 * pods of each task, and the pods changed since the last cycle. Event handlers call
 * upsert/remove; a cycle reads. kmesos' own pods are accounted by the allocator as tasks.
 *
 * Invariant: usedByNode[n] = Σ requests of non-terminal foreign pods bound to n, as last seen.
 */
export class ClusterState {
  readonly nodes = new Map<string, V1Node>();
  readonly pods = new Map<string, V1Pod>();
  readonly frameworks = new Map<string, Framework>();
  readonly tasks = new Map<string, Task>();
  readonly roles = new Map<string, ResourceRole>();
  private readonly usedByNode = new Map<string, Resources>();
  private readonly podContribution = new Map<string, { node: string; requests: Resources }>();
  private readonly podsByTask = new Map<string, Set<string>>();
  private dirtyPods = new Set<string>();
  /** Nodes whose object or foreign pods changed since the last call of takeDirtyNodes. */
  private dirtyNodes = new Set<string>();
  /** How many cached pods kmesos launched (the rest are foreign), kept as they come and go. */
  private ownPodCount = 0;

  constructor(private readonly onChange: (kind: Kind, key: string) => void = () => undefined) {}

  upsertPod(pod: V1Pod): void {
    const key = objectKey(pod);
    this.dropContribution(key);
    const prev = this.pods.get(key);
    if (prev !== undefined && taskKeyOfPod(prev) !== undefined) this.ownPodCount--;
    this.pods.set(key, pod);
    const node = pod.spec?.nodeName;
    const taskKey = taskKeyOfPod(pod);
    if (taskKey !== undefined) this.ownPodCount++;
    if (node && !taskKey && !isTerminalPod(pod)) {
      const requests = podRequests(pod);
      this.podContribution.set(key, { node, requests });
      this.usedByNode.set(node, add(this.usedByNode.get(node) ?? {}, requests));
      this.dirtyNodes.add(node);
    }
    if (taskKey) {
      this.dirtyPods.add(key);
      let set = this.podsByTask.get(taskKey);
      if (!set) this.podsByTask.set(taskKey, (set = new Set()));
      set.add(key);
    }
    this.onChange('pod', key);
  }

  removePod(pod: V1Pod): void {
    const key = objectKey(pod);
    this.dropContribution(key);
    const prev = this.pods.get(key);
    if (prev !== undefined && taskKeyOfPod(prev) !== undefined) this.ownPodCount--;
    this.pods.delete(key);
    const taskKey = taskKeyOfPod(pod);
    if (taskKey) {
      this.dirtyPods.add(key);
      const set = this.podsByTask.get(taskKey);
      set?.delete(key);
      if (set?.size === 0) this.podsByTask.delete(taskKey);
    }
    this.onChange('pod', key);
  }

  private dropContribution(key: string): void {
    const old = this.podContribution.get(key);
    if (!old) return;
    this.podContribution.delete(key);
    this.dirtyNodes.add(old.node);
    const left = subtractClamped(this.usedByNode.get(old.node) ?? {}, old.requests);
    if (Object.keys(left).length === 0) this.usedByNode.delete(old.node);
    else this.usedByNode.set(old.node, left);
  }

  /** How many cached pods kmesos launched; `pods.size` less this many are foreign. */
  get ownPods(): number {
    return this.ownPodCount;
  }

  /** kmesos pods added, changed or removed since the last call. */
  takeDirtyPods(): Set<string> {
    const dirty = this.dirtyPods;
    this.dirtyPods = new Set();
    return dirty;
  }

  /** Nodes added, changed, removed or whose foreign pods changed since the last call. */
  takeDirtyNodes(): Set<string> {
    const dirty = this.dirtyNodes;
    this.dirtyNodes = new Set();
    return dirty;
  }

  usedByNodeView(): ReadonlyMap<string, Resources> {
    return this.usedByNode;
  }

  podsOfTask(taskKey: string): V1Pod[] {
    const keys = this.podsByTask.get(taskKey);
    if (!keys) return [];
    const out: V1Pod[] = [];
    for (const k of keys) {
      const p = this.pods.get(k);
      if (p) out.push(p);
    }
    return out;
  }

  upsert(kind: 'node' | 'framework' | 'task' | 'role', obj: V1Node | Framework | Task | ResourceRole): void {
    const key = objectKey(obj);
    this.mapOf(kind).set(key, obj);
    if (kind === 'node') this.dirtyNodes.add(key);
    this.onChange(kind, key);
  }

  remove(kind: 'node' | 'framework' | 'task' | 'role', obj: V1Node | Framework | Task | ResourceRole): void {
    const key = objectKey(obj);
    this.mapOf(kind).delete(key);
    if (kind === 'node') this.dirtyNodes.add(key);
    this.onChange(kind, key);
  }

  private mapOf(kind: 'node' | 'framework' | 'task' | 'role'): Map<string, unknown> {
    switch (kind) {
      case 'node':
        return this.nodes;
      case 'framework':
        return this.frameworks;
      case 'task':
        return this.tasks;
      case 'role':
        return this.roles;
    }
  }
}
