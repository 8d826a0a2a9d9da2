import type { V1Node } from '@kubernetes/client-node';
import { agentFromNode, eligibleFor } from './agents.js';

function node(opts: { ready?: boolean; unschedulable?: boolean; taints?: V1Node['spec'] } = {}): V1Node {
  return {
    metadata: { name: 'n1', uid: 'uid-1', labels: { 'topology.kubernetes.io/zone': 'z1' } },
    spec: { unschedulable: opts.unschedulable, ...opts.taints },
    status: {
      allocatable: { cpu: '4', memory: '8Gi' },
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
    },
  };
}

describe('agentFromNode', () => {
  it('subtracts live and assumed requests from allocatable', () => {
    const a = agentFromNode(node(), { cpu: 1000, memory: 1 << 30 }, { cpu: 500 });
    expect(a).toMatchObject({
      id: 'uid-1',
      hostname: 'n1',
      state: 'active',
      free: { cpu: 2500, memory: 7 * (1 << 30) },
      attributes: { 'topology.kubernetes.io/zone': 'z1' },
    });
  });

  it.each([
    { name: 'NotReady', n: node({ ready: false }), state: 'unreachable' },
    { name: 'cordoned', n: node({ unschedulable: true }), state: 'cordoned' },
    {
      name: 'tainted NoSchedule',
      n: node({ taints: { taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] } }),
      state: 'tainted',
    },
    {
      name: 'tainted PreferNoSchedule only',
      n: node({ taints: { taints: [{ key: 'gpu', effect: 'PreferNoSchedule' }] } }),
      state: 'active',
    },
  ])('a $name node is $state', ({ n, state }) => {
    expect(agentFromNode(n, {}, undefined).state).toBe(state);
  });
});

describe('eligibleFor', () => {
  const tainted = agentFromNode(
    node({ taints: { taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] } }),
    {},
    undefined,
  );
  it.each([
    { name: 'no tolerations', tolerations: [], want: false },
    {
      name: 'Equal with the value',
      tolerations: [{ key: 'gpu', operator: 'Equal' as const, value: 'yes' }],
      want: true,
    },
    {
      name: 'Equal with another value',
      tolerations: [{ key: 'gpu', operator: 'Equal' as const, value: 'no' }],
      want: false,
    },
    { name: 'Exists on the key', tolerations: [{ key: 'gpu', operator: 'Exists' as const }], want: true },
    { name: 'Exists on everything', tolerations: [{ operator: 'Exists' as const }], want: true },
    {
      name: 'another effect',
      tolerations: [{ key: 'gpu', operator: 'Exists' as const, effect: 'NoExecute' as const }],
      want: false,
    },
  ])('a tainted agent with $name: $want', ({ tolerations, want }) => {
    expect(eligibleFor(tainted, tolerations)).toBe(want);
  });

  it('never offers cordoned or unreachable agents', () => {
    expect(
      eligibleFor(agentFromNode(node({ unschedulable: true }), {}, undefined), [{ operator: 'Exists' }]),
    ).toBe(false);
    expect(eligibleFor(agentFromNode(node({ ready: false }), {}, undefined), [{ operator: 'Exists' }])).toBe(
      false,
    );
  });
});
