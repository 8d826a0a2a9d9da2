/**
 * The operator API's event stream (SUBSCRIBE) as a function of successive models: SUBSCRIBED
 * carries the whole state, and each later model gives the events that tell a subscriber what
 * changed since the one before. Mesos' events and their order: agents and frameworks that
 * appeared, frameworks that changed (re-registered, disconnected, updated their info), tasks
 * launched (TASK_ADDED) and tasks whose state changed (TASK_UPDATED), then agents and
 * frameworks that went away. Offers and resource figures change all the time and are not
 * events, as in Mesos. Pure.
 */
import type { Event } from '../scheduler/mesos/types/master.js';
import type { TaskStatus } from '../scheduler/mesos/types/v1.js';
import type { AgentModel, FrameworkModel, MasterModel, TaskModel } from './model.js';
import { agent, compact, framework, frameworkInfo, getState, task } from './operator-api.js';

export function subscribedEvent(m: MasterModel, heartbeatSeconds: number): Event {
  return compact({
    type: 'SUBSCRIBED',
    subscribed: { get_state: getState(m), heartbeat_interval_seconds: heartbeatSeconds },
  }) as Event;
}

function byKey<T>(list: readonly T[], key: (item: T) => string): Map<string, T> {
  return new Map(list.map((item) => [key(item), item]));
}

/** What a FRAMEWORK_UPDATED reports: its info and whether its scheduler is connected. */
function frameworkSignature(f: FrameworkModel): string {
  return JSON.stringify([frameworkInfo(f), f.active, f.connected]);
}

/** The task's latest status, as TASK_UPDATED carries it. */
function latestStatus(t: TaskModel): TaskStatus {
  const last = t.statuses.at(-1);
  return {
    task_id: { value: t.id },
    state: t.state,
    ...(t.agentId !== '' ? { agent_id: { value: t.agentId } } : {}),
    ...(last !== undefined ? { timestamp: last.timestamp } : {}),
  };
}

export function modelEvents(prev: MasterModel, next: MasterModel): Event[] {
  const version = next.self.info.version ?? '';
  const before = {
    agents: byKey(prev.agents, (a: AgentModel) => a.id),
    frameworks: byKey(prev.frameworks, (f: FrameworkModel) => f.key),
    tasks: byKey(prev.tasks, (t: TaskModel) => t.key),
  };
  const after = {
    agents: byKey(next.agents, (a: AgentModel) => a.id),
    frameworks: byKey(next.frameworks, (f: FrameworkModel) => f.key),
  };
  const out: Event[] = [];
  for (const a of next.agents)
    if (!before.agents.has(a.id))
      out.push({ type: 'AGENT_ADDED', agent_added: { agent: agent(a, version) } });
  for (const f of next.frameworks) {
    const old = before.frameworks.get(f.key);
    if (!old) out.push({ type: 'FRAMEWORK_ADDED', framework_added: { framework: framework(f) } });
    else if (frameworkSignature(old) !== frameworkSignature(f))
      out.push({ type: 'FRAMEWORK_UPDATED', framework_updated: { framework: framework(f) } });
  }
  for (const t of next.tasks) {
    const old = before.tasks.get(t.key);
    if (!old) out.push({ type: 'TASK_ADDED', task_added: { task: task(t) } });
    else if (old.state !== t.state || old.id !== t.id)
      out.push({
        type: 'TASK_UPDATED',
        task_updated: { framework_id: { value: t.frameworkId }, status: latestStatus(t), state: t.state },
      });
  }
  for (const a of prev.agents)
    if (!after.agents.has(a.id))
      out.push({ type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: a.id } } });
  for (const f of prev.frameworks)
    if (!after.frameworks.has(f.key))
      out.push({ type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: frameworkInfo(f) } });
  return out.map((e) => compact(e) as Event);
}
