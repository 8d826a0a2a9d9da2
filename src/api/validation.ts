/**
 * The operator's own check of a spec before it uses it. The API server has applied the schema and
 * CEL rules, but it cannot compile a JavaScript regex, and an object stored before the CRDs gained a
 * rule was never held to it; so what the operator relies on (quantities it can count exactly, what
 * the pod needs to be created) is checked again here. A problem found here becomes a condition on
 * the object, never an exception.
 */
import {
  POD_RESOURCE_MESSAGES,
  QUOTA_PREFIX,
  RESOURCE_NAME_PATTERN,
  TOLERATION_MESSAGES,
  UNQUALIFIED_RESOURCES,
  VALUE_FROM_MESSAGE,
} from './schema/common.js';
import {
  ABSOLUTE_PATH,
  CONFIG_KEY,
  DNS_SUBDOMAIN,
  ENV_NAME,
  FIELD_PATH,
  IMAGE,
  LABEL_VALUE,
  QUALIFIED_NAME,
  type Format,
  isOf,
} from './schema/formats.js';
import { MAX_RUN_AS_USER } from './schema/framework.js';
import { QuantityError, parseQuantity } from '../resources/index.js';
import type { EnvVar, FrameworkSpec, ResourceList, ResourceRoleSpec, TaskSpec, Toleration } from './types.js';

export interface ValidationIssue {
  /** The field path, e.g. `spec.constraints[1].value`. */
  field: string;
  message: string;
}

const RESOURCE_NAME = new RegExp(RESOURCE_NAME_PATTERN);

const UNQUALIFIED: ReadonlySet<string> = new Set(UNQUALIFIED_RESOURCES);
const HUGEPAGES = 'hugepages-';

/**
 * Whether `name` is a resource a container can request: a Kubernetes resource name (the name
 * part at most 63 characters), and without a domain only one Kubernetes defines (`cpus` is not).
 */
export function isResourceName(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const known = name.includes('/') || UNQUALIFIED.has(name) || name.startsWith(HUGEPAGES);
  const quotaKey = name.startsWith(QUOTA_PREFIX);
  return known && !quotaKey && name.length <= 253 && base.length <= 63 && RESOURCE_NAME.test(name);
}

/**
 * The amount of a quantity in its unit (millicores for cpu), or why the operator cannot use it:
 * malformed, negative, or too large to count exactly (the one definition, src/resources/quantity.ts).
 */
export function quantityAmount(name: string, q: number | string): number | string {
  try {
    const n = parseQuantity(name, q);
    return n < 0 ? `${JSON.stringify(q)}: must not be negative` : n;
  } catch (err) {
    if (err instanceof QuantityError) return `${JSON.stringify(q)}: ${err.problem}`;
    throw err;
  }
}

/** Each quantity of a resource list the operator cannot use, by field. */
export function quantityIssues(list: ResourceList | undefined, field: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [name, q] of Object.entries(list ?? {})) {
    const amount = quantityAmount(name, q);
    if (typeof amount === 'string') issues.push({ field: `${field}.${name}`, message: amount });
  }
  return issues;
}

/** One line for a condition or an Event: every field with its reason. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `${i.field}: ${i.message}`).join('; ');
}

export function validateResourceRoleSpec(spec: ResourceRoleSpec): ValidationIssue[] {
  return [
    ...quantityIssues(spec.quota?.guarantee, 'spec.quota.guarantee'),
    ...quantityIssues(spec.quota?.limit, 'spec.quota.limit'),
  ];
}

/** `value` at `field` when it is not of `format`; nothing when unset. */
function fieldIssues(field: string, value: string | undefined, format: Format): ValidationIssue[] {
  return value === undefined || isOf(format, value)
    ? []
    : [{ field, message: `${JSON.stringify(value)}: ${format.message}` }];
}

/** The checks the API server makes of a Pod's tolerations: one that fails them fails every pod. */
function tolerationIssues(t: Toleration, field: string): ValidationIssue[] {
  const exists = t.operator === 'Exists';
  const issues = [
    ...(t.key ? fieldIssues(`${field}.key`, t.key, QUALIFIED_NAME) : []),
    ...(exists ? [] : fieldIssues(`${field}.value`, t.value, LABEL_VALUE)),
  ];
  if (!t.key && !exists)
    issues.push({ field: `${field}.operator`, message: TOLERATION_MESSAGES.keyOrExists });
  if (exists && t.value)
    issues.push({ field: `${field}.value`, message: TOLERATION_MESSAGES.existsWithoutValue });
  if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute')
    issues.push({ field: `${field}.effect`, message: TOLERATION_MESSAGES.secondsForNoExecute });
  return issues;
}

/** Quantities, and what the pods of the framework's tasks take from it. */
export function validateFrameworkSpec(spec: FrameworkSpec): ValidationIssue[] {
  const defaults = spec.taskDefaults;
  const issues = [
    ...quantityIssues(spec.offerFilters.minAllocatable, 'spec.offerFilters.minAllocatable'),
    ...(spec.tolerations ?? []).flatMap((t, i) => tolerationIssues(t, `spec.tolerations[${i}]`)),
    ...fieldIssues('spec.taskDefaults.image', defaults.image, IMAGE),
    ...fieldIssues('spec.taskDefaults.serviceAccountName', defaults.serviceAccountName, DNS_SUBDOMAIN),
  ];
  const user = defaults.runAsUser;
  if (user !== undefined && !(Number.isInteger(user) && user >= 1 && user <= MAX_RUN_AS_USER))
    issues.push({ field: 'spec.taskDefaults.runAsUser', message: `must be from 1 to ${MAX_RUN_AS_USER}` });
  return issues;
}

