import type { Constraint, PendingTask } from '../../allocator/index.js';
import { parseResourceList } from '../../resources/index.js';
import type { AgentNames, PendingAttempt } from '../types.js';

/**
 * The allocator's view of a pending attempt: its resources, priority, age and constraints.
 * A retry avoids the nodes earlier attempts ran on, unless that would leave no node at all.
 */
export function pendingTask(p: PendingAttempt, agentNames: AgentNames): PendingTask {
  const { task } = p;
  const constraints: Constraint[] = (task.spec.constraints ?? []).map((c) =>
    c.value === undefined
      ? { field: c.field, operator: c.operator }
      : { field: c.field, operator: c.operator, value: c.value },
  );
  const avoid = p.avoidNodes.filter((n) => agentNames.has(n));
  if (avoid.length > 0 && avoid.length < agentNames.size) {
    constraints.push({
      field: 'hostname',
      operator: 'UNLIKE',
      value: avoid.map((n) => n.replace(/[.]/g, '\\.')).join('|'),
    });
  }
  return {
    taskId: p.podKey,
    frameworkId: p.frameworkKey,
    resources: parseResourceList(task.spec.resources),
    priority: task.spec.priority,
    createdAt: task.metadata.creationTimestamp ? new Date(task.metadata.creationTimestamp).getTime() : 0,
    constraints,
  };
}
