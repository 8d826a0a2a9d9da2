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
 * An Established CRD can still answer 503 ("Resource kind … not found") for a few seconds
 * while the API server installs its handler: wait until a list of it succeeds.
 */
async function untilServed(
  custom: CustomObjectsApi,
  crd: V1CustomResourceDefinition,
  deadline: number,
): Promise<void> {
  const version = crd.spec.versions.find((v) => v.served)?.name ?? '';
  for (;;) {
    try {
      await custom.listClusterCustomObject({
        group: crd.spec.group,
        version,
        plural: crd.spec.names.plural,
        limit: 1,
      });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
