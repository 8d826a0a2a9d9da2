import { GROUP, KINDS, VERSION } from '../api/constants.js';
import type { WatchHandlers, WatchedKind } from '../cluster/list-watcher.js';
import type { ClusterState } from '../cluster/state.js';
import { trimCustom, trimInPlace, trimNode, trimPod } from '../cluster/trim.js';

export interface WatchScope {
  /** Namespaces whose Frameworks and Tasks are watched; none: all namespaces. */
  namespaces: readonly string[];
  /** Label selector confining kmesos to a pool of nodes. */
  nodeSelector?: string;
}

export interface Watch {
  kind: WatchedKind;
  handlers: WatchHandlers;
}

function customKind(plural: string, namespace: string | undefined): WatchedKind {
  const base = `/apis/${GROUP}/${VERSION}`;
  return {
    name: plural,
    path: namespace ? `${base}/namespaces/${namespace}/${plural}` : `${base}/${plural}`,
  };
}

/**
 * What kmesos watches (Nodes, Pods, ResourceRoles, and Frameworks and Tasks per namespace) and
 * where each event goes. Each object is trimmed to what kmesos reads as it arrives (cluster/trim.ts).
 * `podsRelisted` hears of every completed list of pods.
 */
export function watches(
  state: ClusterState,
  scope: WatchScope,
  podsRelisted?: (startedAt: number) => void,
): Watch[] {
  const into = (as: 'node' | 'framework' | 'task' | 'role'): WatchHandlers => {
    const trim = as === 'node' ? trimNode : trimCustom;
    return {
      upsert: (o) => state.upsert(as, trimInPlace(o, trim)),
      remove: (o) => state.remove(as, trimInPlace(o, trim)),
    };
  };
  const out: Watch[] = [
    {
      kind: {
        name: 'nodes',
        path: '/api/v1/nodes',
        ...(scope.nodeSelector ? { labelSelector: scope.nodeSelector } : {}),
      },
      handlers: into('node'),
    },
    {
      kind: { name: 'pods', path: '/api/v1/pods' },
      handlers: {
        upsert: (o) => state.upsertPod(trimInPlace(o, trimPod)),
        remove: (o) => state.removePod(trimInPlace(o, trimPod)),
        ...(podsRelisted ? { relisted: podsRelisted } : {}),
      },
    },
    { kind: customKind(KINDS.resourceRole.plural, undefined), handlers: into('role') },
  ];
  const namespaces = scope.namespaces.length > 0 ? scope.namespaces : [undefined];
  for (const ns of namespaces) {
    out.push({ kind: customKind(KINDS.framework.plural, ns), handlers: into('framework') });
    out.push({ kind: customKind(KINDS.task.plural, ns), handlers: into('task') });
  }
  return out;
}
