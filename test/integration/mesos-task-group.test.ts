/**
 * Mesos task groups on kmesos: a LAUNCH_GROUP runs as one pod bound to the offered node, one
 * container per task, each task keeping its own Task object and Mesos state; a group is
 * launched all or nothing and killed as one.
 */
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import type { Task } from '../../src/api/types.js';
import { createMesosCodec, loadMesosSchema } from '../../src/scheduler/mesos/index.js';
import type { Event_Update } from '../../src/scheduler/mesos/types/scheduler.js';
import type { ExecutorInfo, Offer, TaskInfo } from '../../src/scheduler/mesos/types/v1.js';
import { MesosTestScheduler } from '../mesos/raw-client.js';
import { freshScenarioEachTest, type Scenario } from './operator-harness.js';
import { eventually, kubeConfig } from './support.js';

const kc = kubeConfig();
const ANONYMOUS = '--mesos-anonymous=true';
const codec = createMesosCodec(loadMesosSchema());

/** A task that runs until it is killed (or until the test ends its container). */
function task(id: string, offer: Offer, cpus: number): TaskInfo {
  return {
    name: id,
    task_id: { value: id },
    agent_id: offer.agent_id,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: cpus } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 64 } },
    ],
    command: { shell: true, value: `serve ${id}` },
  };
}

/** The group's leader: its command needs a file fetched first. */
function webTask(offer: Offer): TaskInfo {
  return {
    ...task('web', offer, 0.5),
    command: {
      shell: true,
      value: './server',
      uris: [{ value: 'https://example.com/server', executable: true, extract: false }],
    },
  };
}

const executor: ExecutorInfo = {
  executor_id: { value: 'default' },
  type: 'DEFAULT',
  resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }],
};

/** Acknowledges updates until each named task has reached the state wanted of it. */
async function untilStates(
  sched: MesosTestScheduler,
  want: Record<string, string>,
): Promise<Map<string, Event_Update>> {
  const seen = new Map<string, Event_Update>();
  while ([...Object.entries(want)].some(([id, state]) => seen.get(id)?.status.state !== state)) {
    const { update } = await sched.nextEvent('UPDATE');
    if (update.status.uuid) expect((await sched.acknowledge(update)).status).toBe(202);
    seen.set(update.status.task_id.value, update);
  }
  return seen;
}

/** Plays the kubelet: one container of the pod exits with the code given. */
async function exitContainer(s: Scenario, pod: V1Pod, container: string, exitCode: number): Promise<void> {
  const name = pod.metadata?.name ?? '';
  const live = await s.core.readNamespacedPod({ name, namespace: s.namespace });
  const now = new Date();
  const statuses = (live.status?.containerStatuses ?? []).map((c): V1ContainerStatus =>
    c.name !== container
      ? c
      : {
          ...c,
          ready: false,
          started: false,
          state: {
            terminated: {
              exitCode,
              reason: exitCode === 0 ? 'Completed' : 'Error',
              startedAt: c.state?.running?.startedAt ?? now,
              finishedAt: now,
            },
          },
        },
  );
  const ended = statuses.every((c) => c.state?.terminated !== undefined);
  const failed = statuses.some((c) => (c.state?.terminated?.exitCode ?? 0) !== 0);
  await s.core.replaceNamespacedPodStatus({
    name,
    namespace: s.namespace,
    body: {
      ...live,
      status: {
        ...live.status,
        containerStatuses: statuses,
        ...(ended ? { phase: failed ? 'Failed' : 'Succeeded' } : {}),
      },
    },
  });
}

/** The group's one pod and its Tasks, checked: on the offered node, owned by the leader, a container per task. */
async function groupPod(s: Scenario, node: string): Promise<{ pod: V1Pod; web?: Task; log?: Task }> {
  const pods = await s.pods();
  expect(pods).toHaveLength(1);
  const pod = pods[0] as V1Pod;
  expect(pod.spec?.nodeName).toBe(node);
  const tasks = await s.allTasks();
  expect(tasks).toHaveLength(2);
  const byId = new Map(tasks.map((t) => [t.metadata.annotations?.['kmesos.io/mesos-task-id'], t]));
  const web = byId.get('web');
  const log = byId.get('log');
  expect(web?.spec.group).toBe(web?.metadata.name);
  expect(log?.spec.group).toBe(web?.metadata.name);
  expect(pod.metadata?.ownerReferences?.map((o) => o.name)).toEqual([web?.metadata.name]);
  expect(pod.spec?.containers.map((c) => [c.name, c.resources?.requests?.['cpu']])).toEqual([
    // The executor's 0.1 cpus go with the leader's container.
    [web?.metadata.name, '600m'],
    [log?.metadata.name, '250m'],
  ]);

  // The web task's URI is fetched into the sandbox first, by an init container.
  expect(pod.spec?.initContainers?.map((c) => [c.name, c.command?.slice(-3)])).toEqual([
    ['fetch', ['https://example.com/server', 'e', 'server']],
  ]);
  expect(web?.spec.fetch).toEqual([{ uri: 'https://example.com/server', extract: false, executable: true }]);

  return { pod, ...(web ? { web } : {}), ...(log ? { log } : {}) };
}

