import type { Framework, FrameworkSpec } from '../api/types.js';
import { ManualClock } from '../util/clock.js';
import { frameworkStatus, type FrameworkStatusInput } from './framework-status.js';
import { statusDiffers } from './diff.js';

const T0 = '2024-05-01T12:00:00Z';
const clock = new ManualClock(Date.parse(T0));
const spec: FrameworkSpec = {
  role: 'eng',
  scheduler: 'Builtin',
  failoverTimeoutSeconds: 60,
  suppressed: false,
  priorityPreemption: false,
  taskOrder: 'PriorityAge',
  offerFilters: { refuseSeconds: 5 },
  placement: 'Spread',
  taskDefaults: {},
};
const framework = (patch: Partial<FrameworkSpec> = {}): Framework => ({
  apiVersion: 'kmesos.io/v1alpha1',
  kind: 'Framework',
  metadata: { name: 'fw', namespace: 'ns', uid: 'uid-fw', generation: 3 },
  spec: { ...spec, ...patch },
});
const counts = { pending: 3, byState: { TASK_RUNNING: 2, TASK_FINISHED: 1, TASK_FAILED: 1 } };
const none = { pending: 0, byState: {} };
const figures = {
  dominantShare: 2 / 3,
  weightedShare: 1 / 3,
  allocated: { cpu: '6', memory: '12Gi' },
  outstandingOffers: 1,
};

describe('frameworkStatus', () => {
  const ready = (input: Partial<FrameworkStatusInput>): string => {
    const c = frameworkStatus(
      { framework: framework(), counts: none, figures, ...input },
      clock,
    ).conditions?.find((x) => x.type === 'Ready');
    return `${c?.status}/${c?.reason}`;
  };

  it('reports shares, allocation, offers, tasks and conditions', () => {
    expect(frameworkStatus({ framework: framework(), counts, figures }, clock)).toEqual({
      observedGeneration: 3,
      frameworkID: 'uid-fw',
      dominantShare: '0.6667',
      weightedShare: '0.3333',
      allocated: { cpu: '6', memory: '12Gi' },
      outstandingOffers: 1,
      pendingTasks: 3,
      tasks: { TASK_RUNNING: 2, TASK_FINISHED: 1, TASK_FAILED: 1 },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'BuiltinScheduler',
          message: 'the built-in scheduler places this framework’s tasks',
          observedGeneration: 3,
          lastTransitionTime: T0,
        },
        {
          type: 'Suppressed',
          status: 'False',
          reason: 'Active',
          message: 'offers are made',
          lastTransitionTime: T0,
        },
      ],
    });
  });

  it.each<[string, Partial<FrameworkStatusInput>, string]>([
    ['builtin', {}, 'True/BuiltinScheduler'],
    [
      'external, never connected',
      { framework: framework({ scheduler: 'External' }) },
      'Unknown/WaitingForScheduler',
    ],
    [
      'external, connected',
      { framework: framework({ scheduler: 'External' }), schedulerConnected: true },
      'True/SchedulerConnected',
    ],
    [
      'external, disconnected',
      { framework: framework({ scheduler: 'External' }), schedulerConnected: false },
      'False/SchedulerDisconnected',
    ],
  ])('Ready when %s', (_name, input, want) => expect(ready(input)).toBe(want));

  it('marks a suppressed framework', () => {
    const s = frameworkStatus({ framework: framework({ suppressed: true }), counts: none, figures }, clock);
    expect(s.conditions?.find((c) => c.type === 'Suppressed')?.status).toBe('True');
  });

  it('is unchanged when recomputed later from the same inputs', () => {
    const fw = framework();
    fw.status = frameworkStatus({ framework: fw, counts, figures }, clock);
    const later = new ManualClock(Date.parse(T0) + 60_000);
    const again = frameworkStatus(
      { framework: fw, counts, figures: { ...figures, dominantShare: 0.66668 } },
      later,
    );
    expect(statusDiffers(fw.status, again)).toBe(false); // share noise below 1e-4 and time alone write nothing
    expect(
      statusDiffers(
        fw.status,
        frameworkStatus({ framework: fw, counts: { ...counts, pending: 2 }, figures }, later),
      ),
    ).toBe(true);
  });
});
