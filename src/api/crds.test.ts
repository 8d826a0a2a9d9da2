import { KINDS } from './constants.js';
/**
 * The CRDs in crds/ against their single source of truth (src/api/schema):
 * 1. the committed YAML is exactly what the generator renders (run `npm run gen:crds` when this fails);
 * 2. the schemas are structural as apiextensions requires, and described everywhere;
 * 3. the derived TypeScript types and the schemas agree: a fully populated sample of each type
 *    (DeepRequired forces every field of the type into it) has exactly the schema's field paths,
 *    and every value in it passes the schema's type checks.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ADMISSION_FILE, quantityMaps, quantityPolicy } from './schema/admission.js';
import type { Schema } from './schema/builders.js';
import { CRDS, type CustomResourceDefinition } from './schema/crds.js';
import { frameworkSpec, frameworkStatus } from './schema/framework.js';
import { renderCrd, renderManifests } from './schema/render.js';
import { resourceRoleSpec, resourceRoleStatus } from './schema/resourcerole.js';
import { taskSpec, taskStatus } from './schema/task.js';
import { TASK_STATES } from './task-states.js';
import type {
  Condition,
  FrameworkSpec,
  FrameworkStatus,
  ResourceRoleSpec,
  ResourceRoleStatus,
  TaskSpec,
  TaskStatus,
} from './types.js';

const crdDir = fileURLToPath(new URL('../../crds/', import.meta.url));

describe('crds/ matches the generator', () => {
  it('has one file per CRD and the admission policy, and nothing else but the kustomization that lists them', () => {
    const files = readdirSync(crdDir).filter((f) => f !== 'kustomization.yaml');
    expect(files.sort()).toEqual([...CRDS.map((c) => c.file), ADMISSION_FILE].sort());
  });
  it(`${ADMISSION_FILE} is up to date (npm run gen:crds)`, () => {
    const policy = quantityPolicy(CRDS.map((c) => c.crd));
    expect(readFileSync(crdDir + ADMISSION_FILE, 'utf8')).toBe(renderManifests(policy));
  });
  it.each(CRDS.map((c) => [c.file, c.crd] as const))('%s is up to date (npm run gen:crds)', (file, crd) => {
    const text = readFileSync(crdDir + file, 'utf8');
    expect(text).toBe(renderCrd(crd));
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(crd)));
  });
});

/** Problems of one schema node itself, apart from its children. */
function nodeIssues(s: Schema, path: string): string[] {
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const issues: string[] = [];
  if (s.type === undefined && !intOrString) issues.push(`${path}: no type`);
  if (!s.description) issues.push(`${path}: no description`);
  if (s.properties !== undefined && s.additionalProperties !== undefined)
    issues.push(`${path}: properties and additionalProperties`);
  if (s.anyOf !== undefined && !intOrString) issues.push(`${path}: anyOf outside int-or-string`);
  const freeForm = s.type === 'object' && s.properties === undefined && s.additionalProperties === undefined;
  if (freeForm && s['x-kubernetes-preserve-unknown-fields'] !== true)
    issues.push(`${path}: free-form object not marked`);
  if (s.type === 'array' && s.items === undefined) issues.push(`${path}: array without items`);
  for (const r of s.required ?? [])
    if (!(r in (s.properties ?? {}))) issues.push(`${path}: required ${r} unknown`);
  return [...issues, ...enumAndDefaultIssues(s, path)];
}

function enumAndDefaultIssues(s: Schema, path: string): string[] {
  const enumType = s.type === 'string' ? 'string' : 'number';
  const issues = (s.enum ?? []).filter((e) => typeof e !== enumType).map(() => `${path}: enum type`);
  if (s.default !== undefined) issues.push(...valueIssues(s, s.default, `${path}.default`));
  return issues;
}

function listIssues(s: Schema, path: string): string[] {
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'set' && s.items?.type === 'object') return [`${path}: set of objects`];
  if (listType !== 'map') return [];
  const required = s.items?.required ?? [];
  return (s['x-kubernetes-list-map-keys'] ?? [])
    .filter((k) => !required.includes(k))
    .map((k) => `${path}: map key ${k} not required`);
}

/** Structural-schema problems of a node and all below it, with paths. */
function structuralIssues(s: Schema, path: string): string[] {
  const children: [Schema, string][] = [
    ...Object.entries(s.properties ?? {}).map(([name, p]): [Schema, string] => [p, `${path}.${name}`]),
    ...(s.additionalProperties ? [[s.additionalProperties, `${path}.*`] as [Schema, string]] : []),
    ...(s.items ? [[s.items, `${path}[]`] as [Schema, string]] : []),
  ];
  return [
    ...nodeIssues(s, path),
    ...listIssues(s, path),
    ...children.flatMap(([c, p]) => structuralIssues(c, p)),
  ];
}

