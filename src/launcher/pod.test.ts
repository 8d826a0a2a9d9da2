import type { Framework, FrameworkSpec, Task, TaskSpec } from '../api/types.js';
import { buildPod, podName, type PodBuildInput } from './pod.js';

const fwSpec: FrameworkSpec = {
  role: 'eng/ml',
  scheduler: 'Builtin',
  failoverTimeoutSeconds: 60,
  suppressed: false,
  priorityPreemption: false,
  taskOrder: 'PriorityAge',
  offerFilters: { refuseSeconds: 5 },
  placement: 'Spread',
  taskDefaults: {},
};
const taskSpec: TaskSpec = {
  framework: 'fw',
  resources: { cpu: '500m', memory: '1Gi', 'nvidia.com/gpu': 1 },
  command: 'echo hello',
  priority: 0,
  preemptible: true,
  retry: { maxAttempts: 3, backoffSeconds: 10, backoffFactor: 2, maxBackoffSeconds: 300 },
  killGracePeriodSeconds: 45,
};

function input(task: Partial<TaskSpec> = {}, fw: Partial<FrameworkSpec> = {}): PodBuildInput {
  const t: Task = {
    apiVersion: 'kmesos.io/v1alpha1',
    kind: 'Task',
    metadata: { name: 'job', namespace: 'team', uid: 'uid-task' },
    spec: { ...taskSpec, ...task },
  };
  const f: Framework = {
    apiVersion: 'kmesos.io/v1alpha1',
    kind: 'Framework',
    // An external scheduler's framework ID, which its pods' MESOS_FRAMEWORK_ID must be.
    metadata: {
      name: 'fw',
      namespace: 'team',
      uid: 'uid-fw',
      annotations: { 'kmesos.io/framework-id': 'fid' },
    },
    spec: { ...fwSpec, ...fw },
  };
  return {
    task: t,
    framework: f,
    attempt: 2,
    nodeName: 'n1',
    agentID: 'uid-n1',
    offerID: 'o-9',
    defaults: { image: 'busybox:1.36' },
  };
}

describe('podName', () => {
  it.each([
    ['job', 1, 'job-1'],
    ['a-b', 12, 'a-b-12'],
    ['x'.repeat(61), 1, `${'x'.repeat(61)}-1`], // exactly 63
  ])('%s attempt %i → %s', (task, attempt, want) => expect(podName(task, attempt)).toBe(want));

  it.each([
    ['too long', 'x'.repeat(70)],
    ['62 chars + attempt', 'y'.repeat(62)],
    ['dots', 'web.frontend'],
    ['leading junk after cleaning', '.....a'],
  ])('%s: shortened with a hash, a valid DNS label', (_name, task) => {
    const name = podName(task, 7);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(name).toMatch(/-[0-9a-f]{8}-7$/);
    expect(podName(task, 7)).toBe(name); // deterministic
  });

  it('never gives two tasks the same pod name', () => {
    expect(podName('web.frontend', 1)).not.toBe(podName('web-frontend', 1));
    expect(podName(`${'x'.repeat(70)}a`, 1)).not.toBe(podName(`${'x'.repeat(70)}b`, 1));
  });
});

