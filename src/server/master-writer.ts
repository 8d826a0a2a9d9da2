import {
  PatchStrategy,
  setHeaderOptions,
  type CoreV1Api,
  type CustomObjectsApi,
} from '@kubernetes/client-node';
import { API_VERSION, GROUP, KINDS, LABELS, MANAGED_BY, VERSION } from '../api/constants.js';
import type { MasterWriter, WriteStep } from '../master/index.js';
import { isNotFound } from '../kube/errors.js';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/**
 * The Kubernetes writes of the operator API's write calls (master/operator-writes.ts plans
 * them): node cordons and deletes, task pod deletes, ResourceRole creates and patches.
 */
export function kubeMasterWriter(core: CoreV1Api, custom: CustomObjectsApi): MasterWriter {
  const roles = { group: GROUP, version: VERSION, plural: KINDS.resourceRole.plural };
  const steps: { [K in WriteStep['op']]: (step: Extract<WriteStep, { op: K }>) => Promise<void> } = {
    cordon: async ({ node, unschedulable }) => {
      // null removes the field, as `kubectl uncordon` leaves it.
      const body = { spec: { unschedulable: unschedulable ? true : null } };
      await core.patchNode({ name: node, body }, mergePatch);
    },
    deleteTaskPods: async ({ node, gracePeriodSeconds }) => {
      const pods = await core.listPodForAllNamespaces({
        fieldSelector: `spec.nodeName=${node}`,
        labelSelector: `${LABELS.managedBy}=${MANAGED_BY}`,
      });
      for (const pod of pods.items) {
        const own = pod.spec?.terminationGracePeriodSeconds;
        const grace =
          gracePeriodSeconds === undefined
            ? undefined
            : Math.min(gracePeriodSeconds, own ?? gracePeriodSeconds);
        try {
          await core.deleteNamespacedPod({
            name: pod.metadata?.name ?? '',
            namespace: pod.metadata?.namespace ?? '',
            ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
          });
        } catch (err) {
          // Gone already: what the drain wanted.
          if (!isNotFound(err)) throw err;
        }
      }
    },
    deleteNode: async ({ node }) => {
      await core.deleteNode({ name: node });
    },
    patchResourceRole: async ({ name, patch }) => {
      if (Object.keys(patch).length === 0) return;
      await custom.patchClusterCustomObject({ ...roles, name, body: patch }, mergePatch);
    },
    createResourceRole: async ({ name, spec }) => {
      const body = { apiVersion: API_VERSION, kind: KINDS.resourceRole.kind, metadata: { name }, spec };
      await custom.createClusterCustomObject({ ...roles, body });
    },
  };
  return {
    run: (step) => (steps[step.op] as (s: WriteStep) => Promise<void>)(step),
  };
}
