/**
 * The operator API's write calls mapped onto Kubernetes: each call becomes the writes that do
 * what Mesos would do, and the access a caller needs for them (the Kubernetes verb and resource
 * of every write, checked with a SubjectAccessReview as the scheduler API's calls are). Pure:
 * routes.ts checks the access and hands the steps to a MasterWriter.
 *
 *   DEACTIVATE_AGENT   cordon the node                       patch nodes
 *   REACTIVATE_AGENT   uncordon the node                     patch nodes
 *   DRAIN_AGENT        cordon, delete its kmesos task pods   patch nodes, delete pods
 *                      (and delete the node if mark_gone)    (delete nodes)
 *   MARK_AGENT_GONE    delete the node                       delete nodes
 *   UPDATE_WEIGHTS     ResourceRole spec.weight per role     patch (or create) resourceroles
 *   UPDATE_QUOTA       ResourceRole spec.quota per role      patch (or create) resourceroles
 */
import { DEFAULT_ROLE } from '../api/constants.js';
import { isValidRole, resourceRoleName } from '../api/roles.js';
import type { ResourceRole, ResourceRoleSpecInput } from '../api/types.js';
import { mergePatch } from '../kube/merge-patch.js';
import type { AccessRequest } from '../scheduler/external/auth.js';
import type { Call, Call_Type } from '../scheduler/mesos/types/master.js';
import type { AgentID } from '../scheduler/mesos/types/v1.js';
import { quotaOfConfig } from './mesos-quota.js';
import type { AgentModel } from './model.js';

export type WriteStep =
  | { readonly op: 'cordon'; readonly node: string; readonly unschedulable: boolean }
  /** Deletes the node's kmesos task pods, with at most this grace period when given. */
  | { readonly op: 'deleteTaskPods'; readonly node: string; readonly gracePeriodSeconds?: number }
  | { readonly op: 'deleteNode'; readonly node: string }
  | { readonly op: 'patchResourceRole'; readonly name: string; readonly patch: object }
  | { readonly op: 'createResourceRole'; readonly name: string; readonly spec: ResourceRoleSpecInput };

/** Does one step; routes.ts runs a plan's steps in order. */
export interface MasterWriter {
  run(step: WriteStep): Promise<void>;
}

export type WritePlan =
  { ok: true; steps: WriteStep[]; access: AccessRequest[] } | { ok: false; status: 400; message: string };

/** What a write call may touch: the agents and the ResourceRole objects, by name. */
export interface WriteContext {
  readonly agents: readonly AgentModel[];
  readonly resourceRoles: ReadonlyMap<string, ResourceRole>;
}

const ACCESS: Readonly<Record<WriteStep['op'], AccessRequest>> = {
  cordon: { group: '', namespace: '', verb: 'patch', resource: 'nodes' },
  deleteTaskPods: { group: '', namespace: '', verb: 'delete', resource: 'pods' },
  deleteNode: { group: '', namespace: '', verb: 'delete', resource: 'nodes' },
  patchResourceRole: { namespace: '', verb: 'patch', resource: 'resourceroles' },
  createResourceRole: { namespace: '', verb: 'create', resource: 'resourceroles' },
};

type Planner = (call: Call, context: WriteContext) => WritePlan;

function bad(message: string): WritePlan {
  return { ok: false, status: 400, message };
}

function planned(steps: WriteStep[]): WritePlan {
  const ops = [...new Set(steps.map((s) => s.op))];
  return { ok: true, steps, access: ops.map((op) => ACCESS[op]) };
}

/** The agent's node, or the 400 naming the field. */
function nodeOf(agentId: AgentID | undefined, path: string, context: WriteContext): string | WritePlan {
  const id = agentId?.value;
  if (id === undefined || id === '') return bad(`${path}.agent_id: required`);
  const agent = context.agents.find((a) => a.id === id);
  return agent ? agent.hostname : bad(`${path}.agent_id: no agent with ID '${id}'`);
}

/** Creates the role's ResourceRole with `spec`, or patches the one that exists into it. */
function roleStep(
  role: string,
  path: string,
  context: WriteContext,
  change: (spec: ResourceRoleSpecInput) => ResourceRoleSpecInput,
): WriteStep | WritePlan {
  if (role === DEFAULT_ROLE)
    return bad(`${path}: role '*' has no ResourceRole; it keeps weight 1 and no quota`);
  const name = resourceRoleName(role);
  if (!isValidRole(role) || name === undefined) return bad(`${path}: '${role}' is not a valid role name`);
  const existing = context.resourceRoles.get(name);
  if (!existing) return { op: 'createResourceRole', name, spec: change({ weight: 1 }) };
  const patch = mergePatch(existing.spec, change(existing.spec));
  return { op: 'patchResourceRole', name, patch: patch === undefined ? {} : { spec: patch } };
}

