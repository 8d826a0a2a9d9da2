import type { ExecutorInfo, TaskInfo } from '../mesos/types/v1.js';
import { fromMesosResources, toMesosResources } from './mesos-resources.js';
import { executorOf, groupTaskSpec, idProblem, taskObject, taskObjectName, taskSpecOf } from './task-info.js';

const cpus = (value: number) => ({ name: 'cpus', type: 'SCALAR' as const, scalar: { value } });
const mem = (value: number) => ({ name: 'mem', type: 'SCALAR' as const, scalar: { value } });

function info(over: Partial<TaskInfo>): TaskInfo {
  return {
    name: 'web',
    task_id: { value: 'web.1' },
    agent_id: { value: 'a1' },
    resources: [cpus(0.5), mem(128)],
    ...over,
  };
}

describe('Mesos resources', () => {
  it('offers cpus, mem and disk in Mesos units, rounded down to three decimals', () => {
    const r = toMesosResources(
      { cpu: 1500, memory: 3 * 2 ** 30 + 1, 'ephemeral-storage': 2 ** 20 * 10, 'nvidia.com/gpu': 2 },
      { gpus: false },
    );
    expect(r).toEqual([
      { name: 'cpus', type: 'SCALAR', scalar: { value: 1.5 }, role: '*' },
      { name: 'mem', type: 'SCALAR', scalar: { value: 3072 }, role: '*' },
      { name: 'disk', type: 'SCALAR', scalar: { value: 10 }, role: '*' },
    ]);
  });

  it('offers gpus only to frameworks that can use them, and allocation_info to MULTI_ROLE ones', () => {
    const r = toMesosResources({ 'nvidia.com/gpu': 2 }, { gpus: true, allocationRole: 'ml' });
    expect(r).toEqual([
      { name: 'gpus', type: 'SCALAR', scalar: { value: 2 }, role: '*', allocation_info: { role: 'ml' } },
    ]);
  });

  it('reads a task’s resources exactly, rounding up, and names the resource it cannot use', () => {
    expect(fromMesosResources([cpus(0.1), mem(0.5), cpus(0.25)])).toEqual({
      ok: true,
      resources: { cpu: 350, memory: 2 ** 19 },
      ports: [],
    });
    expect(
      fromMesosResources([
        cpus(1),
        { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 8, end: 9 }] } },
      ]),
    ).toEqual({ ok: true, resources: { cpu: 1000 }, ports: [8, 9] });
    expect(fromMesosResources([{ name: 'ports', type: 'SCALAR', scalar: { value: 1 } }])).toEqual({
      ok: false,
      message: 'resources[0] (ports): must be RANGES of at most 64 ports in 1-65535',
    });
    expect(fromMesosResources([{ name: 'bandwidth', type: 'SCALAR', scalar: { value: 1 } }])).toEqual({
      ok: false,
      message: 'resources[0] (bandwidth): kmesos offers only cpus, mem, disk, gpus, ports',
    });
    expect(JSON.stringify(fromMesosResources([cpus(-1)]))).toContain('must be a positive number');
    expect(JSON.stringify(fromMesosResources([{ ...cpus(1), role: 'web' }]))).toContain('reserved');
  });
});