function scalarIssues(s: Schema, v: unknown, path: string): string[] | undefined {
  switch (s.type) {
    case 'string':
      return typeof v === 'string' && (s.pattern === undefined || new RegExp(s.pattern).test(v))
        ? []
        : [`${path}: string`];
    case 'integer':
      return Number.isInteger(v) ? [] : [`${path}: integer`];
    case 'number':
      return typeof v === 'number' ? [] : [`${path}: number`];
    case 'boolean':
      return typeof v === 'boolean' ? [] : [`${path}: boolean`];
    default:
      return undefined;
  }
}

/** Type, enum and pattern checks of a value against a schema (enough to check samples and defaults). */
function valueIssues(s: Schema, v: unknown, path: string): string[] {
  if (s['x-kubernetes-int-or-string'])
    return typeof v === 'number' || (typeof v === 'string' && new RegExp(s.pattern ?? '').test(v))
      ? []
      : [`${path}: quantity`];
  if (s.enum !== undefined && !s.enum.includes(v as string)) return [`${path}: ${String(v)} not in enum`];
  const scalar = scalarIssues(s, v, path);
  if (scalar !== undefined) return scalar;
  if (s.type === 'array')
    return Array.isArray(v)
      ? v.flatMap((x, i) => valueIssues(s.items as Schema, x, `${path}[${i}]`))
      : [`${path}: array`];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return [`${path}: object`];
  return Object.entries(v).flatMap(([k, x]) => {
    const child = s.properties ? s.properties[k] : s.additionalProperties;
    return child ? valueIssues(child, x, `${path}.${k}`) : [`${path}.${k}: not in schema`];
  });
}

function openAPI(crd: CustomResourceDefinition): Schema {
  const v = crd.spec.versions[0];
  if (v === undefined) throw new Error('no version');
  return v.schema.openAPIV3Schema;
}

/**
 * The schema at a printer-column or selectable-field path such as `.status.tasks.TASK_RUNNING`;
 * a list filter (`.conditions[?(@.type=="Scheduled")].reason`) steps into the list's items.
 */
function schemaAt(root: Schema, jsonPath: string): Schema | undefined {
  let s: Schema | undefined = root;
  for (const part of jsonPath
    .replace(/\[[^\]]*\]/g, '[]')
    .split('.')
    .slice(1)) {
    const name = part.replace(/\[\]$/, '');
    s = s?.properties?.[name] ?? s?.additionalProperties;
    if (part.endsWith('[]')) s = s?.items;
  }
  return s;
}

describe.each(CRDS.map((c) => [c.crd.metadata.name, c.crd] as const))('%s', (_name, crd) => {
  const root = openAPI(crd);
  it('is a structural schema with descriptions everywhere', () => {
    const { metadata, ...rest } = root.properties ?? {};
    expect(metadata).toEqual({ type: 'object' }); // the API server forbids more
    expect(structuralIssues({ ...root, properties: rest }, 'root')).toEqual([]);
  });
  it('has the status subresource, the kmesos category and short names', () => {
    expect(crd.spec.versions[0]?.subresources).toEqual({ status: {} });
    expect(crd.spec.names.categories).toEqual(['kmesos']);
    const want: Record<string, string[]> = {
      ResourceRole: [...KINDS.resourceRole.shortNames],
      Framework: [...KINDS.framework.shortNames],
      Task: [...KINDS.task.shortNames],
    };
    expect(crd.spec.names.shortNames).toEqual(want[crd.spec.names.kind]);
  });
  it('has printer columns and selectable fields that point at real fields', () => {
    const v = crd.spec.versions[0];
    for (const c of v?.additionalPrinterColumns ?? [])
      if (!c.jsonPath.startsWith('.metadata.'))
        expect([c.jsonPath, schemaAt(root, c.jsonPath)?.description]).toEqual([
          c.jsonPath,
          expect.any(String),
        ]);
    for (const f of v?.selectableFields ?? [])
      expect(['string', 'integer', 'boolean']).toContain(schemaAt(root, f.jsonPath)?.type);
  });
});

