/**
 * The calls a subscribed scheduler makes on its stream's framework: ACCEPT, DECLINE, KILL,
 * ACKNOWLEDGE, RECONCILE… Each answers at once (202, or 400 naming the field); their effects
 * reach the scheduler as events.
 */
import type { Logger } from 'winston';
import { errorMessage, isNotFound } from '../../kube/errors.js';
import type { Allocator } from '../../allocator/index.js';
import { joinKey, splitKey } from '../../api/keys.js';
import { isTerminalState } from '../../api/task-states.js';
import type { Task } from '../../api/types.js';
import type { ClusterState } from '../../cluster/state.js';
import type { LaunchLedger, LaunchPlan } from '../../launcher/ledger.js';
import { buildPod, podName, type PodDefaults } from '../../launcher/pod.js';
import type { Call } from '../mesos/types/scheduler.js';
import type { ExecutorInfo, TaskInfo, TaskState } from '../mesos/types/v1.js';
import type { MesosCodec } from '../mesos/codec.js';
import { ANNOTATIONS } from '../../api/constants.js';
import type { ExecutorHub } from '../executor/hub.js';
import { planAccept, unsupportedOperation, type PlannedLaunch, type PlannedTask } from './accept-plan.js';
import type { CallAnswer, ExternalScheduler } from './external-scheduler.js';
import { checkFrameworkInfo } from './framework-info.js';
import type { ExternalWrites } from './kube-writes.js';
import type { Session } from './session.js';
import { MESOS_ANNOTATIONS, taskObject } from './task-info.js';

export interface CallDeps {
  scheduler: ExternalScheduler;
  allocator: Pick<Allocator, 'accept' | 'decline' | 'revive' | 'suppress' | 'hasFramework'>;
  ledger: Pick<LaunchLedger, 'place' | 'forget' | 'has' | 'inFlight'>;
  launcher: { launch(podKey: string): void };
  state: ClusterState;
  writes: ExternalWrites;
  defaults: PodDefaults;
  codec: Pick<MesosCodec, 'encodeTaskInfo' | 'encodeExecutorInfo'>;
  /** Custom executors: their pods' environment, and the events the scheduler's calls send them. */
  executors?: Pick<ExecutorHub, 'env' | 'kill' | 'deliver' | 'shutdown'>;
  logger: Logger;
  /** An offer was answered (metrics). */
  offersEnded?: (frameworkKey: string, outcome: 'accepted' | 'declined', count: number) => void;
}

const ACCEPTED: CallAnswer = { status: 202 };

function bad(message: string): CallAnswer {
  return { status: 400, message };
}

export class CallHandler {
  constructor(private readonly deps: CallDeps) {}

  handle(session: Session, call: Call): CallAnswer {
    switch (call.type) {
      case 'TEARDOWN':
        this.deps.scheduler.teardown(session);
        return ACCEPTED;
      case 'ACCEPT':
        return this.accept(session, call);
      case 'DECLINE':
        return this.decline(session, call);
      case 'REVIVE':
        return this.revive(session, call.revive?.roles);
      case 'SUPPRESS':
        return this.suppress(session, call.suppress?.roles);
      case 'KILL':
        return this.kill(session, call);
      case 'ACKNOWLEDGE':
        return this.acknowledge(session, call);
      case 'RECONCILE':
        return this.reconcile(session, call);
      case 'UPDATE_FRAMEWORK':
        return this.updateFramework(session, call);
      case 'MESSAGE':
        return this.message(session, call);
      case 'SHUTDOWN':
        return this.shutdown(session, call);
      case 'REQUEST':
      case 'ACCEPT_INVERSE_OFFERS':
      case 'DECLINE_INVERSE_OFFERS':
        // Mesos' allocator ignores REQUEST; kmesos makes no inverse offers yet, so none can be answered.
        return ACCEPTED;
      case 'SUBSCRIBE':
        return bad('call.type: SUBSCRIBE opens a new stream; send it without Mesos-Stream-Id');
      default:
        return bad(`call.type: ${call.type ?? 'UNKNOWN'} is not supported by kmesos`);
    }
  }

