/** ResourceRole: a Mesos role's weight and quota (cluster-scoped). */
import { describe, list, num, obj, oneOf, str } from './builders.js';
import { conditions, observedGeneration, resourceFigures, resourceList } from './common.js';

const quantityAtMost = (a: string, b: string): string =>
  `!isQuantity(string(${a})) || !isQuantity(string(${b})) || quantity(string(${a})).compareTo(quantity(string(${b}))) <= 0`;

export const resourceRoleSpec = obj(
  'The weight and quota of a role. The object name is the role with `.` for `/`: role `eng/ml` is ResourceRole `eng.ml`.',
  {
    weight: num(
      'The role weight in DRF: a role with weight 2 gets twice the dominant share of a role with weight 1.',
      { default: 1, minimum: 0, exclusiveMinimum: true, maximum: 1000000 },
    ),
    preemptionPolicy: oneOf(
      'What this role’s running tasks may be preempted for. `Never`; `GuaranteeOnly` (default): to give other roles what their quota guarantee owes them, never taking this role below its own guarantee; `FairShare`: also to bring frameworks below their weighted fair share up to it, never leaving this role’s framework below its preemptor. Nested roles without a ResourceRole follow their nearest ancestor’s.',
      ['Never', 'GuaranteeOnly', 'FairShare'],
      { default: 'GuaranteeOnly' },
    ),
    quota: obj(
      'Quota of the role: resources it is guaranteed and resources it may never exceed.',
      {
        guarantee: describe(
          resourceList,
          'Resources the role gets before any role beyond its guarantee; free capacity is held back for it.',
        ),
        limit: describe(resourceList, 'Resources the role may hold at most (offered plus running).'),
      },
      {
        'x-kubernetes-validations': [
          {
            rule: `!has(self.guarantee) || !has(self.limit) || self.guarantee.all(r, !(r in self.limit) || ${quantityAtMost('self.guarantee[r]', 'self.limit[r]')})`,
            message: 'each resource guarantee must not exceed the limit of the same resource',
          },
        ],
      },
    ),
  },
);

export const resourceRoleStatus = obj('What the role holds now, as computed by the operator.', {
  observedGeneration,
  role: str('The role this object stands for, e.g. `eng/ml`.'),
  dominantShare: str('The role’s dominant share (0 to 1, four decimals): its largest share of any resource.'),
  weightedShare: str('The dominant share divided by the weight: what DRF sorts roles by.'),
  allocated: describe(
    resourceFigures,
    'Resources allocated to the role: running tasks and outstanding offers.',
  ),
  headroom: describe(
    resourceFigures,
    'Free capacity held back for what the quota guarantee still owes the role (roles with a guarantee only).',
  ),
  frameworks: list('The frameworks in this role, as namespace/name, sorted.', str('namespace/name'), {
    maxItems: 10000,
    'x-kubernetes-list-type': 'set',
  }),
  conditions,
});
