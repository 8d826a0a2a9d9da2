/**
 * Kubernetes objects shaped as the API server returns them (managedFields, kubelet status, a
 * Deployment's pod spec; kmesos' pods as the launcher builds them), for benchmarks that need
 * realistic sizes.
 */
import type { V1ManagedFieldsEntry } from '@kubernetes/client-node';
import { frameworkObject, taskObject } from '../../src/api/test-builders.js';
import type { Task } from '../../src/api/types.js';
import { buildPod } from '../../src/launcher/pod.js';

const managedFields = (manager: string, fields: Record<string, unknown>): object => ({
  manager,
  operation: 'Update',
  apiVersion: 'v1',
  time: '2026-01-01T00:00:00Z',
  fieldsType: 'FieldsV1',
  fieldsV1: fields,
});

const CONDITION_FIELDS = Object.fromEntries(
  ['Ready', 'ContainersReady', 'Initialized', 'PodScheduled', 'PodReadyToStartContainers'].map((t) => [
    `k:{"type":"${t}"}`,
    { '.': {}, 'f:lastProbeTime': {}, 'f:lastTransitionTime': {}, 'f:status': {}, 'f:type': {} },
  ]),
);

function conditions(types: readonly string[]): object[] {
  return types.map((type) => ({
    type,
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: '2026-01-01T00:00:00Z',
  }));
}

