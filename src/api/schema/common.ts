/** Schema pieces shared by the three kinds: quantities, resource maps, conditions, tolerations, env. */
import { bool, int, list, map, obj, oneOf, str } from './builders.js';

/**
 * A non-negative Kubernetes quantity (`500m`, `1.5Gi`, `2e3`). Kubernetes' own pattern without the
 * minus sign, since no kmesos field makes sense below zero. Exported so the operator checks strings
 * with the very expression the API server uses.
 */
export const QUANTITY_PATTERN =
  '^[+]?(([0-9]+([.][0-9]*)?)|([.][0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?(([0-9]+([.][0-9]*)?)|([.][0-9]+))))?$';

/** A resource name: `cpu`, `memory`, `ephemeral-storage`, `nvidia.com/gpu`, `hugepages-2Mi`. */
export const RESOURCE_NAME_PATTERN =
  '^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$';

/** A DNS-1123 subdomain: the names of Frameworks, Tasks and ResourceRoles. */
export const DNS_SUBDOMAIN_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

/** A role: Mesos' default `*`, or slash-separated DNS labels such as `eng/ml`. */
export const ROLE_PATTERN = '^([*]|[a-z0-9]([-a-z0-9]*[a-z0-9])?(/[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$';

/** The resource names without a domain that a container can request (hugepages-<size> aside). */
export const UNQUALIFIED_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'] as const;

/** The most resources a map may name; keeps CEL cost estimates bounded. */
const MAX_RESOURCES = 32;

export const quantity = {
  description: 'A Kubernetes quantity, e.g. `500m` CPU or `1Gi` memory.',
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  'x-kubernetes-int-or-string': true,
  pattern: QUANTITY_PATTERN,
  maxLength: 64, // bounds the cost of the quota CEL rule
} as const;

/** A map of resource names to quantities, as in a container's `resources.requests`. */
export const resourceList = map('Resource names mapped to quantities.', quantity, {
  maxProperties: MAX_RESOURCES,
  'x-kubernetes-validations': [
    {
      rule: `self.all(r, r.size() <= 253 && r.matches('${RESOURCE_NAME_PATTERN}'))`,
      message: 'resource names must be Kubernetes resource names, e.g. cpu, memory, nvidia.com/gpu',
    },
    {
      // A typo such as `cpus` would otherwise be a resource no node has, silently ignored in a quota.
      rule: `self.all(r, r.contains('/') || r in ${JSON.stringify([...UNQUALIFIED_RESOURCES]).replace(/"/g, "'")} || r.startsWith('hugepages-'))`,
      message: `a resource name without a domain must be one Kubernetes defines for containers: ${[...UNQUALIFIED_RESOURCES].join(', ')} or hugepages-<size>; other resources are qualified, e.g. nvidia.com/gpu`,
    },
  ],
});

/** Resource figures computed by the operator: already-formatted quantity strings. */
export const resourceFigures = map('Resource names mapped to quantities.', str('A Kubernetes quantity.'), {
  maxProperties: MAX_RESOURCES,
});

/** metav1.Condition, as the Kubernetes API conventions define it. */
export const condition = obj(
  'A condition of the object, per the Kubernetes API conventions.',
  {
    type: str('The condition type in PascalCase, e.g. `Ready` or `Scheduled`.', {
      maxLength: 316,
      pattern:
        '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
    }),
    status: oneOf('Whether the condition holds.', ['True', 'False', 'Unknown']),
    observedGeneration: int('The metadata.generation the condition was computed from.', {
      format: 'int64',
      minimum: 0,
    }),
    lastTransitionTime: str('When the status last changed (RFC 3339).', { format: 'date-time' }),
    reason: str('Why the condition has this status: a CamelCase word for machines.', {
      maxLength: 1024,
      minLength: 1,
      pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$',
    }),
    message: str('A human-readable explanation; may be empty.', { maxLength: 32768 }),
  },
  { required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'] },
);

export const conditions = list('Conditions of the object, one per type.', condition, {
  maxItems: 16,
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['type'],
});

export const observedGeneration = int('The metadata.generation this status was computed from.', {
  format: 'int64',
  minimum: 0,
});

/** corev1.Toleration, for the taints a Framework's tasks tolerate. */
export const toleration = obj('A taint this framework tolerates, as in a pod spec.', {
  key: str('The taint key to match; empty with operator Exists matches every taint.', { maxLength: 316 }),
  operator: oneOf('How key and value are compared: Equal (default) or Exists.', ['Equal', 'Exists']),
  value: str('The taint value to match, for operator Equal.', { maxLength: 63 }),
  effect: oneOf('The taint effect to match; empty matches all effects.', [
    '',
    'NoSchedule',
    'PreferNoSchedule',
    'NoExecute',
  ]),
  tolerationSeconds: int('For NoExecute: how long the task stays after the taint appears.', {
    format: 'int64',
  }),
});

const keyRef = (what: string) =>
  obj(
    `Selects a key of a ${what} in the task's namespace.`,
    {
      name: str(`The ${what}'s name.`, { maxLength: 253 }),
      key: str(`The key in the ${what}.`, { maxLength: 253 }),
      optional: bool(`Whether the ${what} or its key may be missing.`),
    },
    { required: ['name', 'key'] },
  );

/** corev1.EnvVar, narrowed to literal values and references a task may need. */
export const envVar = obj(
  'An environment variable of the task.',
  {
    name: str('The variable name.', { minLength: 1, maxLength: 256 }),
    value: str('The literal value.'),
    valueFrom: obj('Where the value comes from, instead of value.', {
      secretKeyRef: keyRef('Secret'),
      configMapKeyRef: keyRef('ConfigMap'),
      fieldRef: obj(
        "A field of the task's pod, e.g. `metadata.name` or `status.podIP`.",
        {
          fieldPath: str('The field path.', { maxLength: 256 }),
        },
        { required: ['fieldPath'] },
      ),
    }),
  },
  {
    required: ['name'],
    'x-kubernetes-validations': [
      { rule: '!(has(self.value) && has(self.valueFrom))', message: 'set value or valueFrom, not both' },
    ],
  },
);

export const env = list('Environment variables of the task.', envVar, {
  maxItems: 128,
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['name'],
});