  /** MESSAGE: to a subscribed executor; Mesos drops a message for an executor it does not know. */
  private message(session: Session, call: Call): CallAnswer {
    const m = call.message;
    if (!m) return bad('call.message: required');
    const sent = this.deps.executors?.deliver(
      session.frameworkKey,
      m.executor_id.value,
      m.agent_id.value,
      m.data,
    );
    if (!sent)
      this.deps.logger.debug('message for an executor that is not subscribed', {
        framework: session.frameworkKey,
        executor: m.executor_id.value,
      });
    return ACCEPTED;
  }

  /** SHUTDOWN: the executor hears SHUTDOWN, and its tasks and pod are killed. */
  private shutdown(session: Session, call: Call): CallAnswer {
    const body = call.shutdown;
    if (!body) return bad('call.shutdown: required');
    const keys =
      this.deps.executors?.shutdown(session.frameworkKey, body.executor_id.value, body.agent_id.value) ?? [];
    this.killTasks(keys);
    return ACCEPTED;
  }

  /** UPDATE_FRAMEWORK: a new FrameworkInfo (role, capabilities, failover timeout…) without re-subscribing. */
  private updateFramework(session: Session, call: Call): CallAnswer {
    const body = call.update_framework;
    if (!body) return bad('call.update_framework: required');
    const info = body.framework_info;
    const path = 'call.update_framework.framework_info';
    if (info.id?.value !== session.frameworkId) return bad(`${path}.id: must be this framework's ID`);
    if (session.principal !== '' && info.principal !== undefined && info.principal !== session.principal)
      return { status: 403, message: `${path}.principal: must be the authenticated principal` };
    const checked = checkFrameworkInfo(info, path);
    if (!checked.ok) return bad(checked.message);
    session.update(info);
    session.suppressed = (body.suppressed_roles ?? []).includes(checked.role);
    const { namespace, name } = splitKey(session.frameworkKey);
    this.deps.writes.patchFramework(namespace, name, { spec: checked.spec }).catch((err: unknown) => {
      this.deps.logger.error('could not update framework', {
        framework: session.frameworkKey,
        error: errorMessage(err),
      });
    });
    return ACCEPTED;
  }

  private ownOffer(session: Session, offerId: string) {
    const o = this.deps.scheduler.offered.get(offerId);
    return o && o.frameworkId === session.frameworkKey ? o : undefined;
  }

  private decline(session: Session, call: Call): CallAnswer {
    const refuse = call.decline?.filters?.refuse_seconds;
    for (const { value } of call.decline?.offer_ids ?? []) {
      if (!this.ownOffer(session, value)) continue;
      this.deps.scheduler.offered.delete(value);
      this.deps.scheduler.ports.release(value);
      if (this.deps.allocator.decline(value, refuse))
        this.deps.offersEnded?.(session.frameworkKey, 'declined', 1);
    }
    return ACCEPTED;
  }

  private appliesTo(session: Session, roles: readonly string[] | undefined): boolean {
    const role = this.deps.state.frameworks.get(session.frameworkKey)?.spec.role ?? '*';
    return !roles || roles.length === 0 || roles.includes(role);
  }

  private revive(session: Session, roles: readonly string[] | undefined): CallAnswer {
    if (!this.appliesTo(session, roles)) return ACCEPTED;
    session.suppressed = false;
    if (this.deps.allocator.hasFramework(session.frameworkKey))
      this.deps.allocator.revive(session.frameworkKey);
    return ACCEPTED;
  }

  private suppress(session: Session, roles: readonly string[] | undefined): CallAnswer {
    if (!this.appliesTo(session, roles)) return ACCEPTED;
    session.suppressed = true;
    if (this.deps.allocator.hasFramework(session.frameworkKey))
      this.deps.allocator.suppress(session.frameworkKey);
    return ACCEPTED;
  }