function isPlan(v: unknown): v is WritePlan {
  return typeof v === 'object' && v !== null && 'ok' in v;
}

const PLANNERS: Partial<Record<Call_Type, Planner>> = {
  DEACTIVATE_AGENT: (call, context) => {
    const node = nodeOf(call.deactivate_agent?.agent_id, 'call.deactivate_agent', context);
    return typeof node === 'string' ? planned([{ op: 'cordon', node, unschedulable: true }]) : node;
  },
  REACTIVATE_AGENT: (call, context) => {
    const node = nodeOf(call.reactivate_agent?.agent_id, 'call.reactivate_agent', context);
    return typeof node === 'string' ? planned([{ op: 'cordon', node, unschedulable: false }]) : node;
  },
  MARK_AGENT_GONE: (call, context) => {
    const node = nodeOf(call.mark_agent_gone?.agent_id, 'call.mark_agent_gone', context);
    return typeof node === 'string' ? planned([{ op: 'deleteNode', node }]) : node;
  },
  DRAIN_AGENT: (call, context) => {
    const drain = call.drain_agent;
    const node = nodeOf(drain?.agent_id, 'call.drain_agent', context);
    if (typeof node !== 'string') return node;
    const grace = drain?.max_grace_period?.nanoseconds;
    if (grace !== undefined && !(grace >= 0))
      return bad(`call.drain_agent.max_grace_period.nanoseconds: must not be negative, not ${grace}`);
    const steps: WriteStep[] = [
      { op: 'cordon', node, unschedulable: true },
      {
        op: 'deleteTaskPods',
        node,
        ...(grace !== undefined ? { gracePeriodSeconds: Math.ceil(grace / 1e9) } : {}),
      },
    ];
    if (drain?.mark_gone === true) steps.push({ op: 'deleteNode', node });
    return planned(steps);
  },
  UPDATE_WEIGHTS: (call, context) => {
    const steps: WriteStep[] = [];
    const seen = new Set<string>();
    for (const [i, info] of (call.update_weights?.weight_infos ?? []).entries()) {
      const path = `call.update_weights.weight_infos[${i}]`;
      if (seen.has(info.role ?? '')) return bad(`${path}.role: '${info.role ?? ''}' is named twice`);
      seen.add(info.role ?? '');
      const weight = info.weight;
      if (!Number.isFinite(weight) || weight <= 0 || weight > 1e6)
        return bad(`${path}.weight: must be a positive number up to 1000000, not ${weight}`);
      const step = roleStep(info.role ?? '', `${path}.role`, context, (spec) => ({ ...spec, weight }));
      if (isPlan(step)) return step;
      steps.push(step);
    }
    return steps.length > 0 ? planned(steps) : bad('call.update_weights.weight_infos: required');
  },
  UPDATE_QUOTA: (call, context) => {
    const steps: WriteStep[] = [];
    const seen = new Set<string>();
    for (const [i, config] of (call.update_quota?.quota_configs ?? []).entries()) {
      const path = `call.update_quota.quota_configs[${i}]`;
      if (seen.has(config.role)) return bad(`${path}.role: '${config.role}' is named twice`);
      seen.add(config.role);
      const quota = quotaOfConfig(config, path);
      if (!quota.ok) return bad(quota.message);
      const step = roleStep(config.role, `${path}.role`, context, ({ quota: _old, ...spec }) => ({
        ...spec,
        ...(quota.quota ? { quota: quota.quota } : {}),
      }));
      if (isPlan(step)) return step;
      steps.push(step);
    }
    return steps.length > 0 ? planned(steps) : bad('call.update_quota.quota_configs: required');
  },
};

export const WRITE_CALLS: readonly string[] = Object.keys(PLANNERS);

/** The writes of a call, or undefined when it is not a write call kmesos serves. */
export function planWrite(call: Call, context: WriteContext): WritePlan | undefined {
  const planner = PLANNERS[call.type ?? 'UNKNOWN'];
  return planner ? planner(call, context) : undefined;
}
