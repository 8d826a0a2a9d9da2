/**
 * Admission refuses what cannot run, with a message a person can read that names the field:
 * - resource names a container cannot request: a typo such as `cpus` would otherwise be a
 *   resource no node has (a Task that never fits, a quota limit silently ignored);
 * - quantities the operator cannot count exactly (negative, malformed, beyond 2^53 - 1 of
 *   their unit), and Tasks that ask for nothing; while a float such as `cpu: 1.5`, which a
 *   Pod accepts, is accepted too.
 */
import { ApiException } from '@kubernetes/client-node';
import { GROUP, VERSION } from '../../src/api/constants.js';
import { freshScenarioEachTest, type Scenario } from './operator-harness.js';
import { kubeConfig } from './support.js';

const kc = kubeConfig();

const MAX = '9007199254740991';

async function refusal(create: () => Promise<unknown>): Promise<string> {
  try {
    await create();
  } catch (err) {
    if (err instanceof ApiException && err.code === 422) return String(err.body);
    throw err;
  }
  throw new Error('the API server admitted it');
}

describe('admission', () => {
  let s!: Scenario;
  freshScenarioEachTest(kc, (x) => (s = x));

  const NAME_RULE = 'a resource name without a domain must be one Kubernetes defines for containers';

  it.each([
    {
      kind: 'Task',
      plural: 'tasks',
      spec: { framework: 'f', command: 'true', resources: { cpus: '1' } },
      field: 'spec.resources',
    },
    {
      kind: 'Task',
      plural: 'tasks',
      spec: { framework: 'f', command: 'true', resources: { cpu: '1', pods: '1' } },
      field: 'spec.resources',
    },
    {
      kind: 'Framework',
      plural: 'frameworks',
      spec: { offerFilters: { minAllocatable: { cpus: '1' } } },
      field: 'spec.offerFilters.minAllocatable',
    },
  ])(
    'refuses a $kind naming a resource no container can request, naming the field',
    async ({ kind, plural, spec, field }) => {
      const body = await refusal(() =>
        s.custom.createNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace: s.namespace,
          plural,
          body: { apiVersion: `${GROUP}/${VERSION}`, kind, metadata: { name: 'typo' }, spec },
        }),
      );
      expect(body).toContain(field);
      expect(body).toContain(NAME_RULE);
    },
  );

  it('refuses a ResourceRole limit on `cpus`, and admits the same on cpu, hugepages and qualified names', async () => {
    const create = (name: string, limit: Record<string, string>): Promise<unknown> =>
      s.custom.createClusterCustomObject({
        group: GROUP,
        version: VERSION,
        plural: 'resourceroles',
        body: {
          apiVersion: `${GROUP}/${VERSION}`,
          kind: 'ResourceRole',
          metadata: { name },
          spec: { quota: { limit } },
        },
      });
    const body = await refusal(() => create(`${s.pool}-typo`, { cpus: '4' }));
    expect(body).toContain('spec.quota.limit');
    expect(body).toContain(NAME_RULE);
    const ok = `${s.pool}-ok`;
    await create(ok, { cpu: '4', memory: '8Gi', 'hugepages-2Mi': '1Gi', 'nvidia.com/gpu': '1' });
    await s.custom.deleteClusterCustomObject({
      group: GROUP,
      version: VERSION,
      plural: 'resourceroles',
      name: ok,
    });
  });

  const createTask = (name: string, spec: Record<string, unknown>): Promise<unknown> =>
    s.custom.createNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: s.namespace,
      plural: 'tasks',
      body: { apiVersion: `${GROUP}/${VERSION}`, kind: 'Task', metadata: { name }, spec },
    });

  it.each([
    {
      what: 'a negative YAML integer',
      resources: { cpu: -1 },
      field: 'spec.resources[cpu]',
      why: 'must not be negative',
    },
    {
      what: 'a negative string',
      resources: { memory: '-1Gi' },
      field: 'spec.resources[memory]',
      why: 'must not be negative',
    },
    {
      what: 'a negative float',
      resources: { cpu: -0.5 },
      field: 'spec.resources[cpu]',
      why: 'must not be negative',
    },
    {
      what: 'an exponent past any node',
      resources: { memory: '1e400' },
      field: 'spec.resources[memory]',
      why: `must be at most ${MAX} (2^53 - 1) of its unit`,
    },
    {
      what: 'bytes past 2^53 - 1',
      resources: { memory: Number(MAX) + 1 },
      field: 'spec.resources[memory]',
      why: `must be at most ${MAX} (2^53 - 1) of its unit`,
    },
    // JSON's 10^20 is no int64: the API server reads it as a float.
    {
      what: '10^20 cores as a number',
      resources: { cpu: 1e20 },
      field: 'spec.resources.[cpu]',
      why: `cpu must be at most ${MAX}m`,
    },
    {
      what: '10^20 cores as a string',
      resources: { cpu: '1e20' },
      field: 'spec.resources.[cpu]',
      why: `cpu must be at most ${MAX}m`,
    },
    // Within 2^53 - 1 units, but not millicores: only cpu's own bound refuses it.
    {
      what: 'cores whose millicores pass 2^53 - 1',
      resources: { cpu: 9007199254741 },
      field: 'spec.resources.[cpu]',
      why: `cpu must be at most ${MAX}m`,
    },
    {
      what: 'NaN',
      resources: { cpu: 'NaN' },
      field: 'spec.resources[cpu]',
      why: 'must be a Kubernetes quantity, e.g. 500m, 1.5Gi or 2e3',
    },
    {
      what: 'a lone dot',
      resources: { cpu: '.' },
      field: 'spec.resources[cpu]',
      why: 'must be a Kubernetes quantity',
    },
    {
      what: 'a unit Kubernetes lacks',
      resources: { memory: '1GB' },
      field: 'spec.resources[memory]',
      why: 'must be a Kubernetes quantity',
    },
    {
      what: 'a zero cpu alone',
      resources: { cpu: 0 },
      field: 'spec.resources',
      why: 'at least one resource must be above zero',
    },
    {
      what: 'zero cpu and memory',
      resources: { cpu: 0, memory: 0 },
      field: 'spec.resources',
      why: 'at least one resource must be above zero',
    },
    {
      what: 'zeros with suffixes',
      resources: { cpu: '0m', memory: '0Gi' },
      field: 'spec.resources',
      why: 'at least one resource must be above zero',
    },
  ])('refuses a Task with $what, naming the field and why', async ({ resources, field, why }) => {
    const body = await refusal(() => createTask('bad', { framework: 'f', command: 'true', resources }));
    expect(body).toContain(`${field}: Invalid value`);
    expect(body).toContain(why);
    expect(body).not.toMatch(/should match|\^\[/); // no raw regular expression
  });

  it('accepts a float quantity as a Pod does, storing it as the same number in a string', async () => {
    const task = (await createTask('float', {
      framework: 'f',
      command: 'true',
      resources: { cpu: 1.5, memory: '1Gi', 'nvidia.com/gpu': 1 },
    })) as { spec: { resources: Record<string, unknown> } };
    expect(task.spec.resources).toEqual({ cpu: '1.5', memory: '1Gi', 'nvidia.com/gpu': 1 });
    await s.framework('floaty', { offerFilters: { minAllocatable: { cpu: 0.25 } } });
    expect((await s.getFramework('floaty')).spec.offerFilters.minAllocatable).toEqual({ cpu: '0.25' });
  });

  it('compares float quotas as quantities: a guarantee above its limit is refused', async () => {
    const role = (name: string, quota: Record<string, Record<string, number>>): Promise<unknown> =>
      s.custom.createClusterCustomObject({
        group: GROUP,
        version: VERSION,
        plural: 'resourceroles',
        body: {
          apiVersion: `${GROUP}/${VERSION}`,
          kind: 'ResourceRole',
          metadata: { name },
          spec: { quota },
        },
      });
    const body = await refusal(() =>
      role(`${s.pool}-over`, { guarantee: { cpu: 2.5 }, limit: { cpu: 1.5 } }),
    );
    expect(body).toContain('each resource guarantee must not exceed the limit of the same resource');
    const ok = `${s.pool}-floats`;
    await role(ok, { guarantee: { cpu: 0.5 }, limit: { cpu: 1.5 } });
    await s.custom.deleteClusterCustomObject({
      group: GROUP,
      version: VERSION,
      plural: 'resourceroles',
      name: ok,
    });
  });
});