describe('the float-quantity admission policy', () => {
  it('covers every quantity map of every kind', () => {
    const maps = CRDS.map((c) => [
      c.crd.spec.names.kind,
      quantityMaps(openAPI(c.crd)).map((p) => p.join('.')),
    ]);
    expect(maps).toEqual([
      ['ResourceRole', ['spec.quota.guarantee', 'spec.quota.limit']],
      ['Framework', ['spec.offerFilters.minAllocatable']],
      ['Task', ['spec.resources', 'spec.executor.resources']],
    ]);
  });
  it('matches the kinds that have one, on create and update', () => {
    const [policy, binding] = quantityPolicy(CRDS.map((c) => c.crd));
    expect(policy.spec.matchConstraints.resourceRules).toEqual([
      {
        apiGroups: ['kmesos.io'],
        apiVersions: ['*'],
        operations: ['CREATE', 'UPDATE'],
        resources: ['resourceroles', 'frameworks', 'tasks'],
        scope: '*',
      },
    ]);
    expect(policy.spec.mutations).toHaveLength(5);
    expect(binding.spec.policyName).toBe(policy.metadata.name);
  });
});

describe('printer columns', () => {
  const columns = (i: number): string[] =>
    (CRDS[i]?.crd.spec.versions[0]?.additionalPrinterColumns ?? [])
      .filter((c) => !c.priority)
      .map((c) => c.name);
  it.each([
    [0, ['Weight', 'Share', 'Age']],
    [1, ['Role', 'Scheduler', 'Share', 'Running', 'Pending', 'Age']],
    [2, ['Framework', 'State', 'Status', 'Node', 'CPU', 'Memory', 'Age']],
  ])('CRD %i shows %j', (i, want) => expect(columns(i)).toEqual(want));
});

// ---- types ⇔ schemas -------------------------------------------------------------------------

type DeepRequired<T> = T extends (infer U)[]
  ? DeepRequired<U>[]
  : T extends object
    ? { [K in keyof T]-?: DeepRequired<T[K]> }
    : T;

/** Field paths of a schema: `a.b`, `a[]`, `a.*` for map values. */
function schemaPaths(s: Schema, prefix = ''): string[] {
  if (s.properties)
    return Object.entries(s.properties).flatMap(([k, p]) => [
      `${prefix}.${k}`,
      ...schemaPaths(p, `${prefix}.${k}`),
    ]);
  if (s.additionalProperties) return [`${prefix}.*`, ...schemaPaths(s.additionalProperties, `${prefix}.*`)];
  if (s.items) return schemaPaths(s.items, `${prefix}[]`);
  return [];
}

/** Field paths of a sample value, in the same notation; `map` says which paths are maps. */
function valuePaths(v: unknown, s: Schema, prefix = ''): string[] {
  if (Array.isArray(v))
    return [...new Set(v.flatMap((x) => valuePaths(x, s.items as Schema, `${prefix}[]`)))];
  if (typeof v !== 'object' || v === null) return [];
  return [
    ...new Set(
      Object.entries(v).flatMap(([k, x]) => {
        const key = s.additionalProperties ? '*' : k;
        const child: Schema = s.properties?.[k] ?? s.additionalProperties ?? { description: '' };
        return [`${prefix}.${key}`, ...valuePaths(x, child, `${prefix}.${key}`)];
      }),
    ),
  ];
}

const cond: DeepRequired<Condition> = {
  type: 'Ready',
  status: 'True',
  observedGeneration: 1,
  lastTransitionTime: '2024-01-01T00:00:00Z',
  reason: 'Ok',
  message: '',
};

