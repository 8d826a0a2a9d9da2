import type {
  CoreV1Api,
  CustomObjectsApi,
  KubernetesListObject,
  KubernetesObject,
} from '@kubernetes/client-node';
import { GROUP, KINDS, VERSION } from '../api/constants.js';
import type { InformerHandlers, WatchedKind } from '../cluster/informer.js';
import type { ClusterState } from '../cluster/state.js';
import { trimCustom, trimInPlace, trimNode, trimPod } from '../cluster/trim.js';

export interface WatchScope {
  /** Namespaces whose Frameworks and Tasks are watched; none: all namespaces. */
  namespaces: readonly string[];
  /** Label selector confining kmesos to a pool of nodes. */
  nodeSelector?: string;
}

export interface Watch {
  kind: WatchedKind<KubernetesObject>;
  handlers: InformerHandlers<KubernetesObject>;
}

function customKind(
  custom: CustomObjectsApi,
  plural: string,
  namespace: string | undefined,
): WatchedKind<KubernetesObject> {
  const base = `/apis/${GROUP}/${VERSION}`;
  const path = namespace ? `${base}/namespaces/${namespace}/${plural}` : `${base}/${plural}`;
  const list = (): Promise<KubernetesListObject<KubernetesObject>> =>
    (namespace
      ? custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural })
      : custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural })) as Promise<
      KubernetesListObject<KubernetesObject>
    >;
  return { name: plural, path, list };
}

/**
 * What kmesos watches (Nodes, Pods, ResourceRoles, and Frameworks and Tasks per namespace) and
 * where each event goes. Each object is trimmed to what kmesos reads as it arrives (cluster/trim.ts).
 */
export function watches(
  core: CoreV1Api,
  custom: CustomObjectsApi,
  state: ClusterState,
  scope: WatchScope,
): Watch[] {
  const into = (as: 'node' | 'framework' | 'task' | 'role'): InformerHandlers<KubernetesObject> => {
    const trim = as === 'node' ? trimNode : trimCustom;
    return {
      upsert: (o) => state.upsert(as, trimInPlace(o, trim)),
      remove: (o) => state.remove(as, trimInPlace(o, trim)),
    };
  };
  const selector = scope.nodeSelector ? { labelSelector: scope.nodeSelector } : {};
  const out: Watch[] = [
    {
      kind: { name: 'nodes', path: '/api/v1/nodes', list: () => core.listNode(selector), ...selector },
      handlers: into('node'),
    },
    {
      kind: { name: 'pods', path: '/api/v1/pods', list: () => core.listPodForAllNamespaces() },
      handlers: {
        upsert: (o) => state.upsertPod(trimInPlace(o, trimPod)),
        remove: (o) => state.removePod(trimInPlace(o, trimPod)),
      },
    },
    { kind: customKind(custom, KINDS.resourceRole.plural, undefined), handlers: into('role') },
  ];
  const namespaces = scope.namespaces.length > 0 ? scope.namespaces : [undefined];
  for (const ns of namespaces) {
    out.push({ kind: customKind(custom, KINDS.framework.plural, ns), handlers: into('framework') });
    out.push({ kind: customKind(custom, KINDS.task.plural, ns), handlers: into('task') });
  }
  return out;
}
