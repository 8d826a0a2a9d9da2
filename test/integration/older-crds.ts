/**
 * Objects as an upgrade finds them: stored under CRDs from before a rule existed, so never held to
 * it. The API server does not check stored objects again when a CRD gains rules; the operator's own
 * validation is what stands between such an object and a cycle.
 */
import {
  ApiextensionsV1Api,
  ApiException,
  CustomObjectsApi,
  type KubeConfig,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { resolve } from 'node:path';
import { applyManifests, readManifests } from '../../dev/manifests.js';
import { GROUP, VERSION } from '../../src/api/constants.js';
import { eventually } from './support.js';

const CRD_DIR = resolve(import.meta.dirname, '../../crds');

/** Objects that every rule-bearing CRD of this checkout refuses: a negative quantity of each kind. */
const PROBES = [
  { plural: 'tasks', kind: 'Task', spec: { framework: 'f', command: 'true', resources: { cpu: -1 } } },
  { plural: 'frameworks', kind: 'Framework', spec: { offerFilters: { minAllocatable: { cpu: -1 } } } },
  { plural: 'resourceroles', kind: 'ResourceRole', spec: { quota: { limit: { cpu: -1 } } } },
] as const;

/**
 * Keys of CEL rules and patterns. The client names CEL rules `x_kubernetes_validations` in its typed
 * schema objects but leaves them `x-kubernetes-validations` inside `additionalProperties`, untyped.
 */
const RULE_KEYS = new Set(['x-kubernetes-validations', 'x_kubernetes_validations', 'pattern']);

/** The schema without its CEL rules and patterns, as CRDs had before they gained them. */
function withoutRules(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutRules);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([k]) => !RULE_KEYS.has(k))
      .map(([k, v]) => [k, withoutRules(v)]),
  );
}

/** Whether a dry-run create of every probe is admitted (true) or refused as invalid (false) throughout. */
async function probesAdmitted(custom: CustomObjectsApi, namespace: string): Promise<boolean[]> {
  return Promise.all(
    PROBES.map(async (p) => {
      const body = {
        apiVersion: `${GROUP}/${VERSION}`,
        kind: p.kind,
        metadata: { name: 'probe' },
        spec: p.spec,
      };
      try {
        if (p.plural === 'resourceroles')
          await custom.createClusterCustomObject({
            group: GROUP,
            version: VERSION,
            plural: p.plural,
            body,
            dryRun: 'All',
          });
        else
          await custom.createNamespacedCustomObject({
            group: GROUP,
            version: VERSION,
            namespace,
            plural: p.plural,
            body,
            dryRun: 'All',
          });
        return true;
      } catch (err) {
        if (err instanceof ApiException && err.code === 422) return false;
        throw err;
      }
    }),
  );
}

/**
 * Runs `create` while the kmesos CRDs' specs have no CEL rules or patterns, then applies the CRDs of
 * this checkout again and waits until admission holds again, whatever `create` did.
 */
export async function createUnderOlderCrds<T>(
  kc: KubeConfig,
  namespace: string,
  create: () => Promise<T>,
): Promise<T> {
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  for (const p of PROBES) {
    const name = `${p.plural}.${GROUP}`;
    const crd = await ext.readCustomResourceDefinition({ name });
    const older: V1CustomResourceDefinition = {
      ...crd,
      spec: {
        ...crd.spec,
        versions: crd.spec.versions.map((v) => {
          const root = v.schema?.openAPIV3Schema;
          const spec = root?.properties?.spec;
          if (!root || !spec) return v;
          const properties = { ...root.properties, spec: withoutRules(spec) as typeof spec };
          return { ...v, schema: { openAPIV3Schema: { ...root, properties } } };
        }),
      },
    };
    await ext.replaceCustomResourceDefinition({ name, body: older });
  }
  try {
    // The API server serves a changed CRD after a moment.
    await eventually(async () => expect(await probesAdmitted(custom, namespace)).toEqual([true, true, true]));
    return await create();
  } finally {
    await applyManifests(kc, await readManifests(CRD_DIR));
    await eventually(async () =>
      expect(await probesAdmitted(custom, namespace)).toEqual([false, false, false]),
    );
  }
}
