/**
 * Object keys as the watch caches and queues use them: `namespace/name` for namespaced
 * objects, `name` for cluster-scoped ones (client-go's MetaNamespaceKeyFunc).
 */

interface Named {
  metadata?: { namespace?: string; name?: string };
}

export function joinKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function objectKey(obj: Named): string {
  return joinKey(obj.metadata?.namespace, obj.metadata?.name ?? '');
}

/** The namespace ('' for a cluster-scoped key) and name of a key. */
export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { namespace: '', name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The key of a Task's Framework: always in the Task's own namespace. */
export function frameworkKeyOfTask(task: {
  metadata: { namespace?: string };
  spec: { framework: string };
}): string {
  return joinKey(task.metadata.namespace, task.spec.framework);
}
