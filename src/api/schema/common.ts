/** Schema pieces shared by the three kinds: quantities, resource maps, conditions, tolerations, env. */
import { MAX_AMOUNT } from '../../resources/quantity.js';
import { type CelRule, bool, int, list, map, obj, oneOf, str } from './builders.js';
import {
  CONFIG_KEY,
  DNS_SUBDOMAIN,
  ENV_NAME,
  FIELD_PATH,
  LABEL_VALUE,
  QUALIFIED_NAME,
  celMatches,
  formatRule,
} from './formats.js';

/** A resource name: `cpu`, `memory`, `ephemeral-storage`, `nvidia.com/gpu`, `hugepages-2Mi`. */
export const RESOURCE_NAME_PATTERN =
  '^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$';

/** A DNS-1123 subdomain: the names of Frameworks, Tasks and ResourceRoles. */
export const DNS_SUBDOMAIN_PATTERN = DNS_SUBDOMAIN.pattern;

/** A role: Mesos' default `*`, or slash-separated DNS labels such as `eng/ml`. */
export const ROLE_PATTERN = '^([*]|[a-z0-9]([-a-z0-9]*[a-z0-9])?(/[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$';

/** The resource names without a domain that a container can request (hugepages-<size> aside). */
export const UNQUALIFIED_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'] as const;

/** What a ResourceQuota puts before a resource name; no container resource begins with it. */
export const QUOTA_PREFIX = 'requests.';

/** The most resources a map may name; keeps CEL cost estimates bounded. */
const MAX_RESOURCES = 32;

/**
 * CEL over a quantity `q` as the schema holds it: an integer, or a string that isQuantity() reads
 * (a YAML float is a string by then: see admission.ts). Each rule holds vacuously for a value
 * another rule refuses, so that a value is refused for one reason only.
 */
const cel = {
  isInt: (q: string) => `type(${q}) == int`,
  /** The digit check: Kubernetes reads a lone `.` as zero, src/resources/quantity.ts refuses it. */
  valid: (q: string) => `(type(${q}) == int || (isQuantity(${q}) && ${q}.matches('[0-9]')))`,
  /** `q` compared with a quantity literal, `op` one of <, <=, ==, >=, >; false when `q` is malformed. */
  compare: (q: string, op: string, literal: string) =>
    `(type(${q}) == int ? ${q} ${op} ${literal} : isQuantity(${q}) && quantity(${q}).compareTo(quantity('${literal}')) ${op} 0)`,
};

/** CEL rules on one quantity, wherever it stands; a resource-specific unit is checked by resourceList. */
const quantityRules: readonly CelRule[] = [
  { rule: cel.valid('self'), message: 'must be a Kubernetes quantity, e.g. 500m, 1.5Gi or 2e3' },
  { rule: `!${cel.valid('self')} || ${cel.compare('self', '>=', '0')}`, message: 'must not be negative' },
  {
    // The operator counts every resource in exact integers (src/resources/quantity.ts).
    rule: `!${cel.valid('self')} || ${cel.compare('self', '<=', String(MAX_AMOUNT))}`,
    message: `must be at most ${MAX_AMOUNT} (2^53 - 1) of its unit, the most kmesos counts exactly: bytes or units (millicores for cpu)`,
  },
];

/** The most whole cores below MAX_AMOUNT millicores, for cpu written as an integer. */
const MAX_CORES = Math.floor(MAX_AMOUNT / 1000);

/** cpu counts in millicores: its bound is a thousandth of the others'. */
const cpuRule: CelRule = {
  rule: `!('cpu' in self) || !${cel.valid("self['cpu']")} || (${cel.isInt("self['cpu']")} ? self['cpu'] <= ${MAX_CORES} : quantity(self['cpu']).compareTo(quantity('${MAX_AMOUNT}m')) <= 0)`,
  fieldPath: '.cpu',
  message: `cpu must be at most ${MAX_AMOUNT}m (2^53 - 1 millicores), the most kmesos counts exactly`,
};

/**
 * A Kubernetes quantity: `500m`, `1.5Gi`, `2e3`, an integer, or (through admission.ts) a float.
 * Structural schemas have no number-or-string type, so the float a Pod accepts (`cpu: 1.5`) is
 * turned into the string `"1.5"` before this schema sees it.
 */
