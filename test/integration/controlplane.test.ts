import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  Watch,
  setHeaderOptions,
  type V1CustomResourceDefinition,
  type V1Node,
  type V1Pod,
} from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createFakeNode, isNodeReady, setNodeReady, cordonNode, deleteNode } from '../../dev/fake-nodes.js';
import { createNamespace, eventually, kubeConfig, uniqueName } from './support.js';

const run = promisify(execFile);
const kc = kubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

function widgetCrd(group: string): V1CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', properties: { size: { type: 'integer' } } },
                status: { type: 'object', properties: { phase: { type: 'string' } } },
              },
            },
          },
        },
      ],
    },
  };
}

function boundPod(name: string, node: string, exitCode: number, reason?: string): V1Pod {
  const annotations: Record<string, string> = {
    'kmesos.io/fake-exit-code': String(exitCode),
    'kmesos.io/fake-run-duration': '1s',
  };
  if (reason) annotations['kmesos.io/fake-reason'] = reason;
  return {
    metadata: { name, annotations },
    spec: {
      nodeName: node,
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      containers: [{ name: 'main', image: 'busybox', resources: { requests: { cpu: '100m' } } }],
    },
  };
}

/** Marks a node NotReady the way setNodeReady does, minus the annotation that stops kwok healing it. */
async function makeNotReadyWithoutAnnotation(name: string): Promise<V1Node> {
  const conditions = ((await core.readNodeStatus({ name })).status?.conditions ?? []).map((c) =>
    c.type === 'Ready' ? { ...c, status: 'False', reason: 'KubeletNotReady' } : c,
  );
  return core.patchNodeStatus({ name, body: { status: { conditions } } }, mergePatch);
}