  private accept(session: Session, call: Call): CallAnswer {
    const body = call.accept ?? {};
    const operations = body.operations ?? [];
    const unsupported = unsupportedOperation(operations);
    if (unsupported) return bad(unsupported);
    const { scheduler } = this.deps;
    const plan = planAccept({
      frameworkKey: session.frameworkKey,
      offerIds: (body.offer_ids ?? []).map((o) => o.value),
      operations,
      offer: (id) => this.ownOffer(session, id),
      taskExists: (taskId) => this.taskExists(scheduler.taskKey(session, taskId)),
      portsInOffer: (offerId, ports) => scheduler.ports.inOffer(offerId, ports),
      partitionAware: session.capabilities.has('PARTITION_AWARE'),
      executorExists: (executorId, agentId) =>
        scheduler.executorExists(session.frameworkKey, executorId, agentId),
    });
    for (const e of plan.ended) {
      scheduler.masterUpdate(session, {
        task_id: e.info.task_id,
        state: e.state,
        reason: e.reason,
        message: e.message,
        agent_id: e.info.agent_id,
      });
    }
    const refuse = body.filters?.refuse_seconds;
    for (const offerId of plan.offerIds) {
      const hostname = scheduler.offered.get(offerId)?.hostname ?? '';
      scheduler.offered.delete(offerId);
      scheduler.ports.release(offerId);
      const launches = plan.launches.filter((l) => l.offerId === offerId);
      const result = this.deps.allocator.accept(
        offerId,
        launches.map((l) => ({ taskId: this.podKeyOf(session, l), resources: l.resources })),
        refuse,
      );
      if (!result.ok) {
        // The offer went away between the plan and now (it cannot, in one turn): report, never launch.
        for (const l of launches) for (const t of l.tasks) this.dropped(session, t, result.message);
        continue;
      }
      this.deps.offersEnded?.(session.frameworkKey, launches.length > 0 ? 'accepted' : 'declined', 1);
      for (const l of launches)
        this.launch(session, l, { offerId, hostname, agentId: l.tasks[0]?.info.agent_id.value ?? '' });
    }
    return ACCEPTED;
  }

  private taskExists(taskKey: string): boolean {
    if (this.deps.state.tasks.has(taskKey) || this.deps.scheduler.trackedTask(taskKey)) return true;
    const { namespace, name } = splitKey(taskKey);
    return this.deps.ledger.has(joinKey(namespace, podName(name, 1)));
  }

  /** The pod of a launch: its leader's first attempt. */
  private podKeyOf(session: Session, l: PlannedLaunch): string {
    const leader = l.tasks[0]?.info.task_id.value ?? '';
    const { namespace, name } = splitKey(this.deps.scheduler.taskKey(session, leader));
    return joinKey(namespace, podName(name, 1));
  }

  private dropped(session: Session, t: PlannedTask, message: string): void {
    this.deps.scheduler.masterUpdate(session, {
      task_id: t.info.task_id,
      state: session.capabilities.has('PARTITION_AWARE') ? 'TASK_DROPPED' : 'TASK_LOST',
      reason: 'REASON_INVALID_OFFERS',
      message,
      agent_id: t.info.agent_id,
    });
  }

