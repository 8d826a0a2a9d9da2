import {
  PatchStrategy,
  setHeaderOptions,
  type CoreV1Api,
  type V1Node,
  type V1Taint,
} from '@kubernetes/client-node';

/** A fake node kwok plays the kubelet of. Quantities are Kubernetes quantity strings. */
export interface FakeNodeSpec {
  name: string;
  cpu?: string;
  memory?: string;
  ephemeralStorage?: string;
  pods?: string;
  gpus?: string;
  zone?: string;
  region?: string;
  /** Custom attributes, as node labels. */
  labels?: Record<string, string>;
  taints?: V1Taint[];
}

/** The annotation kwok is started to select its nodes by. */
export const FAKE_NODE_ANNOTATION = 'kwok.x-k8s.io/node';
/** Keeps kwok from marking the node Ready again (see dev/kwok-stages.yaml). */
export const FAKE_NOT_READY_ANNOTATION = 'kmesos.io/fake-not-ready';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export function fakeNode(spec: FakeNodeSpec): V1Node {
  const resources: Record<string, string> = {
    cpu: spec.cpu ?? '16',
    memory: spec.memory ?? '64Gi',
    'ephemeral-storage': spec.ephemeralStorage ?? '100Gi',
    pods: spec.pods ?? '110',
  };
  if (spec.gpus !== undefined) resources['nvidia.com/gpu'] = spec.gpus;
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': spec.name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    type: 'kwok',
    ...spec.labels,
  };
  if (spec.zone !== undefined) labels['topology.kubernetes.io/zone'] = spec.zone;
  if (spec.region !== undefined) labels['topology.kubernetes.io/region'] = spec.region;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: spec.name, labels, annotations: { [FAKE_NODE_ANNOTATION]: 'fake' } },
    spec: spec.taints ? { taints: spec.taints } : {},
    status: { allocatable: resources, capacity: resources },
  };
}

export async function createFakeNode(core: CoreV1Api, spec: FakeNodeSpec): Promise<V1Node> {
  return core.createNode({ body: fakeNode(spec) });
}

/** Creates nodes `${prefix}-0 … ${prefix}-(count-1)`, a few at a time. */
export async function createFakeNodes(
  core: CoreV1Api,
  count: number,
  template: (index: number) => FakeNodeSpec,
  concurrency = 32,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await createFakeNode(core, template(next++));
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

export function isNodeReady(node: V1Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Makes a node NotReady (as a kubelet that stopped reporting would) or lets kwok make it Ready again. */
export async function setNodeReady(core: CoreV1Api, name: string, ready: boolean): Promise<void> {
  if (ready) {
    await core.patchNode(
      { name, body: { metadata: { annotations: { [FAKE_NOT_READY_ANNOTATION]: null } } } },
      mergePatch,
    );
    return;
  }
  await core.patchNode(
    { name, body: { metadata: { annotations: { [FAKE_NOT_READY_ANNOTATION]: 'true' } } } },
    mergePatch,
  );
  const node = await core.readNodeStatus({ name });
  const now = new Date();
  const conditions = (node.status?.conditions ?? []).filter((c) => c.type !== 'Ready');
  conditions.push({
    type: 'Ready',
    status: 'False',
    reason: 'KubeletNotReady',
    message: 'kubelet stopped posting node status (simulated)',
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  });
  // A merge patch replaces the whole list, which is what a kubelet's update does too.
  await core.patchNodeStatus({ name, body: { status: { conditions } } }, mergePatch);
}

export async function cordonNode(core: CoreV1Api, name: string, unschedulable = true): Promise<void> {
  await core.patchNode({ name, body: { spec: { unschedulable } } }, mergePatch);
}

export async function deleteNode(core: CoreV1Api, name: string): Promise<void> {
  await core.deleteNode({ name });
}