/** The resources of a task: names a container can request, quantities it can count, not all zero. */
export function validateResources(resources: ResourceList, field: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const name of Object.keys(resources))
    if (!isResourceName(name))
      issues.push({ field: `${field}.${name}`, message: `invalid resource name ${name}` });
  const quantities = quantityIssues(resources, field);
  issues.push(...quantities);
  // Only when every quantity reads: a malformed one is reported as such, not as zero.
  const amounts = Object.entries(resources).map(([name, q]) => quantityAmount(name, q));
  if (quantities.length === 0 && amounts.every((a) => a === 0))
    issues.push({ field, message: 'the task asks for no resources: at least one must be above zero' });
  return issues;
}

function compiles(pattern: string): boolean {
  try {
    // Marathon matches the whole attribute value; anchoring here checks the same form the scheduler uses.
    new RegExp(`^(?:${pattern})$`);
    return true;
  } catch {
    return false;
  }
}

type ValueFrom = NonNullable<EnvVar['valueFrom']>;

function keyRefIssues(ref: ValueFrom['secretKeyRef'], field: string): ValidationIssue[] {
  if (ref === undefined) return [];
  return [
    ...fieldIssues(`${field}.name`, ref.name, DNS_SUBDOMAIN),
    ...fieldIssues(`${field}.key`, ref.key, CONFIG_KEY),
  ];
}

function valueFromIssues(from: ValueFrom, field: string): ValidationIssue[] {
  const sources = [from.secretKeyRef, from.configMapKeyRef, from.fieldRef].filter((r) => r !== undefined);
  return [
    ...(sources.length === 1 ? [] : [{ field, message: VALUE_FROM_MESSAGE }]),
    ...keyRefIssues(from.secretKeyRef, `${field}.secretKeyRef`),
    ...keyRefIssues(from.configMapKeyRef, `${field}.configMapKeyRef`),
    ...fieldIssues(`${field}.fieldRef.fieldPath`, from.fieldRef?.fieldPath, FIELD_PATH),
  ];
}

/** Environment variables as the API server checks them in a Pod. */
function envIssues(env: readonly EnvVar[] | undefined, field: string): ValidationIssue[] {
  return (env ?? []).flatMap((e, i) => [
    ...fieldIssues(`${field}[${i}].name`, e.name, ENV_NAME),
    ...(e.valueFrom ? valueFromIssues(e.valueFrom, `${field}[${i}].valueFrom`) : []),
  ]);
}

/** Whether a Pod counts `name` in whole units: an extended resource, outside kubernetes.io. */
function isExtended(name: string): boolean {
  return name.includes('/') && !name.includes('kubernetes.io/');
}

/** Whether `q` is a whole number of units, judged as the API server does: by its thousandths. */
function isWhole(name: string, q: number | string): boolean {
  try {
    return parseQuantity(name, q, 'milli') % 1000 === 0;
  } catch {
    // More thousandths than a number counts exactly: leave it to the API server rather than
    // refuse a count that may well be whole.
    return true;
  }
}

/** The checks the API server makes of a container's resources (extended resources, hugepages). */
function podResourceIssues(resources: ResourceList): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const names = Object.keys(resources);
  for (const [name, q] of Object.entries(resources)) {
    const field = `spec.resources.${name}`;
    if (typeof quantityAmount(name, q) === 'string') continue;
    if (isExtended(name) && !isWhole(name, q))
      issues.push({ field, message: POD_RESOURCE_MESSAGES.wholeExtended });
    if (name.startsWith(HUGEPAGES) && !isWholePages(name, q))
      issues.push({ field, message: POD_RESOURCE_MESSAGES.hugePages });
  }
  if (names.some((n) => n.startsWith(HUGEPAGES)) && !names.includes('cpu') && !names.includes('memory'))
    issues.push({ field: 'spec.resources', message: POD_RESOURCE_MESSAGES.hugePagesNeedCpuOrMemory });
  return issues;
}

/** Whether `q` of hugepages resource `name` is a whole number of its pages. */
function isWholePages(name: string, q: number | string): boolean {
  const size = quantityAmount('memory', name.slice(HUGEPAGES.length));
  const amount = quantityAmount(name, q);
  return typeof size === 'number' && size > 0 && typeof amount === 'number' && amount % size === 0;
}

/** What would make the task's pod refused (a 422 per attempt) or never start (a bad image). */
function podIssues(spec: TaskSpec): ValidationIssue[] {
  const c = spec.container;
  return [
    ...envIssues(spec.env, 'spec.env'),
    ...(c
      ? [
          ...fieldIssues('spec.container.image', c.image, IMAGE),
          ...fieldIssues('spec.container.workingDir', c.workingDir, ABSOLUTE_PATH),
          ...envIssues(c.env, 'spec.container.env'),
        ]
      : []),
  ];
}

/** Problems with a Task spec that keep it from running; empty when it is fine. */
export function validateTaskSpec(spec: TaskSpec): ValidationIssue[] {
  const issues = [
    ...validateResources(spec.resources, 'spec.resources'),
    ...podResourceIssues(spec.resources),
    ...podIssues(spec),
  ];
  (spec.constraints ?? []).forEach((c, i) => {
    if ((c.operator === 'LIKE' || c.operator === 'UNLIKE') && c.value !== undefined && !compiles(c.value))
      issues.push({
        field: `spec.constraints[${i}].value`,
        message: `invalid regular expression ${c.value}`,
      });
  });
  return issues;
}
