import { EXECUTOR_TOKEN_VARIABLE } from '../launcher/pod.js';
import type { V1Container, V1ManagedFieldsEntry, V1Node, V1Pod } from '@kubernetes/client-node';
import { frameworkObject, taskObject, taskPod } from '../api/test-builders.js';
import { foreignPodReason } from '../launcher/own-pod.js';
import { buildModel } from '../master/model.js';
import { clusterInputs, node as masterNode } from '../master/test-inputs.js';
import { isTerminalPod, podRequests } from '../resources/index.js';
import { attributesOf, mesosOffer } from '../scheduler/external/offer-view.js';
import { nodeHealth } from '../status/task-state.js';
import { agentFromNode } from './agents.js';
import { taskKeyOfPod } from './state.js';
import { trimCustom, trimInPlace, trimMetadata, trimNode, trimPod } from './trim.js';

const MANAGED: V1ManagedFieldsEntry[] = [
  { manager: 'kubelet', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': {} } },
];
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** A node as a kubelet reports it: with the parts no reader uses. */
function fullNode(over: Partial<V1Node> = {}): V1Node {
  const base = masterNode('n1');
  return {
    apiVersion: 'v1',
    kind: 'Node',
    ...base,
    metadata: {
      ...base.metadata,
      resourceVersion: '42',
      managedFields: MANAGED,
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'kwok.x-k8s.io/node': 'fake' },
    },
    spec: {
      podCIDR: '10.0.0.0/24',
      providerID: 'kwok://n1',
      unschedulable: true,
      taints: [
        {
          key: 'node.kubernetes.io/unschedulable',
          effect: 'NoSchedule',
          timeAdded: new Date('2025-01-02T00:00:00Z'),
        },
        { key: 'gpu', value: 'yes', effect: 'NoSchedule' },
      ],
    },
    status: {
      ...base.status,
      capacity: { cpu: '16', memory: '64Gi' },
      images: [{ names: ['registry.k8s.io/pause:3.10'], sizeBytes: 300_000 }],
      nodeInfo: {
        architecture: 'amd64',
        bootID: '',
        containerRuntimeVersion: 'containerd://2',
        kernelVersion: '6',
        kubeProxyVersion: '',
        kubeletVersion: 'v1.36',
        machineID: '',
        operatingSystem: 'linux',
        osImage: '',
        systemUUID: '',
      },
    },
    ...over,
  };
}

function container(
  name: string,
  resources: V1Container['resources'],
  extra: Partial<V1Container> = {},
): V1Container {
  return {
    name,
    image: 'busybox',
    command: ['sh', '-c', 'sleep 3600'],
    env: [{ name: 'A', value: 'x'.repeat(100) }],
    volumeMounts: [{ name: 'token', mountPath: '/var/run/secrets' }],
    resources,
    ...extra,
  };
}

/** A pod kmesos did not launch, as the API server returns it. */
function foreignPod(spec: Partial<V1Pod['spec']> = {}, phase = 'Running'): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-1',
      namespace: 'apps',
      uid: 'uid-web-1',
      resourceVersion: '7',
      labels: { app: 'web' },
      annotations: { [LAST_APPLIED]: '{}' },
      managedFields: MANAGED,
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs', controller: true },
      ],
    },
    spec: {
      nodeName: 'n1',
      containers: [container('app', { requests: { cpu: '500m', memory: '1Gi' } })],
      volumes: [{ name: 'token', projected: { sources: [] } }],
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }],
      ...spec,
    },
    status: {
      phase,
      podIP: '10.0.0.9',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'app', image: 'busybox', imageID: '', ready: true, restartCount: 0 }],
    },
  };
}

