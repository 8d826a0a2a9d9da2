/**
 * Custom executors on kmesos: an ACCEPT with an ExecutorInfo runs the executor in a pod with
 * the environment a Mesos agent gives executors, and the executor talks to kmesos' v1 Executor
 * HTTP API. On simulated nodes no process runs, so the test plays the kubelet's part: it
 * starts the executor itself (a raw HTTP/1.1 client) with the environment of the pod spec.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { createMesosCodec, loadMesosSchema, type MediaType } from '../../src/scheduler/mesos/index.js';
import type { ExecutorInfo, Offer, TaskInfo } from '../../src/scheduler/mesos/types/v1.js';
import { MesosTestScheduler } from '../mesos/raw-client.js';
import { MesosTestExecutor } from '../mesos/test-executor.js';
import { freshScenarioEachTest, type Scenario } from './operator-harness.js';
import { eventually, kubeConfig } from './support.js';

const kc = kubeConfig();
const codec = createMesosCodec(loadMesosSchema());
/** The executors reach the operator where it advertises itself. */
const FLAGS = ['--mesos-anonymous=true', '--advertise-host=127.0.0.1'];

function executorInfo(id: string): ExecutorInfo {
  return {
    executor_id: { value: id },
    type: 'CUSTOM',
    name: `executor ${id}`,
    command: { shell: true, value: './my-executor --serve' },
    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }],
  };
}

function task(id: string, offer: Offer, executor?: ExecutorInfo): TaskInfo {
  return {
    name: id,
    task_id: { value: id },
    agent_id: offer.agent_id,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.25 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 32 } },
    ],
    data: Buffer.from(`work for ${id}`),
    ...(executor ? { executor } : {}),
  };
}

/** The environment of the executor's pod, once the pod is there. */
async function executorEnv(s: Scenario, executorId: string): Promise<Record<string, string>> {
  return eventually(async () => {
    const pod = (await s.pods()).find((p: V1Pod) =>
      p.spec?.containers.some((c) =>
        c.env?.some((e) => e.name === 'MESOS_EXECUTOR_ID' && e.value === executorId),
      ),
    );
    const container = pod?.spec?.containers.find((c) => c.name === 'executor');
    if (!container) throw new Error(`no pod of executor ${executorId} yet`);
    return Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? '']));
  });
}

