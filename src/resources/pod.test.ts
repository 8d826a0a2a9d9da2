import type { V1Container, V1Node, V1Pod } from '@kubernetes/client-node';
import { nodeFree, podRequests, podsRequests } from './pod.js';

const GI = 2 ** 30;
const MI = 2 ** 20;

function c(requests: Record<string, string>, extra: Partial<V1Container> = {}): V1Container {
  return { name: 'c', resources: { requests }, ...extra };
}

function pod(spec: Partial<V1Pod['spec']> & object, phase = 'Running', nodeName = 'n1'): V1Pod {
  return { spec: { containers: [], nodeName, ...spec }, status: { phase } };
}

describe('podRequests', () => {
  it.each<[string, V1Pod, Record<string, number>]>([
    [
      'sums containers',
      pod({ containers: [c({ cpu: '100m' }), c({ cpu: '200m', memory: '1Gi' })] }),
      {
        cpu: 300,
        memory: GI,
      },
    ],
    [
      'limit stands in for a missing request',
      pod({
        containers: [
          { name: 'x', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } },
        ],
      }),
      { cpu: 500, memory: GI },
    ],
    [
      'init container larger than containers wins',
      pod({ containers: [c({ cpu: '100m' })], initContainers: [c({ cpu: '2', memory: '64Mi' })] }),
      { cpu: 2000, memory: 64 * MI },
    ],
    [
      'sidecar adds to containers and to later init containers',
      // containers 1 + sidecar 0.5 = 1.5; init after sidecar: 2 + 0.5 = 2.5 → max 2.5
      pod({
        containers: [c({ cpu: '1' })],
        initContainers: [c({ cpu: '500m' }, { restartPolicy: 'Always' }), c({ cpu: '2' })],
      }),
      { cpu: 2500 },
    ],
    [
      'init container before the sidecar does not add it',
      // init 2 alone; sidecar 0.5 peaks at 0.5; containers 1 + 0.5 → max(1.5, 2) = 2
      pod({
        containers: [c({ cpu: '1' })],
        initContainers: [c({ cpu: '2' }), c({ cpu: '500m' }, { restartPolicy: 'Always' })],
      }),
      { cpu: 2000 },
    ],
    [
      'overhead is added',
      pod({ containers: [c({ cpu: '1' })], overhead: { cpu: '250m', memory: '120Mi' } }),
      { cpu: 1250, memory: 120 * MI },
    ],
    [
      'pod-level requests override cpu and memory',
      pod({ containers: [c({ cpu: '1', 'nvidia.com/gpu': '1' })], resources: { requests: { cpu: '3' } } }),
      { cpu: 3000, 'nvidia.com/gpu': 1 },
    ],
    ['no spec', {}, {}],
  ])('%s', (_name, p, want) => {
    expect(podRequests(p)).toEqual(want);
  });

  it('names the resource and value of a bad quantity', () => {
    expect(() => podRequests(pod({ containers: [c({ memory: '1gb' })] }))).toThrow(/"memory".*"1gb"/);
  });
});

describe('nodeFree', () => {
  const node: V1Node = {
    metadata: { name: 'n1' },
    status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
  };

  it('subtracts non-terminal pods bound to the node', () => {
    const pods = [
      pod({ containers: [c({ cpu: '1', memory: '1Gi' })] }),
      pod({ containers: [c({ cpu: '1' })] }, 'Pending'),
      pod({ containers: [c({ cpu: '1' })] }, 'Succeeded'),
      pod({ containers: [c({ cpu: '1' })] }, 'Failed'),
      pod({ containers: [c({ cpu: '1' })] }, 'Running', 'other'),
    ];
    // 4 − 1 − 1 = 2 cpu; 8Gi − 1Gi; 110 − 2 pod slots
    expect(nodeFree(node, pods)).toEqual({ cpu: 2000, memory: 7 * GI, pods: 108 });
  });

  it('floors at zero when overcommitted', () => {
    expect(nodeFree(node, [pod({ containers: [c({ cpu: '5' })] })])).toEqual({ memory: 8 * GI, pods: 109 });
  });

  it('sums requests of non-terminal pods', () => {
    expect(podsRequests([pod({ containers: [c({ cpu: '1' })] }), pod({ containers: [] }, 'Failed')])).toEqual(
      {
        cpu: 1000,
        pods: 1,
      },
    );
  });
});
