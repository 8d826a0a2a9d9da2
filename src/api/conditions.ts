/**
 * Conditions per the Kubernetes API conventions: one helper sets them, and lastTransitionTime
 * moves only when the status changes (so rewriting the same reason/message is not a transition).
 */
import type { Clock } from '../util/clock.js';
import { formatTime } from './time.js';
import type { Condition, ConditionStatus } from './types.js';

/** A condition to set; the helper adds lastTransitionTime. */
export interface ConditionInput {
  /** PascalCase, e.g. `Scheduled`. */
  type: string;
  status: ConditionStatus;
  /** CamelCase, e.g. `Unschedulable`. */
  reason: string;
  message: string;
  observedGeneration?: number;
}

const TYPE = /^[A-Z][A-Za-z0-9]*$/;
const REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;

/**
 * Returns `conditions` with `input` set: a new list, the input untouched, the order kept (a new
 * type is appended). Throws on a malformed type or reason: that is a programming error.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  input: ConditionInput,
  clock: Clock,
): Condition[] {
  if (!TYPE.test(input.type)) throw new Error(`condition type must be PascalCase: ${input.type}`);
  if (!REASON.test(input.reason)) throw new Error(`condition reason must be CamelCase: ${input.reason}`);
  const list = conditions ?? [];
  const old = list.find((c) => c.type === input.type);
  const next: Condition = {
    type: input.type,
    status: input.status,
    ...(input.observedGeneration !== undefined ? { observedGeneration: input.observedGeneration } : {}),
    lastTransitionTime:
      old !== undefined && old.status === input.status ? old.lastTransitionTime : formatTime(clock.now()),
    reason: input.reason,
    message: input.message,
  };
  return old === undefined ? [...list, next] : list.map((c) => (c === old ? next : c));
}

/** The condition of one type, if present. */
export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** Whether the condition of `type` is present with status True. */
export function isConditionTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/** `conditions` without the condition of `type`. */
export function removeCondition(conditions: readonly Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}
