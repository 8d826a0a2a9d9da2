/**
 * Which pods are kmesos' own for a Task: only those it created for one of the Task's attempts.
 * Anyone who may create pods in a namespace can label one as kmesos' and point its owner at a
 * Task; such a pod must neither be counted in the framework's allocation nor steer the
 * Task's state. Pure.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { LABELS } from '../api/constants.js';
import type { Task } from '../api/types.js';
import { taskPodName } from './pod.js';

/**
 * Why a pod that claims to be a Task's is not one kmesos created, or undefined when it is. A
 * task of a group shares its leader's pod: `ownerUid` is then the leader's UID.
 */
export function foreignPodReason(
  task: Task,
  pod: V1Pod,
  knownAttempt: number,
  ownerUid: string | undefined = task.metadata.uid,
): string | undefined {
  const attempt = Number.parseInt(pod.metadata?.labels?.[LABELS.attempt] ?? '', 10);
  if (!Number.isInteger(attempt) || attempt < 1) return 'it names no attempt';
  if (pod.metadata?.name !== taskPodName(task, attempt))
    return `its name is not the one of attempt ${attempt}`;
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Task');
  if (owner?.uid !== ownerUid) return 'its controller is not this Task (by UID)';
  if (pod.metadata.labels?.[LABELS.framework] !== task.spec.framework) return 'it names another framework';
  // One attempt past the status is a launch whose status write was lost in a crash.
  if (attempt > knownAttempt + 1) return `attempt ${attempt} is past the Task's attempt ${knownAttempt}`;
  if (pod.spec?.nodeName === undefined || pod.spec.nodeName === '')
    return 'it is not bound to a node by kmesos';
  return undefined;
}
