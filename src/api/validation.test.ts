import type { TaskSpec } from './types.js';
import { MAX_AMOUNT } from '../resources/quantity.js';
import {
  formatIssues,
  isResourceName,
  quantityAmount,
  validateFrameworkSpec,
  validateResourceRoleSpec,
  validateTaskSpec,
} from './validation.js';

describe('resource names and quantities', () => {
  it.each([
    ['cpu', true],
    ['memory', true],
    ['ephemeral-storage', true],
    ['nvidia.com/gpu', true],
    ['hugepages-2Mi', true],
    ['cp u', false],
    ['/gpu', false],
    ['example.com/' + 'g'.repeat(64), false],
    // Without a domain, only the names Kubernetes defines for containers.
    ['cpus', false],
    ['pods', false],
    ['gpu', false],
  ])('isResourceName(%j) = %s', (name, want) => expect(isResourceName(name)).toBe(want));

  it.each<[string, number | string, number | string]>([
    // resource, quantity, its amount or (a part of) why it cannot be used
    ['cpu', '500m', 500],
    ['cpu', 1.5, 1500],
    ['cpu', 4, 4000],
    ['memory', '1.5Gi', 1.5 * 2 ** 30],
    ['memory', '2e3', 2000],
    ['cpu', '.5', 500],
    ['cpu', '0', 0],
    ['cpu', `${MAX_AMOUNT}m`, MAX_AMOUNT],
    ['cpu', '-1', 'must not be negative'],
    ['cpu', -1, 'must not be negative'],
    ['cpu', -0.5, 'must not be negative'],
    ['memory', '1.5GB', 'expected a Kubernetes quantity'],
    ['memory', '', 'empty'],
    ['memory', 'NaN', 'expected a Kubernetes quantity'],
    ['memory', NaN, 'not a finite number'],
    ['memory', Infinity, 'not a finite number'],
    ['memory', '1e400', `too large: at most ${MAX_AMOUNT} bytes`],
    // 10^20 cores: far more millicores than a number counts exactly.
    ['cpu', '1e20', `too large: at most ${MAX_AMOUNT} millicores`],
    ['cpu', 1e20, 'too large'],
    ['cpu', `${MAX_AMOUNT + 1}m`, 'too large'],
    ['nvidia.com/gpu', String(MAX_AMOUNT + 1), `at most ${MAX_AMOUNT} units`],
  ])('quantityAmount(%j, %j) = %j', (name, q, want) => {
    const got = quantityAmount(name, q);
    if (typeof want === 'number') expect(got).toBe(want);
    else expect(got).toEqual(expect.stringContaining(want));
  });
});

describe('validateTaskSpec', () => {
  const base: TaskSpec = {
    framework: 'fw',
    resources: { cpu: '1' },
    command: 'true',
    priority: 0,
    retry: { maxAttempts: 1, backoffSeconds: 1, backoffFactor: 2, maxBackoffSeconds: 10 },
    killGracePeriodSeconds: 30,
  };
  it.each<[string, Partial<TaskSpec>, string[]]>([
    ['a fine spec', {}, []],
    ['a float quantity, as YAML writes cpu: 1.5', { resources: { cpu: 1.5 } }, []],
    ['only zero resources', { resources: { cpu: '0', memory: 0 } }, ['spec.resources']],
    ['a zero cpu', { resources: { cpu: 0 } }, ['spec.resources']],
    [
      'zero in other forms',
      { resources: { cpu: '0m', memory: '0.0Gi', 'nvidia.com/gpu': '0e3' } },
      ['spec.resources'],
    ],
    ['one resource above zero', { resources: { cpu: '0', memory: '1Mi' } }, []],
    ['no resources at all', { resources: {} }, ['spec.resources']],
    ['a negative integer', { resources: { cpu: -1, memory: '1Gi' } }, ['spec.resources.cpu']],
    ['an exponent past any node', { resources: { memory: '1e400' } }, ['spec.resources.memory']],
    ['10^20 cores', { resources: { cpu: '1e20' } }, ['spec.resources.cpu']],
    [
      'a malformed quantity beside a zero one',
      { resources: { cpu: '0', memory: 'lots' } },
      ['spec.resources.memory'],
    ],
    ['a resource no container requests', { resources: { cpus: '1' } }, ['spec.resources.cpus']],
    [
      'a bad regex',
      { constraints: [{ field: 'hostname', operator: 'LIKE', value: '(' }] },
      ['spec.constraints[0].value'],
    ],
    ['a good regex', { constraints: [{ field: 'zone', operator: 'UNLIKE', value: 'z-[12]' }] }, []],
    ['a bad quantity', { resources: { cpu: '1x' } }, ['spec.resources.cpu']],
  ])('%s', (_name, patch, fields) => {
    expect(validateTaskSpec({ ...base, ...patch }).map((i) => i.field)).toEqual(fields);
  });

  it('says which field and why, in words', () => {
    const issues = validateTaskSpec({ ...base, resources: { cpu: -1, memory: '1e400' } });
    expect(formatIssues(issues)).toBe(
      `spec.resources.cpu: -1: must not be negative; spec.resources.memory: "1e400": too large: at most ${MAX_AMOUNT} bytes`,
    );
  });
});

describe('quantities of roles and frameworks', () => {
  it('checks both quota maps of a ResourceRole', () => {
    const issues = validateResourceRoleSpec({
      weight: 1,
      quota: { guarantee: { cpu: '-1' }, limit: { memory: 1e300, cpu: 2.5 } },
    });
    expect(issues.map((i) => i.field)).toEqual(['spec.quota.guarantee.cpu', 'spec.quota.limit.memory']);
  });
  it('checks the minimum allocatable resources of a Framework', () => {
    const spec = {
      role: '*',
      scheduler: 'Builtin',
      failoverTimeoutSeconds: 60,
      suppressed: false,
      offerFilters: { refuseSeconds: 5, minAllocatable: { cpu: 0.5, memory: '-1Gi' } },
      placement: 'Spread',
      taskDefaults: {},
    } as const;
    expect(validateFrameworkSpec(spec).map((i) => i.field)).toEqual([
      'spec.offerFilters.minAllocatable.memory',
    ]);
  });
});
