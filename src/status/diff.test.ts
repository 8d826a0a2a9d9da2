import { statusDiffers } from './diff.js';

describe('statusDiffers', () => {
  const cond = (status: string, t: string): object => ({
    type: 'Ready',
    status,
    reason: 'R',
    message: '',
    lastTransitionTime: t,
  });
  it.each<[string, unknown, unknown, boolean]>([
    ['equal', { a: 1, b: ['x'] }, { b: ['x'], a: 1 }, false],
    ['missing stored status', undefined, { a: 1 }, true],
    ['a changed value', { a: 1 }, { a: 2 }, true],
    ['undefined field equals absent', { a: 1 }, { a: 1, b: undefined }, false],
    ['list order matters', { l: [1, 2] }, { l: [2, 1] }, true],
    [
      'only lastTransitionTime differs',
      { conditions: [cond('True', 't1')] },
      { conditions: [cond('True', 't2')] },
      false,
    ],
    [
      'condition status differs',
      { conditions: [cond('True', 't1')] },
      { conditions: [cond('False', 't1')] },
      true,
    ],
    ['nested map', { tasks: { TASK_RUNNING: 1 } }, { tasks: { TASK_RUNNING: 1, TASK_FAILED: 1 } }, true],
  ])('%s', (_name, a, b, want) => expect(statusDiffers(a, b)).toBe(want));
});
