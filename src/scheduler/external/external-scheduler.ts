/**
 * The scheduler of `External` frameworks: their schedulers speak the Mesos v1 Scheduler HTTP
 * API (http-api.ts carries the bytes). Each cycle the allocator's offers to connected
 * frameworks go out as OFFERS events and withdrawn ones as RESCIND; calls come back between
 * cycles. Task state changes become reliable UPDATE events (update-streams.ts).
 *
 * A framework is connected while its SUBSCRIBE stream is open; while it is not, it is
 * offered nothing, and past its failover timeout its Framework is removed (which ends its
 * tasks), as Mesos does.
 */
import type { Logger } from 'winston';
import type { Offer, Rescind, RescindReason } from '../../allocator/index.js';
import { ANNOTATIONS } from '../../api/constants.js';
import { frameworkIdOf } from '../../api/framework-id.js';
import { frameworkKeyOfTask, joinKey, splitKey } from '../../api/keys.js';
import { isTerminalState } from '../../api/task-states.js';
import { errorMessage, isNotFound } from '../../kube/errors.js';
import type { Framework, Task, TaskStatus as KmesosTaskStatus } from '../../api/types.js';
import type { ClusterState } from '../../cluster/state.js';
import type { Clock, Timer } from '../../util/clock.js';
import type { Random } from '../../util/random.js';
import type { MesosCodec } from '../mesos/codec.js';
import type { MediaType } from '../mesos/media-type.js';
import type { Call, Event } from '../mesos/types/scheduler.js';
import type {
  FrameworkInfo,
  MasterInfo,
  TaskStatus,
  TaskStatus_Reason,
  TaskStatus_Source,
} from '../mesos/types/v1.js';
import {
  noDecisions,
  type FrameworkScheduler,
  type SchedulerDecisions,
  type SchedulerInput,
} from '../types.js';
import { checkFrameworkInfo, frameworkNamePrefix } from './framework-info.js';
import { uuidBytes, uuidText } from './ids.js';
import type { ExternalWrites } from './kube-writes.js';
import { Maintenance } from './maintenance.js';
import { PortBook, type PortRange } from './ports.js';
import { mesosOffer } from './offer-view.js';
import { Session, type EventSink } from './session.js';
import { MESOS_ANNOTATIONS, taskObjectName } from './task-info.js';
import { UpdateStreams, type ResendBackoff } from './update-streams.js';

export interface ExternalSchedulerOptions {
  /** The host ports each node offers as Mesos `ports`; none when unset. */
  ports?: PortRange;
  heartbeatSeconds: number;
  /** How long an unacknowledged update waits before it is sent again (doubling from min to max). */
  updateResend: ResendBackoff;
  master: MasterInfo;
}

export interface ExternalSchedulerDeps {
  state: ClusterState;
  allocator: { rescindOffer(offerId: string, reason?: RescindReason): Rescind | null };
  writes: ExternalWrites;
  /** The task's status as the task controller last decided it (ahead of the watch cache). */
  taskStatus: (taskKey: string) => KmesosTaskStatus | undefined;
  /** Asks for a cycle soon (a scheduler subscribed or left). */
  requestCycle: () => void;
  /** Writes the task's status again (its unacknowledged updates changed). */
  refreshTask: (taskKey: string) => void;
  codec: MesosCodec;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Whether the task's custom executor reported this state itself (its update is already on its way). */
  executorReported?: (taskKey: string, state: string) => boolean;
  /** The scheduler acknowledged an update a custom executor sent. */
  executorAcknowledged?: (taskKey: string, status: TaskStatus) => void;
}

/** An HTTP answer to a call: 202, or an error status with its text. */
export type CallAnswer = { status: 202 } | { status: 400 | 403 | 503; message: string };

export type SubscribeAnswer =
  { ok: true; session: Session } | { ok: false; status: 400 | 403; message: string };

/** What kmesos remembers of a Mesos task to answer for it after its Task is gone. */
interface Tracked {
  frameworkKey: string;
  taskId: string;
  agentId: string;
  state: TaskStatus['state'] | undefined;
  killing: boolean;
  /** Host ports it holds on its agent. */
  ports: readonly number[];
  /** A grouped task's whole group (Task keys, the leader first), which is killed together. */
  group?: readonly string[];
  /** The custom executor that runs it. */
  executorId?: string;
}

