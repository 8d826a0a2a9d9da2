import { CoreV1Api, CustomObjectsApi, type V1Pod } from '@kubernetes/client-node';
import { GROUP, VERSION } from '../../src/api/constants.js';
import { errorMessage, isConflict, isNotFound } from '../../src/kube/errors.js';
import { ObjectWriter } from '../../src/kube/object-writer.js';
import { makeInstrumentedApiClient } from '../../src/metrics/kube-requests.js';
import { createNamespace, kubeConfig } from './support.js';

const kc = kubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const custom = kc.makeApiClient(CustomObjectsApi);

function pod(name: string): V1Pod {
  return {
    metadata: { name, labels: { app: 'writer-test' } },
    spec: { nodeName: 'nowhere', containers: [{ name: 'c', image: 'busybox' }] },
  };
}

function countingWriter(calls: string[]): ObjectWriter {
  return makeInstrumentedApiClient(
    kc,
    ObjectWriter,
    { countApiRequest: (verb, resource, code) => calls.push(`${verb} ${resource} ${String(code)}`) },
    'kmesos-test',
  );
}

describe('ObjectWriter against the API server', () => {
  it('creates a pod, meets 409 for a second, and a clear error for a bad one; every request counted', async () => {
    const ns = await createNamespace(core, 'writer');
    const calls: string[] = [];
    const writer = countingWriter(calls);
    const path = `/api/v1/namespaces/${ns}/pods`;
    await writer.create(path, { apiVersion: 'v1', kind: 'Pod', ...pod('p') });
    const created = await core.readNamespacedPod({ namespace: ns, name: 'p' });
    expect(created.spec?.nodeName).toBe('nowhere');
    expect(created.metadata?.labels).toEqual({ app: 'writer-test' });

    const again = await writer
      .create(path, { apiVersion: 'v1', kind: 'Pod', ...pod('p') })
      .catch((e: unknown) => e);
    expect(isConflict(again)).toBe(true);
    expect(errorMessage(again)).toMatch(/^409: .*already exists/);

    const bad = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad' }, spec: { containers: [] } };
    const invalid = await writer.create(path, bad).catch((e: unknown) => e);
    expect(errorMessage(invalid)).toMatch(/^422: .*spec\.containers/);

    expect(calls).toEqual(['create pods 201', 'create pods 409', 'create pods 422']);
  });

  it('merge-patches a status subresource and answers the object; 404 and 422 as the server says', async () => {
    const ns = await createNamespace(core, 'writer-status');
    const calls: string[] = [];
    const writer = countingWriter(calls);
    await custom.createNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: ns,
      plural: 'tasks',
      body: {
        apiVersion: `${GROUP}/${VERSION}`,
        kind: 'Task',
        metadata: { name: 't' },
        spec: { framework: 'fw', resources: { cpu: '1' }, command: 'true' },
      },
    });
    const path = `/apis/${GROUP}/${VERSION}/namespaces/${ns}/tasks/t/status`;
    const first = (await writer.mergePatch(path, {
      status: { state: 'TASK_STAGING', attempt: 1 },
    })) as { metadata?: { resourceVersion?: string }; status?: object };
    expect(first.status).toEqual({ state: 'TASK_STAGING', attempt: 1 });
    // A merge patch sets what it names and keeps the rest; null removes a key.
    const second = (await writer.mergePatch(path, {
      status: { state: 'TASK_RUNNING', attempt: null },
    })) as typeof first;
    expect(second.status).toEqual({ state: 'TASK_RUNNING' });
    expect(Number(second.metadata?.resourceVersion)).toBeGreaterThan(Number(first.metadata?.resourceVersion));
    const read = (await custom.getNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: ns,
      plural: 'tasks',
      name: 't',
    })) as typeof first & { spec?: object };
    expect(read.status).toEqual({ state: 'TASK_RUNNING' });
    expect(read.metadata?.resourceVersion).toBe(second.metadata?.resourceVersion);

    const gone = await writer
      .mergePatch(`/apis/${GROUP}/${VERSION}/namespaces/${ns}/tasks/nope/status`, { status: {} })
      .catch((e: unknown) => e);
    expect(isNotFound(gone)).toBe(true);
    const invalid = await writer.mergePatch(path, { status: { state: 'RUNNING' } }).catch((e: unknown) => e);
    expect(errorMessage(invalid)).toMatch(/^422: .*status\.state/);

    expect(calls).toEqual([
      'patch tasks/status 200',
      'patch tasks/status 200',
      'patch tasks/status 404',
      'patch tasks/status 422',
    ]);
  });
});