describe('Mesos task groups (LAUNCH_GROUP)', () => {
  let s!: Scenario;
  freshScenarioEachTest(kc, (x) => (s = x));

  it('runs a group as one pod with a container per task, each task ending on its own container', async () => {
    const [node] = await s.nodes(1, { cpu: '4', memory: '8Gi' });
    const operator = await s.startOperator([ANONYMOUS]);
    const sched = new MesosTestScheduler({ codec, timeoutMs: 60_000 });
    await sched.subscribe(
      operator.url,
      { user: 'nobody', name: 'pods', failover_timeout: 60 },
      {
        mediaType: 'application/json',
      },
    );
    const offer = (await sched.nextEvent('OFFERS')).offers.offers?.[0] as Offer;
    const accepted = await sched.accept(
      [offer.id],
      [
        {
          type: 'LAUNCH_GROUP',
          launch_group: {
            executor,
            task_group: {
              tasks: [webTask(offer), task('log', offer, 0.25)],
            },
          },
        },
      ],
    );
    expect(accepted.status).toBe(202);
    const running = await untilStates(sched, { web: 'TASK_RUNNING', log: 'TASK_RUNNING' });
    expect(running.get('log')?.status.agent_id).toEqual(offer.agent_id);

    const { pod, web, log } = await groupPod(s, node ?? '');

    // The log container exits 0: only its task finishes.
    await exitContainer(s, pod, log?.metadata.name ?? '', 0);
    const finished = (await sched.nextEvent('UPDATE')).update;
    expect([finished.status.task_id.value, finished.status.state]).toEqual(['log', 'TASK_FINISHED']);
    await sched.acknowledge(finished);
    // The web container fails: its task fails with the exit code.
    await exitContainer(s, pod, web?.metadata.name ?? '', 3);
    const failed = (await sched.nextEvent('UPDATE')).update;
    expect([failed.status.task_id.value, failed.status.state, failed.status.reason]).toEqual([
      'web',
      'TASK_FAILED',
      'REASON_COMMAND_EXECUTOR_FAILED',
    ]);
    await sched.acknowledge(failed);
    await eventually(async () => {
      const states = (await s.allTasks()).map((t) => [t.metadata.name, t.status?.state, t.status?.exitCode]);
      expect(states.sort()).toEqual(
        [
          [web?.metadata.name, 'TASK_FAILED', 3],
          [log?.metadata.name, 'TASK_FINISHED', 0],
        ].sort(),
      );
    });
    sched.close();
    expect(sched.violations).toEqual([]);
    expect(operator.errors()).toEqual([]);
  });

  it('ends every task of an invalid group with TASK_ERROR, and kills a whole group on KILL of one task', async () => {
    await s.nodes(1, { cpu: '2', memory: '4Gi' });
    const operator = await s.startOperator([ANONYMOUS]);
    const sched = new MesosTestScheduler({ codec, timeoutMs: 60_000 });
    await sched.subscribe(
      operator.url,
      { user: 'nobody', name: 'groups', failover_timeout: 60 },
      {
        mediaType: 'application/json',
      },
    );
    const offer = (await sched.nextEvent('OFFERS')).offers.offers?.[0] as Offer;
    await sched.accept(
      [offer.id],
      [
        {
          type: 'LAUNCH_GROUP',
          launch_group: {
            executor,
            task_group: { tasks: [task('small', offer, 0.1), task('huge', offer, 64)] },
          },
        },
        {
          type: 'LAUNCH_GROUP',
          launch_group: {
            executor: { ...executor, executor_id: { value: 'second' } },
            task_group: { tasks: [task('a', offer, 0.25), task('b', offer, 0.25)] },
          },
        },
      ],
    );
    const seen = await untilStates(sched, {
      small: 'TASK_ERROR',
      huge: 'TASK_ERROR',
      a: 'TASK_RUNNING',
      b: 'TASK_RUNNING',
    });
    for (const id of ['small', 'huge'])
      expect(seen.get(id)?.status).toMatchObject({
        reason: 'REASON_TASK_INVALID',
        message: 'Task group uses more resources than offered',
      });
    expect(await s.pods()).toHaveLength(1);

    await sched.kill({ value: 'b' });
    const killed = await untilStates(sched, { a: 'TASK_KILLED', b: 'TASK_KILLED' });
    expect(killed.get('a')?.status.uuid?.length).toBe(16);
    await eventually(async () =>
      expect((await s.pods()).filter((p) => !p.metadata?.deletionTimestamp)).toEqual([]),
    );
    sched.close();
    expect(sched.violations).toEqual([]);
    expect(operator.errors()).toEqual([]);
  });
});
