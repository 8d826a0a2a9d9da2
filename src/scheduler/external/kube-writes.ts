import { PatchStrategy, setHeaderOptions, type CustomObjectsApi } from '@kubernetes/client-node';
import { GROUP, KINDS, VERSION } from '../../api/constants.js';
import type { Framework, Task } from '../../api/types.js';
import { limited } from '../../util/limiter.js';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** The Framework and Task writes the Mesos scheduler API makes (Tasks' pods go through the launcher). */
export interface ExternalWrites {
  createFramework(namespace: string, body: object): Promise<Framework>;
  patchFramework(namespace: string, name: string, patch: object): Promise<Framework>;
  deleteFramework(namespace: string, name: string): Promise<void>;
  createTask(namespace: string, body: object): Promise<Task>;
  /** Foreground: the Task stays, killing, until its pods are gone. */
  deleteTask(namespace: string, name: string): Promise<void>;
}

/**
 * The writes through client-node. An ACCEPT can launch thousands of tasks: their Task creates
 * go at most `createConcurrency` at a time, first come first served, so the first tasks' pods
 * are created while later Tasks wait, instead of every task's Task create finishing together.
 */
export function kubeWrites(custom: CustomObjectsApi, createConcurrency: number): ExternalWrites {
  const ref = (namespace: string, plural: string) => ({ group: GROUP, version: VERSION, namespace, plural });
  const frameworks = KINDS.framework.plural;
  const tasks = KINDS.task.plural;
  return {
    createFramework: async (namespace, body) =>
      (await custom.createNamespacedCustomObject({ ...ref(namespace, frameworks), body })) as Framework,
    patchFramework: async (namespace, name, patch) =>
      (await custom.patchNamespacedCustomObject(
        { ...ref(namespace, frameworks), name, body: patch },
        mergePatch,
      )) as Framework,
    deleteFramework: async (namespace, name) => {
      await custom.deleteNamespacedCustomObject({ ...ref(namespace, frameworks), name });
    },
    createTask: limited(
      createConcurrency,
      async (namespace: string, body: object) =>
        (await custom.createNamespacedCustomObject({ ...ref(namespace, tasks), body })) as Task,
    ),
    deleteTask: async (namespace, name) => {
      await custom.deleteNamespacedCustomObject({
        ...ref(namespace, tasks),
        name,
        propagationPolicy: 'Foreground',
      });
    },
  };
}
