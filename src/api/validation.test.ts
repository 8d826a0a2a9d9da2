import type { FrameworkSpec, TaskSpec } from './types.js';
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
    preemptible: true,
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
      'a ResourceQuota key',
      { resources: { cpu: '1', 'requests.example.com/gpu': '1' } },
      ['spec.resources.requests.example.com/gpu'],
    ],
    ['whole GPUs', { resources: { 'nvidia.com/gpu': 2 } }, []],
    ['half a GPU', { resources: { 'nvidia.com/gpu': 0.5 } }, ['spec.resources.nvidia.com/gpu']],
    [
      '500m of a GPU',
      { resources: { cpu: '1', 'nvidia.com/gpu': '500m' } },
      ['spec.resources.nvidia.com/gpu'],
    ],
    ['a fraction of a kubernetes.io resource', { resources: { 'example.kubernetes.io/x': '0.5' } }, []],
    ['hugepages with memory', { resources: { 'hugepages-2Mi': '4Mi', memory: '1Gi' } }, []],
    ['hugepages as bytes', { resources: { 'hugepages-1Gi': 2 ** 31, cpu: 1 } }, []],
    ['hugepages alone', { resources: { 'hugepages-2Mi': '2Mi' } }, ['spec.resources']],
    [
      'part of a huge page',
      { resources: { 'hugepages-2Mi': '3Mi', cpu: 1 } },
      ['spec.resources.hugepages-2Mi'],
    ],
    [
      'hugepages of no size',
      { resources: { 'hugepages-big': '2Mi', cpu: 1 } },
      ['spec.resources.hugepages-big'],
    ],
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

describe('validateTaskSpec: what its pod needs', () => {
  const base: TaskSpec = {
    framework: 'fw',
    resources: { cpu: '1' },
    priority: 0,
    preemptible: true,
    retry: { maxAttempts: 1, backoffSeconds: 1, backoffFactor: 2, maxBackoffSeconds: 10 },
    killGracePeriodSeconds: 30,
  };
  const container = (c: Partial<NonNullable<TaskSpec['container']>>): Partial<TaskSpec> => ({
    container: { image: 'busybox', ...c },
  });
  const env = (e: NonNullable<TaskSpec['env']>): Partial<TaskSpec> => ({ command: 'true', env: e });
  it.each<[string, Partial<TaskSpec>, string[]]>([
    ['a plain image', container({}), []],
    [
      'a registry, port, path, tag and digest',
      container({ image: `localhost:5000/a/b-c:1.0@sha256:${'0'.repeat(64)}` }),
      [],
    ],
    ['an IPv6 registry', container({ image: '[::1]:5000/app' }), []],
    ['an image with a space', container({ image: 'bad image' }), ['spec.container.image']],
    ['an image with a leading space', container({ image: ' busybox' }), ['spec.container.image']],
    ['an uppercase repository', container({ image: 'Busybox' }), ['spec.container.image']],
    ['an uppercase path component', container({ image: 'team/App' }), ['spec.container.image']],
    ['an empty tag', container({ image: 'busybox:' }), ['spec.container.image']],
    ['a trailing slash', container({ image: 'busybox/' }), ['spec.container.image']],
    ['a short digest', container({ image: 'busybox@sha256:abc' }), ['spec.container.image']],
    ['an absolute working directory', container({ workingDir: '/work' }), []],
    ['a relative working directory', container({ workingDir: 'work' }), ['spec.container.workingDir']],
    ['env names a Pod accepts', env([{ name: 'A_B' }, { name: '1FOO' }, { name: 'my-var.x' }]), []],
    ['an env name with =', env([{ name: 'A=B', value: '1' }]), ['spec.env[0].name']],
    ['an env name beyond ASCII', env([{ name: 'é' }]), ['spec.env[0].name']],
    [
      'a container env name with =',
      container({ env: [{ name: 'OK' }, { name: 'A=B' }] }),
      ['spec.container.env[1].name'],
    ],
    ['valueFrom with no source', env([{ name: 'X', valueFrom: {} }]), ['spec.env[0].valueFrom']],
    [
      'valueFrom with two sources',
      env([
        {
          name: 'X',
          valueFrom: { secretKeyRef: { name: 's', key: 'k' }, fieldRef: { fieldPath: 'metadata.name' } },
        },
      ]),
      ['spec.env[0].valueFrom'],
    ],
    [
      'a Secret name that is no DNS subdomain',
      env([{ name: 'X', valueFrom: { secretKeyRef: { name: 'S_x', key: 'k' } } }]),
      ['spec.env[0].valueFrom.secretKeyRef.name'],
    ],
    [
      'a ConfigMap key with a slash',
      env([{ name: 'X', valueFrom: { configMapKeyRef: { name: 'c', key: 'a/b' } } }]),
      ['spec.env[0].valueFrom.configMapKeyRef.key'],
    ],
    [
      'pod fields the Downward API serves',
      env([
        { name: 'A', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'B', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'C', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['example.com/x']" } } },
      ]),
      [],
    ],
    [
      'a pod field it does not serve',
      env([{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'metadata.labels' } } }]),
      ['spec.env[0].valueFrom.fieldRef.fieldPath'],
    ],
    [
      'a label key with a space',
      env([{ name: 'X', valueFrom: { fieldRef: { fieldPath: "metadata.labels['a b']" } } }]),
      ['spec.env[0].valueFrom.fieldRef.fieldPath'],
    ],
  ])('%s', (_name, patch, fields) => {
    expect(validateTaskSpec({ ...base, ...patch }).map((i) => i.field)).toEqual(fields);
  });

  it('says why, in words', () => {
    const issues = validateTaskSpec({ ...base, ...container({ image: 'bad image', workingDir: 'w' }) });
    expect(formatIssues(issues)).toBe(
      'spec.container.image: "bad image": must be an image reference such as busybox:1.36 or registry.example.com:5000/team/app@sha256:<digest>: no spaces, a lowercase repository path; ' +
        'spec.container.workingDir: "w": must be an absolute path: the container runtime refuses a relative working directory',
    );
  });
});

