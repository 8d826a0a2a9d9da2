/**
 * The operator's own check of a spec before it uses it. The API server has applied the schema and
 * CEL rules, but it cannot compile a JavaScript regex, and an object stored before the CRDs gained a
 * rule was never held to it; so what the operator relies on (quantities it can count exactly, what
 * the pod needs to be created) is checked again here. A problem found here becomes a condition on
 * the object, never an exception.
 */
import { RESOURCE_NAME_PATTERN, UNQUALIFIED_RESOURCES } from './schema/common.js';
import { QuantityError, parseQuantity } from '../resources/index.js';
import type { FrameworkSpec, ResourceList, ResourceRoleSpec, TaskSpec } from './types.js';

export interface ValidationIssue {
  /** The field path, e.g. `spec.constraints[1].value`. */
  field: string;
  message: string;
}

const RESOURCE_NAME = new RegExp(RESOURCE_NAME_PATTERN);

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

export function validateFrameworkSpec(spec: FrameworkSpec): ValidationIssue[] {
  return quantityIssues(spec.offerFilters.minAllocatable, 'spec.offerFilters.minAllocatable');
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
