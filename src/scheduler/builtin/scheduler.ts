import type { Unschedulable } from '../../allocator/index.js';
import { buildPod, type PodDefaults } from '../../launcher/pod.js';
import type { WaitingReason } from '../../status/task-status.js';
import {
  noDecisions,
  type FrameworkScheduler,
  type PendingAttempt,
  type SchedulerDecisions,
  type SchedulerInput,
  type WaitingDecision,
} from '../types.js';
import { pendingTask } from './pending-task.js';

export interface BuiltinSchedulerOptions {
  defaults: PodDefaults;
  /** A fresh offer ID for each placement (an in-process offer accepted at once). */
  nextOfferId: () => string;
}

/** Quota and held room say the task waits its turn; the others that it cannot fit anywhere now. */
function waitingReason(u: Unschedulable): WaitingReason {
  return u.reason === 'QuotaLimitReached' ||
    u.reason === 'GuaranteeHeadroom' ||
    u.reason === 'AwaitingPreemption'
    ? 'Pending'
    : 'Unschedulable';
}

/**
 * The scheduler of `Builtin` frameworks: their Tasks are placed in-process, in the same cycle,
 * with task-granularity DRF (the allocator's progressive filling), by priority then age,
 * honouring constraints and placement. Each placement is an offer accepted at once; what does
 * not fit waits with the reason in its status.
 */
export class BuiltinScheduler implements FrameworkScheduler {
  readonly kind = 'Builtin' as const;

  constructor(private readonly options: BuiltinSchedulerOptions) {}

  cycle(input: SchedulerInput): SchedulerDecisions {
    const out = noDecisions();
    if (input.pending.length === 0) return out;
    const byPod = new Map<string, PendingAttempt>();
    const requests = [];
    for (const p of input.pending) {
      try {
        requests.push(pendingTask(p, input.agentNames));
        byPod.set(p.podKey, p);
      } catch (err) {
        // One task that cannot be read waits alone; the others are placed.
        const message = err instanceof Error ? err.message : String(err);
        out.waiting.push({
          taskKey: p.taskKey,
          frameworkKey: p.frameworkKey,
          why: { reason: 'InvalidSpec', message },
        });
      }
    }
    const result = input.place(requests);
    const placed = new Set<string>();
    for (const pl of result.placements) {
      const p = byPod.get(pl.taskId);
      if (!p) continue;
      const offerID = this.options.nextOfferId();
      placed.add(pl.taskId);
      out.launches.push({
        taskKey: p.taskKey,
        podKey: p.podKey,
        frameworkKey: p.frameworkKey,
        nodeName: pl.hostname,
        agentId: pl.agentId,
        requests: pl.resources,
        plan: {
          attempt: p.attempt,
          podName: p.podName,
          offerID,
          pod: buildPod({
            task: p.task,
            framework: p.framework,
            attempt: p.attempt,
            nodeName: pl.hostname,
            agentID: pl.agentId,
            offerID,
            defaults: this.options.defaults,
          }),
        },
      });
    }
    const why = new Map(result.unschedulable.map((u) => [u.taskId, u]));
    for (const p of byPod.values()) {
      if (placed.has(p.podKey)) continue;
      const u = why.get(p.podKey);
      const w: WaitingDecision = { taskKey: p.taskKey, frameworkKey: p.frameworkKey };
      if (u) w.why = { reason: waitingReason(u), message: `${u.reason}: ${u.message}` };
      out.waiting.push(w);
    }
    return out;
  }
}
