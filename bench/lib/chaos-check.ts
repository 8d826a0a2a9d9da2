/**
 * What a chaos run must leave behind, judged from the Tasks and pods it ends with (pure):
 * exactly one pod per task attempt, no task with two live pods, every Task running or
 * ended, none without a state, none whose running pod is gone, no pod without its Task.
 */
import { TERMINAL_STATES, type TaskState } from '../../src/api/task-states.js';

export interface CheckedTask {
  name: string;
  state: string | undefined;
  attempt: number | undefined;
  podName: string | undefined;
}

export interface CheckedPod {
  name: string;
  /** The `kmesos.io/task` and `kmesos.io/attempt` labels. */
  task: string | undefined;
  attempt: string | undefined;
  /** Neither Succeeded nor Failed, and not being deleted. */
  live: boolean;
}

export interface ChaosFindings {
  tasks: number;
  pods: number;
  /** Task attempts with more than one pod: launched twice. */
  duplicates: string[];
  /** Tasks with more than one live pod at once. */
  twiceLive: string[];
  /** Tasks the operator says run whose pod does not exist. */
  lost: string[];
  /** Tasks with no state at all after the run settled. */
  stuck: string[];
  /** Tasks neither running nor ended (staging, starting, killing, unreachable…). */
  unsettled: string[];
  /** Pods whose Task does not exist. */
  orphans: string[];
  /** Tasks on a second or later attempt: relaunched, which nothing in a chaos run asks for. */
  relaunched: string[];
}

export function checkChaos(tasks: readonly CheckedTask[], pods: readonly CheckedPod[]): ChaosFindings {
  const byAttempt = new Map<string, number>();
  const liveByTask = new Map<string, number>();
  const podNames = new Set<string>();
  const taskNames = new Set(tasks.map((t) => t.name));
  const orphans: string[] = [];
  for (const p of pods) {
    podNames.add(p.name);
    if (p.task === undefined || !taskNames.has(p.task)) {
      orphans.push(p.name);
      continue;
    }
    const key = `${p.task}#${p.attempt ?? '?'}`;
    byAttempt.set(key, (byAttempt.get(key) ?? 0) + 1);
    if (p.live) liveByTask.set(p.task, (liveByTask.get(p.task) ?? 0) + 1);
  }
  const findings: ChaosFindings = {
    tasks: tasks.length,
    pods: pods.length,
    duplicates: [...byAttempt].filter(([, n]) => n > 1).map(([k]) => k),
    twiceLive: [...liveByTask].filter(([, n]) => n > 1).map(([k]) => k),
    lost: [],
    stuck: [],
    unsettled: [],
    orphans,
    relaunched: [],
  };
  for (const t of tasks) {
    if (t.state === undefined) findings.stuck.push(t.name);
    else if (t.state === 'TASK_RUNNING' && (t.podName === undefined || !podNames.has(t.podName)))
      findings.lost.push(t.name);
    else if (t.state !== 'TASK_RUNNING' && !TERMINAL_STATES.has(t.state as TaskState))
      findings.unsettled.push(t.name);
    if ((t.attempt ?? 1) > 1) findings.relaunched.push(t.name);
  }
  return findings;
}

/** Whether a run passed: nothing launched twice, lost, stuck, unsettled or orphaned. */
export function chaosPassed(f: ChaosFindings): boolean {
  return (
    f.duplicates.length +
      f.twiceLive.length +
      f.lost.length +
      f.stuck.length +
      f.unsettled.length +
      f.orphans.length ===
    0
  );
}