describe("validateFrameworkSpec: what its tasks' pods take from it", () => {
  const base: FrameworkSpec = {
    role: '*',
    scheduler: 'Builtin',
    failoverTimeoutSeconds: 60,
    suppressed: false,
    priorityPreemption: false,
    taskOrder: 'PriorityAge',
    offerFilters: { refuseSeconds: 5 },
    placement: 'Spread',
    taskDefaults: {},
  };
  type Tol = NonNullable<FrameworkSpec['tolerations']>[number];
  const tolerations = (...t: Tol[]): Partial<FrameworkSpec> => ({ tolerations: t });
  it.each<[string, Partial<FrameworkSpec>, string[]]>([
    ['a fine spec', {}, []],
    [
      'tolerations a Pod accepts',
      tolerations(
        { key: 'example.com/dedicated', value: 'ml', effect: 'NoSchedule' },
        { operator: 'Exists' },
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 30,
        },
      ),
      [],
    ],
    [
      'an empty key with Equal',
      tolerations({ operator: 'Equal', value: 'v' }),
      ['spec.tolerations[0].operator'],
    ],
    ['an empty key with no operator', tolerations({ key: '' }), ['spec.tolerations[0].operator']],
    [
      'Exists with a value',
      tolerations({ key: 'k', operator: 'Exists', value: 'v' }),
      ['spec.tolerations[0].value'],
    ],
    [
      'tolerationSeconds without NoExecute',
      tolerations({ key: 'k', effect: 'NoSchedule', tolerationSeconds: 5 }),
      ['spec.tolerations[0].effect'],
    ],
    ['a key with a space', tolerations({ key: 'k k' }), ['spec.tolerations[0].key']],
    ['a value with a space', tolerations({ key: 'k', value: 'v v' }), ['spec.tolerations[0].value']],
    ['a bad default image', { taskDefaults: { image: 'Busybox' } }, ['spec.taskDefaults.image']],
    [
      'a bad service account',
      { taskDefaults: { serviceAccountName: 'a_b' } },
      ['spec.taskDefaults.serviceAccountName'],
    ],
    ['the largest user ID', { taskDefaults: { runAsUser: 2147483647 } }, []],
    ['a user ID past int32', { taskDefaults: { runAsUser: 2147483648 } }, ['spec.taskDefaults.runAsUser']],
  ])('%s', (_name, patch, fields) => {
    expect(validateFrameworkSpec({ ...base, ...patch }).map((i) => i.field)).toEqual(fields);
  });
});

describe('quantities of roles and frameworks', () => {
  it('checks both quota maps of a ResourceRole', () => {
    const issues = validateResourceRoleSpec({
      weight: 1,
      preemptionPolicy: 'GuaranteeOnly',
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
      priorityPreemption: false,
      taskOrder: 'PriorityAge',
      offerFilters: { refuseSeconds: 5, minAllocatable: { cpu: 0.5, memory: '-1Gi' } },
      placement: 'Spread',
      taskDefaults: {},
    } as const;
    expect(validateFrameworkSpec(spec).map((i) => i.field)).toEqual([
      'spec.offerFilters.minAllocatable.memory',
    ]);
  });
});