describe('trimNode', () => {
  const full = fullNode();
  const trimmed = trimNode(full);

  it('drops what no reader uses', () => {
    expect(trimmed.metadata?.managedFields).toBeUndefined();
    expect(trimmed.metadata?.annotations).toBeUndefined();
    expect(trimmed.status?.images).toBeUndefined();
    expect(trimmed.status?.nodeInfo).toBeUndefined();
    expect(trimmed.spec?.podCIDR).toBeUndefined();
  });

  it.each<[string, (n: V1Node) => unknown]>([
    ['the agent view', (n) => agentFromNode(n, { cpu: 1000 }, undefined)],
    ['the agent view of a NotReady node', (n) => agentFromNode(notReady(n), {}, undefined)],
    ['the node health', (n) => nodeHealth(n)],
    ['the master model', (n) => buildModel(clusterInputs({ nodes: [n] })).agents],
    ['the offer attributes', (n) => attributesOf(n)],
    [
      'the Mesos offer',
      (n) =>
        mesosOffer(
          {
            offerId: 'o1',
            frameworkId: 'ns/fw',
            agentId: 'uid-n1',
            hostname: 'n1',
            role: '*',
            resources: { cpu: 1000 },
            expiresAt: null,
          },
          n,
          { frameworkId: 'f1', gpus: false, multiRole: true, ports: [] },
        ),
    ],
    ['the key and version', (n) => [n.metadata?.name, n.metadata?.uid, n.metadata?.resourceVersion]],
  ])('reads the same %s', (_name, read) => {
    expect(read(trimmed)).toEqual(read(full));
  });

  function notReady(n: V1Node): V1Node {
    return { ...n, status: { ...n.status, conditions: [{ type: 'Ready', status: 'False' }] } };
  }
});

describe('trimPod: a foreign pod', () => {
  it.each<[string, V1Pod]>([
    ['plain containers', foreignPod()],
    [
      'init containers and a sidecar',
      foreignPod({
        initContainers: [
          container('init', { requests: { cpu: '2', memory: '100Mi' } }),
          container('proxy', { requests: { cpu: '100m' } }, { restartPolicy: 'Always' }),
        ],
      }),
    ],
    ['overhead', foreignPod({ overhead: { cpu: '250m', memory: '120Mi' } })],
    ['pod-level requests', foreignPod({ resources: { requests: { cpu: '3' }, limits: { cpu: '4' } } })],
    [
      'limits standing in for requests',
      foreignPod({ containers: [container('app', { limits: { cpu: '1' } })] }),
    ],
    ['a terminal pod', foreignPod({}, 'Succeeded')],
    ['an unbound pod', foreignPod({ nodeName: undefined })],
  ])('%s: same requests, node and terminal-ness; nothing else', (_name, full) => {
    const trimmed = trimPod(full);
    expect(podRequests(trimmed)).toEqual(podRequests(full));
    expect(isTerminalPod(trimmed)).toBe(isTerminalPod(full));
    expect(trimmed.spec?.nodeName).toBe(full.spec?.nodeName);
    expect(taskKeyOfPod(trimmed)).toBeUndefined();
    expect(trimmed.metadata).toEqual({
      name: 'web-1',
      namespace: 'apps',
      uid: 'uid-web-1',
      resourceVersion: '7',
    });
    expect(trimmed.status).toEqual({ phase: full.status?.phase });
    for (const c of [...(trimmed.spec?.containers ?? []), ...(trimmed.spec?.initContainers ?? [])]) {
      expect(Object.keys(c).sort()).toEqual(expect.arrayContaining(['name', 'resources']));
      expect(c.env).toBeUndefined();
      expect(c.command).toBeUndefined();
    }
    expect(trimmed.spec?.volumes).toBeUndefined();
  });

  it('a pod labelled as kmesos but controlled by no Task stays foreign', () => {
    const p = foreignPod();
    p.metadata = { ...p.metadata, labels: { 'app.kubernetes.io/managed-by': 'kmesos' } };
    expect(trimPod(p).metadata?.labels).toBeUndefined();
  });
});