/** How often a subscribed framework's unacknowledged updates are looked at for a resend. */
const RESEND_TICK_MS = 1000;

/** Reasons the master (not an agent) gives; every other update comes from what the node saw. */
const MASTER_REASONS: ReadonlySet<string> = new Set([
  'REASON_FRAMEWORK_REMOVED',
  'REASON_INVALID_OFFERS',
  'REASON_RECONCILIATION',
  'REASON_TASK_INVALID',
  'REASON_AGENT_REMOVED',
  'REASON_AGENT_DISCONNECTED',
]);

function sourceOf(reason: string | undefined): TaskStatus_Source {
  return reason !== undefined && MASTER_REASONS.has(reason) ? 'SOURCE_MASTER' : 'SOURCE_AGENT';
}

type CheckedSubscribe =
  | { ok: true; info: FrameworkInfo; frameworkId?: string; spec: FrameworkSpecFields; role: string }
  | { ok: false; status: 400 | 403; message: string };
type FrameworkSpecFields = Extract<ReturnType<typeof checkFrameworkInfo>, { ok: true }>['spec'];

/** What a SUBSCRIBE asks, checked as Mesos' master checks it, before anything is written. */
function checkSubscribe(call: Call, principal: string): CheckedSubscribe {
  const info = call.subscribe?.framework_info;
  if (!info) return { ok: false, status: 400, message: 'call.subscribe.framework_info: required' };
  const callId = call.framework_id?.value;
  const infoId = info.id?.value;
  if (callId !== undefined && infoId !== undefined && callId !== infoId)
    return { ok: false, status: 400, message: "'framework_id' differs from 'subscribe.framework_info.id'" };
  const checked = checkFrameworkInfo(info, 'call.subscribe.framework_info');
  if (!checked.ok) return { ok: false, status: 400, message: checked.message };
  if (principal !== '' && info.principal !== undefined && info.principal !== principal)
    return {
      ok: false,
      status: 403,
      message: `Framework principal '${info.principal}' does not match authenticated principal '${principal}'`,
    };
  const frameworkId = infoId ?? callId;
  return {
    ok: true,
    info,
    ...(frameworkId !== undefined ? { frameworkId } : {}),
    spec: checked.spec,
    role: checked.role,
  };
}

type StoredUpdate = NonNullable<KmesosTaskStatus['pendingUpdates']>[number];

function storedUpdate(u: TaskStatus): StoredUpdate {
  return {
    uuid: Buffer.from(u.uuid ?? []).toString('base64'),
    state: u.state,
    ...(u.reason !== undefined ? { reason: u.reason } : {}),
    ...(u.message !== undefined ? { message: u.message } : {}),
    ...(u.source !== undefined ? { source: u.source } : {}),
    ...(u.agent_id !== undefined ? { agentID: u.agent_id.value } : {}),
    timestamp: u.timestamp ?? 0,
  };
}

function fromStored(taskId: string, u: StoredUpdate): TaskStatus {
  return {
    task_id: { value: taskId },
    state: u.state,
    ...(u.reason !== undefined ? { reason: u.reason as TaskStatus_Reason } : {}),
    ...(u.message !== undefined ? { message: u.message } : {}),
    ...(u.source !== undefined ? { source: u.source as TaskStatus_Source } : {}),
    ...(u.agentID !== undefined ? { agent_id: { value: u.agentID } } : {}),
    timestamp: u.timestamp,
    uuid: new Uint8Array(Buffer.from(u.uuid, 'base64')),
  };
}

/** The Task keys of each group, by leader key, the leader first. */
function groupsOf(tasks: ReadonlyMap<string, Task>): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [key, task] of tasks) {
    if (task.spec.group === undefined) continue;
    const leader = joinKey(task.metadata.namespace, task.spec.group);
    const list = groups.get(leader) ?? [];
    if (key === leader) list.unshift(key);
    else list.push(key);
    groups.set(leader, list);
  }
  return groups;
}