  /**
   * The allocation is held under the pod's key from the accept on; the Task objects are
   * created (one per Mesos task; a group's name their leader in spec.group), and then their
   * one pod, bound to the offered node, by the launcher.
   */
  private launch(
    session: Session,
    l: PlannedLaunch,
    on: { offerId: string; hostname: string; agentId: string },
  ): void {
    const { scheduler, ledger, state } = this.deps;
    const { offerId, hostname: nodeName, agentId } = on;
    const keys = l.tasks.map((t) => scheduler.taskKey(session, t.info.task_id.value));
    const leaderKey = keys[0] ?? '';
    const podKey = this.podKeyOf(session, l);
    const { namespace, name: leaderName } = splitKey(leaderKey);
    const grouped = l.executor !== undefined;
    const plan: LaunchPlan = {
      attempt: 1,
      podName: podName(leaderName, 1),
      offerID: offerId,
      pod: {},
      ...(keys.length > 1 ? { members: keys.slice(1) } : {}),
    };
    ledger.place({ podKey, taskKey: leaderKey, nodeName, agentId, requests: l.resources, plan });
    const executorId = l.executor?.type === 'Custom' ? l.executor.info.executor_id.value : undefined;
    l.tasks.forEach((t, i) => {
      scheduler.track(keys[i] ?? '', {
        frameworkKey: session.frameworkKey,
        taskId: t.info.task_id.value,
        agentId,
        state: undefined,
        killing: false,
        ports: t.ports,
        ...(grouped ? { group: keys } : {}),
        ...(executorId !== undefined ? { executorId } : {}),
      });
    });
    scheduler.ports.take(agentId, l.ports);
    const fwName = splitKey(session.frameworkKey).name;
    const bodies = l.tasks.map((t, i) =>
      taskObject(
        { info: t.info, frameworkId: session.frameworkId, framework: { name: fwName, namespace } },
        grouped ? { ...t.spec, group: leaderName } : t.spec,
        executorId !== undefined
          ? this.executorAnnotations(t.info, i === 0 ? l.executor?.info : undefined)
          : {},
      ),
    );
    Promise.allSettled(bodies.map((b) => this.deps.writes.createTask(namespace, b)))
      .then((results) => {
        const tasks = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
        const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (refused) {
          this.launchRefused(session, l, keys, tasks, errorMessage(refused.reason));
          return;
        }
        const framework = state.frameworks.get(session.frameworkKey);
        const leader = tasks[0];
        if (!framework || !leader || !ledger.inFlight(podKey)) {
          ledger.forget(podKey);
          return;
        }
        plan.pod = buildPod({
          task: leader,
          framework,
          attempt: 1,
          nodeName,
          agentID: agentId,
          offerID: offerId,
          defaults: this.deps.defaults,
          ...(grouped ? { group: tasks } : {}),
          ...(executorId !== undefined && this.deps.executors
            ? { executorEnv: this.deps.executors.env(session.frameworkKey, executorId, agentId, leaderKey) }
            : {}),
        });
        this.deps.launcher.launch(podKey);
      })
      .catch((err: unknown) => {
        this.deps.logger.error('external launch failed', { task: leaderKey, error: errorMessage(err) });
      });
  }

  /** A custom executor's task keeps its TaskInfo (and its leader the ExecutorInfo) for the executor's LAUNCH. */
  private executorAnnotations(info: TaskInfo, executor: ExecutorInfo | undefined): Record<string, string> {
    const json = (bytes: Buffer): string => bytes.toString('utf8');
    return {
      [ANNOTATIONS.mesosTaskInfo]: json(this.deps.codec.encodeTaskInfo(info, 'application/json')),
      ...(executor
        ? {
            [ANNOTATIONS.mesosExecutorInfo]: json(
              this.deps.codec.encodeExecutorInfo(executor, 'application/json'),
            ),
          }
        : {}),
    };
  }

  /**
   * The API server refused a Task of the launch: nothing of it runs. The pod's allocation is
   * released, the Tasks already created are deleted, and every task of the launch ends TASK_ERROR.
   */
  private launchRefused(
    session: Session,
    l: PlannedLaunch,
    keys: readonly string[],
    created: readonly Task[],
    error: string,
  ): void {
    const { scheduler } = this.deps;
    this.deps.ledger.forget(this.podKeyOf(session, l));
    for (const key of keys) scheduler.taskRemoved(key, { silent: true });
    for (const t of created)
      this.deps.writes.deleteTask(t.metadata.namespace ?? '', t.metadata.name ?? '').catch((err: unknown) => {
        this.deps.logger.error('could not remove a task of a refused launch', {
          task: t.metadata.name,
          error: errorMessage(err),
        });
      });
    const message = `the API server refused the task: ${error}`;
    this.deps.logger.warn('external task not created', { task: keys[0], error: message });
    for (const t of l.tasks)
      scheduler.masterUpdate(session, {
        task_id: t.info.task_id,
        state: 'TASK_ERROR',
        reason: 'REASON_TASK_INVALID',
        message,
        agent_id: t.info.agent_id,
      });
  }