describe('trimPod: a kmesos pod', () => {
  const task = taskObject('t1');
  function ownPod(phase: string): V1Pod {
    const p = taskPod(task, 1, phase);
    return {
      ...p,
      metadata: {
        ...p.metadata,
        resourceVersion: '9',
        managedFields: MANAGED,
        annotations: { 'kmesos.io/agent-id': 'uid-n1', 'kmesos.io/offer-id': 'o-1', team: 'ml' },
        deletionTimestamp: new Date(5),
      },
      spec: {
        ...p.spec,
        containers: [container('task', { requests: { cpu: '1' }, limits: { memory: '1Gi' } })],
      },
      status: {
        ...p.status,
        reason: 'Evicted',
        message: 'low on ephemeral-storage',
        containerStatuses: [
          {
            name: 'task',
            image: 'busybox',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: {
              terminated: {
                exitCode: 137,
                reason: 'OOMKilled',
                startedAt: new Date(1),
                finishedAt: new Date(2),
              },
            },
          },
        ],
      },
    };
  }

  it.each(['Pending', 'Running', 'Failed'])(
    '%s: keeps metadata and status, drops managedFields and the containers but their requests',
    (phase) => {
      const full = ownPod(phase);
      const trimmed = trimPod(full);
      expect(trimmed.metadata).toEqual({ ...full.metadata, managedFields: undefined });
      expect(trimmed.metadata).not.toHaveProperty('managedFields');
      expect(trimmed.status).toBe(full.status);
      expect(podRequests(trimmed)).toEqual(podRequests(full));
      expect(taskKeyOfPod(trimmed)).toBe(taskKeyOfPod(full));
      expect(foreignPodReason(task, trimmed, 1)).toBe(foreignPodReason(task, full, 1));
      expect(trimmed.spec?.nodeName).toBe('n1');
      expect(trimmed.spec?.containers[0]?.command).toBeUndefined();
    },
  );

  it("keeps a custom executor's token, which a new leader reads back, and no other variable", () => {
    const full = ownPod('Running');
    const executor = {
      ...container('executor', { requests: { cpu: '1' } }),
      env: [
        { name: 'MESOS_FRAMEWORK_ID', value: 'f' },
        { name: EXECUTOR_TOKEN_VARIABLE, value: 'secret-token' },
      ],
    };
    const trimmed = trimPod({ ...full, spec: { ...full.spec, containers: [executor] } });
    expect(trimmed.spec?.containers[0]?.env).toEqual([
      { name: EXECUTOR_TOKEN_VARIABLE, value: 'secret-token' },
    ]);
    // A foreign pod keeps no environment at all.
    const foreign = trimPod({ metadata: { name: 'x' }, spec: { containers: [executor] } });
    expect(foreign.spec?.containers[0]?.env).toBeUndefined();
  });
});

describe('trimCustom and trimMetadata', () => {
  it.each([
    ['a Task', taskObject('t1')],
    ['a Framework', frameworkObject('fw')],
  ])('%s keeps spec, status, kind and other annotations', (_name, obj) => {
    const full = {
      ...obj,
      metadata: {
        ...obj.metadata,
        managedFields: MANAGED,
        annotations: { [LAST_APPLIED]: '{"x":1}', team: 'ml' },
      },
    };
    const trimmed = trimCustom(full);
    expect(trimmed).toEqual({ ...obj, metadata: { ...obj.metadata, annotations: { team: 'ml' } } });
  });

  it.each([
    ['no annotations', { name: 'a' }, { name: 'a' }],
    ['only last-applied', { name: 'a', annotations: { [LAST_APPLIED]: '{}' } }, { name: 'a' }],
    ['other annotations', { name: 'a', annotations: { b: 'c' } }, { name: 'a', annotations: { b: 'c' } }],
    ['managedFields', { name: 'a', managedFields: MANAGED }, { name: 'a' }],
  ])('metadata with %s', (_name, meta, want) => {
    expect(trimMetadata(meta)).toEqual(want);
  });
});

describe('trimInPlace', () => {
  /** Trims a fresh object in place; returns it, what trim makes of another copy, and it trimmed again. */
  function inPlace<T extends object>(
    make: () => T,
    trim: (o: T) => T,
  ): { obj: T; out: T; want: T; again: T } {
    const obj = make();
    const want = trim(make());
    const out = trimInPlace(obj, trim);
    return { obj, out, want, again: trimInPlace(out, trim) };
  }

  it.each([
    ['a node', () => inPlace(fullNode, trimNode)],
    ['a foreign pod', () => inPlace(() => foreignPod(), trimPod)],
    ['a kmesos pod', () => inPlace(() => taskPod(taskObject('t1'), 1), trimPod)],
    ['a Task', () => inPlace(() => taskObject('t1'), trimCustom)],
  ])('%s: the same object, holding the trimmed fields, and trimming again changes nothing', (_name, run) => {
    const { obj, out, want, again } = run();
    expect(out).toBe(obj);
    expect(out).toEqual(want);
    expect(again).toEqual(want);
  });
});
