/**
 * Fair sharing through the live API: DRF between frameworks, role weights, quota, and
 * placement strategies. Each scenario has its own namespace, node pool and operator.
 */
import { freshScenarioEachTest, type Scenario } from './operator-harness.js';
import { afterCycles } from './poll.js';
import { eventually, kubeConfig } from './support.js';

const kc = kubeConfig();

function runningOn(pods: { spec?: { nodeName?: string }; status?: { phase?: string } }[]): string[] {
  return pods.filter((p) => p.status?.phase === 'Running').map((p) => p.spec?.nodeName ?? '');
}

describe('kmesos shares a cluster fairly', () => {
  let s!: Scenario;
  freshScenarioEachTest(kc, (x) => (s = x));

  it('gives two frameworks on one 9 CPU / 18 GiB node the DRF paper allocation', async () => {
    await s.nodes(1, { cpu: '9', memory: '18Gi' });
    await s.framework('a');
    await s.framework('b');
    // A's tasks are <1 CPU, 4 GiB> (memory-dominant), B's <3 CPU, 1 GiB> (CPU-dominant).
    // Both demands exist before kmesos starts, so neither is first in line.
    await s.tasks('a', 6, { framework: 'a', resources: { cpu: '1', memory: '4Gi' } });
    await s.tasks('b', 6, { framework: 'b', resources: { cpu: '3', memory: '1Gi' } });
    const operator = await s.startOperator();
    // A: 3 tasks = 3 CPU, 12 GiB → share max(3/9, 12/18) = 2/3; B: 2 tasks = 6 CPU, 2 GiB → 6/9 = 2/3.
    await s.waitForStates('a', 'TASK_RUNNING', 3);
    await s.waitForStates('b', 'TASK_RUNNING', 2);
    await eventually(async () => {
      expect((await s.getFramework('a')).status?.dominantShare).toBe('0.6667');
      expect((await s.getFramework('b')).status?.dominantShare).toBe('0.6667');
      expect((await s.getFramework('a')).status?.pendingTasks).toBe(3);
    });
    // Nothing more fits, so the allocation holds through further cycles.
    await afterCycles(operator);
    expect(await s.pods()).toHaveLength(5);
    const states = [...(await s.states()).values()];
    expect(states.filter((x) => x === 'TASK_RUNNING')).toHaveLength(5);
    const waiting = (await s.allTasks()).filter((t) => t.status?.state === undefined);
    expect(waiting).toHaveLength(7);
    for (const t of waiting) {
      expect(t.status?.conditions?.find((c) => c.type === 'Scheduled')).toMatchObject({ status: 'False' });
    }
  });

  it('gives a role of weight 2 twice the share of a role of weight 1', async () => {
    const heavy = `${s.pool}-heavy`;
    const light = `${s.pool}-light`;
    await s.role(heavy, { weight: 2 });
    await s.role(light, { weight: 1 });
    await s.nodes(1, { cpu: '12', memory: '48Gi' });
    await s.framework('h', { role: heavy });
    await s.framework('l', { role: light });
    await s.tasks('h', 12, { framework: 'h', resources: { cpu: '1', memory: '1Gi' } });
    await s.tasks('l', 12, { framework: 'l', resources: { cpu: '1', memory: '1Gi' } });
    await s.startOperator();
    // Weighted shares equal: h 8/12 ÷ 2 = 1/3, l 4/12 ÷ 1 = 1/3.
    await s.waitForStates('h', 'TASK_RUNNING', 8);
    await s.waitForStates('l', 'TASK_RUNNING', 4);
    await eventually(async () => {
      const h = (await s.getFramework('h')).status;
      expect(h?.dominantShare).toBe('0.6667');
      expect(h?.weightedShare).toBe('0.3333');
      expect((await s.getFramework('l')).status?.weightedShare).toBe('0.3333');
    });
  });

  it('never exceeds a quota limit and holds headroom for an unmet guarantee', async () => {
    const limited = `${s.pool}-limited`;
    const guaranteed = `${s.pool}-guaranteed`;
    await s.role(limited, { quota: { limit: { cpu: '3' } } });
    await s.role(guaranteed, { quota: { guarantee: { cpu: '4' } } });
    await s.nodes(1, { cpu: '10', memory: '40Gi' });
    await s.framework('lim', { role: limited });
    await s.framework('other');
    await s.framework('g', { role: guaranteed });
    const operator = await s.startOperator();
    await s.tasks('lim', 6, { framework: 'lim', resources: { cpu: '1', memory: '1Gi' } });
    // Limit cpu 3: three run, the others wait with the quota named.
    await s.waitForStates('lim', 'TASK_RUNNING', 3);
    await s.tasks('other', 10, { framework: 'other', resources: { cpu: '1', memory: '1Gi' } });
    // 10 CPU − 3 (lim) − 4 held for g's unmet guarantee = 3 for other.
    await s.waitForStates('other', 'TASK_RUNNING', 3);
    // Neither the limit nor the headroom gives way in later cycles.
    await afterCycles(operator);
    expect(await s.pods()).toHaveLength(6);
    expect(
      [...(await s.states())].filter(([k, v]) => k.startsWith('lim-') && v === 'TASK_RUNNING'),
    ).toHaveLength(3);
    expect(
      [...(await s.states())].filter(([k, v]) => k.startsWith('other-') && v === 'TASK_RUNNING'),
    ).toHaveLength(3);
    const waitingLim = (await s.allTasks()).find(
      (t) => t.metadata.name?.startsWith('lim-') && !t.status?.state,
    );
    expect(waitingLim?.status?.conditions?.find((c) => c.type === 'Scheduled')?.message).toMatch(
      /quota|limit/i,
    );
    // The guaranteed role's tasks get the held-back room.
    await s.tasks('g', 4, { framework: 'g', resources: { cpu: '1', memory: '1Gi' } });
    await s.waitForStates('g', 'TASK_RUNNING', 4);
  });

  it('spreads tasks over nodes with Spread and packs them with BinPack', async () => {
    await s.nodes(4, { cpu: '4', memory: '16Gi' });
    await s.framework('spread', { placement: 'Spread' });
    await s.framework('pack', { placement: 'BinPack' });
    await s.startOperator();
    await s.tasks('spread', 4, { framework: 'spread', resources: { cpu: '1', memory: '1Gi' } });
    await s.waitForStates('spread', 'TASK_RUNNING', 4);
    const spreadNodes = runningOn((await s.pods()).filter((p) => p.metadata?.name?.startsWith('spread-')));
    expect(new Set(spreadNodes).size).toBe(4);

    await s.tasks('pack', 3, { framework: 'pack', resources: { cpu: '1', memory: '1Gi' } });
    await s.waitForStates('pack', 'TASK_RUNNING', 3);
    const packNodes = runningOn((await s.pods()).filter((p) => p.metadata?.name?.startsWith('pack-')));
    expect(new Set(packNodes).size).toBe(1);
  });

  it('honours UNIQUE and CLUSTER constraints and names the constraint that blocks a task', async () => {
    await s.nodes(2, { cpu: '8', memory: '16Gi', zone: 'east' });
    await s.nodes(1, { cpu: '8', memory: '16Gi', zone: 'west' });
    await s.framework('c');
    await s.startOperator();
    await s.tasks('uniq', 4, {
      framework: 'c',
      resources: { cpu: '1', memory: '1Gi' },
      constraints: [{ field: 'hostname', operator: 'UNIQUE' }],
    });
    await s.tasks('west', 2, {
      framework: 'c',
      resources: { cpu: '1', memory: '1Gi' },
      constraints: [{ field: 'topology.kubernetes.io/zone', operator: 'CLUSTER', value: 'west' }],
    });
    await s.waitForStates('uniq', 'TASK_RUNNING', 3);
    await s.waitForStates('west', 'TASK_RUNNING', 2);
    const pods = await s.pods();
    expect(new Set(runningOn(pods.filter((p) => p.metadata?.name?.startsWith('uniq-')))).size).toBe(3);
    const westNode = (
      await s.core.listNode({ labelSelector: `topology.kubernetes.io/zone=west,kmesos.io/pool=${s.pool}` })
    ).items[0];
    expect(new Set(runningOn(pods.filter((p) => p.metadata?.name?.startsWith('west-'))))).toEqual(
      new Set([westNode?.metadata?.name]),
    );
    await eventually(async () => {
      const blocked = (await s.allTasks()).find(
        (t) => t.metadata.name?.startsWith('uniq-') && !t.status?.state,
      );
      const cond = blocked?.status?.conditions?.find((c) => c.type === 'Scheduled');
      expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable' });
      expect(cond?.message).toContain('UNIQUE');
    });
  });
});
