import type { TaskSpec } from './types.js';
import { isQuantity, isResourceName, isZeroQuantity, validateTaskSpec } from './validation.js';

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

  it.each<[number | string, boolean]>([
    ['500m', true],
    ['1.5Gi', true],
    ['2e3', true],
    ['.5', true],
    [4, true],
    ['-1', false],
    ['1.5GB', false],
    ['', false],
    [-1, false],
    [1.5, false],
  ])('isQuantity(%j) = %s', (q, want) => expect(isQuantity(q)).toBe(want));

  it.each<[number | string, boolean]>([
    ['0', true],
    ['0m', true],
    ['0.0Gi', true],
    [0, true],
    ['0e3', true],
    ['1m', false],
    ['0.5', false],
    [1, false],
  ])('isZeroQuantity(%j) = %s', (q, want) => expect(isZeroQuantity(q)).toBe(want));
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
    ['only zero resources', { resources: { cpu: '0', memory: 0 } }, ['spec.resources']],
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
});