/** What a tracked task keeps of its group and custom executor. */
function groupFields(
  task: Task,
  groups: ReadonlyMap<string, string[]>,
): Pick<Tracked, 'group' | 'executorId'> {
  const group =
    task.spec.group !== undefined ? groups.get(joinKey(task.metadata.namespace, task.spec.group)) : undefined;
  const executorId = task.spec.executor?.type === 'Custom' ? task.spec.executor.id : undefined;
  return { ...(group ? { group } : {}), ...(executorId !== undefined ? { executorId } : {}) };
}

export class ExternalScheduler implements FrameworkScheduler {
  readonly kind = 'External' as const;
  /** Open subscriptions by framework key, and by framework ID. */
  private readonly sessions = new Map<string, Session>();
  private readonly byId = new Map<string, Session>();
  private readonly timers = new Map<Session, Timer[]>();
  private readonly failover = new Map<string, Timer>();
  /** Frameworks being removed (TEARDOWN, failover timeout) until the watch shows them gone. */
  private readonly removing = new Set<string>();
  /** Offers sent and not yet answered, withdrawn or expired. */
  readonly offered = new Map<string, Offer>();
  readonly updates: UpdateStreams;
  private readonly tracked = new Map<string, Tracked>();
  private readonly maintenance: Maintenance;
  readonly ports: PortBook;

  constructor(
    private readonly options: ExternalSchedulerOptions,
    private readonly deps: ExternalSchedulerDeps,
  ) {
    this.maintenance = new Maintenance(options.master.id);
    this.ports = new PortBook(options.ports);
    this.updates = new UpdateStreams(options.updateResend);
  }

  /** Whether the allocator should make offers to this framework: its scheduler is subscribed and not suppressed. */
  wantsOffers(frameworkKey: string): boolean {
    const s = this.sessions.get(frameworkKey);
    return s !== undefined && s.isOpen && !s.suppressed;
  }

  /** Undefined for a framework that never subscribed to this process. */
  connected(frameworkKey: string): boolean | undefined {
    if (this.sessions.has(frameworkKey)) return true;
    return this.failover.has(frameworkKey) ? false : undefined;
  }

  figures(): { subscribed: number; unacknowledged: number } {
    return { subscribed: this.sessions.size, unacknowledged: this.updates.size };
  }

  sessionById(frameworkId: string): Session | undefined {
    return this.byId.get(frameworkId);
  }

  // ------------------------------------------------------------------ subscription

  /**
   * SUBSCRIBE: creates or adopts the Framework in the caller's namespace, then opens the event
   * stream. `principal` is who authenticated ('' when anonymous).
   */
  async subscribe(
    call: Call,
    mediaType: MediaType,
    sink: EventSink,
    who: { principal: string; namespace: string },
  ): Promise<SubscribeAnswer> {
    const checked = checkSubscribe(call, who.principal);
    if (!checked.ok) return checked;
    const { info } = checked;
    const frameworkId = checked.frameworkId ?? `${uuidText(this.deps.random)}-0000`;
    const found = this.findFramework(frameworkId);
    const ns = who.namespace;
    if (found && (found.spec.scheduler !== 'External' || found.metadata.namespace !== ns))
      return {
        ok: false,
        status: 403,
        message: `framework ${frameworkId} is not an external framework of this caller`,
      };
    const fw = found
      ? await this.deps.writes.patchFramework(ns, found.metadata.name ?? '', { spec: checked.spec })
      : await this.deps.writes.createFramework(ns, {
          apiVersion: 'kmesos.io/v1alpha1',
          kind: 'Framework',
          metadata: {
            generateName: frameworkNamePrefix(info.name),
            annotations: { [ANNOTATIONS.frameworkID]: frameworkId },
          },
          spec: { scheduler: 'External', ...checked.spec },
        });
    const key = joinKey(ns, fw.metadata.name ?? '');
    const previous = this.sessions.get(key);
    if (previous) this.end(previous, 'Framework failed over');
    const session = new Session(
      uuidText(this.deps.random),
      who.principal,
      key,
      frameworkId,
      info,
      mediaType,
      sink,
      this.deps.codec,
    );
    const suppressedRoles = call.subscribe?.suppressed_roles ?? [];
    session.suppressed = suppressedRoles.includes(checked.role);
    this.open(session);
    this.deps.logger.info('framework subscribed', {
      framework: key,
      frameworkId,
      name: info.name,
      resubscribed: !!found,
    });
    return { ok: true, session };
  }

