/**
 * Custom executors on kmesos: what a Mesos agent does for them, kmesos does through the v1
 * Executor HTTP API (http-api.ts carries the bytes).
 *
 *   ACCEPT with an ExecutorInfo ──▶ env(): the executor's pod gets a random token and the
 *     agent's environment (MESOS_AGENT_ENDPOINT = this server) ──▶ the executor SUBSCRIBEs
 *     with the token ──▶ SUBSCRIBED, then LAUNCH / LAUNCH_GROUP of its tasks not yet run
 *   executor UPDATE (uuid) ──▶ the task's state (reported(), read by the task controller) and
 *     a reliable UPDATE to the scheduler with the executor's uuid ──▶ the scheduler's
 *     ACKNOWLEDGE ──▶ ACKNOWLEDGED to the executor
 *   MESSAGE both ways; scheduler KILL ──▶ KILL; scheduler SHUTDOWN ──▶ SHUTDOWN
 *
 * An executor is one (framework, executor ID, node): the pod of its group's leader Task.
 * Its token lives in that pod's environment, so a restarted operator checks it from the pod.
 */
import { timingSafeEqual } from 'node:crypto';
import type { V1EnvVar } from '@kubernetes/client-node';
import type { Logger } from 'winston';
import { ANNOTATIONS } from '../../api/constants.js';
import { frameworkIdOf } from '../../api/framework-id.js';
import { frameworkKeyOfTask, joinKey, splitKey } from '../../api/keys.js';
import { isTerminalState, TASK_REASONS, type TaskReason } from '../../api/task-states.js';
import type { Task } from '../../api/types.js';
import type { ClusterState } from '../../cluster/state.js';
import {
  EXECUTOR_CONTAINER,
  EXECUTOR_TOKEN_VARIABLE,
  SANDBOX_PATH,
  taskPodName,
} from '../../launcher/pod.js';
import { isTerminalPod } from '../../resources/index.js';
import type { ObservedTaskState } from '../../status/task-state.js';
import type { Clock, Timer } from '../../util/clock.js';
import type { MesosCodec } from '../mesos/codec.js';
import type { MediaType } from '../mesos/media-type.js';
import { encodeRecord } from '../mesos/recordio.js';
import type { Call, Event } from '../mesos/types/executor.js';
import type { ExecutorInfo, KillPolicy, TaskInfo, TaskStatus } from '../mesos/types/v1.js';
import type { ExternalScheduler } from '../external/external-scheduler.js';
import type { EventSink } from '../external/session.js';

/** The variable that carries an executor's token, as a Mesos agent names it. */
/** What an executor may take to end after SHUTDOWN before its pod is killed (Mesos' default). */
const SHUTDOWN_GRACE = '5secs';

export interface ExecutorHubDeps {
  state: ClusterState;
  scheduler: Pick<
    ExternalScheduler,
    'executorUpdate' | 'sendToFramework' | 'frameworkInfo' | 'taskKey' | 'trackedTask'
  >;
  codec: MesosCodec;
  clock: Clock;
  logger: Logger;
  /** A new executor token: random and unguessable. */
  newToken: () => string;
  /** A task's reported state changed: the task controller looks at it again. */
  reportChanged: (taskKey: string) => void;
  heartbeatSeconds: number;
}

/** An HTTP answer to an executor's call. */
export type ExecutorAnswer = { status: 202 } | { status: 400 | 401 | 403; message: string };

/** The executor a call comes from, once its token is checked. */
export interface ExecutorRef {
  leaderKey: string;
  frameworkKey: string;
  frameworkId: string;
  executorId: string;
  agentId: string;
  nodeName: string;
  podName: string;
}

interface Connection {
  ref: ExecutorRef;
  mediaType: MediaType;
  sink: EventSink;
  open: boolean;
  heartbeat: Timer;
}

