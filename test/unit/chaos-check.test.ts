import { checkChaos, chaosPassed, type CheckedPod, type CheckedTask } from '../../bench/lib/chaos-check.js';

const task = (
  name: string,
  state: string | undefined,
  attempt = 1,
  podName = `${name}-${attempt}`,
): CheckedTask => ({
  name,
  state,
  attempt,
  podName,
});
const pod = (task: string, attempt = 1, live = true, name = `${task}-${attempt}`): CheckedPod => ({
  name,
  task,
  attempt: String(attempt),
  live,
});

describe('checkChaos', () => {
  it.each<
    [string, CheckedTask[], CheckedPod[], Partial<Record<keyof ReturnType<typeof checkChaos>, string[]>>]
  >([
    [
      'a clean run',
      [task('a', 'TASK_RUNNING'), task('b', 'TASK_FINISHED')],
      [pod('a'), pod('b', 1, false)],
      {},
    ],
    // Two pods for attempt 1 of a: launched twice, and both live at once.
    [
      'an attempt launched twice',
      [task('a', 'TASK_RUNNING')],
      [pod('a'), pod('a', 1, true, 'a-1-x')],
      { duplicates: ['a#1'], twiceLive: ['a'] },
    ],
    ['a running task whose pod is gone', [task('a', 'TASK_RUNNING')], [], { lost: ['a'] }],
    ['a task without a state', [task('a', undefined)], [], { stuck: ['a'] }],
    ['a task still staging', [task('a', 'TASK_STAGING')], [pod('a')], { unsettled: ['a'] }],
    ['a pod whose task is gone', [], [pod('z')], { orphans: ['z-1'] }],
    // A second attempt after the first ended is no fault, but it is counted.
    [
      'a relaunched task',
      [task('a', 'TASK_RUNNING', 2)],
      [pod('a', 1, false), pod('a', 2)],
      { relaunched: ['a'] },
    ],
  ])('%s', (_name, tasks, pods, want) => {
    const f = checkChaos(tasks, pods);
    const lists = ['duplicates', 'twiceLive', 'lost', 'stuck', 'unsettled', 'orphans', 'relaunched'] as const;
    for (const k of lists) expect([k, f[k]]).toEqual([k, want[k] ?? []]);
    const faults = lists.filter((k) => k !== 'relaunched').some((k) => (want[k] ?? []).length > 0);
    expect(chaosPassed(f)).toBe(!faults);
  });
});
