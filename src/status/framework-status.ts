/**
 * A Framework's status from its task counts and the allocator's figures. Pure: the controller compares
 * the result with the stored status (statusDiffers) and writes only when it changed.
 *
 * Conditions: `Ready` (Builtin: always; External: while its scheduler is connected) and
 * `Suppressed` (spec.suppressed: no offers).
 */
import { frameworkIdOf } from '../api/framework-id.js';
import { setCondition } from '../api/conditions.js';
import type { Framework, FrameworkStatus, ResourceFigures } from '../api/types.js';
import type { Clock } from '../util/clock.js';
import { formatShare } from './share.js';
import type { TaskCounts } from './task-tally.js';

/** What the allocator knows of one framework (or role). */
export interface ShareFigures {
  dominantShare: number;
  weightedShare: number;
  /** Already formatted quantities, e.g. {cpu: '1500m', memory: '3Gi'}. */
  allocated: ResourceFigures;
}

export interface FrameworkFigures extends ShareFigures {
  outstandingOffers: number;
}

export const FRAMEWORK_CONDITIONS = { ready: 'Ready', suppressed: 'Suppressed' } as const;

export interface FrameworkStatusInput {
  framework: Framework;
  /** This framework's Tasks, counted. */
  counts: TaskCounts;
  figures: FrameworkFigures;
  /** External frameworks only: whether the scheduler is connected; undefined before it ever was. */
  schedulerConnected?: boolean;
}

function readyCondition(input: FrameworkStatusInput): {
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
} {
  if (input.framework.spec.scheduler === 'Builtin')
    return {
      status: 'True',
      reason: 'BuiltinScheduler',
      message: 'the built-in scheduler places this framework’s tasks',
    };
  if (input.schedulerConnected === true)
    return { status: 'True', reason: 'SchedulerConnected', message: 'the external scheduler is connected' };
  if (input.schedulerConnected === false)
    return {
      status: 'False',
      reason: 'SchedulerDisconnected',
      message: 'the external scheduler is disconnected; no offers are made until it subscribes again',
    };
  return {
    status: 'Unknown',
    reason: 'WaitingForScheduler',
    message: 'no external scheduler has subscribed yet; no offers are made until one does',
  };
}

export function frameworkStatus(input: FrameworkStatusInput, clock: Clock): FrameworkStatus {
  const { framework, figures } = input;
  const generation = framework.metadata.generation ?? 0;
  const { counts } = input;
  let conditions = setCondition(
    framework.status?.conditions,
    { type: FRAMEWORK_CONDITIONS.ready, ...readyCondition(input), observedGeneration: generation },
    clock,
  );
  conditions = setCondition(
    conditions,
    framework.spec.suppressed
      ? {
          type: FRAMEWORK_CONDITIONS.suppressed,
          status: 'True',
          reason: 'Suppressed',
          message: 'spec.suppressed: no offers are made',
        }
      : {
          type: FRAMEWORK_CONDITIONS.suppressed,
          status: 'False',
          reason: 'Active',
          message: 'offers are made',
        },
    clock,
  );
  return {
    observedGeneration: generation,
    frameworkID: frameworkIdOf(framework),
    dominantShare: formatShare(figures.dominantShare),
    weightedShare: formatShare(figures.weightedShare),
    allocated: { ...figures.allocated },
    outstandingOffers: figures.outstandingOffers,
    pendingTasks: counts.pending,
    tasks: counts.byState,
    conditions,
  };
}
