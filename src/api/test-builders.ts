/** Builders of API objects for unit tests: complete enough to pass through the operator's code, overridable where a test cares. */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { LABELS, MANAGED_BY } from './constants.js';
import type { Framework, Task } from './types.js';

export function taskObject(
  name: string,
  over: { namespace?: string; framework?: string; resources?: Record<string, string>; uid?: string } = {},
): Task {
  return {
    apiVersion: 'kmesos.io/v1alpha1',
    kind: 'Task',
    metadata: {
      name,
      namespace: over.namespace ?? 'ns',
      uid: over.uid ?? `uid-${name}`,
      generation: 1,
      creationTimestamp: new Date(0),
    },
    spec: {
      framework: over.framework ?? 'fw',
      resources: over.resources ?? { cpu: '1' },
      command: 'true',
      priority: 0,
      preemptible: true,
      killGracePeriodSeconds: 30,
      retry: { maxAttempts: 1, backoffSeconds: 0, backoffFactor: 2, maxBackoffSeconds: 300 },
    },
  };
}

export function frameworkObject(
  name: string,
  over: { namespace?: string; role?: string; scheduler?: 'Builtin' | 'External' } = {},
): Framework {
  return {
    apiVersion: 'kmesos.io/v1alpha1',
    kind: 'Framework',
    metadata: { name, namespace: over.namespace ?? 'ns', uid: `uid-${name}`, generation: 1 },
    spec: {
      role: over.role ?? '*',
      scheduler: over.scheduler ?? 'Builtin',
      failoverTimeoutSeconds: 0,
      suppressed: false,
      placement: 'Spread',
      offerFilters: { refuseSeconds: 5 },
      taskDefaults: {},
    },
  } as unknown as Framework;
}

export function readyNode(
  name: string,
  allocatable: Record<string, string> = { cpu: '4', memory: '8Gi' },
): V1Node {
  return {
    metadata: { name, uid: `uid-${name}`, labels: { 'kubernetes.io/hostname': name } },
    status: { allocatable, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

/** A kmesos pod of a task's attempt, owned by the Task. */
export function taskPod(task: Task, attempt: number, phase = 'Running', nodeName = 'n1'): V1Pod {
  const name = `${task.metadata.name ?? ''}-${attempt}`;
  return {
    metadata: {
      name,
      namespace: task.metadata.namespace ?? '',
      labels: {
        [LABELS.managedBy]: MANAGED_BY,
        [LABELS.framework]: task.spec.framework,
        [LABELS.attempt]: String(attempt),
      },
      ownerReferences: [
        {
          apiVersion: 'kmesos.io/v1alpha1',
          kind: 'Task',
          name: task.metadata.name ?? '',
          uid: task.metadata.uid ?? '',
          controller: true,
        },
      ],
    },
    spec: {
      nodeName,
      containers: [
        { name: 'task', image: 'x', resources: { requests: task.spec.resources as Record<string, string> } },
      ],
    },
    status: { phase },
  };
}
