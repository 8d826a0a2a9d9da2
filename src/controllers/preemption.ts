/**
 * The cycle's preemption step (after built-in placement): the tasks that fit nowhere go to the
 * allocator's planner, and each preemption it plans is carried out here: every victim's Task
 * is marked preempted (its status records why; the task controller deletes its pod with the
 * Task's kill grace period through the launcher), and both sides get an Event naming the other
 * and what the preemption restores. It also tracks how long each framework stays below its
 * fair share while it has tasks nothing can place.
 */
import type { Logger } from 'winston';
import type {
  Allocator,
  PendingTask,
  Preemption,
  PreemptionContext,
  RolePreemptionPolicy,
  RunningTaskInfo,
} from '../allocator/index.js';
import { DEFAULT_ROLE_PREEMPTION_POLICY } from '../allocator/index.js';
import { API_VERSION } from '../api/constants.js';
import { joinKey } from '../api/keys.js';
import { resourceRoleName } from '../api/roles.js';
import { isTerminalState } from '../api/task-states.js';
import { parseTime } from '../api/time.js';
import type { Task } from '../api/types.js';
import type { ClusterState } from '../cluster/state.js';
import type { EventRecorder } from '../kube/events.js';
import type { LaunchLedger } from '../launcher/ledger.js';
import { parentPath } from '../allocator/sorter/sorter.js';
import type { PendingAttempt } from '../scheduler/types.js';
import type { Clock } from '../util/clock.js';
import type { CycleObserver } from './cycle-report.js';
import type { TaskController } from './task-controller.js';

/** How long a preemptor's room is held at most (its victims' grace periods are usually far shorter). */
export const PREEMPTION_HOLD_MS = 5 * 60_000;

export interface PreemptionDeps {
  allocator: Pick<Allocator, 'planPreemptions'>;
  state: Pick<ClusterState, 'tasks' | 'frameworks' | 'roles'>;
  ledger: Pick<LaunchLedger, 'get' | 'inFlight'>;
  tasks: Pick<TaskController, 'statusOf' | 'preempt'>;
  events: Pick<EventRecorder, 'record'>;
  logger: Logger;
  clock: Clock;
  observer?: Pick<CycleObserver, 'preempted' | 'belowFairShare'> | undefined;
  minRuntimeMs: number;
  /** 0: plan (for the fair-share figures) but preempt nothing. */
  maxPreemptions: number;
}

const fmt = (x: number): string => x.toFixed(4);

export class PreemptionStep {
  /** Clock ms since which each starved framework has been below its fair share. */
  private readonly starvedSince = new Map<string, number>();

  constructor(private readonly deps: PreemptionDeps) {}

  /**
   * Plans and carries out preemptions for `unplaced` (built-in tasks no agent had room for this
   * cycle; `attempts` by pod key). Returns how many tasks were preempted.
   */
  run(unplaced: readonly PendingTask[], attempts: ReadonlyMap<string, PendingAttempt>): number {
    if (unplaced.length === 0) {
      this.starved(new Set());
      return 0;
    }
    const { allocator, clock } = this.deps;
    const plan = allocator.planPreemptions(unplaced, this.context(), {
      minRuntimeMs: this.deps.minRuntimeMs,
      maxPreemptions: this.deps.maxPreemptions,
      holdMs: PREEMPTION_HOLD_MS,
    });
    const waiting = new Set(unplaced.map((t) => t.frameworkId));
    const starved = new Set<string>();
    for (const fw of waiting)
      if ((plan.shares.get(fw) ?? 0) < (plan.fairShares.get(fw) ?? 0) - 1e-9) starved.add(fw);
    this.starved(starved);
    let count = 0;
    for (const p of plan.preemptions) count += this.carryOut(p, attempts);
    if (plan.preemptions.length > 0)
      this.deps.logger.debug('preemption planned', { at: clock.now(), preemptions: plan.preemptions.length });
    return count;
  }