describe('the local control plane', () => {
  let namespace: string;
  const node = uniqueName('fake');

  beforeAll(async () => {
    namespace = await createNamespace(core, 'plane');
    await createFakeNode(core, { name: node, cpu: '4', memory: '8Gi', zone: 'z1' });
  });

  afterAll(async () => {
    await core.deleteNamespace({ name: namespace });
    await deleteNode(core, node).catch(() => undefined);
  });

  it('serves a CRD whose objects can be created, listed, watched and status-patched', async () => {
    const group = `${uniqueName('t')}.kmesos.io`;
    const ext = kc.makeApiClient(ApiextensionsV1Api);
    const custom = kc.makeApiClient(CustomObjectsApi);
    await ext.createCustomResourceDefinition({ body: widgetCrd(group) });
    await eventually(async () => {
      const crd = await ext.readCustomResourceDefinition({ name: `widgets.${group}` });
      expect(crd.status?.conditions?.find((c) => c.type === 'Established')?.status).toBe('True');
    });

    const ref = { group, version: 'v1', namespace, plural: 'widgets' };
    // Discovery of a new group can lag Established by a moment.
    await eventually(() =>
      custom.createNamespacedCustomObject({
        ...ref,
        body: { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } },
      }),
    );
    // Started once the resource is surely served; a watch from "now" opens with ADDED for w1.
    const seen: string[] = [];
    const ended: unknown[] = [];
    const watch = await new Watch(kc).watch(
      `/apis/${group}/v1/namespaces/${namespace}/widgets`,
      {},
      (type: string, obj: { metadata?: { name?: string }; status?: { phase?: string } }) =>
        seen.push(`${type} ${obj.metadata?.name} ${obj.status?.phase ?? '-'}`),
      (err: unknown) => ended.push(err ?? 'closed'),
    );
    try {
      await eventually(() => expect(seen).toEqual(['ADDED w1 -']));
      const list = (await custom.listNamespacedCustomObject(ref)) as {
        items: { metadata: { name: string } }[];
      };
      expect(list.items.map((i) => i.metadata.name)).toEqual(['w1']);

      await custom.patchNamespacedCustomObjectStatus(
        { ...ref, name: 'w1', body: { status: { phase: 'Ready' } } },
        mergePatch,
      );
      const got = (await custom.getNamespacedCustomObjectStatus({ ...ref, name: 'w1' })) as {
        spec: { size: number };
        status: { phase: string };
      };
      expect(got.status.phase).toBe('Ready');
      expect(got.spec.size).toBe(3);
      await eventually(() => expect(seen).toEqual(['ADDED w1 -', 'MODIFIED w1 Ready']));
      expect(ended).toEqual([]);
    } finally {
      watch.abort();
      await ext.deleteCustomResourceDefinition({ name: `widgets.${group}` });
    }
  });

  it('makes a fake node Ready through kwok, and NotReady, cordoned and Ready again on request', async () => {
    await eventually(async () => expect(isNodeReady(await core.readNode({ name: node }))).toBe(true));
    const ready = await core.readNode({ name: node });
    expect(ready.status?.allocatable).toMatchObject({ cpu: '4', memory: '8Gi' });
    expect(ready.metadata?.labels?.['topology.kubernetes.io/zone']).toBe('z1');

    await setNodeReady(core, node, false);
    // kwok must leave it NotReady rather than heal it. Evidence that kwok has acted since: a
    // probe node made NotReady afterwards, without the annotation, is healed.
    const probe = uniqueName('probe');
    await createFakeNode(core, { name: probe, cpu: '1', memory: '1Gi' });
    try {
      await eventually(async () => expect(isNodeReady(await core.readNode({ name: probe }))).toBe(true));
      const notReady = await makeNotReadyWithoutAnnotation(probe);
      expect(isNodeReady(notReady)).toBe(false);
      await eventually(async () => {
        const healed = await core.readNode({ name: probe });
        expect(healed.metadata?.resourceVersion).not.toBe(notReady.metadata?.resourceVersion);
        expect(isNodeReady(healed)).toBe(true);
      });
    } finally {
      await deleteNode(core, probe).catch(() => undefined);
    }
    expect(isNodeReady(await core.readNode({ name: node }))).toBe(false);

    await cordonNode(core, node, true);
    expect((await core.readNode({ name: node })).spec?.unschedulable).toBe(true);
    await cordonNode(core, node, false);
    await setNodeReady(core, node, true);
    await eventually(async () => expect(isNodeReady(await core.readNode({ name: node }))).toBe(true));
  });

  it('runs a pod bound by nodeName to Running and then Succeeded, and another to Failed with its exit code', async () => {
    await eventually(async () => expect(isNodeReady(await core.readNode({ name: node }))).toBe(true));
    await core.createNamespacedPod({ namespace, body: boundPod('ok', node, 0) });
    await core.createNamespacedPod({ namespace, body: boundPod('bad', node, 3, 'OOMKilled') });

    const phases = new Set<string>();
    await eventually(
      async () => {
        const pod = await core.readNamespacedPod({ namespace, name: 'ok' });
        phases.add(pod.status?.phase ?? '');
        expect(pod.status?.phase).toBe('Succeeded');
      },
      30_000,
      50,
    );
    expect(phases).toContain('Running');

    const failed = await eventually(async () => {
      const pod = await core.readNamespacedPod({ namespace, name: 'bad' });
      expect(pod.status?.phase).toBe('Failed');
      return pod;
    });
    const terminated = failed.status?.containerStatuses?.[0]?.state?.terminated;
    expect(terminated?.exitCode).toBe(3);
    expect(terminated?.reason).toBe('OOMKilled');
  });

  it('answers kubectl with the generated kubeconfig', async () => {
    const { stdout } = await run('kubectl', ['get', 'nodes', node, '-o', 'jsonpath={.metadata.name}'], {
      env: { ...process.env },
    });
    expect(stdout).toBe(node);
    const version = await run('kubectl', ['version', '-o', 'json']);
    const server = (JSON.parse(version.stdout) as { serverVersion: { gitVersion: string; minor: string } })
      .serverVersion;
    expect(server.gitVersion).toMatch(/^v1\.\d+\.\d+/);
    expect(Number.parseInt(server.minor, 10)).toBeGreaterThanOrEqual(34);
  });
});
