import type { ResourceRole } from '../api/types.js';
import type { Call } from '../scheduler/mesos/types/master.js';
import { buildModel } from './model.js';
import { planWrite, type WriteContext, type WritePlan } from './operator-writes.js';
import { NODE_UID, clusterInputs } from './test-inputs.js';

const devRole: ResourceRole = {
  apiVersion: 'kmesos.io/v1alpha1',
  kind: 'ResourceRole',
  metadata: { name: 'eng.ml' },
  spec: { weight: 2, preemptionPolicy: 'GuaranteeOnly', quota: { guarantee: { cpu: '1', memory: '1Gi' } } },
};
const context: WriteContext = {
  agents: buildModel(clusterInputs()).agents,
  resourceRoles: new Map([['eng.ml', devRole]]),
};
const agentId = { value: NODE_UID };
const nodes = (verb: string) => ({ group: '', namespace: '', verb, resource: 'nodes' });
const roles = (verb: string) => ({ namespace: '', verb, resource: 'resourceroles' });

describe('planWrite: a write call → Kubernetes writes and the access they need', () => {
  it.each<[string, Call, WritePlan]>([
    [
      'DEACTIVATE_AGENT cordons',
      { type: 'DEACTIVATE_AGENT', deactivate_agent: { agent_id: agentId } },
      { ok: true, steps: [{ op: 'cordon', node: 'n1', unschedulable: true }], access: [nodes('patch')] },
    ],
    [
      'REACTIVATE_AGENT uncordons',
      { type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: agentId } },
      { ok: true, steps: [{ op: 'cordon', node: 'n1', unschedulable: false }], access: [nodes('patch')] },
    ],
    [
      'MARK_AGENT_GONE deletes the node',
      { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: agentId } },
      { ok: true, steps: [{ op: 'deleteNode', node: 'n1' }], access: [nodes('delete')] },
    ],
    [
      'DRAIN_AGENT with mark_gone cordons, deletes the task pods, then the node',
      { type: 'DRAIN_AGENT', drain_agent: { agent_id: agentId, mark_gone: true } },
      {
        ok: true,
        steps: [
          { op: 'cordon', node: 'n1', unschedulable: true },
          { op: 'deleteTaskPods', node: 'n1' },
          { op: 'deleteNode', node: 'n1' },
        ],
        access: [
          nodes('patch'),
          { group: '', namespace: '', verb: 'delete', resource: 'pods' },
          nodes('delete'),
        ],
      },
    ],
    [
      'UPDATE_WEIGHTS patches a ResourceRole that exists and creates one that does not',
      {
        type: 'UPDATE_WEIGHTS',
        update_weights: {
          weight_infos: [
            { role: 'eng/ml', weight: 3 },
            { role: 'ops', weight: 0.5 },
          ],
        },
      },
      {
        ok: true,
        steps: [
          { op: 'patchResourceRole', name: 'eng.ml', patch: { spec: { weight: 3 } } },
          { op: 'createResourceRole', name: 'ops', spec: { weight: 0.5 } },
        ],
        access: [roles('patch'), roles('create')],
      },
    ],
    [
      'UPDATE_QUOTA replaces the quota, dropping resources no longer named',
      {
        type: 'UPDATE_QUOTA',
        update_quota: { quota_configs: [{ role: 'eng/ml', limits: { cpus: { value: 4 } } }] },
      },
      {
        ok: true,
        steps: [
          {
            op: 'patchResourceRole',
            name: 'eng.ml',
            patch: { spec: { quota: { guarantee: null, limit: { cpu: '4000m' } } } },
          },
        ],
        access: [roles('patch')],
      },
    ],
    [
      'UPDATE_QUOTA with no guarantees and no limits removes the quota',
      { type: 'UPDATE_QUOTA', update_quota: { quota_configs: [{ role: 'eng/ml' }] } },
      {
        ok: true,
        steps: [{ op: 'patchResourceRole', name: 'eng.ml', patch: { spec: { quota: null } } }],
        access: [roles('patch')],
      },
    ],
  ])('%s', (_name, call, want) => {
    expect(planWrite(call, context)).toEqual(want);
  });

  it.each<[string, Call, string]>([
    [
      'an agent kmesos does not know',
      { type: 'DEACTIVATE_AGENT', deactivate_agent: { agent_id: { value: 'x' } } },
      "call.deactivate_agent.agent_id: no agent with ID 'x'",
    ],
    [
      'a zero weight',
      { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'ops', weight: 0 }] } },
      'call.update_weights.weight_infos[0].weight: must be a positive number up to 1000000, not 0',
    ],
    [
      'the default role',
      { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: '*', weight: 2 }] } },
      "call.update_weights.weight_infos[0].role: role '*' has no ResourceRole; it keeps weight 1 and no quota",
    ],
    [
      'a bad role name',
      { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'Eng', weight: 2 }] } },
      "call.update_weights.weight_infos[0].role: 'Eng' is not a valid role name",
    ],
    [
      'a role named twice',
      {
        type: 'UPDATE_WEIGHTS',
        update_weights: {
          weight_infos: [
            { role: 'a', weight: 2 },
            { role: 'a', weight: 3 },
          ],
        },
      },
      "call.update_weights.weight_infos[1].role: 'a' is named twice",
    ],
    [
      'no weights',
      { type: 'UPDATE_WEIGHTS', update_weights: {} },
      'call.update_weights.weight_infos: required',
    ],
    [
      'a quota of an unknown resource',
      {
        type: 'UPDATE_QUOTA',
        update_quota: { quota_configs: [{ role: 'a', limits: { foo: { value: 1 } } }] },
      },
      'call.update_quota.quota_configs[0].limits["foo"]: kmesos knows quota of cpus, mem, disk, gpus',
    ],
  ])('refuses %s with a 400 naming the field', (_name, call, message) => {
    expect(planWrite(call, context)).toEqual({ ok: false, status: 400, message });
  });

  it('leaves read calls to answerCall', () => {
    expect(planWrite({ type: 'GET_STATE' }, context)).toBeUndefined();
  });
});
