/**
 * A pod's resource requests and a node's free capacity, counted the way kube-scheduler
 * counts them (k8s.io/component-helpers/resource PodRequests, NodeResourcesFit):
 *
 *   requests = max( Σ containers + Σ sidecars,  max over init containers in order of
 *                   (that init container + sidecars started before it) ) + overhead
 *
 * where sidecars are init containers with `restartPolicy: Always` (they keep running next
 * to the app containers). Pod-level `spec.resources.requests` (PodLevelResources), when
 * set, replaces the container sum for cpu and memory. A container request missing while
 * its limit is set defaults to the limit, as the API server's defaulting does.
 */
import type { V1Container, V1Node, V1Pod } from '@kubernetes/client-node';
import { add, max, parseResourceList, subtractClamped, type Resources } from './vector.js';

/** Resources whose pod-level request overrides the container aggregate. */
const POD_LEVEL_RESOURCES = ['cpu', 'memory'];

/** The `pods` allocatable is a slot count, not a requested resource: one per non-terminal pod. */
export const PODS = 'pods';

/** A container's requests, defaulting each missing request to its limit. */
export function containerRequests(c: V1Container): Resources {
  const limits = parseResourceList(c.resources?.limits);
  const requests = parseResourceList(c.resources?.requests);
  return { ...limits, ...requests };
}

/** A pod's effective requests as kube-scheduler computes them (see the module comment). */
export function podRequests(pod: V1Pod): Resources {
  const spec = pod.spec;
  if (!spec) return {};
  let reqs: Resources = {};
  for (const c of spec.containers) reqs = add(reqs, containerRequests(c));

  let sidecars: Resources = {};
  let initPeak: Resources = {};
  for (const c of spec.initContainers ?? []) {
    const r = containerRequests(c);
    if (c.restartPolicy === 'Always') {
      reqs = add(reqs, r);
      sidecars = add(sidecars, r);
      initPeak = max(initPeak, sidecars);
    } else {
      initPeak = max(initPeak, add(r, sidecars));
    }
  }
  reqs = max(reqs, initPeak);

  const podLevel = parseResourceList(spec.resources?.requests);
  if (POD_LEVEL_RESOURCES.some((k) => podLevel[k] !== undefined)) {
    const out: Record<string, number> = { ...reqs };
    for (const k of POD_LEVEL_RESOURCES) {
      const v = podLevel[k];
      if (v !== undefined) out[k] = v;
    }
    reqs = out;
  }
  return add(reqs, parseResourceList(spec.overhead));
}

/** Succeeded and Failed pods hold no resources. */
export function isTerminalPod(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** A node's `status.allocatable`, parsed exactly. */
export function nodeAllocatable(node: V1Node): Resources {
  return parseResourceList(node.status?.allocatable);
}

/**
 * Σ requests of the non-terminal pods among `pods`, plus one `pods` slot each.
 * The caller chooses which pods count (e.g. only foreign pods, for an agent's `used`).
 */
export function podsRequests(pods: Iterable<V1Pod>): Resources {
  let sum: Resources = {};
  let count = 0;
  for (const p of pods) {
    if (isTerminalPod(p)) continue;
    sum = add(sum, podRequests(p));
    count++;
  }
  return count === 0 ? sum : add(sum, { [PODS]: count });
}

/**
 * Node free capacity = allocatable − requests of the non-terminal pods bound to it
 * (`spec.nodeName` equal to the node's name), floored at zero per resource.
 */
export function nodeFree(node: V1Node, pods: Iterable<V1Pod>): Resources {
  const name = node.metadata?.name;
  const onNode: V1Pod[] = [];
  for (const p of pods) if (name !== undefined && p.spec?.nodeName === name) onNode.push(p);
  return subtractClamped(nodeAllocatable(node), podsRequests(onNode));
}
