import { frameworkObject } from '../api/test-builders.js';
import type { Task } from '../api/types.js';
import { createMesosCodec, loadMesosSchema, type MediaType } from '../scheduler/mesos/index.js';
import type { Event } from '../scheduler/mesos/types/master.js';
import { modelEvents, subscribedEvent } from './events.js';
import type { MasterInputs } from './inputs.js';
import { buildModel } from './model.js';
import { NODE_UID, clusterInputs, node, task } from './test-inputs.js';

const codec = createMesosCodec(loadMesosSchema());
const base = clusterInputs();

/** The inputs with one task replaced (or added) by key. */
function withTask(key: string, t: Task, over: MasterInputs = base): MasterInputs {
  const tasks = new Map(over.tasks);
  tasks.set(key, t);
  return { ...over, tasks, taskStatus: (k) => tasks.get(k)?.status };
}

function withoutFramework(key: string): MasterInputs {
  const frameworks = new Map(base.frameworks);
  frameworks.delete(key);
  return { ...base, frameworks };
}

/** Each event as `TYPE subject`. */
function summary(events: readonly Event[]): string[] {
  return events.map((e) => {
    const subject =
      e.agent_added?.agent.agent_info.hostname ??
      e.agent_removed?.agent_id.value ??
      e.framework_added?.framework.framework_info.name ??
      e.framework_updated?.framework.framework_info.name ??
      e.framework_removed?.framework_info.name ??
      e.task_added?.task.task_id.value ??
      (e.task_updated ? `${e.task_updated.status.task_id.value} ${e.task_updated.state}` : '');
    return `${e.type ?? ''} ${subject}`;
  });
}

describe('modelEvents: old model + new model → the events between them', () => {
  it.each<[string, MasterInputs, MasterInputs, string[]]>([
    ['nothing changed', base, base, []],
    ['only the clock moved: no event', base, { ...base, now: base.now + 60_000 }, []],
    ['offers come and go without events', base, { ...base, offers: [] }, []],
    ['a node joins', base, { ...base, nodes: [node(), node('n2')] }, ['AGENT_ADDED n2']],
    ['a node is deleted', { ...base, nodes: [node(), node('n2')] }, base, ['AGENT_REMOVED uid-n2']],
    [
      'a task is launched',
      base,
      withTask('ns/a-9', task('a-9', 'a', { cpu: '1' }, 'TASK_STAGING')),
      ['TASK_ADDED a-9'],
    ],
    [
      'a task starts running',
      base,
      withTask('ns/a-2', task('a-2', 'a', { cpu: '1', memory: '4Gi' }, 'TASK_RUNNING')),
      ['TASK_UPDATED a-2 TASK_RUNNING'],
    ],
    [
      'a pending task is launched: added, not updated',
      base,
      withTask('ns/a-3', task('a-3', 'a', { cpu: '1', memory: '4Gi' }, 'TASK_STAGING')),
      ['TASK_ADDED a-3'],
    ],
    [
      'a framework is created',
      withoutFramework('ns/b'),
      base,
      ['FRAMEWORK_ADDED ns/b', 'TASK_ADDED b-0', 'TASK_ADDED b-1'],
    ],
    ['a framework is deleted', base, withoutFramework('ns/a'), ['FRAMEWORK_REMOVED ns/a']],
    [
      "an external framework's scheduler disconnects",
      base,
      { ...base, connected: () => false },
      ['FRAMEWORK_UPDATED marathon'],
    ],
    [
      'a framework changes its role',
      base,
      { ...base, frameworks: new Map([...base.frameworks, ['ns/a', frameworkObject('a', { role: 'dev' })]]) },
      ['FRAMEWORK_UPDATED ns/a'],
    ],
    [
      'a node joins while a task ends: agents first, then tasks',
      base,
      withTask('ns/b-0', task('b-0', 'b', { cpu: '3', memory: '1Gi' }, 'TASK_FINISHED'), {
        ...base,
        nodes: [node(), node('n0')],
      }),
      ['AGENT_ADDED n0', 'TASK_UPDATED b-0 TASK_FINISHED'],
    ],
  ])('%s', (_name, before, after, want) => {
    expect(summary(modelEvents(buildModel(before), buildModel(after)))).toEqual(want);
  });

  it('TASK_UPDATED carries the framework, the latest status and the state', () => {
    const after = withTask('ns/a-2', task('a-2', 'a', { cpu: '1', memory: '4Gi' }, 'TASK_RUNNING'));
    const [event] = modelEvents(buildModel(base), buildModel(after));
    expect(event).toEqual({
      type: 'TASK_UPDATED',
      task_updated: {
        framework_id: { value: expect.any(String) as string },
        status: {
          task_id: { value: 'a-2' },
          state: 'TASK_RUNNING',
          agent_id: { value: NODE_UID },
          timestamp: Date.parse('2025-01-01T00:11:00Z') / 1000,
        },
        state: 'TASK_RUNNING',
      },
    });
  });

  const all = [
    subscribedEvent(buildModel(base), 15),
    { type: 'HEARTBEAT' } as Event,
    ...modelEvents(
      buildModel(withoutFramework('ns/b')),
      buildModel({ ...base, nodes: [node(), node('n2')] }),
    ),
    ...modelEvents(
      buildModel({ ...base, nodes: [node(), node('n2')] }),
      buildModel(withoutFramework('ns/a')),
    ),
  ];
  it.each(all.map((e) => [e.type, e] as const))(
    '%s is a valid Event in JSON and protobuf',
    (_type, event) => {
      for (const media of ['application/json', 'application/x-protobuf'] as MediaType[]) {
        expect(codec.decodeMasterEvent(codec.encodeMasterEvent(event, media), media)).toEqual({
          ok: true,
          value: event,
        });
      }
    },
  );

  it('SUBSCRIBED carries the whole state and the heartbeat interval', () => {
    const event = subscribedEvent(buildModel(base), 15);
    expect(event.subscribed?.heartbeat_interval_seconds).toBe(15);
    expect(event.subscribed?.get_state?.get_agents?.agents?.map((a) => a.agent_info.hostname)).toEqual([
      'n1',
    ]);
    expect(event.subscribed?.get_state?.get_tasks?.tasks?.map((t) => t.task_id.value)).toContain('web.1');
  });
});