  private context(): PreemptionContext {
    const { state, ledger, tasks } = this.deps;
    return {
      task: (podKey): RunningTaskInfo | undefined => {
        const entry = ledger.get(podKey);
        if (!entry || ledger.inFlight(podKey)) return undefined;
        const task = state.tasks.get(entry.taskKey);
        if (!task) return undefined;
        const status = tasks.statusOf(entry.taskKey, task);
        // Only the attempt the status follows, while it runs, is a candidate.
        if (!status?.podName || joinKey(task.metadata.namespace, status.podName) !== podKey) return undefined;
        if (isTerminalState(status.state)) return undefined;
        const startedAt = parseTime(status.startTime ?? status.launchTime);
        return {
          priority: task.spec.priority ?? 0,
          preemptible: task.spec.preemptible !== false,
          ...(startedAt !== undefined ? { startedAt } : {}),
          preempting: status.preemption !== undefined && status.preemption.attempt === status.attempt,
        };
      },
      rolePolicy: (role) => this.rolePolicy(role),
      priorityPreemption: (fw) => state.frameworks.get(fw)?.spec.priorityPreemption === true,
    };
  }

  /** The role's own ResourceRole's policy, else its nearest ancestor's, else the default. */
  private rolePolicy(role: string): RolePreemptionPolicy {
    for (let r = role; r !== ''; r = parentPath(r)) {
      const name = resourceRoleName(r);
      const rr = name === undefined ? undefined : this.deps.state.roles.get(name);
      if (rr?.spec.preemptionPolicy) return rr.spec.preemptionPolicy;
    }
    return DEFAULT_ROLE_PREEMPTION_POLICY;
  }

  /** Marks the victims and records the Events; returns how many victims were marked. */
  private carryOut(p: Preemption, attempts: ReadonlyMap<string, PendingAttempt>): number {
    const { state, ledger, tasks, events, logger } = this.deps;
    const preemptor = attempts.get(p.preemptor);
    const preemptorKey = preemptor?.taskKey ?? p.preemptor;
    const victimShares = p.shares
      .slice(1)
      .map((s) => `${s.of} ${fmt(s.before)} → ${fmt(s.after)}`)
      .join(', ');
    let count = 0;
    for (const v of p.victims) {
      const taskKey = ledger.get(v.taskId)?.taskKey;
      const task = taskKey === undefined ? undefined : state.tasks.get(taskKey);
      const attempt = task && taskKey ? tasks.statusOf(taskKey, task)?.attempt : undefined;
      if (!task || !taskKey || attempt === undefined) continue;
      const message = `${p.message}; ${victimShares}`;
      if (!tasks.preempt(taskKey, { attempt, reason: p.reason, preemptor: preemptorKey, message })) continue;
      count++;
      events.record(withApiVersion(task), {
        type: 'Warning',
        reason: 'Preempted',
        message: `preempted on node ${p.agentId} for task ${preemptorKey} (framework ${p.frameworkId}): ${message}`,
      });
      if (preemptor)
        events.record(withApiVersion(preemptor.task), {
          type: 'Normal',
          reason: 'Preempting',
          message: `preempting task ${taskKey} (framework ${v.frameworkId}) on node ${p.agentId}: ${message}`,
        });
      logger.info('task preempted', {
        task: taskKey,
        framework: v.frameworkId,
        preemptor: preemptorKey,
        reason: p.reason,
        node: p.agentId,
        message,
      });
    }
    if (count > 0) this.deps.observer?.preempted(p.reason, count);
    return count;
  }

  /** Updates how long each framework has been starved; every other framework reports 0. */
  private starved(now: ReadonlySet<string>): void {
    const t = this.deps.clock.now();
    for (const fw of [...this.starvedSince.keys()]) if (!now.has(fw)) this.starvedSince.delete(fw);
    // Every framework has the series, so a dashboard or alert reads 0 rather than nothing.
    for (const fw of this.deps.state.frameworks.keys())
      if (!now.has(fw)) this.deps.observer?.belowFairShare(fw, 0);
    for (const fw of now) {
      const since = this.starvedSince.get(fw) ?? t;
      this.starvedSince.set(fw, since);
      this.deps.observer?.belowFairShare(fw, (t - since) / 1000);
    }
  }
}

function withApiVersion(task: Task): Task {
  return { ...task, apiVersion: API_VERSION };
}
