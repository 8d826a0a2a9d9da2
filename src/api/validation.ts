/**
 * Checks that only the operator can make: the API server has already applied the schema and CEL
 * rules, but cannot compile a regex or tell that a task asks for nothing. A problem found here
 * becomes a condition on the object, never an exception.
 */
import { QUANTITY_PATTERN, RESOURCE_NAME_PATTERN, UNQUALIFIED_RESOURCES } from './schema/common.js';
import { parseResourceList } from '../resources/index.js';
import type { FrameworkSpec, ResourceList, ResourceRoleSpec, TaskSpec } from './types.js';

export interface ValidationIssue {
  /** The field path, e.g. `spec.constraints[1].value`. */
  field: string;
  message: string;
}

const QUANTITY = new RegExp(QUANTITY_PATTERN);
const RESOURCE_NAME = new RegExp(RESOURCE_NAME_PATTERN);
/** A quantity whose digits are all zero, whatever its suffix or exponent. */
const ZERO = /^[+]?0*([.]0*)?(([KMGTPE]i)|[numkMGTPE]|[eE].*)?$/;

const UNQUALIFIED: ReadonlySet<string> = new Set(UNQUALIFIED_RESOURCES);

/**
 * Whether `name` is a resource a container can request: a Kubernetes resource name (the name
 * part at most 63 characters), and without a domain only one Kubernetes defines (`cpus` is not).
 */
export function isResourceName(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const known = name.includes('/') || UNQUALIFIED.has(name) || name.startsWith('hugepages-');
  return known && name.length <= 253 && base.length <= 63 && RESOURCE_NAME.test(name);
}

/** Whether `q` is a non-negative quantity as the CRDs accept it. */
export function isQuantity(q: number | string): boolean {
  if (typeof q === 'number') return Number.isSafeInteger(q) && q >= 0;
  return QUANTITY.test(q);
}

export function isZeroQuantity(q: number | string): boolean {
  return typeof q === 'number' ? q === 0 : ZERO.test(q);
}

/** Each quantity of a resource list the operator cannot use (negative, out of range, malformed). */
export function quantityIssues(
  list: Readonly<Record<string, string | number>> | undefined,
  field: string,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [name, q] of Object.entries(list ?? {})) {
    try {
      parseResourceList({ [name]: q });
    } catch (err) {
      issues.push({ field: `${field}.${name}`, message: err instanceof Error ? err.message : String(err) });
    }
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

export function validateFrameworkSpec(spec: FrameworkSpec): ValidationIssue[] {
  return quantityIssues(spec.offerFilters.minAllocatable, 'spec.offerFilters.minAllocatable');
}

export function validateResources(resources: ResourceList, field: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [name, q] of Object.entries(resources)) {
    if (!isResourceName(name))
      issues.push({ field: `${field}.${name}`, message: `invalid resource name ${name}` });
    if (!isQuantity(q)) issues.push({ field: `${field}.${name}`, message: `invalid quantity ${String(q)}` });
  }
  // What the pattern lets through but does not fit (1e400, 10^20 cores) or is below zero.
  for (const i of quantityIssues(resources, field))
    if (!issues.some((j) => j.field === i.field)) issues.push(i);
  const values = Object.values(resources);
  if (values.length > 0 && values.every(isZeroQuantity))
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

/** Problems with a Task spec the schema cannot catch; empty when it is fine. */
export function validateTaskSpec(spec: TaskSpec): ValidationIssue[] {
  const issues = validateResources(spec.resources, 'spec.resources');
  (spec.constraints ?? []).forEach((c, i) => {
    if ((c.operator === 'LIKE' || c.operator === 'UNLIKE') && c.value !== undefined && !compiles(c.value))
      issues.push({
        field: `spec.constraints[${i}].value`,
        message: `invalid regular expression ${c.value}`,
      });
  });
  return issues;
}
