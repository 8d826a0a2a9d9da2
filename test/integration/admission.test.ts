/**
 * Admission refuses what cannot run, with a message a person can read that names the field:
 * - resource names a container cannot request: a typo such as `cpus` would otherwise be a
 *   resource no node has (a Task that never fits, a quota limit silently ignored);
 * - quantities the operator cannot count exactly (negative, malformed, beyond 2^53 - 1 of
 *   their unit), and Tasks that ask for nothing; while a float such as `cpu: 1.5`, which a
 *   Pod accepts, is accepted too;
 * - what the API server would refuse in every pod of the Task (env names, env sources,
 *   tolerations, user IDs), or what would keep its container from ever starting (an image
 *   reference the kubelet cannot parse, a relative working directory).
 */
import { ApiException } from '@kubernetes/client-node';
import { GROUP, VERSION } from '../../src/api/constants.js';
import { freshScenarioEachTest, type Scenario } from './operator-harness.js';
import { kubeConfig, uniqueName } from './support.js';

const kc = kubeConfig();

const MAX = '9007199254740991';

/** The message of the API server's 422 for what `create` sends, as a person reads it. */
async function refusal(create: () => Promise<unknown>): Promise<string> {
  try {
    await create();
  } catch (err) {
    if (err instanceof ApiException && err.code === 422)
      return (JSON.parse(String(err.body)) as { message: string }).message;
    throw err;
  }
  throw new Error('the API server admitted it');
}