describe('TaskInfo → Task', () => {
  it('runs a shell command as a command task, and keeps Mesos’ ID, name and labels', () => {
    const t = taskSpecOf(
      info({
        command: { value: 'echo hi', environment: { variables: [{ name: 'A', value: '1' }] } },
        kill_policy: { grace_period: { nanoseconds: 2.5e9 } },
      }),
    );
    expect(t).toEqual({
      ok: true,
      resources: { cpu: 500, memory: 128 * 2 ** 20 },
      ports: [],
      spec: {
        framework: '',
        resources: { cpu: '500m', memory: String(128 * 2 ** 20) },
        command: 'echo hi',
        env: [{ name: 'A', value: '1' }],
        retry: { maxAttempts: 1 },
        killGracePeriodSeconds: 3,
      },
    });
    const labelled = info({
      labels: { labels: [{ key: 'kmesos.io/fake-exit-code', value: '0' }, { key: 'not a key' }] },
    });
    const obj = taskObject(
      { info: labelled, frameworkId: 'F', framework: { name: 'fw', namespace: 'ns' } },
      { framework: '', resources: {} },
    );
    expect(obj).toMatchObject({
      metadata: {
        name: taskObjectName('F', 'web.1'),
        namespace: 'ns',
        annotations: {
          'kmesos.io/mesos-task-id': 'web.1',
          'kmesos.io/mesos-task-name': 'web',
          'kmesos.io/fake-exit-code': '0',
          'kmesos.io/mesos-labels': JSON.stringify(labelled.labels?.labels),
        },
      },
      spec: { framework: 'fw' },
    });
  });

  it('runs a docker image with Mesos’ argv (shell false: arguments are the whole argv)', () => {
    const t = taskSpecOf(
      info({
        command: { shell: false, value: '/bin/echo', arguments: ['echo', 'a b'] },
        container: { type: 'DOCKER', docker: { image: 'alpine:3' } },
      }),
    );
    expect(t).toMatchObject({
      ok: true,
      spec: { container: { image: 'alpine:3', command: ['/bin/echo'], args: ['a b'] } },
    });
    const quoted = taskSpecOf(
      info({ command: { shell: false, value: '/bin/echo', arguments: ['echo', "it's"] } }),
    );
    expect(quoted).toMatchObject({ ok: true, spec: { command: `/bin/echo 'it'\\''s'` } });
    const mesosImage = taskSpecOf(
      info({
        command: {},
        container: { type: 'MESOS', mesos: { image: { type: 'DOCKER', docker: { name: 'nginx' } } } },
      }),
    );
    expect(mesosImage).toMatchObject({ ok: true, spec: { container: { image: 'nginx' } } });
  });

  it.each<[string, Partial<TaskInfo>, string]>([
    ['no resources', { resources: [], command: { value: 'x' } }, 'Task uses no resources'],
    [
      'neither command nor executor',
      {},
      'Task should have at least one (but not both) of CommandInfo or ExecutorInfo present',
    ],
    [
      'both',
      { command: { value: 'x' }, executor: { executor_id: { value: 'e' } } },
      'Task should have at least one (but not both) of CommandInfo or ExecutorInfo present',
    ],
    [
      'an executor (launched by the executor, not as a command task)',
      { executor: { executor_id: { value: 'e' } } },
      'a task with an ExecutorInfo is launched by its executor',
    ],
    [
      'an APPC image',
      { command: {}, container: { type: 'MESOS', mesos: { image: { type: 'APPC', appc: { name: 'x' } } } } },
      'container.mesos.image: only DOCKER images can run on Kubernetes',
    ],
    ['a shell command without value', { command: {} }, 'command.value is required for a shell command'],
    [
      'a secret',
      { command: { value: 'x', environment: { variables: [{ name: 'S', type: 'SECRET' }] } } },
      'command.environment: S is a SECRET, which kmesos does not support yet',
    ],
    [
      'a URI of an unknown scheme',
      { command: { value: 'x', uris: [{ value: 'hdfs://x/y' }] } },
      'command.uris[0].value: only http(s)://, ftp://, file:// and absolute paths can be fetched',
    ],
    [
      'a URI written outside the sandbox',
      { command: { value: 'x', uris: [{ value: 'http://x/y', output_file: '../etc/passwd' }] } },
      'command.uris[0].output_file: must be a relative path inside the sandbox',
    ],
  ])('refuses a task with %s', (_what, over, message) => {
    expect(taskSpecOf(info(over))).toEqual({ ok: false, message });
  });

  it('names Task objects apart per framework, within DNS and pod-name limits', () => {
    expect(taskObjectName('F1', 'task-1')).not.toBe(taskObjectName('F2', 'task-1'));
    expect(taskObjectName('F1', 'Task_1')).toMatch(/^task-1-[0-9a-f]{10}$/);
    expect(taskObjectName('F1', 'x'.repeat(300)).length).toBeLessThanOrEqual(51);
    expect(taskObjectName('F1', '___')).toMatch(/^t-[0-9a-f]{10}$/);
  });

  it('checks IDs as Mesos does', () => {
    expect(idProblem('')).toBe('must not be empty');
    expect(idProblem('..')).toBe("must not be '..'");
    expect(idProblem('a b')).toBeDefined();
    expect(idProblem('a\u0000b')).toBeDefined();
    expect(idProblem('web.1_x-y')).toBeUndefined();
  });

  it.each<[string, ExecutorInfo, boolean, string | { type: string }]>([
    [
      'a custom executor for a LAUNCH',
      { executor_id: { value: 'e' }, command: { value: './exec' } },
      false,
      { type: 'Custom' },
    ],
    [
      'the default executor for a group',
      { executor_id: { value: 'e' }, type: 'DEFAULT' },
      true,
      { type: 'Default' },
    ],
    [
      'the default executor for a LAUNCH',
      { executor_id: { value: 'e' }, type: 'DEFAULT' },
      false,
      'ExecutorInfo.type: a DEFAULT executor runs task groups (LAUNCH_GROUP); LAUNCH takes a CUSTOM one',
    ],
    [
      'a custom executor without command',
      { executor_id: { value: 'e' }, type: 'CUSTOM' },
      true,
      "ExecutorInfo.command must be set for a 'CUSTOM' executor",
    ],
    [
      'a default executor with a command',
      { executor_id: { value: 'e' }, type: 'DEFAULT', command: { value: 'x' } },
      true,
      "ExecutorInfo.command must not be set for the 'DEFAULT' executor",
    ],
    [
      'a bad executor ID',
      { executor_id: { value: 'a b' }, type: 'DEFAULT' },
      true,
      'Executor ID must not contain /, \\, whitespace or NUL',
    ],
  ])('takes or refuses %s', (_what, executor, group, want) => {
    const got = executorOf(executor, group);
    if (typeof want === 'string') expect(got).toEqual({ ok: false, message: want });
    else expect(got).toMatchObject({ ok: true, executor: want });
  });

  it('gives a custom executor’s task the executor’s command and the executor spec', () => {
    const executor = executorOf(
      {
        executor_id: { value: 'e1' },
        command: { value: './exec --flag' },
        resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }],
      },
      false,
    );
    if (!executor.ok) throw new Error(executor.message);
    const spec = groupTaskSpec(info({ executor: executor.executor.info }), executor.executor);
    expect(spec).toMatchObject({
      ok: true,
      spec: {
        command: './exec --flag',
        resources: { cpu: '500m' },
        executor: { id: 'e1', type: 'Custom', resources: { cpu: '100m' } },
        retry: { maxAttempts: 1 },
      },
    });
  });

  it('runs each task of the default executor’s group as its own command', () => {
    const executor = executorOf({ executor_id: { value: 'e1' }, type: 'DEFAULT' }, true);
    if (!executor.ok) throw new Error(executor.message);
    expect(groupTaskSpec(info({ command: { value: 'sleep 1' } }), executor.executor)).toMatchObject({
      ok: true,
      spec: { command: 'sleep 1', executor: { id: 'e1', type: 'Default' } },
    });
    expect(groupTaskSpec(info({}), executor.executor)).toEqual({
      ok: false,
      message: 'a task of the default executor needs a CommandInfo',
    });
  });

  it('fetches a command’s URIs with Mesos’ defaults (extract, not executable)', () => {
    const spec = taskSpecOf(
      info({
        command: {
          value: './run',
          uris: [
            { value: 'https://example.com/app.tgz' },
            { value: '/opt/run', executable: true, extract: false, output_file: 'run' },
          ],
        },
      }),
    );
    expect(spec).toMatchObject({
      ok: true,
      spec: {
        command: './run',
        fetch: [
          { uri: 'https://example.com/app.tgz', extract: true, executable: false },
          { uri: '/opt/run', extract: false, executable: true, outputFile: 'run' },
        ],
      },
    });
  });
});