export const quantity = {
  description: 'A Kubernetes quantity, e.g. `500m` CPU or `1Gi` memory.',
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  'x-kubernetes-int-or-string': true,
  maxLength: 64, // bounds the cost of the CEL rules
  'x-kubernetes-validations': quantityRules,
} as const;

/** CEL: every quantity of the map `self` is zero (a malformed one is not). */
export const allZero = `self.all(r, ${cel.valid('self[r]')} && ${cel.compare('self[r]', '==', '0')})`;

/** Why a Task's resources would be refused in its Pod; the operator's validation says the same. */
export const POD_RESOURCE_MESSAGES = {
  wholeExtended:
    'a resource with a domain, e.g. nvidia.com/gpu, is counted in whole units: a Pod refuses a fraction of one',
  hugePages:
    'hugepages-<size> must name a page size, e.g. hugepages-2Mi, and ask for a whole number of pages of it',
  hugePagesNeedCpuOrMemory: 'a task with hugepages must also ask for cpu or memory, as a Pod must',
} as const;

/** CEL: the resource named `r` is an extended resource, which a Pod counts in whole units. */
const extended = (r: string): string => `(${r}.contains('/') && !${r}.contains('kubernetes.io/'))`;

/** CEL: the page size of the hugepages resource named `r`, as a quantity string. */
const pageSize = (r: string): string => `${r}.substring(${'hugepages-'.length})`;

/** CEL: the quantity `q` is a whole multiple of the page size of hugepages resource `r`. */
const wholePages = (r: string, q: string): string => {
  const size = `quantity(${pageSize(r)}).asInteger()`;
  return `(${cel.isInt(q)} ? ${q} % ${size} == 0 : quantity(${q}).isInteger() && quantity(${q}).asInteger() % ${size} == 0)`;
};

/** The checks the API server makes of a container's resources, for the pod of a Task. */
export const podResourceRules: readonly CelRule[] = [
  {
    rule: `self.all(r, !${extended('r')} || !${cel.valid('self[r]')} || ${cel.isInt('self[r]')} || quantity(self[r]).isInteger())`,
    message: POD_RESOURCE_MESSAGES.wholeExtended,
  },
  {
    rule: `self.all(r, !r.startsWith('hugepages-') || (isQuantity(${pageSize('r')}) && quantity(${pageSize('r')}).isInteger() && quantity(${pageSize('r')}).asInteger() > 0 && (!${cel.valid('self[r]')} || ${wholePages('r', 'self[r]')})))`,
    message: POD_RESOURCE_MESSAGES.hugePages,
  },
  {
    rule: `!self.exists(r, r.startsWith('hugepages-')) || 'cpu' in self || 'memory' in self`,
    message: POD_RESOURCE_MESSAGES.hugePagesNeedCpuOrMemory,
  },
];

