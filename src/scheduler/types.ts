/**
 * What a framework scheduler is given each cycle and what it answers. The allocator decides
 * which framework gets resources; a framework scheduler decides which of its tasks run on
 * them. The built-in scheduler answers in-process from Task objects; the Mesos v1 Scheduler
 * HTTP API answers for external frameworks behind the same interface.
 */
import type { FrameworkKind, Offer, PendingTask, PlacementResult, Rescind } from '../allocator/index.js';
import type { Framework, Task } from '../api/types.js';
import type { LaunchPlan } from '../launcher/ledger.js';
import type { Resources } from '../resources/index.js';
import type { WaitingReason } from '../status/task-status.js';

/** A Task attempt that waits to be placed, as the task controller decided. */
export interface PendingAttempt {
  taskKey: string;
  /** namespace/pod name of the attempt: the allocator's task id. */
  podKey: string;
  frameworkKey: string;
  framework: Framework;
  task: Task;
  attempt: number;
  podName: string;
  /** Nodes earlier attempts ran on: a retry goes elsewhere when it can. */
  avoidNodes: readonly string[];
}

/** What a scheduler asks of the set of agent names. */
export interface AgentNames {
  has(name: string): boolean;
  readonly size: number;
}

export interface SchedulerInput {
  /** Pending attempts of this scheduler's frameworks. */
  pending: readonly PendingAttempt[];
  /** Names of the agents that exist this cycle (the allocator sync's own map, not a copy). */
  agentNames: AgentNames;
  /** Places tasks with task-granularity DRF (progressive filling); placements are allocated at once. */
  place(tasks: readonly PendingTask[]): PlacementResult;
  /** Offers made this cycle to this scheduler's frameworks. */
  offers: readonly Offer[];
  /** Offers withdrawn this cycle (expired, agent gone, quota lowered...). */
  rescinded: readonly Rescind[];
}

/** A pod to create on an agent, for resources the allocator already holds for it. */
export interface LaunchDecision {
  taskKey: string;
  podKey: string;
  frameworkKey: string;
  nodeName: string;
  agentId: string;
  requests: Resources;
  plan: LaunchPlan;
}

export interface WaitingDecision {
  taskKey: string;
  frameworkKey: string;
  /** Why it was not placed; none: it simply waits for an offer that fits. */
  why?: { reason: WaitingReason; message: string };
}

export interface SchedulerDecisions {
  launches: LaunchDecision[];
  declines: { offerId: string; refuseSeconds?: number }[];
  kills: { podKey: string; gracePeriodSeconds: number }[];
  waiting: WaitingDecision[];
}

export interface FrameworkScheduler {
  /** The frameworks it answers for. */
  readonly kind: FrameworkKind;
  cycle(input: SchedulerInput): SchedulerDecisions;
}

export function noDecisions(): SchedulerDecisions {
  return { launches: [], declines: [], kills: [], waiting: [] };
}
