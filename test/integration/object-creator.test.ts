import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { errorMessage, isConflict } from '../../src/kube/errors.js';
import { ObjectCreator } from '../../src/kube/object-creator.js';
import { makeInstrumentedApiClient } from '../../src/metrics/kube-requests.js';
import { createNamespace, kubeConfig } from './support.js';

const kc = kubeConfig();
const core = kc.makeApiClient(CoreV1Api);

function pod(name: string): V1Pod {
  return {
    metadata: { name, labels: { app: 'creator-test' } },
    spec: { nodeName: 'nowhere', containers: [{ name: 'c', image: 'busybox' }] },
  };
}

describe('ObjectCreator against the API server', () => {
  it('creates a pod, meets 409 for a second, and a clear error for a bad one; every request counted', async () => {
    const ns = await createNamespace(core, 'creator');
    const calls: string[] = [];
    const creator = makeInstrumentedApiClient(
      kc,
      ObjectCreator,
      { countApiRequest: (verb, resource, code) => calls.push(`${verb} ${resource} ${String(code)}`) },
      'kmesos-test',
    );
    const path = `/api/v1/namespaces/${ns}/pods`;
    await creator.create(path, { apiVersion: 'v1', kind: 'Pod', ...pod('p') });
    const created = await core.readNamespacedPod({ namespace: ns, name: 'p' });
    expect(created.spec?.nodeName).toBe('nowhere');
    expect(created.metadata?.labels).toEqual({ app: 'creator-test' });

    const again = await creator
      .create(path, { apiVersion: 'v1', kind: 'Pod', ...pod('p') })
      .catch((e: unknown) => e);
    expect(isConflict(again)).toBe(true);
    expect(errorMessage(again)).toMatch(/^409: .*already exists/);

    const bad = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad' }, spec: { containers: [] } };
    const invalid = await creator.create(path, bad).catch((e: unknown) => e);
    expect(errorMessage(invalid)).toMatch(/^422: .*spec\.containers/);

    expect(calls).toEqual(['create pods 201', 'create pods 409', 'create pods 422']);
  });
});
