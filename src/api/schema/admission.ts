/**
 * The admission policy that lets a quantity be a float, as in a Pod (`cpu: 1.5`).
 *
 * Why a policy and not a schema: a structural schema has no number-or-string type.
 * `x-kubernetes-int-or-string` admits integers and strings only (the API server refuses 1.5 with
 * "must be of type integer,string"), and `x-kubernetes-preserve-unknown-fields` would admit anything
 * and leave the value out of every CEL rule. A Pod accepts the float because its quantity type reads
 * JSON numbers itself; here a MutatingAdmissionPolicy, which runs before the schema is checked, turns
 * each float of a quantity map into the same number as a string ("1.5"), which the quantity rules in
 * common.ts then judge like any other. Integers are left as they are.
 *
 * The maps are found in the schemas themselves (every map whose values are `quantity`), so a new
 * quantity map is covered without a change here.
 */
import { GROUP } from '../constants.js';
import type { Schema } from './builders.js';
import { quantity } from './common.js';
import type { CustomResourceDefinition } from './crds.js';

export interface MutatingAdmissionPolicy {
  readonly apiVersion: 'admissionregistration.k8s.io/v1';
  readonly kind: 'MutatingAdmissionPolicy';
  readonly metadata: { readonly name: string; readonly labels: { readonly [key: string]: string } };
  readonly spec: {
    readonly matchConstraints: {
      readonly matchPolicy: 'Equivalent';
      readonly namespaceSelector: Record<string, never>;
      readonly objectSelector: Record<string, never>;
      readonly resourceRules: readonly {
        readonly apiGroups: readonly string[];
        readonly apiVersions: readonly string[];
        readonly operations: readonly string[];
        readonly resources: readonly string[];
        readonly scope: '*';
      }[];
    };
    readonly failurePolicy: 'Fail';
    readonly reinvocationPolicy: 'Never';
    readonly mutations: readonly {
      readonly patchType: 'JSONPatch';
      readonly jsonPatch: { readonly expression: string };
    }[];
  };
}

export interface MutatingAdmissionPolicyBinding {
  readonly apiVersion: 'admissionregistration.k8s.io/v1';
  readonly kind: 'MutatingAdmissionPolicyBinding';
  readonly metadata: { readonly name: string; readonly labels: { readonly [key: string]: string } };
  readonly spec: { readonly policyName: string };
}

/** The property paths under `root` of the maps whose values are quantities, e.g. ['spec', 'resources']. */
export function quantityMaps(root: Schema, path: readonly string[] = []): string[][] {
  if (root.additionalProperties === quantity) return [[...path]];
  return Object.entries(root.properties ?? {}).flatMap(([name, s]) => quantityMaps(s, [...path, name]));
}

/** CEL: JSON patches that replace each float of the map at `path` by its string form. */
export function floatsToStrings(path: readonly string[]): string {
  const field = ['object', ...path].join('.');
  const present = path.map((_, i) => `has(${['object', ...path.slice(0, i + 1)].join('.')})`).join(' && ');
  const patch = `JSONPatch{op: 'replace', path: '/${path.join('/')}/' + jsonpatch.escapeKey(r), value: string(${field}[r])}`;
  return `${present} ? ${field}.filter(r, type(${field}[r]) == double).map(r, ${patch}) : []`;
}

/** The file in crds/ that holds the policy and its binding. */
export const ADMISSION_FILE = 'kmesos.io_admission.yaml';

const NAME = `quantities.${GROUP}`;
const labels = { 'app.kubernetes.io/part-of': 'kmesos' };

/** The policy and its binding (cluster-wide, for every kind with a quantity map). */
export function quantityPolicy(
  crds: readonly CustomResourceDefinition[],
): [MutatingAdmissionPolicy, MutatingAdmissionPolicyBinding] {
  const kinds = crds
    .map((crd) => ({
      plural: crd.spec.names.plural,
      paths: quantityMaps(crd.spec.versions[0]?.schema.openAPIV3Schema ?? { description: '' }),
    }))
    .filter((k) => k.paths.length > 0);
  const policy: MutatingAdmissionPolicy = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingAdmissionPolicy',
    metadata: { name: NAME, labels },
    spec: {
      // Spelled out as the API server defaults it: matchConstraints is atomic for server-side
      // apply, so two appliers of this file (kubectl, the test setup) would otherwise conflict.
      matchConstraints: {
        matchPolicy: 'Equivalent',
        namespaceSelector: {},
        objectSelector: {},
        resourceRules: [
          {
            apiGroups: [GROUP],
            apiVersions: ['*'],
            operations: ['CREATE', 'UPDATE'],
            resources: kinds.map((k) => k.plural),
            scope: '*',
          },
        ],
      },
      // Every expression is guarded by has(): it cannot fail on an object of another kind.
      failurePolicy: 'Fail',
      reinvocationPolicy: 'Never',
      mutations: [...new Set(kinds.flatMap((k) => k.paths.map((p) => floatsToStrings(p))))].map(
        (expression) => ({ patchType: 'JSONPatch', jsonPatch: { expression } }),
      ),
    },
  };
  const binding: MutatingAdmissionPolicyBinding = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingAdmissionPolicyBinding',
    metadata: { name: NAME, labels },
    spec: { policyName: NAME },
  };
  return [policy, binding];
}
