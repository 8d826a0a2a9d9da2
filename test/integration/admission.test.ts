/**
 * Admission refuses resource names a container cannot request, with a message a person can
 * read: a typo such as `cpus` would otherwise be a resource no node has (a Task that never
 * fits, a quota limit silently ignored).
 */
import { ApiException } from '@kubernetes/client-node';
import { GROUP, VERSION } from '../../src/api/constants.js';
import { freshScenarioEachTest, type Scenario } from './operator-harness.js';
import { kubeConfig } from './support.js';

const kc = kubeConfig();

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
});