  private open(session: Session): void {
    const key = session.frameworkKey;
    this.sessions.set(key, session);
    this.byId.set(session.frameworkId, session);
    this.failover.get(key)?.cancel();
    this.failover.delete(key);
    const { clock } = this.deps;
    session.begin();
    session.send({
      type: 'SUBSCRIBED',
      subscribed: {
        framework_id: { value: session.frameworkId },
        heartbeat_interval_seconds: this.options.heartbeatSeconds,
        master_info: this.options.master,
      },
    });
    session.send({ type: 'HEARTBEAT' });
    for (const status of this.updates.heads(key, clock.now()))
      session.send({ type: 'UPDATE', update: { status } });
    // Each update keeps its own resend time; the tick only looks for those that are due.
    const tickMs = Math.min(RESEND_TICK_MS, this.options.updateResend.minMs);
    this.timers.set(session, [
      clock.every(this.options.heartbeatSeconds * 1000, () => session.send({ type: 'HEARTBEAT' })),
      clock.every(tickMs, () => {
        for (const status of this.updates.due(key, clock.now()))
          session.send({ type: 'UPDATE', update: { status } });
      }),
    ]);
    this.deps.requestCycle();
  }

  /** The stream ended (the scheduler went away or was replaced). */
  disconnected(session: Session): void {
    session.disconnected();
    this.end(session);
  }

  private end(session: Session, error?: string): void {
    for (const t of this.timers.get(session) ?? []) t.cancel();
    this.timers.delete(session);
    session.close(error);
    const key = session.frameworkKey;
    if (this.sessions.get(key) !== session) return;
    this.sessions.delete(key);
    this.byId.delete(session.frameworkId);
    this.maintenance.forget(key);
    // Its offers go back to the pool: nobody can answer them now.
    for (const [id, o] of this.offered) {
      if (o.frameworkId !== key) continue;
      this.offered.delete(id);
      this.ports.release(id);
      this.deps.allocator.rescindOffer(id, 'FrameworkUpdated');
    }
    this.deps.logger.info('framework disconnected', { framework: key, frameworkId: session.frameworkId });
    const fw = this.deps.state.frameworks.get(key);
    if (fw) this.armFailover(key, fw);
    this.deps.requestCycle();
  }

  private armFailover(key: string, fw: Framework): void {
    if (this.failover.has(key)) return;
    const seconds = fw.spec.failoverTimeoutSeconds;
    this.failover.set(
      key,
      this.deps.clock.after(Math.min(seconds * 1000, 2 ** 31 - 1), () => {
        this.failover.delete(key);
        if (this.sessions.has(key)) return;
        this.deps.logger.info('framework failover timeout passed: removing it', { framework: key, seconds });
        this.remove(key);
      }),
    );
  }

  /** Removes the Framework: its tasks are killed and end TASK_KILLED (REASON_FRAMEWORK_REMOVED). */
  remove(key: string): void {
    if (this.removing.has(key)) return;
    this.removing.add(key);
    const { namespace, name } = splitKey(key);
    this.updates.forgetFramework(key);
    this.deps.writes.deleteFramework(namespace, name).catch((err: unknown) => {
      // Already gone is what was asked for.
      if (isNotFound(err)) return;
      this.removing.delete(key);
      this.deps.logger.error('could not remove framework', { framework: key, error: errorMessage(err) });
    });
  }

  /** TEARDOWN. */
  teardown(session: Session): void {
    this.end(session);
    this.failover.get(session.frameworkKey)?.cancel();
    this.failover.delete(session.frameworkKey);
    this.remove(session.frameworkKey);
  }

  /** Stops every stream (shutdown). */
  close(): void {
    for (const s of [...this.sessions.values()]) this.end(s);
    for (const t of this.failover.values()) t.cancel();
    this.failover.clear();
  }

  private findFramework(frameworkId: string): Framework | undefined {
    for (const fw of this.deps.state.frameworks.values()) {
      if (frameworkIdOf(fw) === frameworkId) return fw;
    }
    return undefined;
  }

  // ------------------------------------------------------------------ cycle

