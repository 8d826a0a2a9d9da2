/**
 * The three CustomResourceDefinitions, assembled from the schemas in this folder. crds/*.yaml is
 * rendered from these objects by scripts/gen-crds.ts, and a unit test fails when the committed
 * files differ from what this module produces.
 */
import { API_VERSION, CATEGORY, GROUP, KINDS, VERSION } from '../constants.js';
import { type CelRule, type Schema, obj, str } from './builders.js';
import { DNS_SUBDOMAIN_PATTERN } from './common.js';
import { frameworkSpec, frameworkStatus } from './framework.js';
import { resourceRoleSpec, resourceRoleStatus } from './resourcerole.js';
import { taskSpec, taskStatus } from './task.js';

export interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly jsonPath: string;
  readonly description: string;
  readonly priority?: number;
}

/** An apiextensions.k8s.io/v1 CustomResourceDefinition, as far as kmesos fills it. */
export interface CustomResourceDefinition {
  readonly apiVersion: 'apiextensions.k8s.io/v1';
  readonly kind: 'CustomResourceDefinition';
  readonly metadata: { readonly name: string; readonly labels: { readonly [key: string]: string } };
  readonly spec: {
    readonly group: string;
    readonly names: {
      readonly kind: string;
      readonly listKind: string;
      readonly plural: string;
      readonly singular: string;
      readonly shortNames: readonly string[];
      readonly categories: readonly string[];
    };
    readonly scope: 'Cluster' | 'Namespaced';
    readonly versions: readonly {
      readonly name: string;
      readonly served: boolean;
      readonly storage: boolean;
      readonly subresources: { readonly status: Record<string, never> };
      readonly additionalPrinterColumns: readonly PrinterColumn[];
      readonly selectableFields?: readonly { readonly jsonPath: string }[];
      readonly schema: { readonly openAPIV3Schema: Schema };
    }[];
  };
}

interface KindDefinition {
  readonly names: {
    readonly kind: string;
    readonly plural: string;
    readonly singular: string;
    readonly shortNames: readonly string[];
  };
  readonly scope: 'Cluster' | 'Namespaced';
  readonly description: string;
  readonly spec: Schema;
  readonly status: Schema;
  readonly specRequired: boolean;
  readonly rootRules?: readonly CelRule[];
  readonly columns: readonly PrinterColumn[];
  readonly selectableFields?: readonly string[];
}

const age: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'Time since creation.',
};

