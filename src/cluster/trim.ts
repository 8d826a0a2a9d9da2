/**
 * What the watch caches keep of each object: exactly the fields kmesos reads, so that a
 * cluster of 150,000 pods costs the operator its node names and requests, not the pods.
 *
 * Readers of each kind (keep this list in step when a reader starts reading a new field):
 *  - Node: cluster/agents.ts (name, uid, labels, taints, unschedulable, Ready, allocatable),
 *    master/model.ts (InternalIP, kubelet port, creationTimestamp, the unschedulable taint's
 *    timeAdded), status/task-state.ts nodeHealth (Ready), scheduler/external offer-view.ts
 *    and maintenance.ts (uid, labels, InternalIP, kubelet port, unschedulable).
 *  - kmesos' own pod: launcher/own-pod.ts (name, labels, controller owner, nodeName),
 *    controllers/ (annotations, deletionTimestamp, namespace), status/task-state.ts (the
 *    whole status), resources/pod.ts podRequests (what a foreign pod keeps too),
 *    scheduler/executor/hub.ts (a custom executor's token in its container's env).
 *  - A foreign pod: cluster/state.ts only: its node, whether it is terminal, its requests
 *    as resources/pod.ts podRequests counts them.
 *  - Task, Framework, ResourceRole: read nearly whole (the launcher builds pods from a
 *    Task's spec; the master shows it), so only what no one reads is dropped.
 * Every object keeps name, namespace and resourceVersion: the informer keys and compares by them.
 *
 * The functions are pure; `trimInPlace` makes the informer's own cache, which holds the same
 * object as ClusterState, hold the trimmed one too.
 */
import type { V1Container, V1Node, V1ObjectMeta, V1Pod, V1PodSpec } from '@kubernetes/client-node';
import { EXECUTOR_TOKEN_VARIABLE } from '../launcher/pod.js';
import { taskKeyOfPod } from './state.js';

/** kubectl's copy of the last applied object: as large as the object, read by no one here. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function pick<T extends object, K extends keyof T>(obj: T | undefined, keys: readonly K[]): Pick<T, K> {
  const out: Partial<T> = {};
  if (obj === undefined) return out as Pick<T, K>;
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out as Pick<T, K>;
}

const IDENTITY: ReadonlyArray<keyof V1ObjectMeta> = ['name', 'namespace', 'uid', 'resourceVersion'];

/** Metadata without managedFields and kubectl's last-applied annotation; everything else kept. */
export function trimMetadata(meta: V1ObjectMeta | undefined): V1ObjectMeta | undefined {
  if (meta === undefined) return undefined;
  const out: V1ObjectMeta = { ...meta };
  delete out.managedFields;
  if (meta.annotations !== undefined && LAST_APPLIED in meta.annotations) {
    const annotations = { ...meta.annotations };
    delete annotations[LAST_APPLIED];
    if (Object.keys(annotations).length > 0) out.annotations = annotations;
    else delete out.annotations;
  }
  return out;
}

/** Tasks, Frameworks and ResourceRoles: metadata trimmed, spec and status kept. */
export function trimCustom<T extends { metadata?: V1ObjectMeta }>(obj: T): T {
  return { ...obj, metadata: trimMetadata(obj.metadata) };
}

export function trimNode(node: V1Node): V1Node {
  const out: V1Node = {
    metadata: pick(node.metadata, [...IDENTITY, 'labels', 'creationTimestamp']),
  };
  if (node.spec !== undefined) out.spec = pick(node.spec, ['taints', 'unschedulable']);
  if (node.status !== undefined)
    out.status = pick(node.status, ['allocatable', 'conditions', 'addresses', 'daemonEndpoints']);
  return out;
}

/** A container as podRequests reads it. */
function requestsOnly(c: V1Container): V1Container {
  const out: V1Container = { name: c.name };
  if (c.resources !== undefined) out.resources = pick(c.resources, ['requests', 'limits']);
  if (c.restartPolicy !== undefined) out.restartPolicy = c.restartPolicy;
  return out;
}

/** Of kmesos' own containers also a custom executor's token, which a new leader reads back. */
function ownContainer(c: V1Container): V1Container {
  const out = requestsOnly(c);
  const token = c.env?.filter((e) => e.name === EXECUTOR_TOKEN_VARIABLE);
  if (token !== undefined && token.length > 0) out.env = token;
  return out;
}

/** The spec fields podRequests and the node binding read. */
function requestSpec(spec: V1PodSpec, container: (c: V1Container) => V1Container = requestsOnly): V1PodSpec {
  const out: V1PodSpec = { containers: spec.containers.map(container) };
  if (spec.initContainers !== undefined) out.initContainers = spec.initContainers.map(requestsOnly);
  if (spec.nodeName !== undefined) out.nodeName = spec.nodeName;
  if (spec.overhead !== undefined) out.overhead = spec.overhead;
  if (spec.resources?.requests !== undefined) out.resources = { requests: spec.resources.requests };
  return out;
}

/**
 * kmesos' own pods (labelled managed-by kmesos, controlled by a Task) keep their metadata and
 * status, which decide the Task's state; any other pod keeps its node, phase and requests.
 */
export function trimPod(pod: V1Pod): V1Pod {
  const own = taskKeyOfPod(pod) !== undefined;
  const out: V1Pod = {
    metadata: own ? trimMetadata(pod.metadata) : pick(pod.metadata, IDENTITY),
  };
  if (pod.spec !== undefined) out.spec = requestSpec(pod.spec, own ? ownContainer : requestsOnly);
  if (pod.status !== undefined) out.status = own ? pod.status : pick(pod.status, ['phase']);
  return out;
}

/**
 * Makes `target` hold exactly `trimmed`'s fields and returns it. The informer caches the very
 * object it hands to its handlers, so trimming it in place frees the dropped parts from both caches.
 */
export function trimInPlace<T extends object>(target: T, trim: (obj: T) => T): T {
  const trimmed = trim(target);
  const t = target as Record<string, unknown>;
  for (const k of Object.keys(t)) if (!(k in trimmed)) delete t[k];
  Object.assign(t, trimmed);
  return target;
}