  private kill(session: Session, call: Call): CallAnswer {
    const taskId = call.kill?.task_id.value;
    if (taskId === undefined) return bad('call.kill.task_id: required');
    const { scheduler } = this.deps;
    const taskKey = scheduler.taskKey(session, taskId);
    const task = this.deps.state.tasks.get(taskKey);
    const tracked = scheduler.trackedTask(taskKey);
    if (!task && !tracked) {
      scheduler.masterUpdate(session, {
        task_id: { value: taskId },
        state: this.unknownState(session),
        reason: 'REASON_RECONCILIATION',
        message: 'Attempted to kill an unknown task',
      });
      return ACCEPTED;
    }
    // A custom executor's task is killed by its executor, which reports TASK_KILLED.
    if (tracked?.executorId !== undefined && this.deps.executors?.kill(taskKey, call.kill?.kill_policy))
      return ACCEPTED;
    // A task group lives and dies as one pod: killing one of its tasks kills them all, as Mesos' default executor does.
    this.killTasks(tracked?.group ?? [taskKey]);
    return ACCEPTED;
  }

  /** Deletes Task objects (foreground: each stays, killing, until its pods are gone). */
  private killTasks(keys: readonly string[]): void {
    for (const key of keys) {
      const t = this.deps.scheduler.trackedTask(key);
      if (t) t.killing = true;
      const { namespace, name } = splitKey(key);
      this.deps.writes.deleteTask(namespace, name).catch((err: unknown) => {
        if (isNotFound(err)) return;
        this.deps.logger.error('could not kill task', { task: key, error: errorMessage(err) });
      });
    }
  }

  private unknownState(session: Session): TaskState {
    return session.capabilities.has('PARTITION_AWARE') ? 'TASK_UNKNOWN' : 'TASK_LOST';
  }

  private acknowledge(session: Session, call: Call): CallAnswer {
    const ack = call.acknowledge;
    if (!ack) return bad('call.acknowledge: required');
    if (ack.uuid.length !== 16) return bad('call.acknowledge.uuid: must be the 16 bytes of an update’s uuid');
    this.deps.scheduler.acknowledge(
      session,
      this.deps.scheduler.taskKey(session, ack.task_id.value),
      ack.uuid,
    );
    return ACCEPTED;
  }

  /** RECONCILE: the latest state of the tasks named, or of every task not yet ended when none is. */
  private reconcile(session: Session, call: Call): CallAnswer {
    const { scheduler } = this.deps;
    const named = call.reconcile?.tasks ?? [];
    const ids = named.length > 0 ? named.map((t) => t.task_id.value) : this.liveTaskIds(session);
    for (const taskId of ids) {
      const taskKey = scheduler.taskKey(session, taskId);
      const status = scheduler.taskStatus(taskKey);
      const tracked = scheduler.trackedTask(taskKey);
      const launching = !status?.state && this.taskExists(taskKey);
      const state: TaskState | undefined =
        status?.state ?? tracked?.state ?? (launching ? 'TASK_STAGING' : undefined);
      const agentId = status?.agentID ?? tracked?.agentId;
      scheduler.masterUpdate(session, {
        task_id: { value: taskId },
        state: state ?? this.unknownState(session),
        reason: 'REASON_RECONCILIATION',
        message: state ? 'Reconciliation: latest task state' : 'Reconciliation: task is unknown',
        ...(agentId ? { agent_id: { value: agentId } } : {}),
      });
    }
    return ACCEPTED;
  }

  private liveTaskIds(session: Session): string[] {
    const out: string[] = [];
    for (const [key, task] of this.deps.state.tasks) {
      const id = task.metadata.annotations?.[MESOS_ANNOTATIONS.taskId];
      if (id === undefined || key !== this.deps.scheduler.taskKey(session, id)) continue;
      if (!isTerminalState(this.deps.scheduler.taskStatus(key)?.state)) out.push(id);
    }
    return out;
  }
}
