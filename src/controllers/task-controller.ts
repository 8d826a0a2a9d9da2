import type { V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'winston';
import { ANNOTATIONS, API_VERSION } from '../api/constants.js';
import { frameworkKeyOfTask, joinKey, splitKey } from '../api/keys.js';
import { isTerminalState, type TaskState } from '../api/task-states.js';
import type { Task, TaskStatus } from '../api/types.js';
import { formatTime } from '../api/time.js';
import type { PreemptionReason } from '../allocator/index.js';
import { formatIssues, validateTaskSpec, type ValidationIssue } from '../api/validation.js';
import { taskKeyOfPod, type ClusterState } from '../cluster/state.js';
import type { EventRecorder } from '../kube/events.js';
import type { LaunchEntry, LaunchPlan } from '../launcher/ledger.js';
import type { PendingAttempt, WaitingDecision } from '../scheduler/types.js';
import { sameJson } from '../kube/merge-patch.js';
import { foreignPodReason } from '../launcher/own-pod.js';
import { taskEvents } from '../status/events.js';
import {
  launchedTaskStatus,
  observedTaskStatus,
  waitingTaskStatus,
  type Launch,
} from '../status/task-status.js';
import { nodeHealth, type NodeHealth, type ObservedTaskState } from '../status/task-state.js';
import { TaskTally, type TaskCounts } from '../status/task-tally.js';
import type { Clock } from '../util/clock.js';
import type { StatusWriter } from './status-writer.js';
import { reconcileTask, type TaskDecision } from './task-reconcile.js';

/** What the task controller reports of task transitions, for metrics. */
export interface TaskObserver {
  /** A task's first pod was created (`bound`) or first ran (`running`), this long after the Task was. */
  launchLatency(stage: 'bound' | 'running', seconds: number): void;
  /** An attempt reached a terminal state. */
  taskEnded(namespace: string, framework: string, state: TaskState): void;
  /** One task's reconcile threw; the others went on. */
  reconcileFailed(): void;
  /** A task's decision was worked out anew (not reused). */
  reconciled(): void;
}

export interface TaskControllerDeps {
  state: ClusterState;
  /** A pod create for this pod key is in flight (placed, creating, or created and not yet seen). */
  inFlight: (podKey: string) => boolean;
  /** Deletes a pod (through the launcher, the only pod writer). */
  kill: (podKey: string, gracePeriodSeconds: number) => void;
  statuses: Pick<StatusWriter, 'set' | 'forget' | 'overwritten' | 'restore'>;
  events: Pick<EventRecorder, 'record'>;
  logger: Logger;
  clock: Clock;
  observer?: TaskObserver;
  /** Every status change of a task, as decided (the Mesos scheduler API turns them into UPDATEs). */
  transitions?: (taskKey: string, task: Task, prev: TaskStatus | undefined, next: TaskStatus) => void;
  /** The unacknowledged Mesos updates of a task launched through the Mesos API; undefined for others. */
  pendingUpdates?: (taskKey: string) => TaskStatus['pendingUpdates'] | undefined;
  /** The state a task's custom executor last reported (the Mesos executor API), if any. */
  reported?: (taskKey: string) => ObservedTaskState | undefined;
  /**
   * Every this many full passes, one looks at every task (a resync, as informers have); the
   * others only at the changed tasks and those whose decision waits on the clock. Default 30.
   */
  resyncEvery?: number;
}

/**
 * What a task's last reconcile read and decided. A cycle that finds the same inputs (the
 * same cached objects, by identity) reuses the decision instead of reconciling again.
 */
interface Reconciled {
  task: Task;
  status: TaskStatus | undefined;
  frameworkUid: string | undefined;
  pods: V1Pod[];
  /** Of the nodes the task reads, what its decision reads: their health (a heartbeat changes none). */
  nodes: NodeHealth[];
  launching: boolean;
  reported: ObservedTaskState | undefined;
  decision: TaskDecision;
}

type Inputs = Omit<Reconciled, 'decision'>;

function sameInputs(a: Inputs, b: Inputs): boolean {
  return (
    a.task === b.task &&
    a.status === b.status &&
    a.frameworkUid === b.frameworkUid &&
    a.launching === b.launching &&
    a.reported === b.reported &&
    a.pods.length === b.pods.length &&
    a.pods.every((p, i) => p === b.pods[i]) &&
    a.nodes.length === b.nodes.length &&
    a.nodes.every((n, i) => n === b.nodes[i])
  );
}

/**
 * Whether two versions of a Task read the same to its decision: the same object (uid), spec
 * (generation, which the API server moves on every spec change), deletion and finalizers.
 * Labels, annotations and status are not read (the status the decision reads is kmesos' own).
 */
function sameDecisionInputs(a: Task, b: Task): boolean {
  const x = a.metadata;
  const y = b.metadata;
  return (
    x.uid === y.uid &&
    x.generation === y.generation &&
    x.deletionTimestamp === y.deletionTimestamp &&
    sameJson(x.finalizers ?? [], y.finalizers ?? [])
  );
}

/** A decision with no side effect to repeat and nothing waiting on the clock: the same inputs give it again. */
function isQuiet(d: TaskDecision): boolean {
  return !d.kill && d.status.nextRetryTime === undefined;
}

/** The other tasks of a group's pod, as its annotation names them. */
function groupMembers(pod: V1Pod, leaderKey: string): string[] {
  const text = pod.metadata?.annotations?.[ANNOTATIONS.groupTasks];
  if (text === undefined) return [];
  let names: unknown;
  try {
    names = JSON.parse(text);
  } catch {
    // Not kmesos' writing: the leader alone is told.
    return [];
  }
  if (!Array.isArray(names)) return [];
  return names
    .filter((n): n is string => typeof n === 'string')
    .map((n) => joinKey(pod.metadata?.namespace, n))
    .filter((k) => k !== leaderKey);
}

/** What the Task's status records of a launch. */
function launchOf(entry: LaunchEntry, plan: LaunchPlan): Launch {
  return {
    attempt: plan.attempt,
    podName: plan.podName,
    nodeName: entry.nodeName,
    agentID: entry.agentId,
    offerID: plan.offerID,
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** What of a Framework its tasks' decisions read: a new one, a recreated one, a spec change or its deletion. */
function frameworkVersion(
  fw: { metadata: { uid?: string; generation?: number; deletionTimestamp?: unknown } } | undefined,
): string {
  if (!fw) return '';
  const { uid, generation, deletionTimestamp } = fw.metadata;
  return `${uid ?? ''}/${generation ?? 0}/${deletionTimestamp === undefined ? '' : 'deleting'}`;
}

/**
 * Reconciles Tasks (the pure decision is task-reconcile.ts), remembers the status it last
 * computed (ahead of the watch cache), and turns each transition into a status write, an
 * Event, a log line and metrics. A pass looks only at tasks something they read has changed
 * for (their object, pods, nodes, Framework, launch, executor) and, in a full pass, at tasks
 * whose decision waits on the clock (a backoff, a kill); every `resyncEvery`-th full pass looks
 * at every task, so a burst costs O(changes), not O(tasks) per second.
 */
export class TaskController {
  /** Task status as last computed, ahead of the watch cache. */
  private readonly knownStatus = new Map<string, TaskStatus>();
  private readonly reconciled = new Map<string, Reconciled>();
  private dirty = new Set<string>();
  /** The tasks of each kmesos pod seen (a group's: all of them), to find them again when the pod is deleted. */
  private readonly podTask = new Map<string, readonly string[]>();
  /** Pods reported as claiming a task they are not kmesos' own pods of. */
  private readonly foreign = new Set<string>();
  /** Attempts waiting for placement, by task key, as of their last reconcile. */
  private pendingByTask = new Map<string, PendingAttempt>();
  /**
   * The spec issues of each task not yet launched, for the uid and generation they were found
   * at: a waiting task is reconciled at each of its status echoes, and its spec has not changed.
   */
  private readonly specIssues = new Map<string, { version: string; issues: ValidationIssue[] }>();
  /** Tasks whose last decision acts or depends on the time: every full pass looks at them again. */
  private readonly timed = new Set<string>();
  /** The tasks whose pods (or last attempt) are on each node, as of their last reconcile. */
  private readonly tasksOnNode = new Map<string, Set<string>>();
  /** The node names each task was filed under in tasksOnNode. */
  private readonly nodesOfTask = new Map<string, readonly string[]>();
  /** Each Framework's version as last seen (frameworkVersion). */
  private readonly frameworkVersions = new Map<string, string>();
  /** Each framework's tasks counted by their decided status, for Framework status. */
  private readonly tally = new TaskTally();
  private fullPasses = 0;

  constructor(private readonly deps: TaskControllerDeps) {}

  taskChanged(key: string): void {
    this.dirty.add(key);
    if (this.deps.state.tasks.has(key)) return;
    this.knownStatus.delete(key);
    this.reconciled.delete(key);
    this.tally.delete(key);
    this.pendingByTask.delete(key);
    this.specIssues.delete(key);
    this.timed.delete(key);
    this.fileUnderNodes(key, []);
    const { namespace, name } = splitKey(key);
    this.deps.statuses.forget('tasks', namespace, name);
  }

  podChanged(podKey: string): void {
    const pod = this.deps.state.pods.get(podKey);
    const owner = pod && taskKeyOfPod(pod);
    const taskKeys = owner ? [owner, ...groupMembers(pod, owner)] : (this.podTask.get(podKey) ?? []);
    if (pod && owner) this.podTask.set(podKey, taskKeys);
    else this.podTask.delete(podKey);
    if (!pod) this.foreign.delete(podKey);
    for (const k of taskKeys) this.dirty.add(k);
  }

  /** A node changed or went: the tasks on it are looked at again. */
  nodeChanged(name: string): void {
    for (const k of this.tasksOnNode.get(name) ?? []) this.dirty.add(k);
  }

  /** A Framework changed: its tasks are looked at again if it was created, recreated, deleted or its spec changed. */
  frameworkChanged(frameworkKey: string): void {
    const version = frameworkVersion(this.deps.state.frameworks.get(frameworkKey));
    if (this.frameworkVersions.get(frameworkKey) === (version || undefined)) return;
    if (version) this.frameworkVersions.set(frameworkKey, version);
    else this.frameworkVersions.delete(frameworkKey);
    for (const [key, task] of this.deps.state.tasks) {
      if (frameworkKeyOfTask(task) === frameworkKey) this.dirty.add(key);
    }
  }

  /**
   * Reconciles the changed tasks (and in a full pass those waiting on the clock, or at a resync
   * every task); returns the attempts waiting to be placed.
   */
  reconcile(full: boolean): PendingAttempt[] {
    const { state } = this.deps;
    const resync = full && this.fullPasses++ % (this.deps.resyncEvery ?? 30) === 0;
    let keys: Iterable<string> = this.dirty;
    if (resync) keys = [...state.tasks.keys()];
    else if (full) keys = new Set([...this.dirty, ...this.timed]);
    this.dirty = new Set();
    if (resync) this.pendingByTask = new Map();
    for (const key of keys) {
      const task = state.tasks.get(key);
      if (!task) {
        this.pendingByTask.delete(key);
        continue;
      }
      let decision: TaskDecision;
      try {
        decision = this.reconcileIfChanged(key, task, full);
      } catch (err) {
        // One task's surprise must not stop the others; the next full pass tries it again.
        this.timed.add(key);
        this.deps.observer?.reconcileFailed();
        this.deps.logger.error('task reconcile failed', { task: key, error: errorText(err) });
        continue;
      }
      const attempt = this.pendingAttempt(key, task, decision);
      if (attempt) this.pendingByTask.set(key, attempt);
      else this.pendingByTask.delete(key);
    }
    // Launched since its reconcile: the launch outcome marks it dirty for the next pass.
    return [...this.pendingByTask.values()].filter(
      (p) => !this.deps.inFlight(p.podKey) && !state.pods.has(p.podKey),
    );
  }

  /** The launcher created (or found) the pod of a launch: every task of its group is launched. */
  launched(entry: LaunchEntry): void {
    if (!entry.plan) return;
    const launch = launchOf(entry, entry.plan);
    for (const key of [entry.taskKey, ...(entry.plan.members ?? [])]) {
      this.dirty.add(key);
      const task = this.deps.state.tasks.get(key);
      if (!task) continue;
      const prev = this.statusOf(key, task);
      this.setStatus(
        key,
        task,
        prev,
        launchedTaskStatus(prev, launch, task.metadata.generation ?? 0, this.deps.clock),
      );
    }
  }

  /**
   * The create failed. A pod the API server refuses as invalid ends the attempt as TASK_ERROR
   * (REASON_TASK_INVALID, not retried: the same pod would be refused again); after any other
   * failure the next pass places the task again.
   */
  launchFailed(entry: LaunchEntry, message: string, invalid = false): void {
    const keys = [entry.taskKey, ...(entry.plan?.members ?? [])];
    for (const key of keys) {
      const task = this.deps.state.tasks.get(key);
      if (!invalid || !task || !entry.plan) {
        this.waitWith(key, { reason: 'Pending', message: `launch failed, will retry: ${message}` });
        continue;
      }
      this.dirty.add(key);
      const { clock } = this.deps;
      const generation = task.metadata.generation ?? 0;
      const prev = this.statusOf(key, task);
      const launch = launchOf(entry, entry.plan);
      const error = {
        state: 'TASK_ERROR' as const,
        reason: 'REASON_TASK_INVALID' as const,
        message: `the API server refused the pod: ${message}`,
      };
      const next = observedTaskStatus(
        launchedTaskStatus(prev, launch, generation, clock),
        error,
        generation,
        clock,
      );
      this.setStatus(key, task, prev, next);
    }
  }

  /** A task's custom executor reported a new state: the next pass decides from it. */
  reportedChanged(taskKey: string): void {
    this.dirty.add(taskKey);
  }

  /** Writes a task's status again because something it carries besides its state changed (an acknowledgement). */
  refresh(taskKey: string): void {
    const task = this.deps.state.tasks.get(taskKey);
    if (!task) return;
    const status = this.statusOf(taskKey, task);
    this.setStatus(taskKey, task, status, status ?? {});
  }

  /**
   * Marks the task's current attempt as preempted (recorded in its status, so a new leader
   * carries it out too) and reconciles it at once: its pod is deleted with the task's kill grace
   * period. False when the task is gone or no longer runs that attempt.
   */
  preempt(
    taskKey: string,
    p: { attempt: number; reason: PreemptionReason; preemptor: string; message: string },
  ): boolean {
    const task = this.deps.state.tasks.get(taskKey);
    if (!task) return false;
    const prev = this.statusOf(taskKey, task);
    if (
      !prev ||
      prev.attempt !== p.attempt ||
      isTerminalState(prev.state) ||
      prev.preemption?.attempt === p.attempt
    )
      return false;
    const next: TaskStatus = {
      ...prev,
      preemption: { ...p, time: formatTime(this.deps.clock.now()) },
      preemptedAttempts: (prev.preemptedAttempts ?? 0) + 1,
    };
    this.setStatus(taskKey, task, prev, next);
    this.dirty.add(taskKey);
    try {
      this.reconcileIfChanged(taskKey, task, false);
    } catch (err) {
      this.deps.observer?.reconcileFailed();
      this.deps.logger.error('task reconcile failed', { task: taskKey, error: errorText(err) });
    }
    return true;
  }

  /** A launch's fate changed without a watch event (its pod was confirmed or expired). */
  touch(taskKey: string): void {
    this.dirty.add(taskKey);
  }

  /** Attempts a scheduler did not place this cycle. */
  waiting(decisions: readonly WaitingDecision[]): void {
    for (const w of decisions) {
      const task = this.deps.state.tasks.get(w.taskKey);
      const p = this.pendingByTask.get(w.taskKey);
      if (!task || (p && this.deps.inFlight(p.podKey))) continue;
      if (w.why && this.deps.logger.isDebugEnabled())
        this.deps.logger.debug('task not placed', { task: w.taskKey, ...w.why });
      // A retry waiting for its backoff keeps saying so unless there is a reason to tell.
      if (!w.why && this.statusOf(w.taskKey, task)?.nextRetryTime !== undefined) continue;
      this.waitWith(w.taskKey, w.why ?? { reason: 'Pending', message: 'waiting for an offer that fits' });
    }
  }

  /** A framework's tasks, counted by their status as last decided. */
  taskCounts(frameworkKey: string): TaskCounts {
    return this.tally.of(frameworkKey);
  }

  /** The status as last computed here, else as the cache has it. */
  statusOf(key: string, task: Task): TaskStatus | undefined {
    return this.knownStatus.get(key) ?? task.status;
  }

  private waitWith(key: string, why: Parameters<typeof waitingTaskStatus>[1]): void {
    this.dirty.add(key);
    const task = this.deps.state.tasks.get(key);
    if (!task) return;
    const prev = this.statusOf(key, task);
    this.setStatus(
      key,
      task,
      prev,
      waitingTaskStatus(prev, why, task.metadata.generation ?? 0, this.deps.clock),
    );
  }

  private pendingAttempt(key: string, task: Task, decision: TaskDecision): PendingAttempt | undefined {
    const frameworkKey = frameworkKeyOfTask(task);
    const framework = this.deps.state.frameworks.get(frameworkKey);
    if (!decision.pending || !framework || task.metadata.deletionTimestamp) return undefined;
    const podKey = joinKey(task.metadata.namespace, decision.pending.podName);
    if (this.deps.inFlight(podKey) || this.deps.state.pods.has(podKey)) return undefined;
    return {
      taskKey: key,
      podKey,
      frameworkKey,
      framework,
      task,
      attempt: decision.pending.attempt,
      podName: decision.pending.podName,
      avoidNodes: decision.pending.avoidNodes,
    };
  }

  /** The task's decision: reconciled now, or the last one when nothing it reads has changed. */
  private reconcileIfChanged(key: string, task: Task, full: boolean): TaskDecision {
    const { state } = this.deps;
    const { inputs, nodeNames } = this.inputsOf(key, task);
    const { status, pods } = inputs;
    const last = this.reconciled.get(key);
    if (last && this.isEcho(last, task, status)) last.task = task;
    // A full pass looks again at decisions that act or depend on the time (a retry's backoff).
    if (last && sameInputs(last, inputs) && (!full || isQuiet(last.decision))) return last.decision;
    this.deps.observer?.reconciled();
    // The same inputs read the same nodes: the task is filed under them already.
    this.fileUnderNodes(key, nodeNames);
    const decision =
      this.invalid(key, task, status) ??
      reconcileTask(
        {
          task,
          status,
          pods,
          nodes: state.nodes,
          framework: state.frameworks.get(frameworkKeyOfTask(task)),
          // Created but not yet in the watch cache counts as launching, not lost.
          launching: (podName) => this.deps.inFlight(joinKey(task.metadata.namespace, podName)),
          ...(inputs.reported !== undefined ? { reported: inputs.reported } : {}),
        },
        this.deps.clock,
      );
    for (const name of decision.kill?.podNames ?? []) {
      this.deps.kill(joinKey(task.metadata.namespace, name), decision.kill?.gracePeriodSeconds ?? 0);
    }
    this.setStatus(key, task, status, decision.status);
    // Inputs as read before the reconcile: a status it changed makes the next pass look again.
    this.reconciled.set(key, { ...inputs, decision });
    this.tally.set(key, frameworkKeyOfTask(task), decision.status);
    if (isQuiet(decision)) this.timed.delete(key);
    else this.timed.add(key);
    return decision;
  }

  /** What a task's decision reads, and the names of the nodes among it. */
  private inputsOf(key: string, task: Task): { inputs: Inputs; nodeNames: string[] } {
    const { state } = this.deps;
    const status = this.statusOf(key, task);
    const pods = this.ownPods(key, task, status);
    const nodeNames = [...pods.map((p) => p.spec?.nodeName ?? ''), status?.nodeName ?? ''];
    const inputs: Inputs = {
      task,
      status,
      frameworkUid: state.frameworks.get(frameworkKeyOfTask(task))?.metadata.uid,
      pods,
      nodes: nodeNames.map((n) => nodeHealth(state.nodes.get(n))),
      launching: status?.podName
        ? this.deps.inFlight(joinKey(task.metadata.namespace, status.podName))
        : false,
      reported: this.deps.reported?.(key),
    };
    return { inputs, nodeNames };
  }

  /**
   * Whether `task` is the watch echo of a status write of kmesos' own (or a change of what the
   * decision does not read) after the decision `last`: a status someone else wrote is not.
   */
  private isEcho(last: Reconciled, task: Task, status: TaskStatus | undefined): boolean {
    return (
      last.task !== task &&
      last.status === status &&
      sameDecisionInputs(last.task, task) &&
      !this.deps.statuses.overwritten('tasks', task)
    );
  }

  /** Files the task under the nodes it reads, so a change of one of them looks at it again. */
  private fileUnderNodes(key: string, names: readonly string[]): void {
    const before = this.nodesOfTask.get(key) ?? [];
    const after = names.filter((n, i) => n !== '' && names.indexOf(n) === i);
    if (before.length === after.length && before.every((n, i) => n === after[i])) return;
    for (const n of before) {
      const keys = this.tasksOnNode.get(n);
      keys?.delete(key);
      if (keys?.size === 0) this.tasksOnNode.delete(n);
    }
    for (const n of after) {
      const keys = this.tasksOnNode.get(n);
      if (keys) keys.add(key);
      else this.tasksOnNode.set(n, new Set([key]));
    }
    if (after.length > 0) this.nodesOfTask.set(key, after);
    else this.nodesOfTask.delete(key);
  }

  /**
   * A Task whose spec the operator cannot use (a quantity out of range, a regex that does not
   * compile) waits with the field and the reason in its status, and is never placed: it cannot
   * fail a cycle or hold capacity. One already launched is followed as usual.
   */
  private invalid(key: string, task: Task, status: TaskStatus | undefined): TaskDecision | undefined {
    if ((status?.attempt ?? 0) > 0) {
      this.specIssues.delete(key);
      return undefined;
    }
    const issues = this.issuesOf(key, task);
    const framework = this.deps.state.frameworks.get(frameworkKeyOfTask(task));
    // Groups are launched whole by a Mesos scheduler's LAUNCH_GROUP; the built-in scheduler places single tasks.
    const grouped =
      task.spec.group !== undefined && framework?.spec.scheduler === 'Builtin'
        ? 'spec.group: only tasks an External framework launches through the Mesos API can be grouped'
        : undefined;
    if (issues.length === 0 && grouped === undefined) return undefined;
    const why = {
      reason: 'InvalidSpec' as const,
      message: grouped ?? formatIssues(issues),
    };
    return { status: waitingTaskStatus(status, why, task.metadata.generation ?? 0, this.deps.clock) };
  }

  /** validateTaskSpec, once per uid and generation (which the API server moves on every spec change). */
  private issuesOf(key: string, task: Task): ValidationIssue[] {
    const { uid, generation } = task.metadata;
    if (uid === undefined || generation === undefined) return validateTaskSpec(task.spec);
    const version = `${uid}/${generation}`;
    const known = this.specIssues.get(key);
    if (known?.version === version) return known.issues;
    const issues = validateTaskSpec(task.spec);
    this.specIssues.set(key, { version, issues });
    return issues;
  }

  private setStatus(key: string, task: Task, prev: TaskStatus | undefined, decided: TaskStatus): void {
    if (decided.state !== prev?.state) this.deps.transitions?.(key, task, prev, decided);
    const next = this.withPendingUpdates(key, decided);
    if (sameJson(prev, next)) {
      // Status is what the operator observes: one written by anyone else is put back.
      if (this.deps.statuses.overwritten('tasks', task)) {
        this.deps.logger.warn('task status was changed by someone else; restoring it', { task: key });
        this.deps.statuses.restore('tasks', task, next);
      }
      return;
    }
    this.knownStatus.set(key, next);
    this.observeTransition(task, prev, next);
    this.logTransition(task, prev, next);
    if (task.metadata.deletionTimestamp && !task.metadata.finalizers?.length) return;
    this.deps.statuses.set('tasks', task, next);
    for (const e of taskEvents(prev, next)) this.deps.events.record({ ...task, apiVersion: API_VERSION }, e);
  }

  /**
   * The task's pods kmesos launched (a grouped task's are its leader's); any other pod that
   * claims to be one is reported once and ignored.
   */
  private ownPods(key: string, task: Task, status: TaskStatus | undefined): V1Pod[] {
    const out: V1Pod[] = [];
    const leaderKey = task.spec.group !== undefined ? joinKey(task.metadata.namespace, task.spec.group) : key;
    const leader = leaderKey === key ? task : this.deps.state.tasks.get(leaderKey);
    for (const pod of this.deps.state.podsOfTask(leaderKey)) {
      const podKey = joinKey(pod.metadata?.namespace, pod.metadata?.name ?? '');
      // A leader already deleted: its pod is still the group's, by name and owner.
      const ownerUid = leader?.metadata.uid ?? pod.metadata?.ownerReferences?.find((o) => o.controller)?.uid;
      const why = this.deps.inFlight(podKey)
        ? undefined
        : foreignPodReason(task, pod, status?.attempt ?? 0, ownerUid);
      if (why === undefined) {
        out.push(pod);
        continue;
      }
      if (this.foreign.has(podKey)) continue;
      this.foreign.add(podKey);
      this.deps.events.record(
        { ...task, apiVersion: API_VERSION },
        {
          type: 'Warning',
          reason: 'ForeignPod',
          message: `pod ${pod.metadata?.name ?? ''} claims to be this task's but kmesos did not launch it (${why}); it is not counted`,
        },
      );
    }
    return out;
  }

  /** The status with the task's unacknowledged Mesos updates, which the Mesos API owns. */
  private withPendingUpdates(key: string, status: TaskStatus): TaskStatus {
    const updates = this.deps.pendingUpdates?.(key);
    if (updates === undefined) return status;
    const rest = { ...status };
    delete rest.pendingUpdates;
    return updates.length > 0 ? { ...rest, pendingUpdates: updates } : rest;
  }

  private logTransition(task: Task, prev: TaskStatus | undefined, next: TaskStatus): void {
    if (next.state === prev?.state || next.state === undefined) return;
    const failed = next.state === 'TASK_FAILED' || next.state === 'TASK_LOST' || next.state === 'TASK_GONE';
    // A launch and its start are the normal course (and are in the status): debug, not one
    // info line each for every task of a burst.
    const routine =
      next.state === 'TASK_STAGING' || next.state === 'TASK_STARTING' || next.state === 'TASK_RUNNING';
    const level = failed ? 'warn' : routine ? 'debug' : 'info';
    // winston formats an event before its transports drop it by level.
    if (!this.deps.logger.isLevelEnabled(level)) return;
    this.deps.logger.log(level, 'task state changed', {
      namespace: task.metadata.namespace,
      name: task.metadata.name,
      framework: task.spec.framework,
      state: next.state,
      reason: next.reason,
      attempt: next.attempt,
      node: next.nodeName,
    });
  }

  private observeTransition(task: Task, prev: TaskStatus | undefined, next: TaskStatus): void {
    const { observer, clock } = this.deps;
    if (!observer || next.state === prev?.state || next.state === undefined) return;
    const created = task.metadata.creationTimestamp
      ? new Date(task.metadata.creationTimestamp).getTime()
      : undefined;
    if (next.attempt === 1 && created !== undefined) {
      const seconds = Math.max(0, (clock.now() - created) / 1000);
      if (next.state === 'TASK_STAGING') observer.launchLatency('bound', seconds);
      if (next.state === 'TASK_RUNNING' && prev?.startTime === undefined)
        observer.launchLatency('running', seconds);
    }
    if (isTerminalState(next.state) && !isTerminalState(prev?.state)) {
      observer.taskEnded(task.metadata.namespace ?? '', task.spec.framework, next.state);
    }
  }
}