describe('Mesos v1 Executor HTTP API', () => {
  let s!: Scenario;
  freshScenarioEachTest(kc, (x) => (s = x));

  it.each<MediaType>(['application/json', 'application/x-protobuf'])(
    'runs a custom executor in a pod that subscribes, runs its task and hears acknowledgements (%s)',
    async (mediaType) => {
      await s.nodes(1, { cpu: '4', memory: '8Gi' });
      const operator = await s.startOperator(FLAGS);
      const sched = new MesosTestScheduler({ codec, timeoutMs: 60_000 });
      await sched.subscribe(
        operator.url,
        { user: 'nobody', name: 'custom', failover_timeout: 60 },
        { mediaType },
      );
      const frameworkId = (await sched.nextEvent('SUBSCRIBED')).subscribed.framework_id;
      const offer = (await sched.nextEvent('OFFERS')).offers.offers?.[0] as Offer;
      const exec = executorInfo('exec-a');
      const accepted = await sched.accept(
        [offer.id],
        [{ type: 'LAUNCH', launch: { task_infos: [task('job', offer, exec)] } }],
        {
          refuse_seconds: 0,
        },
      );
      expect(accepted.status).toBe(202);

      // The executor's pod carries the environment a Mesos agent gives executors.
      const env = await executorEnv(s, 'exec-a');
      expect(env).toMatchObject({
        MESOS_FRAMEWORK_ID: frameworkId.value,
        MESOS_EXECUTOR_ID: 'exec-a',
        MESOS_AGENT_ENDPOINT: `127.0.0.1:${new URL(operator.url).port}`,
        MESOS_SANDBOX: '/mnt/mesos/sandbox',
        MESOS_DIRECTORY: '/mnt/mesos/sandbox',
        MESOS_CHECKPOINT: '0',
        MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD: '5secs',
        MESOS_SLAVE_ID: offer.agent_id.value,
        MESOS_AGENT_ID: offer.agent_id.value,
      });
      expect(env['MESOS_EXECUTOR_AUTHENTICATION_TOKEN']?.length).toBeGreaterThanOrEqual(32);
      const [pod] = await s.pods();
      expect(pod?.spec?.containers.map((c) => [c.name, c.command, c.resources?.requests?.['cpu']])).toEqual([
        ['executor', ['sh', '-c', './my-executor --serve'], '350m'],
      ]);

      // Only the pod's token opens the API.
      const executor = new MesosTestExecutor(env, codec, mediaType);
      const ids = { framework_id: frameworkId, executor_id: { value: 'exec-a' } };
      const forged = await executor.call(
        { ...ids, type: 'MESSAGE', message: { data: Buffer.from('x') } },
        'forged',
      );
      expect(forged.status).toBe(403);

      await executor.subscribe();
      const subscribed = (await executor.nextEvent('SUBSCRIBED')).subscribed;
      expect(subscribed.executor_info.executor_id.value).toBe('exec-a');
      expect(subscribed.executor_info.command?.value).toBe('./my-executor --serve');
      expect(subscribed.framework_info.id).toEqual(frameworkId);
      expect(subscribed.agent_info.id).toEqual(offer.agent_id);
      const launch = (await executor.nextEvent('LAUNCH')).launch;
      expect(launch.task.task_id.value).toBe('job');
      expect(Buffer.from(launch.task.data ?? []).toString()).toBe('work for job');

      // The executor's updates reach the scheduler with their uuids; its acknowledgements come back.
      for (const state of ['TASK_RUNNING', 'TASK_FINISHED'] as const) {
        const sent = await executor.update({ task_id: { value: 'job' }, state, message: `job is ${state}` });
        expect(sent.response.status).toBe(202);
        const { update } = await sched.nextEvent('UPDATE');
        expect(update.status).toMatchObject({
          task_id: { value: 'job' },
          state,
          source: 'SOURCE_EXECUTOR',
          executor_id: { value: 'exec-a' },
          agent_id: offer.agent_id,
          message: `job is ${state}`,
        });
        expect(Buffer.from(update.status.uuid ?? []).equals(Buffer.from(sent.uuid))).toBe(true);
        expect((await sched.acknowledge(update)).status).toBe(202);
        const acked = (await executor.nextEvent('ACKNOWLEDGED')).acknowledged;
        expect([acked.task_id.value, Buffer.from(acked.uuid).equals(Buffer.from(sent.uuid))]).toEqual([
          'job',
          true,
        ]);
        await eventually(async () => expect((await s.allTasks())[0]?.status?.state).toBe(state));
      }

      // MESSAGE both ways.
      expect((await executor.message(Buffer.from('from the executor'))).status).toBe(202);
      const toScheduler = (await sched.nextEvent('MESSAGE')).message;
      expect([
        toScheduler.executor_id.value,
        toScheduler.agent_id,
        Buffer.from(toScheduler.data).toString(),
      ]).toEqual(['exec-a', offer.agent_id, 'from the executor']);
      const toExecutor = await sched.call({
        framework_id: frameworkId,
        type: 'MESSAGE',
        message: {
          agent_id: offer.agent_id,
          executor_id: { value: 'exec-a' },
          data: Buffer.from('from the scheduler'),
        },
      });
      expect(toExecutor.status).toBe(202);
      expect(Buffer.from((await executor.nextEvent('MESSAGE')).message.data).toString()).toBe(
        'from the scheduler',
      );

      // An update for another framework's task, or without a uuid, is refused.
      const stranger = await executor.update({ task_id: { value: 'not-mine' }, state: 'TASK_RUNNING' });
      expect(stranger.response.status).toBe(400);
      const noUuid = await executor.call({
        ...ids,
        type: 'UPDATE',
        update: { status: { task_id: { value: 'job' }, state: 'TASK_RUNNING' } },
      });
      expect(noUuid.status).toBe(400);

      executor.close();
      sched.close();
      expect([...sched.violations, ...executor.violations]).toEqual([]);
      expect(operator.errors()).toEqual([]);
    },
  );

  it('launches a task group to its custom executor, forwards KILL to it, and sends it SHUTDOWN', async () => {
    await s.nodes(1, { cpu: '4', memory: '8Gi' });
    const operator = await s.startOperator(FLAGS);
    const sched = new MesosTestScheduler({ codec, timeoutMs: 60_000 });
    await sched.subscribe(
      operator.url,
      { user: 'nobody', name: 'grouped', failover_timeout: 60 },
      {
        mediaType: 'application/json',
      },
    );
    const frameworkId = (await sched.nextEvent('SUBSCRIBED')).subscribed.framework_id;
    const offer = (await sched.nextEvent('OFFERS')).offers.offers?.[0] as Offer;
    await sched.accept(
      [offer.id],
      [
        {
          type: 'LAUNCH_GROUP',
          launch_group: {
            executor: executorInfo('exec-g'),
            task_group: { tasks: [task('g1', offer), task('g2', offer)] },
          },
        },
      ],
    );
    const executor = new MesosTestExecutor(await executorEnv(s, 'exec-g'), codec, 'application/json');
    await executor.subscribe();
    await executor.nextEvent('SUBSCRIBED');
    const group = (await executor.nextEvent('LAUNCH_GROUP')).launch_group.task_group.tasks ?? [];
    expect(group.map((t) => t.task_id.value)).toEqual(['g1', 'g2']);
    for (const id of ['g1', 'g2']) await executor.update({ task_id: { value: id }, state: 'TASK_RUNNING' });
    for (let i = 0; i < 2; i++) {
      const { update } = await sched.nextEvent('UPDATE');
      expect(update.status.state).toBe('TASK_RUNNING');
      await sched.acknowledge(update);
    }

    // KILL goes to the executor, which ends the task itself.
    await sched.kill({ value: 'g1' });
    expect((await executor.nextEvent('KILL')).kill.task_id.value).toBe('g1');
    await executor.update({ task_id: { value: 'g1' }, state: 'TASK_KILLED' });
    const killed = (await sched.nextEvent('UPDATE')).update;
    expect([killed.status.task_id.value, killed.status.state, killed.status.source]).toEqual([
      'g1',
      'TASK_KILLED',
      'SOURCE_EXECUTOR',
    ]);
    await sched.acknowledge(killed);

    // SHUTDOWN reaches the executor, and its pod and tasks end.
    const shutdown = await sched.call({
      framework_id: frameworkId,
      type: 'SHUTDOWN',
      shutdown: { executor_id: { value: 'exec-g' }, agent_id: offer.agent_id },
    });
    expect(shutdown.status).toBe(202);
    // ACKNOWLEDGED events of the earlier updates come first.
    await eventually(() => expect(executor.events.some((e) => e.type === 'SHUTDOWN')).toBe(true));
    const gone = (await sched.nextEvent('UPDATE')).update;
    expect([gone.status.task_id.value, gone.status.state]).toEqual(['g2', 'TASK_KILLED']);
    await eventually(async () =>
      expect((await s.pods()).filter((p) => !p.metadata?.deletionTimestamp)).toEqual([]),
    );
    executor.close();
    sched.close();
    expect([...sched.violations, ...executor.violations]).toEqual([]);
    expect(operator.errors()).toEqual([]);
  });
});