  cycle(input: SchedulerInput): SchedulerDecisions {
    const out = noDecisions();
    for (const r of input.rescinded) this.rescind(r);
    const byFramework = new Map<string, Offer[]>();
    for (const o of input.offers) {
      const session = this.sessions.get(o.frameworkId);
      if (!session?.isOpen) {
        out.declines.push({ offerId: o.offerId, refuseSeconds: 0 });
        continue;
      }
      this.offered.set(o.offerId, o);
      const list = byFramework.get(o.frameworkId);
      if (list) list.push(o);
      else byFramework.set(o.frameworkId, [o]);
    }
    for (const [key, offers] of byFramework) {
      const session = this.sessions.get(key);
      if (!session) continue;
      const ctx = {
        frameworkId: session.frameworkId,
        gpus: session.capabilities.has('GPU_RESOURCES'),
        multiRole: session.capabilities.has('MULTI_ROLE'),
      };
      session.send({
        type: 'OFFERS',
        offers: {
          offers: offers.map((o) =>
            mesosOffer(o, this.deps.state.nodes.get(o.hostname), {
              ...ctx,
              ports: this.ports.offer(o.offerId, o.agentId),
            }),
          ),
        },
      });
    }
    this.tellMaintenance();
    // A framework known from before this process started gets its full failover timeout from now.
    for (const [key, fw] of this.deps.state.frameworks) {
      if (fw.spec.scheduler === 'External' && !this.sessions.has(key) && !this.removing.has(key))
        this.armFailover(key, fw);
    }
    for (const key of this.removing) if (!this.deps.state.frameworks.has(key)) this.removing.delete(key);
    return out;
  }

  /** Inverse offers for cordoned nodes the frameworks' tasks run on, and FAILURE for nodes gone. */
  private tellMaintenance(): void {
    // Nobody to tell: skip the walk over every tracked task.
    if (this.sessions.size === 0) return;
    const taskAgents = new Map<string, Set<string>>();
    for (const t of this.tracked.values()) {
      if (!this.sessions.has(t.frameworkKey) || !t.agentId || isTerminalState(t.state)) continue;
      const set = taskAgents.get(t.frameworkKey) ?? new Set<string>();
      set.add(t.agentId);
      taskAgents.set(t.frameworkKey, set);
    }
    const ids = new Map([...this.sessions].map(([key, s]) => [key, s.frameworkId]));
    const changes = this.maintenance.update(
      this.deps.state.nodes.values(),
      taskAgents,
      ids,
      this.deps.clock.now() / 1000,
    );
    for (const [key, inverse] of changes.inverseOffers)
      this.sessions.get(key)?.send({ type: 'INVERSE_OFFERS', inverse_offers: { inverse_offers: inverse } });
    for (const [key, offerIds] of changes.rescinded)
      for (const id of offerIds)
        this.sessions.get(key)?.send({
          type: 'RESCIND_INVERSE_OFFER',
          rescind_inverse_offer: { inverse_offer_id: { value: id } },
        });
    for (const [key, agents] of changes.failures)
      for (const agent of agents)
        this.sessions.get(key)?.send({ type: 'FAILURE', failure: { agent_id: { value: agent } } });
  }

  /** An offer withdrawn by the allocator (expired, agent gone, quota lowered, framework changed). */
  rescind(r: Rescind): void {
    this.ports.release(r.offerId);
    if (!this.offered.delete(r.offerId)) return;
    this.sessions.get(r.frameworkId)?.send({ type: 'RESCIND', rescind: { offer_id: { value: r.offerId } } });
  }

  // ------------------------------------------------------------------ tasks and updates

  /** The Task key of a Mesos task of a framework. */
  taskKey(session: Pick<Session, 'frameworkKey' | 'frameworkId'>, taskId: string): string {
    return joinKey(splitKey(session.frameworkKey).namespace, taskObjectName(session.frameworkId, taskId));
  }

  track(taskKey: string, t: Tracked): void {
    this.tracked.set(taskKey, t);
  }

  trackedTask(taskKey: string): Tracked | undefined {
    return this.tracked.get(taskKey);
  }

