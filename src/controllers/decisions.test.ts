import type { Offer } from '../allocator/index.js';
import type { LaunchDecision } from '../scheduler/types.js';
import { applyDecisions, rescindOutcome, type DecisionTargets } from './decisions.js';

function launch(task: string, fw: string): LaunchDecision {
  return {
    taskKey: `ns/${task}`,
    podKey: `ns/${task}-1`,
    frameworkKey: fw,
    nodeName: 'n1',
    agentId: 'a1',
    requests: { cpu: 1000 },
    plan: { attempt: 1, podName: `${task}-1`, offerID: 'B0', pod: {} },
  };
}

describe('applyDecisions', () => {
  it('places and launches, declines outstanding offers only, kills, and hands back what waits', () => {
    const log: string[] = [];
    const offer: Offer = {
      offerId: 'o1',
      frameworkId: 'ns/ext',
      agentId: 'a1',
      hostname: 'n1',
      role: '*',
      resources: {},
      expiresAt: null,
    };
    const t: DecisionTargets = {
      ledger: { place: (l) => log.push(`place ${l.podKey}`) },
      launcher: {
        launch: (k) => log.push(`launch ${k}`),
        killPod: (k, g) => log.push(`kill ${k} ${g}`),
      },
      allocator: {
        outstandingOffers: () => [offer],
        decline: (id, s) => (log.push(`decline ${id} ${String(s)}`), true),
      },
      waiting: (w) => log.push(`waiting ${w.map((x) => x.taskKey).join(',')}`),
      offersEnded: (fw, outcome, n) => log.push(`${outcome} ${fw} ${n}`),
    };
    const unplaced = new Map<string, number>();
    const n = applyDecisions(
      {
        launches: [launch('a', 'ns/fw')],
        declines: [{ offerId: 'o1', refuseSeconds: 30 }, { offerId: 'gone' }],
        kills: [{ podKey: 'ns/x-1', gracePeriodSeconds: 5 }],
        waiting: [
          { taskKey: 'ns/b', frameworkKey: 'ns/fw', why: { reason: 'Unschedulable', message: 'too big' } },
          { taskKey: 'ns/c', frameworkKey: 'ns/fw' },
        ],
      },
      t,
      unplaced,
    );
    expect(n).toBe(1);
    // The ledger holds the placement before the launcher is asked to create it.
    expect(log).toEqual([
      'place ns/a-1',
      'launch ns/a-1',
      'accepted ns/fw 1',
      'decline o1 30',
      'declined ns/ext 1',
      'kill ns/x-1 5',
      'waiting ns/b,ns/c',
    ]);
    // Only a task with a reason counts as unplaced.
    expect([...unplaced]).toEqual([['ns/fw', 1]]);
  });

  it.each([
    { reason: 'Expired' as const, want: 'expired' },
    { reason: 'AgentRemoved' as const, want: 'rescinded' },
    { reason: 'QuotaLimitLowered' as const, want: 'rescinded' },
  ])('counts a rescind for $reason as $want', ({ reason, want }) => {
    expect(rescindOutcome({ offerId: 'o', frameworkId: 'f', agentId: 'a', reason })).toBe(want);
  });
});
