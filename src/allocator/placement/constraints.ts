/**
 * Marathon-style placement constraints on agent attributes (`hostname` is the agent's
 * hostname, any other field an attribute / node label):
 *
 *   UNIQUE            at most one task of the group per value of the field
 *   CLUSTER [v]       all tasks on agents whose field is v (without v: the value of the
 *                     group's existing tasks, or any value for the first)
 *   GROUP_BY          spread evenly: only values holding the fewest tasks of the group
 *                     among the values present in the cluster
 *   LIKE re           the field fully matches the regular expression
 *   UNLIKE re         the field is absent or does not fully match
 *   MAX_PER n         fewer than n tasks of the group per value
 *
 * A missing attribute fails every operator but UNLIKE. The group of a task is its
 * framework unless the task names one (like a Marathon app).
 */

export type ConstraintOperator = 'UNIQUE' | 'CLUSTER' | 'GROUP_BY' | 'LIKE' | 'UNLIKE' | 'MAX_PER';

export interface Constraint {
  readonly field: string;
  readonly operator: ConstraintOperator;
  readonly value?: string;
}

const OPERATORS: ReadonlySet<string> = new Set([
  'UNIQUE',
  'CLUSTER',
  'GROUP_BY',
  'LIKE',
  'UNLIKE',
  'MAX_PER',
]);

/** Parses Marathon's array form `["hostname", "UNIQUE"]` or `"rack:MAX_PER:2"`. */
export function parseConstraint(input: readonly string[] | string): Constraint {
  const parts = typeof input === 'string' ? splitColon(input) : [...input];
  const [field, operator, value] = parts;
  if (!field || !operator || parts.length > 3 || !OPERATORS.has(operator)) {
    throw new Error(
      `invalid constraint ${JSON.stringify(input)}: want [field, ${[...OPERATORS].join('|')}, value?]`,
    );
  }
  const c: Constraint =
    value === undefined
      ? { field, operator: operator as ConstraintOperator }
      : { field, operator: operator as ConstraintOperator, value };
  const problem = validateConstraint(c);
  if (problem) throw new Error(problem);
  return c;
}

function splitColon(s: string): string[] {
  const i = s.indexOf(':');
  const j = i < 0 ? -1 : s.indexOf(':', i + 1);
  if (i < 0) return [s];
  if (j < 0) return [s.slice(0, i), s.slice(i + 1)];
  // The value may itself contain ':' (a regex).
  return [s.slice(0, i), s.slice(i + 1, j), s.slice(j + 1)];
}

/** A message naming what is wrong with a constraint, or null when it is valid. */
export function validateConstraint(c: Constraint): string | null {
  const where = `constraint ${formatConstraint(c)}`;
  switch (c.operator) {
    case 'LIKE':
    case 'UNLIKE':
      if (c.value === undefined) return `${where}: ${c.operator} needs a regular expression`;
      try {
        new RegExp(c.value);
      } catch (e) {
        return `${where}: bad regular expression: ${(e as Error).message}`;
      }
      return null;
    case 'MAX_PER':
      return c.value !== undefined && /^[1-9]\d*$/.test(c.value)
        ? null
        : `${where}: MAX_PER needs a positive integer`;
    default:
      return null;
  }
}

export function formatConstraint(c: Constraint): string {
  return c.value === undefined ? `${c.field}:${c.operator}` : `${c.field}:${c.operator}:${c.value}`;
}

/** Counts of a group's tasks by field value (maintained by the caller). */
export interface ValueCounts {
  /** Tasks of the group on agents whose `field` is `value`. */
  count(field: string, value: string): number;
  /** Values of `field` holding at least one task of the group. */
  usedValues(field: string): ReadonlyMap<string, number>;
}

/** What a constraint check needs to know about the cluster. */
export interface ConstraintContext {
  /** Distinct values of `field` over available agents (for GROUP_BY). */
  clusterValues(field: string): ReadonlySet<string>;
  /** Compiled, fully anchored regular expression for a LIKE/UNLIKE value. */
  regex(pattern: string): RegExp;
}

/** Whether an agent whose `field` is `value` (undefined = absent) may take one more task. */
export function allows(
  c: Constraint,
  value: string | undefined,
  counts: ValueCounts,
  ctx: ConstraintContext,
): boolean {
  if (c.operator === 'UNLIKE') return value === undefined || !ctx.regex(c.value ?? '').test(value);
  if (value === undefined) return false;
  switch (c.operator) {
    case 'LIKE':
      return ctx.regex(c.value ?? '').test(value);
    case 'UNIQUE':
      return counts.count(c.field, value) === 0;
    case 'MAX_PER':
      return counts.count(c.field, value) < Number(c.value);
    case 'CLUSTER':
      return allowsCluster(c, value, counts);
    case 'GROUP_BY':
      return allowsGroupBy(c, value, counts, ctx);
  }
}

function allowsCluster(c: Constraint, value: string, counts: ValueCounts): boolean {
  if (c.value !== undefined) return value === c.value;
  const used = counts.usedValues(c.field);
  return used.size === 0 || used.has(value);
}

function allowsGroupBy(c: Constraint, value: string, counts: ValueCounts, ctx: ConstraintContext): boolean {
  const mine = counts.count(c.field, value);
  if (mine === 0) return true;
  let least = Infinity;
  for (const v of ctx.clusterValues(c.field)) {
    least = Math.min(least, counts.count(c.field, v));
    if (least < mine) return false;
  }
  return true;
}

/** Anchors a Marathon regex: LIKE/UNLIKE match the whole value. */
export function compileAnchored(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}
