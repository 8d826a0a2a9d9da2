import type { V1Node, V1Taint } from '@kubernetes/client-node';
import type { Toleration } from '../api/types.js';
import { nodeAllocatable, subtractClamped, add, type Resources } from '../resources/index.js';

/** How Mesos would see a node: an active agent, one in maintenance, or one it cannot reach. */
export type AgentState = 'active' | 'cordoned' | 'tainted' | 'unreachable';

/** A Node as a Mesos agent: ID = node UID, hostname = node name, attributes = labels. */
export interface AgentView {
  id: string;
  hostname: string;
  total: Resources;
  /** Requests of every live pod on the node (kmesos' own and foreign) and of assumed pods. */
  used: Resources;
  free: Resources;
  attributes: Record<string, string>;
  /** NoSchedule/NoExecute taints, which a framework must tolerate to be offered the agent. */
  taints: V1Taint[];
  state: AgentState;
}

function isReady(node: V1Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Taints that the node lifecycle controller and cordon add, which say nothing a state does not. */
const STATE_TAINTS = new Set([
  'node.kubernetes.io/unschedulable',
  'node.kubernetes.io/not-ready',
  'node.kubernetes.io/unreachable',
]);

export function agentFromNode(node: V1Node, used: Resources, assumed: Resources | undefined): AgentView {
  const total = nodeAllocatable(node);
  const allUsed = assumed ? add(used, assumed) : used;
  const taints = (node.spec?.taints ?? []).filter(
    (t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !STATE_TAINTS.has(t.key),
  );
  let state: AgentState = 'active';
  if (!isReady(node)) state = 'unreachable';
  else if (node.spec?.unschedulable) state = 'cordoned';
  else if (taints.length > 0) state = 'tainted';
  return {
    id: node.metadata?.uid ?? node.metadata?.name ?? '',
    hostname: node.metadata?.name ?? '',
    total,
    used: allUsed,
    free: subtractClamped(total, allUsed),
    attributes: { ...node.metadata?.labels },
    taints,
    state,
  };
}

/** Whether one toleration tolerates one taint, by the Kubernetes rules. */
function toleratesTaint(t: Toleration, taint: V1Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return t.key === undefined || t.key === '' || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

/** Whether a framework may be offered an agent: reachable, not cordoned, every taint tolerated. */
export function eligibleFor(agent: AgentView, tolerations: readonly Toleration[]): boolean {
  if (agent.state === 'unreachable' || agent.state === 'cordoned') return false;
  return agent.taints.every((taint) => tolerations.some((t) => toleratesTaint(t, taint)));
}
