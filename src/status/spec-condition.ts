import { setCondition } from '../api/conditions.js';
import type { Condition } from '../api/types.js';
import { formatIssues, type ValidationIssue } from '../api/validation.js';
import type { Clock } from '../util/clock.js';

export const SPEC_VALID = 'SpecValid';

/**
 * `SpecValid=False, reason InvalidSpec` with every field and reason while an object's spec
 * has problems only the operator can see; the condition goes away once the spec is fixed.
 */
export function withSpecCondition(
  conditions: readonly Condition[] | undefined,
  issues: readonly ValidationIssue[] | undefined,
  generation: number,
  clock: Clock,
): Condition[] | undefined {
  if (!issues || issues.length === 0) {
    const kept = (conditions ?? []).filter((c) => c.type !== SPEC_VALID);
    return kept.length > 0 ? kept : undefined;
  }
  return setCondition(
    conditions,
    {
      type: SPEC_VALID,
      status: 'False',
      reason: 'InvalidSpec',
      message: `left out of allocation: ${formatIssues(issues)}`,
      observedGeneration: generation,
    },
    clock,
  );
}