  /** A Task's state changed (the task controller's decision): an UPDATE for Mesos tasks. */
  taskTransition(
    taskKey: string,
    task: Task,
    prev: KmesosTaskStatus | undefined,
    next: KmesosTaskStatus,
  ): void {
    const taskId = task.metadata.annotations?.[MESOS_ANNOTATIONS.taskId];
    if (taskId === undefined || next.state === undefined || next.state === prev?.state) return;
    const frameworkKey = frameworkKeyOfTask(task);
    this.noteState(taskKey, task, taskId, next);
    // STAGING is the master's own state: Mesos schedulers first hear of a task from its agent.
    if (next.state === 'TASK_STAGING') return;
    // The executor's own update carries this state already, with its uuid.
    if (this.deps.executorReported?.(taskKey, next.state)) return;
    // KILLING goes only to frameworks that declared they understand it, as in Mesos.
    const capabilities = this.deps.state.frameworks.get(frameworkKey)?.spec.frameworkInfo?.capabilities ?? [];
    if (next.state === 'TASK_KILLING' && !capabilities.includes('TASK_KILLING_STATE')) return;
    this.reliableUpdate(frameworkKey, taskKey, {
      task_id: { value: taskId },
      state: next.state,
      ...(next.reason !== undefined ? { reason: next.reason as TaskStatus_Reason } : {}),
      ...(next.message !== undefined ? { message: next.message } : {}),
      source: sourceOf(next.reason),
      ...(next.agentID ? { agent_id: { value: next.agentID } } : {}),
    });
  }

  /** Remembers the task's latest state; its ports go back to the pool when it ends. */
  private noteState(taskKey: string, task: Task, taskId: string, next: KmesosTaskStatus): void {
    const t = this.tracked.get(taskKey);
    const agentId = next.agentID ?? t?.agentId ?? '';
    const ports = t?.ports ?? task.spec.hostPorts ?? [];
    const frameworkKey = frameworkKeyOfTask(task);
    const killing = t?.killing ?? false;
    this.tracked.set(taskKey, {
      ...t,
      frameworkKey,
      taskId,
      agentId,
      state: next.state,
      killing,
      ports,
    });
    if (isTerminalState(next.state) && !isTerminalState(t?.state)) this.ports.free(agentId, ports);
  }

  /** Whether a custom executor with this ID runs, or is being launched, for the framework on the agent. */
  executorExists(frameworkKey: string, executorId: string, agentId: string): boolean {
    for (const t of this.tracked.values())
      if (
        t.executorId === executorId &&
        t.frameworkKey === frameworkKey &&
        t.agentId === agentId &&
        !isTerminalState(t.state)
      )
        return true;
    return false;
  }

  /**
   * A Task object went away; a task that had not ended ends now (killed, if asked). `silent`:
   * its end was already told (a launch refused before its pod existed).
   */
  taskRemoved(taskKey: string, options: { silent?: boolean } = {}): void {
    const t = this.tracked.get(taskKey);
    this.tracked.delete(taskKey);
    if (!t || isTerminalState(t.state)) return;
    if (options.silent) {
      this.ports.free(t.agentId, t.ports);
      return;
    }
    this.ports.free(t.agentId, t.ports);
    this.reliableUpdate(t.frameworkKey, taskKey, {
      task_id: { value: t.taskId },
      state: t.killing ? 'TASK_KILLED' : 'TASK_GONE',
      message: t.killing ? 'killed by its framework' : 'the Task object was deleted',
      source: 'SOURCE_MASTER',
      ...(t.agentId ? { agent_id: { value: t.agentId } } : {}),
    });
  }

  /** Queues an update with a fresh uuid; sends it if it is the task's next. */
  reliableUpdate(
    frameworkKey: string,
    taskKey: string,
    status: Omit<TaskStatus, 'uuid' | 'timestamp'>,
  ): void {
    const full: TaskStatus = {
      ...status,
      timestamp: this.deps.clock.now() / 1000,
      uuid: uuidBytes(this.deps.random),
    };
    const now = this.updates.push(frameworkKey, taskKey, full, this.deps.clock.now());
    if (now) this.sessions.get(frameworkKey)?.send({ type: 'UPDATE', update: { status: now } });
  }

