import { CoreV1Api, KubeConfig, type V1Namespace } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';

/** The cluster the suite runs against (KUBECONFIG, set by global setup when it starts a local plane). */
export function kubeConfig(): KubeConfig {
  const path = process.env.KUBECONFIG;
  if (!path)
    throw new Error(
      'KUBECONFIG is not set: integration tests need a cluster (see test/integration/global-setup.ts)',
    );
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

/** Creates a namespace and waits for its default ServiceAccount, which pods need. */
export async function createNamespace(core: CoreV1Api, prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  const ns: V1Namespace = { metadata: { name, labels: { 'kmesos.io/test': 'true' } } };
  await core.createNamespace({ body: ns });
  await eventually(async () => {
    await core.readNamespacedServiceAccount({ name: 'default', namespace: name });
  });
  return name;
}

/** Retries an assertion until it passes or the time is up, then throws its last error. */
export async function eventually<T>(
  check: () => Promise<T> | T,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