describe('buildPod', () => {
  it('builds a command task pod bound to the offered node', () => {
    const pod = buildPod(input());
    expect(pod.metadata).toEqual({
      name: 'job-2',
      namespace: 'team',
      labels: {
        'kmesos.io/framework': 'fw',
        'kmesos.io/task': 'job',
        'kmesos.io/role': 'eng.ml',
        'kmesos.io/attempt': '2',
        'app.kubernetes.io/managed-by': 'kmesos',
      },
      annotations: {
        'kmesos.io/offer-id': 'o-9',
        'kmesos.io/agent-id': 'uid-n1',
        'kmesos.io/role': 'eng/ml',
      },
      ownerReferences: [
        {
          apiVersion: 'kmesos.io/v1alpha1',
          kind: 'Task',
          name: 'job',
          uid: 'uid-task',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
    const spec = pod.spec;
    expect(spec).toMatchObject({
      nodeName: 'n1',
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 45,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: {
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
        runAsUser: 65534,
        runAsGroup: 65534,
      },
    });
    expect(spec?.serviceAccountName).toBeUndefined();
    expect(spec?.tolerations).toBeUndefined();
    const c = spec?.containers[0];
    expect(spec?.containers).toHaveLength(1);
    expect(c).toMatchObject({
      name: 'task',
      image: 'busybox:1.36',
      command: ['sh', '-c', 'echo hello'],
      workingDir: '/mnt/mesos/sandbox',
      resources: {
        requests: { cpu: '500m', memory: '1Gi', 'nvidia.com/gpu': '1' },
        limits: { cpu: '500m', memory: '1Gi', 'nvidia.com/gpu': '1' },
      },
      securityContext: {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
    });
    expect(c?.env).toEqual([
      { name: 'MESOS_TASK_ID', value: 'job' },
      { name: 'MESOS_FRAMEWORK_ID', value: 'fid' },
      { name: 'MESOS_AGENT_ID', value: 'uid-n1' },
      { name: 'MESOS_SANDBOX', value: '/mnt/mesos/sandbox' },
    ]);
  });

  it.each<
    [string, Partial<TaskSpec>, Partial<FrameworkSpec>, (p: ReturnType<typeof buildPod>) => unknown, unknown]
  >([
    [
      'framework image overrides the default',
      {},
      { taskDefaults: { image: 'alpine:3' } },
      (p) => p.spec?.containers[0]?.image,
      'alpine:3',
    ],
    [
      'service account and token from framework defaults',
      {},
      { taskDefaults: { serviceAccountName: 'runner', automountServiceAccountToken: true } },
      (p) => [p.spec?.serviceAccountName, p.spec?.automountServiceAccountToken],
      ['runner', true],
    ],
    [
      'framework tolerations',
      {},
      { tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }] },
      (p) => p.spec?.tolerations,
      [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }],
    ],
    [
      'framework user',
      {},
      { taskDefaults: { runAsUser: 1000 } },
      (p) => p.spec?.securityContext?.runAsUser,
      1000,
    ],
    ['role * has an empty role label', {}, { role: '*' }, (p) => p.metadata?.labels?.['kmesos.io/role'], ''],
    [
      'container task: image, command, args, env (own variables win)',
      {
        command: undefined,
        container: {
          image: 'app:1',
          command: ['run'],
          args: ['--x'],
          env: [
            { name: 'MESOS_SANDBOX', value: '/s' },
            { name: 'A', value: 'b' },
          ],
        },
      },
      {},
      (p) => {
        const c = p.spec?.containers[0];
        return [
          c?.image,
          c?.command,
          c?.args,
          c?.env?.map((e) => `${e.name}=${e.value ?? ''}`),
          p.spec?.securityContext?.runAsUser,
        ];
      },
      [
        'app:1',
        ['run'],
        ['--x'],
        ['MESOS_TASK_ID=job', 'MESOS_FRAMEWORK_ID=fid', 'MESOS_AGENT_ID=uid-n1', 'MESOS_SANDBOX=/s', 'A=b'],
        undefined,
      ],
    ],
    [
      'command task env',
      { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] },
      {},
      (p) => p.spec?.containers[0]?.env?.at(-1),
      { name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
    ],
  ])('%s', (_name, task, fw, pick, want) => {
    expect(pick(buildPod(input(task, fw)))).toEqual(want);
  });

  it('is deterministic', () => {
    expect(buildPod(input())).toEqual(buildPod(input()));
  });
});

describe('buildPod for a group', () => {
  function member(name: string, spec: Partial<TaskSpec>): Task {
    return {
      apiVersion: 'kmesos.io/v1alpha1',
      kind: 'Task',
      metadata: {
        name,
        namespace: 'team',
        uid: `uid-${name}`,
        annotations: { 'kmesos.io/mesos-task-id': `${name}.id` },
      },
      spec: { ...taskSpec, retry: { ...taskSpec.retry, maxAttempts: 1 }, group: 'lead', ...spec },
    };
  }

  it('runs each task of a default executor’s group as its own container of the leader’s pod', () => {
    const executor = { id: 'ex', type: 'Default' as const, resources: { cpu: '100m' } };
    const lead = member('lead', { resources: { cpu: '500m' }, command: 'serve', executor });
    const side = member('side', { resources: { cpu: '250m', memory: '64Mi' }, command: 'log', executor });
    const base = input();
    const pod = buildPod({ ...base, task: lead, group: [lead, side] });
    expect(pod.metadata?.name).toBe(podName('lead', 2));
    expect(pod.metadata?.ownerReferences?.map((o) => o.name)).toEqual(['lead']);
    expect(pod.metadata?.annotations?.['kmesos.io/group-tasks']).toBe('["lead","side"]');
    const containers = pod.spec?.containers ?? [];
    expect(containers.map((c) => [c.name, c.command, c.resources?.requests])).toEqual([
      // The executor's 100m goes with the leader's container, so the pod requests it once.
      ['lead', ['sh', '-c', 'serve'], { cpu: '600m' }],
      ['side', ['sh', '-c', 'log'], { cpu: '250m', memory: '64Mi' }],
    ]);
    expect(containers[1]?.env?.find((e) => e.name === 'MESOS_TASK_ID')?.value).toBe('side.id');
  });

  it('runs a custom executor as the pod’s one container, sized for itself and its tasks', () => {
    const executor = { id: 'ex', type: 'Custom' as const, resources: { cpu: '100m' } };
    const lead = member('lead', { resources: { cpu: '500m' }, command: './executor', executor });
    const pod = buildPod({
      ...input(),
      task: lead,
      group: [lead],
      executorEnv: [{ name: 'MESOS_EXECUTOR_ID', value: 'ex' }],
    });
    const containers = pod.spec?.containers ?? [];
    expect(containers.map((c) => [c.name, c.command, c.resources?.limits])).toEqual([
      ['executor', ['sh', '-c', './executor'], { cpu: '600m' }],
    ]);
    const env = Object.fromEntries((containers[0]?.env ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      MESOS_EXECUTOR_ID: 'ex',
      MESOS_FRAMEWORK_ID: 'fid',
      MESOS_SANDBOX: '/mnt/mesos/sandbox',
    });
    // An executor runs many tasks: no one task's ID is its own.
    expect(env['MESOS_TASK_ID']).toBeUndefined();
  });
});

describe('buildPod with URIs to fetch', () => {
  it('fetches them in an init container of the default image before the task starts', () => {
    const base = input({ fetch: [{ uri: 'https://example.com/app.tgz', extract: true, executable: false }] });
    const pod = buildPod(base);
    const init = pod.spec?.initContainers ?? [];
    expect(init.map((c) => [c.name, c.image, c.workingDir, c.command?.slice(-3)])).toEqual([
      ['fetch', 'busybox:1.36', '/mnt/mesos/sandbox', ['https://example.com/app.tgz', 'x', 'app.tgz']],
    ]);
    // Shaped like the task's container: same mounts and resources, so the pod requests no more.
    expect(init[0]?.resources).toEqual(pod.spec?.containers[0]?.resources);
    expect(init[0]?.volumeMounts).toEqual(pod.spec?.containers[0]?.volumeMounts);
    expect(buildPod(input()).spec?.initContainers).toBeUndefined();
  });
});