  /** An update kmesos itself answers with (reconciliation, invalid tasks): no uuid, nothing to acknowledge. */
  masterUpdate(session: Session, status: Omit<TaskStatus, 'uuid' | 'timestamp' | 'source'>): void {
    session.send({
      type: 'UPDATE',
      update: { status: { ...status, source: 'SOURCE_MASTER', timestamp: this.deps.clock.now() / 1000 } },
    });
  }

  /** ACKNOWLEDGE: the next update of the task, if one waits. */
  acknowledge(session: Session, taskKey: string, uuid: Uint8Array): void {
    const { matched, acked, next } = this.updates.acknowledge(taskKey, uuid, this.deps.clock.now());
    if (next) session.send({ type: 'UPDATE', update: { status: next } });
    if (!matched) return;
    this.deps.refreshTask(taskKey);
    // The executor that sent the update hears that it arrived, as a Mesos agent tells it.
    if (acked?.source === 'SOURCE_EXECUTOR') this.deps.executorAcknowledged?.(taskKey, acked);
  }

  /**
   * An update a custom executor sent (with its own uuid): queued in the task's stream like the
   * agent's, and sent now if it is the task's next. An update already queued is not queued twice.
   */
  executorUpdate(frameworkKey: string, taskKey: string, status: TaskStatus): void {
    if (status.uuid === undefined || this.updates.holds(taskKey, status.uuid)) return;
    const now = this.updates.push(frameworkKey, taskKey, status, this.deps.clock.now());
    if (now) this.sessions.get(frameworkKey)?.send({ type: 'UPDATE', update: { status: now } });
    this.deps.refreshTask(taskKey);
  }

  /** An event for a framework's scheduler, if it is subscribed (an executor's MESSAGE); whether it went out. */
  sendToFramework(frameworkKey: string, event: Event): boolean {
    const session = this.sessions.get(frameworkKey);
    if (!session?.isOpen) return false;
    session.send(event);
    return true;
  }

  /** The FrameworkInfo a framework's executors are told of: its scheduler's, else the one its Framework keeps. */
  frameworkInfo(frameworkKey: string): FrameworkInfo | undefined {
    const session = this.sessions.get(frameworkKey);
    if (session) return { ...session.info, id: { value: session.frameworkId } };
    const fw = this.deps.state.frameworks.get(frameworkKey);
    if (!fw) return undefined;
    const info = fw.spec.frameworkInfo;
    return {
      user: info?.user ?? '',
      name: info?.name ?? fw.metadata.name ?? '',
      id: { value: frameworkIdOf(fw) },
      ...(info?.principal !== undefined ? { principal: info.principal } : {}),
      ...(info?.hostname !== undefined ? { hostname: info.hostname } : {}),
    };
  }

  /** What the Task's status keeps of its unacknowledged updates; undefined for tasks not launched through this API. */
  pendingUpdates(taskKey: string): StoredUpdate[] | undefined {
    if (!this.tracked.has(taskKey)) return undefined;
    return this.updates.pending(taskKey).map(storedUpdate);
  }

  /**
   * Takes up what an earlier leader left in the Task objects: the Mesos tasks it launched and
   * their unacknowledged updates, resent when their schedulers subscribe. Runs on becoming leader.
   */
  restore(): void {
    const groups = groupsOf(this.deps.state.tasks);
    for (const [key, task] of this.deps.state.tasks) {
      const taskId = task.metadata.annotations?.[MESOS_ANNOTATIONS.taskId];
      if (taskId === undefined || this.tracked.has(key)) continue;
      const frameworkKey = frameworkKeyOfTask(task);
      const status = task.status;
      const agentId = status?.agentID ?? '';
      const ports = task.spec.hostPorts ?? [];
      this.tracked.set(key, {
        frameworkKey,
        taskId,
        agentId,
        state: status?.state,
        killing: false,
        ports,
        ...groupFields(task, groups),
      });
      if (!isTerminalState(status?.state)) this.ports.take(agentId, ports);
      for (const u of status?.pendingUpdates ?? [])
        this.updates.push(frameworkKey, key, fromStored(taskId, u), this.deps.clock.now());
    }
  }

  taskStatus(taskKey: string): KmesosTaskStatus | undefined {
    return this.deps.taskStatus(taskKey);
  }
}