describe('admission', () => {
  let s!: Scenario;
  freshScenarioEachTest(kc, (x) => (s = x));

  const createTask = (name: string, spec: Record<string, unknown>): Promise<unknown> =>
    s.custom.createNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: s.namespace,
      plural: 'tasks',
      body: { apiVersion: `${GROUP}/${VERSION}`, kind: 'Task', metadata: { name }, spec },
    });

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

  it('refuses a Task whose resource name is no Kubernetes resource name', async () => {
    const body = await refusal(() =>
      createTask('bad', { framework: 'f', command: 'true', resources: { cpu: '1', 'Example.com/gpu': 1 } }),
    );
    expect(body).toContain('spec.resources: Invalid value');
    expect(body).toContain(
      'resource names must be Kubernetes resource names, e.g. cpu, memory, nvidia.com/gpu',
    );
  });

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

  it.each([
    {
      what: 'half a GPU',
      resources: { cpu: '1', 'nvidia.com/gpu': 0.5 },
      why: 'is counted in whole units: a Pod refuses a fraction of one',
    },
    { what: '500m of a GPU', resources: { 'nvidia.com/gpu': '500m' }, why: 'is counted in whole units' },
    {
      what: 'hugepages alone',
      resources: { 'hugepages-2Mi': '2Mi' },
      why: 'a task with hugepages must also ask for cpu or memory',
    },
    {
      what: 'part of a huge page',
      resources: { 'hugepages-2Mi': '3Mi', memory: '1Gi' },
      why: 'ask for a whole number of pages',
    },
    {
      what: 'hugepages of no size',
      resources: { 'hugepages-big': '2Mi', memory: '1Gi' },
      why: 'hugepages-<size> must name a page size',
    },
    {
      what: 'a ResourceQuota key',
      resources: { cpu: '1', 'requests.example.com/gpu': 1 },
      why: 'must not start with requests.',
    },
  ])('refuses a Task with $what, as its Pod would be', async ({ resources, why }) => {
    const body = await refusal(() => createTask('bad', { framework: 'f', command: 'true', resources }));
    expect(body).toContain('spec.resources: Invalid value');
    expect(body).toContain(why);
  });

  it('admits the resources a Pod admits: whole GPUs, hugepages with memory, fractions of kubernetes.io resources', async () => {
    await createTask('pod-like', {
      framework: 'f',
      command: 'true',
      resources: {
        memory: '1Gi',
        'nvidia.com/gpu': 2,
        'hugepages-2Mi': '4Mi',
        'example.kubernetes.io/x': '0.5',
      },
    });
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

  const IMAGE_RULE = 'must be an image reference such as busybox:1.36';
  const ENV_RULE = "must consist of printable ASCII characters other than '='";
  const SUBDOMAIN_RULE = 'must be a DNS subdomain';
  const container = (c: Record<string, unknown>) => ({ image: 'busybox', ...c });
  const valueFrom = (from: Record<string, unknown>) => ({ env: [{ name: 'X', valueFrom: from }] });

  it.each([
    {
      what: 'an image with a space',
      spec: { container: { image: 'bad image' } },
      field: 'spec.container.image',
      why: IMAGE_RULE,
    },
    {
      what: 'an image with a leading space',
      spec: { container: { image: ' busybox' } },
      field: 'spec.container.image',
      why: IMAGE_RULE,
    },
    {
      what: 'an uppercase repository',
      spec: { container: { image: 'Busybox' } },
      field: 'spec.container.image',
      why: IMAGE_RULE,
    },
    {
      what: 'an empty tag',
      spec: { container: { image: 'busybox:' } },
      field: 'spec.container.image',
      why: IMAGE_RULE,
    },
    {
      what: 'a relative working directory',
      spec: { container: container({ workingDir: 'work' }) },
      field: 'spec.container.workingDir',
      why: 'must be an absolute path',
    },
    {
      what: "an env name with '='",
      spec: { command: 'true', env: [{ name: 'A=B', value: '1' }] },
      field: 'spec.env[0].name',
      why: ENV_RULE,
    },
    {
      what: 'a container env name beyond ASCII',
      spec: { container: container({ env: [{ name: 'é' }] }) },
      field: 'spec.container.env[0].name',
      why: ENV_RULE,
    },
    {
      what: 'an env var with no source',
      spec: { command: 'true', ...valueFrom({}) },
      field: 'spec.env[0].valueFrom',
      why: 'set exactly one of secretKeyRef, configMapKeyRef or fieldRef',
    },
    {
      what: 'an env var with two sources',
      spec: {
        command: 'true',
        ...valueFrom({ secretKeyRef: { name: 's', key: 'k' }, fieldRef: { fieldPath: 'metadata.name' } }),
      },
      field: 'spec.env[0].valueFrom',
      why: 'set exactly one of secretKeyRef, configMapKeyRef or fieldRef',
    },
    {
      what: 'a Secret name that is no DNS subdomain',
      spec: { command: 'true', ...valueFrom({ secretKeyRef: { name: 'S_x', key: 'k' } }) },
      field: 'spec.env[0].valueFrom.secretKeyRef.name',
      why: SUBDOMAIN_RULE,
    },
    {
      what: 'a ConfigMap key with a slash',
      spec: { command: 'true', ...valueFrom({ configMapKeyRef: { name: 'c', key: 'a/b' } }) },
      field: 'spec.env[0].valueFrom.configMapKeyRef.key',
      why: 'must be a Secret or ConfigMap key',
    },
    {
      what: 'a pod field the Downward API does not serve',
      spec: { command: 'true', ...valueFrom({ fieldRef: { fieldPath: 'metadata.labels' } }) },
      field: 'spec.env[0].valueFrom.fieldRef.fieldPath',
      why: "or metadata.labels['<key>'] or metadata.annotations['<key>']",
    },
    {
      what: 'a Framework name that is no DNS subdomain',
      spec: { framework: 'F_x', command: 'true' },
      field: 'spec.framework',
      why: SUBDOMAIN_RULE,
    },
  ])('refuses a Task with $what, naming the field and why', async ({ spec, field, why }) => {
    const body = await refusal(() => createTask('bad', { framework: 'f', resources: { cpu: '1' }, ...spec }));
    expect(body).toContain(`${field}: Invalid value`);
    expect(body).toContain(why);
    expect(body).not.toMatch(/should match|\^\[/);
  });

  it('admits what a Pod admits: relaxed env names, registries, digests and Downward API fields', async () => {
    await createTask('fine', {
      framework: 'f',
      resources: { cpu: '1' },
      container: {
        image: `localhost:5000/team/app:1.0@sha256:${'a'.repeat(64)}`,
        workingDir: '/work',
        env: [
          { name: '1PASSWORD', value: 'x' },
          { name: 'my-var.x', value: 'y' },
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          {
            name: 'APP',
            valueFrom: { fieldRef: { fieldPath: "metadata.labels['app.kubernetes.io/name']" } },
          },
          { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'tokens.v1', key: 'api_token' } } },
        ],
      },
    });
  });

  const createFramework = (name: string, spec: Record<string, unknown>): Promise<unknown> =>
    s.custom.createNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: s.namespace,
      plural: 'frameworks',
      body: { apiVersion: `${GROUP}/${VERSION}`, kind: 'Framework', metadata: { name }, spec },
    });

  it.each([
    {
      what: 'an empty toleration key with Equal',
      spec: { tolerations: [{ operator: 'Equal', value: 'v' }] },
      field: 'spec.tolerations[0].operator',
      why: 'operator must be Exists when key is empty',
    },
    {
      what: 'an Exists toleration with a value',
      spec: { tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] },
      field: 'spec.tolerations[0].value',
      why: 'value must be empty when operator is Exists',
    },
    {
      what: 'tolerationSeconds for NoSchedule',
      spec: { tolerations: [{ key: 'k', effect: 'NoSchedule', tolerationSeconds: 5 }] },
      field: 'spec.tolerations[0].effect',
      why: 'effect must be NoExecute when tolerationSeconds is set',
    },
    {
      what: 'a toleration key with a space',
      spec: { tolerations: [{ key: 'k k' }] },
      field: 'spec.tolerations[0].key',
      why: 'must be a label key',
    },
    {
      what: 'a toleration value with a space',
      spec: { tolerations: [{ key: 'k', value: 'v v' }] },
      field: 'spec.tolerations[0].value',
      why: 'must be a label value',
    },
    {
      what: 'a default image with a space',
      spec: { taskDefaults: { image: 'my image' } },
      field: 'spec.taskDefaults.image',
      why: IMAGE_RULE,
    },
    {
      what: 'a service account that is no DNS subdomain',
      spec: { taskDefaults: { serviceAccountName: 'a_b' } },
      field: 'spec.taskDefaults.serviceAccountName',
      why: SUBDOMAIN_RULE,
    },
    {
      what: 'a user ID past int32',
      spec: { taskDefaults: { runAsUser: 2147483648 } },
      field: 'spec.taskDefaults.runAsUser',
      why: 'less than or equal to 2147483647',
    },
  ])('refuses a Framework with $what, naming the field and why', async ({ spec, field, why }) => {
    const body = await refusal(() => createFramework('bad', spec));
    expect(body).toContain(`${field}: Invalid value`);
    expect(body).toContain(why);
    expect(body).not.toMatch(/should match|\^\[/);
  });

  it('admits tolerations a Pod admits', async () => {
    await createFramework('tolerant', {
      tolerations: [
        { key: 'example.com/dedicated', value: 'ml', effect: 'NoSchedule' },
        { operator: 'Exists' },
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 30,
        },
      ],
    });
  });

  const task = { framework: 'f', command: 'true', resources: { cpu: '1' } };
  it.each<{ what: string; kind: 'Task' | 'Framework' | 'ResourceRole'; spec: object; field: string }>([
    {
      what: 'a Task with neither command nor container',
      kind: 'Task',
      spec: { framework: 'f', resources: { cpu: '1' } },
      field: 'set exactly one of command or container',
    },
    {
      what: 'a Task with both command and container',
      kind: 'Task',
      spec: { ...task, container: { image: 'busybox' } },
      field: 'set exactly one of command or container',
    },
    {
      what: 'a Task without a framework',
      kind: 'Task',
      spec: { command: 'true', resources: { cpu: '1' } },
      field: 'spec.framework',
    },
    {
      what: 'a Task without resources',
      kind: 'Task',
      spec: { framework: 'f', command: 'true' },
      field: 'spec.resources',
    },
    {
      what: 'a Task with empty resources',
      kind: 'Task',
      spec: { ...task, resources: {} },
      field: 'spec.resources',
    },
    { what: 'an empty command', kind: 'Task', spec: { ...task, command: '' }, field: 'spec.command' },
    {
      what: 'a container without an image',
      kind: 'Task',
      spec: { framework: 'f', resources: { cpu: '1' }, container: {} },
      field: 'spec.container.image',
    },
    {
      what: 'env beside a container',
      kind: 'Task',
      spec: {
        framework: 'f',
        resources: { cpu: '1' },
        container: { image: 'busybox' },
        env: [{ name: 'A', value: 'b' }],
      },
      field: 'a container task sets env in container.env',
    },
    {
      what: 'a priority past its range',
      kind: 'Task',
      spec: { ...task, priority: 2000000000 },
      field: 'spec.priority',
    },
    {
      what: 'an unknown constraint operator',
      kind: 'Task',
      spec: { ...task, constraints: [{ field: 'hostname', operator: 'NEAR' }] },
      field: 'spec.constraints[0].operator',
    },
    {
      what: 'MAX_PER with no number',
      kind: 'Task',
      spec: { ...task, constraints: [{ field: 'zone', operator: 'MAX_PER', value: 'two' }] },
      field: 'value must be a positive integer for MAX_PER and GROUP_BY',
    },
    {
      what: 'UNIQUE with a value',
      kind: 'Task',
      spec: { ...task, constraints: [{ field: 'hostname', operator: 'UNIQUE', value: 'x' }] },
      field: 'UNIQUE takes no value',
    },
    {
      what: 'LIKE without a value',
      kind: 'Task',
      spec: { ...task, constraints: [{ field: 'zone', operator: 'LIKE' }] },
      field: 'value is required for LIKE, UNLIKE, CLUSTER and MAX_PER',
    },
    {
      what: 'no attempts',
      kind: 'Task',
      spec: { ...task, retry: { maxAttempts: 0 } },
      field: 'spec.retry.maxAttempts',
    },
    {
      what: 'a backoff that shrinks',
      kind: 'Task',
      spec: { ...task, retry: { backoffFactor: 0.5 } },
      field: 'spec.retry.backoffFactor',
    },
    {
      what: 'a negative kill grace period',
      kind: 'Task',
      spec: { ...task, killGracePeriodSeconds: -1 },
      field: 'spec.killGracePeriodSeconds',
    },
    { what: 'host port 0', kind: 'Task', spec: { ...task, hostPorts: [0] }, field: 'spec.hostPorts[0]' },
    {
      what: 'a host port past 65535',
      kind: 'Task',
      spec: { ...task, hostPorts: [70000] },
      field: 'spec.hostPorts[0]',
    },
    {
      what: 'a host port twice',
      kind: 'Task',
      spec: { ...task, hostPorts: [31000, 31000] },
      field: 'spec.hostPorts[1]',
    },
    {
      what: 'a group task that could be relaunched',
      kind: 'Task',
      spec: { ...task, group: 'lead', retry: { maxAttempts: 2 } },
      field: 'a task of a group is never relaunched: retry.maxAttempts must be 1',
    },
    {
      what: 'an executor outside a group',
      kind: 'Task',
      spec: { ...task, executor: { id: 'e', type: 'Custom' } },
      field: 'a task with an executor belongs to a group',
    },
    {
      what: 'a group leader that is no DNS label',
      kind: 'Task',
      spec: { ...task, group: 'Lead.1', retry: { maxAttempts: 1 } },
      field: 'spec.group',
    },
    {
      what: 'a fetched file written outside the sandbox',
      kind: 'Task',
      spec: { ...task, fetch: [{ uri: 'https://x/y', outputFile: '../../etc/passwd' }] },
      field: 'must be a relative path inside the sandbox',
    },
    {
      what: 'a role with upper case',
      kind: 'Framework',
      spec: { role: 'Eng' },
      field: "role must be '*' or DNS labels separated by '/'",
    },
    {
      what: 'an unknown scheduler',
      kind: 'Framework',
      spec: { scheduler: 'Marathon' },
      field: 'spec.scheduler',
    },
    {
      what: 'an unknown placement',
      kind: 'Framework',
      spec: { placement: 'Random' },
      field: 'spec.placement',
    },
    {
      what: 'a negative refuse time',
      kind: 'Framework',
      spec: { offerFilters: { refuseSeconds: -1 } },
      field: 'spec.offerFilters.refuseSeconds',
    },
    {
      what: 'a negative failover timeout',
      kind: 'Framework',
      spec: { failoverTimeoutSeconds: -5 },
      field: 'spec.failoverTimeoutSeconds',
    },
    {
      what: 'user ID 0',
      kind: 'Framework',
      spec: { taskDefaults: { runAsUser: 0 } },
      field: 'spec.taskDefaults.runAsUser',
    },
    { what: 'weight 0', kind: 'ResourceRole', spec: { weight: 0 }, field: 'spec.weight' },
    { what: 'a negative weight', kind: 'ResourceRole', spec: { weight: -2 }, field: 'spec.weight' },
    { what: 'a weight past its range', kind: 'ResourceRole', spec: { weight: 1e7 }, field: 'spec.weight' },
    {
      what: 'a negative limit',
      kind: 'ResourceRole',
      spec: { quota: { limit: { cpu: -5 } } },
      field: 'spec.quota.limit[cpu]',
    },
    {
      what: 'a guarantee with a typo',
      kind: 'ResourceRole',
      spec: { quota: { guarantee: { cpus: '1' } } },
      field: 'spec.quota.guarantee',
    },
  ])('refuses $what, naming the field or the rule', async ({ kind, spec, field }) => {
    const plural = { Task: 'tasks', Framework: 'frameworks', ResourceRole: 'resourceroles' }[kind];
    const body = { apiVersion: `${GROUP}/${VERSION}`, kind, metadata: { name: uniqueName('bad') }, spec };
    const message = await refusal(() =>
      kind === 'ResourceRole'
        ? s.custom.createClusterCustomObject({ group: GROUP, version: VERSION, plural, body })
        : s.custom.createNamespacedCustomObject({
            group: GROUP,
            version: VERSION,
            namespace: s.namespace,
            plural,
            body,
          }),
    );
    expect(message).toContain(field);
  });
});