/** A map of resource names to quantities, as in a container's `resources.requests`. */
export const resourceList = map('Resource names mapped to quantities.', quantity, {
  maxProperties: MAX_RESOURCES,
  'x-kubernetes-validations': [
    cpuRule,
    {
      rule: `self.all(r, r.size() <= 253 && r.matches('${RESOURCE_NAME_PATTERN}'))`,
      message: 'resource names must be Kubernetes resource names, e.g. cpu, memory, nvidia.com/gpu',
    },
    {
      // A typo such as `cpus` would otherwise be a resource no node has, silently ignored in a quota.
      rule: `self.all(r, r.contains('/') || r in ${JSON.stringify([...UNQUALIFIED_RESOURCES]).replace(/"/g, "'")} || r.startsWith('hugepages-'))`,
      message: `a resource name without a domain must be one Kubernetes defines for containers: ${[...UNQUALIFIED_RESOURCES].join(', ')} or hugepages-<size>; other resources are qualified, e.g. nvidia.com/gpu`,
    },
    {
      rule: `self.all(r, !r.startsWith('${QUOTA_PREFIX}'))`,
      message: `a resource name must not start with ${QUOTA_PREFIX}: that is how a ResourceQuota names the requests of a resource`,
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

/** Why a toleration is refused; the operator's validation says the same. */
export const TOLERATION_MESSAGES = {
  keyOrExists: 'operator must be Exists when key is empty, which matches every taint',
  existsWithoutValue: 'value must be empty when operator is Exists',
  secondsForNoExecute: 'effect must be NoExecute when tolerationSeconds is set',
} as const;

/** Why an env var's valueFrom is refused; the operator's validation says the same. */
export const VALUE_FROM_MESSAGE = 'set exactly one of secretKeyRef, configMapKeyRef or fieldRef';

/** CEL: whether the toleration `self` has `field` set to `value`. */
const is = (field: string, value: string): string => `has(self.${field}) && self.${field} == '${value}'`;

/**
 * corev1.Toleration, for the taints a Framework's tasks tolerate, with the API server's checks of a
 * Pod's tolerations: without them every pod of the framework would be refused.
 */
export const toleration = obj(
  'A taint this framework tolerates, as in a pod spec.',
  {
    key: str('The taint key to match; empty with operator Exists matches every taint.', {
      maxLength: 316,
      'x-kubernetes-validations': [
        { rule: `self == '' || ${celMatches(QUALIFIED_NAME)}`, message: QUALIFIED_NAME.message },
      ],
    }),
    operator: oneOf('How key and value are compared: Equal (default) or Exists.', ['Equal', 'Exists']),
    value: str('The taint value to match, for operator Equal.', {
      maxLength: 63,
      'x-kubernetes-validations': [formatRule(LABEL_VALUE)],
    }),
    effect: oneOf('The taint effect to match; empty matches all effects.', [
      '',
      'NoSchedule',
      'PreferNoSchedule',
      'NoExecute',
    ]),
    tolerationSeconds: int('For NoExecute: how long the task stays after the taint appears.', {
      format: 'int64',
    }),
  },
  {
    'x-kubernetes-validations': [
      {
        rule: `(has(self.key) && self.key != '') || ${is('operator', 'Exists')}`,
        fieldPath: '.operator',
        message: TOLERATION_MESSAGES.keyOrExists,
      },
      {
        rule: `!(${is('operator', 'Exists')}) || !has(self.value) || self.value == ''`,
        fieldPath: '.value',
        message: TOLERATION_MESSAGES.existsWithoutValue,
      },
      {
        rule: `!has(self.tolerationSeconds) || ${is('effect', 'NoExecute')}`,
        fieldPath: '.effect',
        message: TOLERATION_MESSAGES.secondsForNoExecute,
      },
    ],
  },
);

const keyRef = (what: string) =>
  obj(
    `Selects a key of a ${what} in the task's namespace.`,
    {
      name: str(`The ${what}'s name.`, {
        maxLength: 253,
        'x-kubernetes-validations': [formatRule(DNS_SUBDOMAIN)],
      }),
      key: str(`The key in the ${what}.`, {
        maxLength: 253,
        'x-kubernetes-validations': [formatRule(CONFIG_KEY)],
      }),
      optional: bool(`Whether the ${what} or its key may be missing.`),
    },
    { required: ['name', 'key'] },
  );

/** corev1.EnvVar, narrowed to literal values and references a task may need; checked as for a Pod. */
export const envVar = obj(
  'An environment variable of the task.',
  {
    name: str('The variable name.', {
      minLength: 1,
      maxLength: 256,
      'x-kubernetes-validations': [formatRule(ENV_NAME)],
    }),
    value: str('The literal value.'),
    valueFrom: obj(
      'Where the value comes from, instead of value.',
      {
        secretKeyRef: keyRef('Secret'),
        configMapKeyRef: keyRef('ConfigMap'),
        fieldRef: obj(
          "A field of the task's pod, e.g. `metadata.name` or `status.podIP`.",
          {
            fieldPath: str('The field path.', {
              maxLength: 256,
              'x-kubernetes-validations': [formatRule(FIELD_PATH)],
            }),
          },
          { required: ['fieldPath'] },
        ),
      },
      {
        'x-kubernetes-validations': [
          {
            rule: '[has(self.secretKeyRef), has(self.configMapKeyRef), has(self.fieldRef)].exists_one(x, x)',
            message: VALUE_FROM_MESSAGE,
          },
        ],
      },
    ),
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