const samples: [string, Schema, unknown][] = [
  [
    'ResourceRoleSpec',
    resourceRoleSpec,
    {
      weight: 2,
      preemptionPolicy: 'FairShare',
      quota: { guarantee: { cpu: '1' }, limit: { memory: '1Gi' } },
    } satisfies DeepRequired<ResourceRoleSpec>,
  ],
  [
    'ResourceRoleStatus',
    resourceRoleStatus,
    {
      observedGeneration: 1,
      role: 'eng/ml',
      dominantShare: '0.5000',
      weightedShare: '0.2500',
      allocated: { cpu: '2' },
      headroom: { cpu: '1' },
      frameworks: ['ns/fw'],
      conditions: [cond],
    } satisfies DeepRequired<ResourceRoleStatus>,
  ],
  [
    'FrameworkSpec',
    frameworkSpec,
    {
      role: 'eng/ml',
      scheduler: 'External',
      failoverTimeoutSeconds: 60,
      suppressed: true,
      offerFilters: { refuseSeconds: 1.5, minAllocatable: { cpu: '100m' } },
      placement: 'BinPack',
      tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule', tolerationSeconds: 5 }],
      taskDefaults: {
        image: 'busybox',
        serviceAccountName: 'sa',
        automountServiceAccountToken: true,
        runAsUser: 1000,
      },
      frameworkInfo: {
        name: 'marathon',
        user: 'root',
        principal: 'marathon',
        hostname: 'host-1',
        webuiUrl: 'http://host-1:8080',
        capabilities: ['MULTI_ROLE', 'PARTITION_AWARE'],
        checkpoint: true,
      },
      priorityPreemption: true,
      taskOrder: 'WeightedDemand',
    } satisfies DeepRequired<FrameworkSpec>,
  ],
  [
    'FrameworkStatus',
    frameworkStatus,
    {
      observedGeneration: 1,
      frameworkID: 'uid',
      dominantShare: '0.6667',
      weightedShare: '0.6667',
      allocated: { cpu: '6' },
      outstandingOffers: 0,
      pendingTasks: 2,
      tasks: Object.fromEntries(TASK_STATES.map((s) => [s, 1])) as DeepRequired<
        NonNullable<FrameworkStatus['tasks']>
      >,
      conditions: [cond],
    } satisfies DeepRequired<FrameworkStatus>,
  ],
  [
    'TaskSpec',
    taskSpec,
    {
      framework: 'fw',
      resources: { cpu: 1, memory: '1Gi' },
      command: 'echo hi',
      container: {
        image: 'busybox',
        command: ['sleep'],
        args: ['1'],
        workingDir: '/w',
        imagePullPolicy: 'Never',
        env: [
          {
            name: 'A',
            value: 'b',
            valueFrom: {
              secretKeyRef: { name: 's', key: 'k', optional: true },
              configMapKeyRef: { name: 'c', key: 'k', optional: false },
              fieldRef: { fieldPath: 'metadata.name' },
            },
          },
        ],
      },
      env: [
        {
          name: 'B',
          value: 'c',
          valueFrom: {
            secretKeyRef: { name: 's', key: 'k', optional: true },
            configMapKeyRef: { name: 'c', key: 'k', optional: false },
            fieldRef: { fieldPath: 'metadata.name' },
          },
        },
      ],
      priority: 1,
      preemptible: false,
      constraints: [{ field: 'hostname', operator: 'LIKE', value: 'node-.*' }],
      retry: { maxAttempts: 3, backoffSeconds: 1, backoffFactor: 2, maxBackoffSeconds: 60 },
      hostPorts: [31000, 31001],
      killGracePeriodSeconds: 30,
      fetch: [
        { uri: 'https://example.com/app.tgz', extract: true, executable: false, outputFile: 'app.tgz' },
      ],
      group: 'leader',
      executor: { id: 'e1', type: 'Custom', resources: { cpu: '100m' } },
    } satisfies DeepRequired<TaskSpec>,
  ],
  [
    'TaskStatus',
    taskStatus,
    {
      observedGeneration: 1,
      state: 'TASK_FAILED',
      reason: 'REASON_CONTAINER_LIMITATION_MEMORY',
      message: 'OOM',
      agentID: 'uid',
      nodeName: 'n1',
      podName: 't-1',
      attempt: 1,
      offerID: 'o-1',
      launchTime: '2024-01-01T00:00:00Z',
      startTime: '2024-01-01T00:00:01Z',
      completionTime: '2024-01-01T00:00:02Z',
      exitCode: 137,
      nextRetryTime: '2024-01-01T00:00:12Z',
      previousNodes: ['n0'],
      preemption: {
        attempt: 1,
        reason: 'FairShare',
        preemptor: 'ns/other',
        message: 'restores the fair share of framework ns/b',
        time: '2024-01-01T00:00:02Z',
      },
      preemptedAttempts: 1,
      pendingUpdates: [
        {
          uuid: 'AAECAwQFBgcICQoLDA0ODw==',
          state: 'TASK_FAILED',
          reason: 'REASON_CONTAINER_LIMITATION_MEMORY',
          message: 'OOM',
          source: 'SOURCE_AGENT',
          agentID: 'uid',
          timestamp: 1704067202.5,
        },
      ],
      conditions: [cond],
    } satisfies DeepRequired<TaskStatus>,
  ],
];

describe('types agree with schemas', () => {
  it.each(samples)('%s: every field of the type is in the schema and vice versa', (_name, schema, sample) => {
    expect(valuePaths(sample, schema).sort()).toEqual(schemaPaths(schema).sort());
  });
  it.each(samples)('%s: a sample of the type is valid for the schema', (_name, schema, sample) => {
    expect(valueIssues(schema, sample, '')).toEqual([]);
  });
});
