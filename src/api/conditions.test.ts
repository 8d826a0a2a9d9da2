import { ManualClock } from '../util/clock.js';
import {
  findCondition,
  isConditionTrue,
  removeCondition,
  setCondition,
  type ConditionInput,
} from './conditions.js';
import type { Condition } from './types.js';

const T0 = '2024-05-01T00:00:00Z';
const T1 = '2024-05-01T00:01:40Z'; // T0 + 100 s, the clock below
const clock = new ManualClock(Date.parse(T0) + 100_000);

const ready = (status: Condition['status'], reason = 'Registered', message = 'ok'): Condition => ({
  type: 'Ready',
  status,
  observedGeneration: 1,
  lastTransitionTime: T0,
  reason,
  message,
});

describe('setCondition', () => {
  it.each<{ name: string; existing: Condition[] | undefined; input: ConditionInput; want: Condition[] }>([
    {
      name: 'adds a new condition with the clock time',
      existing: undefined,
      input: { type: 'Ready', status: 'True', reason: 'Registered', message: 'ok', observedGeneration: 2 },
      want: [{ ...ready('True'), observedGeneration: 2, lastTransitionTime: T1 }],
    },
    {
      name: 'keeps lastTransitionTime when only reason and message change',
      existing: [ready('False', 'Pending', 'waiting')],
      input: {
        type: 'Ready',
        status: 'False',
        reason: 'Unschedulable',
        message: 'too big',
        observedGeneration: 1,
      },
      want: [{ ...ready('False', 'Unschedulable', 'too big') }],
    },
    {
      name: 'moves lastTransitionTime when the status changes',
      existing: [ready('False')],
      input: { type: 'Ready', status: 'True', reason: 'Registered', message: 'ok', observedGeneration: 1 },
      want: [{ ...ready('True'), lastTransitionTime: T1 }],
    },
    {
      name: 'Unknown to False is a transition',
      existing: [ready('Unknown')],
      input: { type: 'Ready', status: 'False', reason: 'Registered', message: 'ok', observedGeneration: 1 },
      want: [{ ...ready('False'), lastTransitionTime: T1 }],
    },
    {
      name: 'appends other types and keeps the order',
      existing: [ready('True')],
      input: { type: 'Suppressed', status: 'False', reason: 'Active', message: '' },
      want: [
        ready('True'),
        { type: 'Suppressed', status: 'False', lastTransitionTime: T1, reason: 'Active', message: '' },
      ],
    },
    {
      name: 'updates observedGeneration without a transition',
      existing: [ready('True')],
      input: { type: 'Ready', status: 'True', reason: 'Registered', message: 'ok', observedGeneration: 7 },
      want: [{ ...ready('True'), observedGeneration: 7 }],
    },
  ])('$name', ({ existing, input, want }) => {
    const before = JSON.stringify(existing);
    expect(setCondition(existing, input, clock)).toEqual(want);
    expect(JSON.stringify(existing)).toBe(before); // input untouched
  });

  it.each([
    [
      'type not PascalCase',
      { type: 'ready', status: 'True', reason: 'Ok', message: '' },
      /type must be PascalCase: ready/,
    ],
    [
      'reason with spaces',
      { type: 'Ready', status: 'True', reason: 'not ok', message: '' },
      /reason must be CamelCase: not ok/,
    ],
    ['empty reason', { type: 'Ready', status: 'True', reason: '', message: '' }, /reason must be CamelCase/],
  ] as const)('rejects %s', (_name, input, why) => {
    expect(() => setCondition([], input, clock)).toThrow(why);
  });
});

describe('condition lookups', () => {
  const list = [ready('True'), { ...ready('False'), type: 'Suppressed' }];
  it('finds, tests and removes by type', () => {
    expect(findCondition(list, 'Suppressed')?.status).toBe('False');
    expect(findCondition(undefined, 'Ready')).toBeUndefined();
    expect(isConditionTrue(list, 'Ready')).toBe(true);
    expect(isConditionTrue(list, 'Suppressed')).toBe(false);
    expect(isConditionTrue(list, 'Missing')).toBe(false);
    expect(removeCondition(list, 'Ready').map((c) => c.type)).toEqual(['Suppressed']);
  });
});