function crd(def: KindDefinition): CustomResourceDefinition {
  const root = obj(
    def.description,
    {
      apiVersion: str(`Versioned schema of this object: ${API_VERSION}.`),
      kind: str(`The kind of this object: ${def.names.kind}.`),
      // The API server allows nothing but `type` here (and name/generateName rules).
      metadata: { type: 'object' },
      spec: def.spec,
      status: def.status,
    },
    {
      ...(def.specRequired ? { required: ['spec'] } : {}),
      ...(def.rootRules ? { 'x-kubernetes-validations': def.rootRules } : {}),
    },
  );
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${def.names.plural}.${GROUP}`, labels: { 'app.kubernetes.io/part-of': 'kmesos' } },
    spec: {
      group: GROUP,
      names: { ...def.names, listKind: `${def.names.kind}List`, categories: [CATEGORY] },
      scope: def.scope,
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: def.columns,
          ...(def.selectableFields
            ? { selectableFields: def.selectableFields.map((jsonPath) => ({ jsonPath })) }
            : {}),
          schema: { openAPIV3Schema: root },
        },
      ],
    },
  };
}

export const resourceRoleCrd: CustomResourceDefinition = crd({
  names: KINDS.resourceRole,
  scope: 'Cluster',
  description:
    'A Mesos role: its DRF weight and its quota. Named after the role with `.` for `/` (role `eng/ml` is ResourceRole `eng.ml`). A role without a ResourceRole has weight 1 and no quota.',
  spec: resourceRoleSpec,
  status: resourceRoleStatus,
  specRequired: false,
  rootRules: [
    {
      rule: `self.metadata.name.size() <= 200 && self.metadata.name.matches('${DNS_SUBDOMAIN_PATTERN}')`,
      message:
        "the name must be the role with '.' for '/', e.g. eng.ml for role eng/ml (at most 200 characters)",
    },
  ],
  columns: [
    { name: 'Weight', type: 'number', jsonPath: '.spec.weight', description: 'The role weight.' },
    { name: 'Share', type: 'string', jsonPath: '.status.dominantShare', description: 'The dominant share.' },
    {
      name: 'Weighted',
      type: 'string',
      jsonPath: '.status.weightedShare',
      description: 'The dominant share divided by the weight.',
      priority: 1,
    },
    age,
  ],
});

export const frameworkCrd: CustomResourceDefinition = crd({
  names: KINDS.framework,
  scope: 'Namespaced',
  description:
    'A Mesos framework: it receives offers of agent resources according to DRF and launches Tasks on them.',
  spec: frameworkSpec,
  status: frameworkStatus,
  specRequired: false,
  columns: [
    { name: 'Role', type: 'string', jsonPath: '.spec.role', description: 'The role.' },
    { name: 'Scheduler', type: 'string', jsonPath: '.spec.scheduler', description: 'Builtin or External.' },
    { name: 'Share', type: 'string', jsonPath: '.status.dominantShare', description: 'The dominant share.' },
    {
      name: 'Running',
      type: 'integer',
      jsonPath: '.status.tasks.TASK_RUNNING',
      description: 'Running tasks.',
    },
    {
      name: 'Pending',
      type: 'integer',
      jsonPath: '.status.pendingTasks',
      description: 'Tasks waiting for resources.',
    },
    {
      name: 'Offers',
      type: 'integer',
      jsonPath: '.status.outstandingOffers',
      description: 'Outstanding offers.',
      priority: 1,
    },
    age,
  ],
  selectableFields: ['.spec.role', '.spec.scheduler'],
});

export const taskCrd: CustomResourceDefinition = crd({
  names: KINDS.task,
  scope: 'Namespaced',
  description: 'A Mesos task of a Framework in the same namespace, run as one pod per attempt.',
  spec: taskSpec,
  status: taskStatus,
  specRequired: true,
  columns: [
    { name: 'Framework', type: 'string', jsonPath: '.spec.framework', description: 'The framework.' },
    { name: 'State', type: 'string', jsonPath: '.status.state', description: 'The Mesos task state.' },
    {
      // A waiting task has no state: the Scheduled condition's reason says why it waits.
      name: 'Status',
      type: 'string',
      jsonPath: '.status.conditions[?(@.type=="Scheduled")].reason',
      description:
        'Launched, or why the task waits: Pending, Unschedulable, BackoffWaiting, RetriesExhausted, …',
    },
    { name: 'Node', type: 'string', jsonPath: '.status.nodeName', description: 'The node (agent).' },
    { name: 'CPU', type: 'string', jsonPath: '.spec.resources.cpu', description: 'CPU of the task.' },
    {
      name: 'Memory',
      type: 'string',
      jsonPath: '.spec.resources.memory',
      description: 'Memory of the task.',
    },
    {
      name: 'Reason',
      type: 'string',
      jsonPath: '.status.reason',
      description: 'The Mesos reason.',
      priority: 1,
    },
    {
      name: 'Attempt',
      type: 'integer',
      jsonPath: '.status.attempt',
      description: 'The attempt.',
      priority: 1,
    },
    { name: 'Pod', type: 'string', jsonPath: '.status.podName', description: 'The pod.', priority: 1 },
    age,
  ],
  selectableFields: ['.spec.framework', '.status.state', '.status.nodeName'],
});

/** All CRDs, each with the file name it is rendered to in crds/. */
export const CRDS: readonly { readonly file: string; readonly crd: CustomResourceDefinition }[] = [
  { file: 'kmesos.io_resourceroles.yaml', crd: resourceRoleCrd },
  { file: 'kmesos.io_frameworks.yaml', crd: frameworkCrd },
  { file: 'kmesos.io_tasks.yaml', crd: taskCrd },
];
