import type { ResourceRole, ResourceRoleSpec } from '../api/types.js';
import { ManualClock } from '../util/clock.js';
import { resourceRoleStatus, type RoleFigures } from './resourcerole-status.js';

const clock = new ManualClock(Date.parse('2024-05-01T12:00:00Z'));
const role = (spec: ResourceRoleSpec): ResourceRole => ({
  apiVersion: 'kmesos.io/v1alpha1',
  kind: 'ResourceRole',
  metadata: { name: 'eng.ml', generation: 2 },
  spec,
});
const figures: RoleFigures = {
  dominantShare: 0.5,
  weightedShare: 0.25,
  allocated: { cpu: '4' },
  frameworks: ['b/fw', 'a/fw'],
};

describe('resourceRoleStatus', () => {
  it('reports role, shares, allocation and sorted frameworks', () => {
    expect(
      resourceRoleStatus(role({ weight: 2, preemptionPolicy: 'GuaranteeOnly' }), figures, clock),
    ).toEqual({
      observedGeneration: 2,
      role: 'eng/ml',
      dominantShare: '0.5000',
      weightedShare: '0.2500',
      allocated: { cpu: '4' },
      frameworks: ['a/fw', 'b/fw'],
    });
  });
  it.each<[string, ResourceRoleSpec, boolean | undefined, string | undefined]>([
    ['no guarantee: no condition', { weight: 1, preemptionPolicy: 'GuaranteeOnly' }, true, undefined],
    [
      'guarantee met',
      { weight: 1, preemptionPolicy: 'GuaranteeOnly', quota: { guarantee: { cpu: '2' } } },
      true,
      'True/Satisfied',
    ],
    [
      'guarantee unmet',
      { weight: 1, preemptionPolicy: 'GuaranteeOnly', quota: { guarantee: { cpu: '2' } } },
      false,
      'False/InsufficientCapacity',
    ],
    [
      'not judged',
      { weight: 1, preemptionPolicy: 'GuaranteeOnly', quota: { guarantee: { cpu: '2' } } },
      undefined,
      undefined,
    ],
  ])('%s', (_name, spec, guaranteeMet, want) => {
    const s = resourceRoleStatus(
      role(spec),
      { ...figures, ...(guaranteeMet !== undefined ? { guaranteeMet } : {}) },
      clock,
    );
    const c = s.conditions?.find((x) => x.type === 'GuaranteeMet');
    expect(c && `${c.status}/${c.reason}`).toBe(want);
  });
});
