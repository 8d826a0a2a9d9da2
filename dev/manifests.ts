import {
  ApiextensionsV1Api,
  CustomObjectsApi,
  type V1CustomResourceDefinition,
  KubernetesObjectApi,
  PatchStrategy,
  loadAllYaml,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Reads every object of the YAML files in a folder (sorted by name, kustomization.yaml aside) or of one file. */
export async function readManifests(path: string): Promise<KubernetesObject[]> {
  const files = path.endsWith('.yaml')
    ? [path]
    : (await readdir(path))
        // kustomization.yaml lets `kubectl apply -k` use the folder; it is no object to apply.
        .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
        .sort()
        .map((f) => join(path, f));
  const objects: KubernetesObject[] = [];
  for (const file of files) {
    const docs = loadAllYaml(await readFile(file, 'utf8')) as (KubernetesObject | null)[];
    objects.push(...docs.filter((d): d is KubernetesObject => d !== null && typeof d === 'object'));
  }
  return objects;
}

/** Server-side applies objects as kubectl apply --server-side would, and waits for CRDs to be established. */
export async function applyManifests(kc: KubeConfig, objects: KubernetesObject[]): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(kc);
  for (const obj of objects) {
    await client.patch(obj, undefined, undefined, 'kmesos', true, PatchStrategy.ServerSideApply);
  }
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  for (const obj of objects.filter((o) => o.kind === 'CustomResourceDefinition')) {
    const name = obj.metadata?.name ?? '';
    const deadline = Date.now() + 30_000;
    for (;;) {
      const crd = await ext.readCustomResourceDefinition({ name });
      if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) {
        await untilServed(custom, crd, deadline);
        break;
      }
      if (Date.now() > deadline) throw new Error(`CRD ${name} was not established within 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * An Established CRD can still answer 503 ("Resource kind … not found") for a few seconds:
 * its handler, and the admission policies' view of the new kind, are installed afterwards.
 * Wait until a dry-run create of one of its objects gets past admission (any answer but
 * 503 or 404 will do: an empty spec may well be refused as invalid).
 */
async function untilServed(
  custom: CustomObjectsApi,
  crd: V1CustomResourceDefinition,
  deadline: number,
): Promise<void> {
  const version = crd.spec.versions.find((v) => v.served)?.name ?? '';
  const { group } = crd.spec;
  const plural = crd.spec.names.plural;
  const body = {
    apiVersion: `${group}/${version}`,
    kind: crd.spec.names.kind,
    metadata: { name: 'served-probe' },
    spec: {},
  };
  for (;;) {
    try {
      if (crd.spec.scope === 'Namespaced')
        await custom.createNamespacedCustomObject({
          group,
          version,
          plural,
          namespace: 'default',
          body,
          dryRun: 'All',
        });
      else await custom.createClusterCustomObject({ group, version, plural, body, dryRun: 'All' });
      return;
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code !== 503 && code !== 404) return;
      if (Date.now() > deadline) throw err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