/** A pod of a Deployment, as the API server returns it once the kubelet runs it. */
export function foreignPod(i: number): object {
  const name = `web-7c9f8d6b5-${i}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: 'web-7c9f8d6b5-',
      namespace: 'apps',
      uid: `0b6c2f4e-1a2b-4c3d-8e9f-${String(i).padStart(12, '0')}`,
      resourceVersion: String(100000 + i),
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { app: 'web', 'pod-template-hash': '7c9f8d6b5', tier: 'frontend' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-7c9f8d6b5',
          uid: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      managedFields: [
        managedFields('kube-controller-manager', {
          'f:metadata': { 'f:generateName': {}, 'f:labels': { '.': {}, 'f:app': {}, 'f:tier': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:env': {} } } },
        }),
        managedFields('kubelet', { 'f:status': { 'f:conditions': CONDITION_FIELDS, 'f:podIP': {} } }),
      ],
    },
    spec: {
      nodeName: `node-${i % 500}`,
      containers: [
        {
          name: 'web',
          image: 'registry.example.com/team/web:1.42.0',
          args: ['--port=8080', '--log-level=info'],
          env: ['DB_HOST', 'DB_PORT', 'CACHE_URL', 'REGION', 'FEATURE_FLAGS'].map((n) => ({
            name: n,
            value: `${n.toLowerCase()}-value`,
          })),
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
          readinessProbe: {
            httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' },
            periodSeconds: 10,
            timeoutSeconds: 1,
            successThreshold: 1,
            failureThreshold: 3,
          },
          volumeMounts: [
            {
              name: 'kube-api-access',
              mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
              readOnly: true,
            },
          ],
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      volumes: [
        {
          name: 'kube-api-access',
          projected: {
            defaultMode: 420,
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              {
                downwardAPI: {
                  items: [
                    { path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } },
                  ],
                },
              },
            ],
          },
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      schedulerName: 'default-scheduler',
      tolerations: [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
        {
          key: 'node.kubernetes.io/unreachable',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: {
      phase: 'Running',
      conditions: conditions([
        'PodReadyToStartContainers',
        'Initialized',
        'Ready',
        'ContainersReady',
        'PodScheduled',
      ]),
      hostIP: '10.0.0.1',
      hostIPs: [{ ip: '10.0.0.1' }],
      podIP: `10.244.${i % 250}.${i % 200}`,
      podIPs: [{ ip: `10.244.${i % 250}.${i % 200}` }],
      startTime: '2026-01-01T00:00:00Z',
      qosClass: 'Burstable',
      containerStatuses: [
        {
          name: 'web',
          state: { running: { startedAt: '2026-01-01T00:00:01Z' } },
          lastState: {},
          ready: true,
          restartCount: 0,
          image: 'registry.example.com/team/web:1.42.0',
          imageID:
            'registry.example.com/team/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
          containerID: 'containerd://0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
          started: true,
        },
      ],
    },
  };
}

/** A kmesos pod as the launcher builds it, with the status the kubelet reports. */
export function ownPod(task: Task, i: number): object {
  const pod = buildPod({
    task,
    framework: frameworkObject('fw'),
    attempt: 1,
    nodeName: `node-${i % 500}`,
    agentID: `uid-node-${i % 500}`,
    offerID: `O${i}`,
    defaults: { image: 'busybox:1.36' },
  });
  const base = foreignPod(i) as {
    metadata: { managedFields: unknown; resourceVersion: string; uid: string };
    status: unknown;
  };
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      uid: base.metadata.uid,
      resourceVersion: base.metadata.resourceVersion,
      managedFields: base.metadata.managedFields,
    },
    status: base.status,
  };
}

/** A node as a kubelet (or kwok) reports it, with a few images. */
export function node(i: number): object {
  const name = `node-${i}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: `6a5b4c3d-2e1f-4a0b-9c8d-${String(i).padStart(12, '0')}`,
      resourceVersion: String(200000 + i),
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'topology.kubernetes.io/zone': `zone-${i % 3}`,
        'node.kubernetes.io/instance-type': 'm5.4xlarge',
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
      managedFields: [
        managedFields('kubelet', {
          'f:status': { 'f:conditions': CONDITION_FIELDS, 'f:images': {}, 'f:nodeInfo': {} },
        }),
        managedFields('kube-controller-manager', { 'f:spec': { 'f:podCIDR': {}, 'f:podCIDRs': {} } }),
      ],
    },
    spec: {
      podCIDR: `10.244.${i % 250}.0/24`,
      podCIDRs: [`10.244.${i % 250}.0/24`],
      providerID: `aws:///${name}`,
    },
    status: {
      capacity: { cpu: '16', memory: '65536Mi', pods: '110', 'ephemeral-storage': '100Gi' },
      allocatable: { cpu: '16', memory: '65536Mi', pods: '110', 'ephemeral-storage': '100Gi' },
      conditions: conditions(['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready']),
      addresses: [
        { type: 'InternalIP', address: `10.0.${i % 250}.${i % 200}` },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: 'ec2a1b2c3d4e5f',
        systemUUID: 'ec2a1b2c-3d4e-5f60-7182-93a4b5c6d7e8',
        bootID: '1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901',
        kernelVersion: '6.1.0',
        osImage: 'Debian GNU/Linux 12',
        containerRuntimeVersion: 'containerd://2.0.0',
        kubeletVersion: 'v1.36.0',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      images: Array.from({ length: 10 }, (_, k) => ({
        names: [
          `registry.example.com/team/image-${k}@sha256:${'0'.repeat(64)}`,
          `registry.example.com/team/image-${k}:1.0`,
        ],
        sizeBytes: 100_000_000 + k,
      })),
    },
  };
}

/** A Task as kubectl applied it, with its status. */
export function task(i: number): Task {
  const t = taskObject(`task-${i}`);
  return {
    ...t,
    metadata: {
      ...t.metadata,
      resourceVersion: String(300000 + i),
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ spec: t.spec }) },
      managedFields: [
        managedFields('kubectl', { 'f:spec': { 'f:command': {}, 'f:framework': {}, 'f:resources': {} } }),
        managedFields('kmesos', { 'f:status': { 'f:state': {}, 'f:attempt': {}, 'f:podName': {} } }),
      ] as V1ManagedFieldsEntry[],
    },
    status: {
      state: 'TASK_RUNNING',
      attempt: 1,
      podName: `task-${i}-1`,
      nodeName: `node-${i % 500}`,
      conditions: [],
    } as unknown as Task['status'],
  };
}