const REASONS: ReadonlySet<string> = new Set(TASK_REASONS);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class ExecutorHub {
  private agentEndpoint = '';
  /** Tokens of executors this process launched, by leader Task key (others are read from their pods). */
  private readonly tokens = new Map<string, string>();
  private readonly connections = new Map<string, Connection>();
  /** The state each task's executor last reported. */
  private readonly reports = new Map<string, ObservedTaskState>();
  /** Executor updates the scheduler acknowledged, by task (an executor may send one again). */
  private readonly acked = new Map<string, Set<string>>();

  constructor(private readonly deps: ExecutorHubDeps) {}

  /** host:port where executors reach this server (known once it listens). */
  serveAt(endpoint: string): void {
    this.agentEndpoint = endpoint;
  }

  /** The environment a Mesos agent gives an executor, with a new token for it. */
  env(frameworkKey: string, executorId: string, agentId: string, leaderKey: string): V1EnvVar[] {
    const token = this.deps.newToken();
    this.tokens.set(leaderKey, token);
    const checkpoint = this.deps.state.frameworks.get(frameworkKey)?.spec.frameworkInfo?.checkpoint === true;
    return [
      { name: 'MESOS_EXECUTOR_ID', value: executorId },
      { name: 'MESOS_AGENT_ENDPOINT', value: this.agentEndpoint },
      { name: 'MESOS_SLAVE_ID', value: agentId },
      { name: 'MESOS_DIRECTORY', value: SANDBOX_PATH },
      { name: 'MESOS_CHECKPOINT', value: checkpoint ? '1' : '0' },
      { name: 'MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD', value: SHUTDOWN_GRACE },
      { name: 'MESOS_RECOVERY_TIMEOUT', value: '15mins' },
      { name: 'MESOS_SUBSCRIPTION_BACKOFF_MAX', value: '2secs' },
      { name: EXECUTOR_TOKEN_VARIABLE, value: token },
    ];
  }

  // ------------------------------------------------------------------ the executor's calls

  /** Which executor a call comes from: its framework and executor IDs, and the token it presents. */
  authenticate(
    call: Call,
    token: string | undefined,
  ): { ok: true; ref: ExecutorRef } | { ok: false; status: 401 | 403; message: string } {
    if (token === undefined)
      return { ok: false, status: 401, message: 'Executor token required (Authorization: Bearer)' };
    for (const ref of this.executors(call.framework_id.value, call.executor_id.value)) {
      const expected = this.tokenOf(ref);
      if (expected !== undefined && sameToken(expected, token)) return { ok: true, ref };
    }
    return {
      ok: false,
      status: 403,
      message: `No executor ${call.executor_id.value} of framework ${call.framework_id.value} holds this token`,
    };
  }

  /** SUBSCRIBE: the stream opens with SUBSCRIBED, then the tasks the executor has yet to run. */
  subscribe(ref: ExecutorRef, call: Call, mediaType: MediaType, sink: EventSink): Connection {
    const previous = this.connections.get(ref.leaderKey);
    if (previous) this.close(previous, 'The executor subscribed again');
    const conn: Connection = {
      ref,
      mediaType,
      sink,
      open: true,
      heartbeat: this.deps.clock.every(this.deps.heartbeatSeconds * 1000, () =>
        this.send(conn, { type: 'HEARTBEAT' }),
      ),
    };
    this.connections.set(ref.leaderKey, conn);
    sink.begin('');
    this.send(conn, {
      type: 'SUBSCRIBED',
      subscribed: {
        executor_info: this.executorInfo(ref),
        framework_info: this.deps.scheduler.frameworkInfo(ref.frameworkKey) ?? { user: '', name: '' },
        agent_info: { hostname: ref.nodeName, id: { value: ref.agentId } },
        container_id: { value: ref.podName },
      },
    });
    const known = new Set((call.subscribe?.unacknowledged_tasks ?? []).map((t) => t.task_id.value));
    this.launch(conn, known);
    for (const u of call.subscribe?.unacknowledged_updates ?? []) this.update(ref, u.status);
    this.deps.logger.info('executor subscribed', {
      framework: ref.frameworkKey,
      executor: ref.executorId,
      node: ref.nodeName,
    });
    return conn;
  }

  /** The stream ended. */
  disconnected(conn: Connection): void {
    conn.open = false;
    conn.heartbeat.cancel();
    if (this.connections.get(conn.ref.leaderKey) === conn) this.connections.delete(conn.ref.leaderKey);
  }

  /** UPDATE: the task's new state, on its way to the scheduler with the executor's uuid. */
  update(ref: ExecutorRef, status: TaskStatus | undefined): ExecutorAnswer {
    if (!status) return { status: 400, message: 'call.update: required' };
    if (status.uuid?.length !== 16)
      return { status: 400, message: 'call.update.status.uuid: required, the 16 bytes of the update’s UUID' };
    if (status.state === 'TASK_STAGING')
      return { status: 400, message: 'call.update.status.state: an executor cannot report TASK_STAGING' };
    const taskKey = this.deps.scheduler.taskKey(ref, status.task_id.value);
    if (!this.groupOf(ref).includes(taskKey))
      return {
        status: 400,
        message: `call.update.status.task_id: ${status.task_id.value} is not a task of this executor`,
      };
    const uuid = Buffer.from(status.uuid).toString('base64');
    if (this.acked.get(taskKey)?.has(uuid)) {
      // Sent again after its acknowledgement was lost: tell the executor again.
      this.acknowledged(taskKey, status);
      return { status: 202 };
    }
    const full: TaskStatus = {
      ...status,
      source: 'SOURCE_EXECUTOR',
      agent_id: { value: ref.agentId },
      executor_id: { value: ref.executorId },
      timestamp: status.timestamp ?? this.deps.clock.now() / 1000,
    };
    this.reports.set(taskKey, {
      state: status.state,
      ...(status.reason !== undefined && REASONS.has(status.reason)
        ? { reason: status.reason as TaskReason }
        : {}),
      message: status.message ?? `the executor reports ${status.state}`,
    });
    this.deps.scheduler.executorUpdate(ref.frameworkKey, taskKey, full);
    this.deps.reportChanged(taskKey);
    return { status: 202 };
  }

  /** MESSAGE: to the framework's scheduler, if it is subscribed (Mesos drops it otherwise). */
  message(ref: ExecutorRef, data: Uint8Array | undefined): ExecutorAnswer {
    if (data === undefined) return { status: 400, message: 'call.message: required' };
    this.deps.scheduler.sendToFramework(ref.frameworkKey, {
      type: 'MESSAGE',
      message: { agent_id: { value: ref.agentId }, executor_id: { value: ref.executorId }, data },
    });
    return { status: 202 };
  }

  // ------------------------------------------------------------------ the scheduler's side

  /** The state the task's executor last reported. */
  reported(taskKey: string): ObservedTaskState | undefined {
    return this.reports.get(taskKey);
  }

  /** Whether this state is the one the executor reported (its UPDATE is already on its way). */
  wasReported(taskKey: string, state: string): boolean {
    return this.reports.get(taskKey)?.state === state;
  }

  /** The scheduler acknowledged an executor's update: ACKNOWLEDGED to the executor. */
  acknowledged(taskKey: string, status: TaskStatus): void {
    const uuid = status.uuid;
    if (uuid === undefined) return;
    const set = this.acked.get(taskKey) ?? new Set<string>();
    set.add(Buffer.from(uuid).toString('base64'));
    this.acked.set(taskKey, set);
    const conn = this.connectionOfTask(taskKey);
    if (conn) this.send(conn, { type: 'ACKNOWLEDGED', acknowledged: { task_id: status.task_id, uuid } });
  }

  /** KILL of a task its executor runs: sent to the executor, which ends the task; false when it is not subscribed. */
  kill(taskKey: string, killPolicy: KillPolicy | undefined): boolean {
    const conn = this.connectionOfTask(taskKey);
    const taskId = this.deps.scheduler.trackedTask(taskKey)?.taskId;
    if (!conn || taskId === undefined) return false;
    this.send(conn, {
      type: 'KILL',
      kill: { task_id: { value: taskId }, ...(killPolicy ? { kill_policy: killPolicy } : {}) },
    });
    return true;
  }

  /** A scheduler's MESSAGE for an executor; false when no such executor is subscribed. */
  deliver(frameworkKey: string, executorId: string, agentId: string, data: Uint8Array): boolean {
    const conn = this.find(frameworkKey, executorId, agentId);
    if (!conn) return false;
    this.send(conn, { type: 'MESSAGE', message: { data } });
    return true;
  }

  /** A scheduler's SHUTDOWN: sent to the executor; returns its tasks (which the caller then kills). */
  shutdown(frameworkKey: string, executorId: string, agentId: string): string[] {
    const conn = this.find(frameworkKey, executorId, agentId);
    if (conn) this.send(conn, { type: 'SHUTDOWN' });
    for (const [key, t] of this.deps.state.tasks) {
      if (t.spec.group !== t.metadata.name || t.spec.executor?.id !== executorId) continue;
      if (frameworkKeyOfTask(t) !== frameworkKey || t.status?.agentID !== agentId) continue;
      return this.groupOfLeader(key);
    }
    return conn ? this.groupOf(conn.ref) : [];
  }

  /** A Task object went away: nothing of it is kept. */
  taskRemoved(taskKey: string): void {
    this.reports.delete(taskKey);
    this.acked.delete(taskKey);
    this.tokens.delete(taskKey);
    const conn = this.connections.get(taskKey);
    if (conn) this.close(conn);
  }

  /** Ends every stream (shutdown, or this replica stopped leading). */
  close(conn?: Connection, error?: string): void {
    const all = conn ? [conn] : [...this.connections.values()];
    for (const c of all) {
      if (error !== undefined) this.send(c, { type: 'ERROR', error: { message: error } });
      c.open = false;
      c.heartbeat.cancel();
      c.sink.end();
      if (this.connections.get(c.ref.leaderKey) === c) this.connections.delete(c.ref.leaderKey);
    }
  }

  // ------------------------------------------------------------------ helpers

  private send(conn: Connection, event: Event): void {
    if (!conn.open) return;
    conn.sink.write(encodeRecord(this.deps.codec.encodeExecutorEvent(event, conn.mediaType)));
  }

  /** LAUNCH (one task) or LAUNCH_GROUP (a group) of the tasks the executor has not run yet. */
  private launch(conn: Connection, known: ReadonlySet<string>): void {
    const group = this.groupOf(conn.ref);
    const infos: TaskInfo[] = [];
    for (const key of group) {
      const task = this.deps.state.tasks.get(key);
      if (!task || isTerminalState(task.status?.state) || this.reports.has(key)) continue;
      const info = this.taskInfo(task);
      if (info && !known.has(info.task_id.value)) infos.push(info);
    }
    const [only] = infos;
    if (infos.length === 0 || !only) return;
    if (group.length === 1) this.send(conn, { type: 'LAUNCH', launch: { task: only } });
    else this.send(conn, { type: 'LAUNCH_GROUP', launch_group: { task_group: { tasks: infos } } });
  }

  private taskInfo(task: Task): TaskInfo | undefined {
    const text = task.metadata.annotations?.[ANNOTATIONS.mesosTaskInfo];
    if (text === undefined) return undefined;
    const decoded = this.deps.codec.decodeTaskInfo(Buffer.from(text, 'utf8'), 'application/json');
    if (decoded.ok) return decoded.value;
    this.deps.logger.error('a task’s TaskInfo cannot be read', {
      task: task.metadata.name,
      error: decoded.error.message,
    });
    return undefined;
  }

  private executorInfo(ref: ExecutorRef): ExecutorInfo {
    const leader = this.deps.state.tasks.get(ref.leaderKey);
    const text = leader?.metadata.annotations?.[ANNOTATIONS.mesosExecutorInfo];
    const decoded =
      text !== undefined
        ? this.deps.codec.decodeExecutorInfo(Buffer.from(text, 'utf8'), 'application/json')
        : undefined;
    if (decoded?.ok) return decoded.value;
    return { executor_id: { value: ref.executorId }, framework_id: { value: ref.frameworkId } };
  }

  /** The executors with these IDs (one per node), as their leader Tasks and pods show them. */
  private executors(frameworkId: string, executorId: string): ExecutorRef[] {
    const out: ExecutorRef[] = [];
    for (const [key, task] of this.deps.state.tasks) {
      if (task.spec.executor?.type !== 'Custom' || task.spec.executor.id !== executorId) continue;
      if (task.spec.group !== task.metadata.name) continue;
      const frameworkKey = frameworkKeyOfTask(task);
      const fw = this.deps.state.frameworks.get(frameworkKey);
      if (!fw || frameworkIdOf(fw) !== frameworkId) continue;
      const podName = taskPodName(task, task.status?.attempt ?? 1);
      // The executor lives as long as its pod, after its tasks too.
      const pod = this.deps.state.pods.get(joinKey(task.metadata.namespace, podName));
      if (!this.tokens.has(key) && (pod === undefined || isTerminalPod(pod))) continue;
      out.push({
        leaderKey: key,
        frameworkKey,
        frameworkId,
        executorId,
        agentId: task.status?.agentID ?? this.deps.scheduler.trackedTask(key)?.agentId ?? '',
        nodeName: task.status?.nodeName ?? '',
        podName,
      });
    }
    return out;
  }

  private tokenOf(ref: ExecutorRef): string | undefined {
    const own = this.tokens.get(ref.leaderKey);
    if (own !== undefined) return own;
    const pod = this.deps.state.pods.get(joinKey(splitKey(ref.leaderKey).namespace, ref.podName));
    const container = pod?.spec?.containers.find((c) => c.name === EXECUTOR_CONTAINER);
    return container?.env?.find((e) => e.name === EXECUTOR_TOKEN_VARIABLE)?.value;
  }

  private groupOf(ref: ExecutorRef): string[] {
    return this.groupOfLeader(ref.leaderKey);
  }

  private groupOfLeader(leaderKey: string): string[] {
    return [...(this.deps.scheduler.trackedTask(leaderKey)?.group ?? [leaderKey])];
  }

  private connectionOfTask(taskKey: string): Connection | undefined {
    const task = this.deps.state.tasks.get(taskKey);
    const group = task?.spec.group;
    if (group === undefined) return undefined;
    const conn = this.connections.get(joinKey(task?.metadata.namespace, group));
    return conn?.open ? conn : undefined;
  }

  private find(frameworkKey: string, executorId: string, agentId: string): Connection | undefined {
    for (const c of this.connections.values())
      if (
        c.open &&
        c.ref.frameworkKey === frameworkKey &&
        c.ref.executorId === executorId &&
        c.ref.agentId === agentId
      )
        return c;
    return undefined;
  }
}

export type { Connection as ExecutorConnection };
