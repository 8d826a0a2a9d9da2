/**
 * Preemption through the live API: a late framework takes its fair share back, a quota
 * guarantee is restored, a higher-priority task displaces a lower-priority one of its framework,
 * and a protected task is never touched. Each scenario has its own namespace, node pool and
 * operator (minimum runtime 0, so tasks that just started may be preempted).
 */
import type { CoreV1Event } from '@kubernetes/client-node';
import { freshScenarioEachTest, type OperatorProcess, type Scenario } from './operator-harness.js';
import { afterCycles } from './poll.js';
import { eventually, kubeConfig } from './support.js';

const kc = kubeConfig();
const PREEMPTION = ['--preemption-min-runtime-seconds=0'];

/** One sample of a metric from the operator's /metrics (0 when absent). */
async function metric(operator: OperatorProcess, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${operator.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('kmesos preempts to restore shares and guarantees', () => {
  let s!: Scenario;
  freshScenarioEachTest(kc, (x) => (s = x));

  /** Task names by prefix in a state. */
  async function named(prefix: string, state: string): Promise<string[]> {
    return [...(await s.states())]
      .filter(([k, v]) => k.startsWith(`${prefix}-`) && v === state)
      .map(([k]) => k)
      .sort();
  }

  async function events(name: string): Promise<CoreV1Event[]> {
    const list = await s.core.listNamespacedEvent({
      namespace: s.namespace,
      fieldSelector: `involvedObject.name=${name}`,
    });
    return list.items;
  }

  it('lets a late framework on a full cluster reach its weighted fair share', async () => {
    const role = `${s.pool}-fair`;
    await s.role(role, { preemptionPolicy: 'FairShare' });
    await s.nodes(1, { cpu: '8', memory: '32Gi' });
    await s.framework('a', { role });
    await s.framework('b', { role });
    const operator = await s.startOperator(PREEMPTION);
    // One attempt each: a preempted task can run again only because preemption uses up no retry.
    const once = { maxAttempts: 1 };
    await s.tasks('a', 8, { framework: 'a', retry: once, resources: { cpu: '1', memory: '1Gi' } });
    await s.waitForStates('a', 'TASK_RUNNING', 8);
    // Before: a holds 8/8 cpus (share 1.0), b nothing.
    await eventually(async () => expect((await s.getFramework('a')).status?.dominantShare).toBe('1.0000'));
    await s.tasks('b', 8, { framework: 'b', resources: { cpu: '1', memory: '1Gi' } });
    // Both demand 8 cpus of 8: fair shares 0.5 each. Four of a's tasks are preempted for b's.
    await s.waitForStates('b', 'TASK_RUNNING', 4);
    await eventually(async () => {
      expect((await s.getFramework('a')).status?.dominantShare).toBe('0.5000');
      expect((await s.getFramework('b')).status?.dominantShare).toBe('0.5000');
    });
    // The victims' statuses are written apart from the preemptors', so they may land a little later.
    const victims = await eventually(async () => {
      const found = (await s.allTasks()).filter((t) => t.status?.reason === 'REASON_CONTAINER_PREEMPTED');
      expect(found.map((t) => t.metadata.name?.slice(0, 2))).toEqual(['a-', 'a-', 'a-', 'a-']);
      for (const v of found) {
        // Ended KILLED with Mesos' preemption reason, and waiting to be placed again.
        expect(v.status).toMatchObject({ state: 'TASK_KILLED', attempt: 1, preemptedAttempts: 1 });
        expect(v.status?.preemption).toMatchObject({ attempt: 1, reason: 'FairShare' });
        expect(v.status?.conditions?.find((c) => c.type === 'Scheduled')?.status).toBe('False');
      }
      return found;
    });
    // Both sides say why, naming each other.
    const victim = victims[0]?.metadata.name ?? '';
    await eventually(async () => {
      const preempted = (await events(victim)).find((e) => e.reason === 'Preempted');
      expect(preempted?.message).toMatch(/for task .*\/b-\d .*restores the fair share of framework .*\/b/);
      const preemptor = preempted?.message?.match(/for task [^/]+\/(b-\d)/)?.[1] ?? '';
      const preempting = (await events(preemptor)).find((e) => e.reason === 'Preempting');
      expect(preempting?.message).toContain(`preempting task ${s.namespace}/${victim}`);
    });
    expect(await metric(operator, 'kmesos_preemptions_total', 'reason="FairShare"')).toBe(4);
    // No thrash: more cycles change nothing.
    await afterCycles(operator, 6);
    expect(await named('a', 'TASK_RUNNING')).toHaveLength(4);
    expect(await named('b', 'TASK_RUNNING')).toHaveLength(4);
    expect(await metric(operator, 'kmesos_preemptions_total', 'reason="FairShare"')).toBe(4);
    // b goes away: the preempted tasks run again as attempt 2, though each allows one attempt.
    for (let i = 0; i < 8; i++)
      await s.custom.deleteNamespacedCustomObject({
        group: 'kmesos.io',
        version: 'v1alpha1',
        namespace: s.namespace,
        plural: 'tasks',
        name: `b-${i}`,
      });
    await s.waitForStates('a', 'TASK_RUNNING', 8);
    for (const v of victims) expect((await s.task(v.metadata.name ?? '')).status?.attempt).toBe(2);
  });

  it('gives a late role of weight 2 twice the share of a role of weight 1', async () => {
    const heavy = `${s.pool}-heavy`;
    const light = `${s.pool}-light`;
    await s.role(heavy, { weight: 2, preemptionPolicy: 'FairShare' });
    await s.role(light, { weight: 1, preemptionPolicy: 'FairShare' });
    await s.nodes(1, { cpu: '6', memory: '24Gi' });
    await s.framework('l', { role: light });
    await s.framework('h', { role: heavy });
    const operator = await s.startOperator(PREEMPTION);
    await s.tasks('l', 6, { framework: 'l', resources: { cpu: '1', memory: '1Gi' } });
    await s.waitForStates('l', 'TASK_RUNNING', 6);
    // Before: light holds 6/6 (weighted 1.0), heavy nothing.
    await s.tasks('h', 6, { framework: 'h', resources: { cpu: '1', memory: '1Gi' } });
    // Fair shares 4/6 and 2/6: four preemptions; heavy 4/6 ÷ 2 = 1/3, light 2/6 ÷ 1 = 1/3.
    await s.waitForStates('h', 'TASK_RUNNING', 4);
    await eventually(async () => {
      expect((await s.getFramework('h')).status).toMatchObject({
        dominantShare: '0.6667',
        weightedShare: '0.3333',
      });
      expect((await s.getFramework('l')).status).toMatchObject({
        dominantShare: '0.3333',
        weightedShare: '0.3333',
      });
    });
    await afterCycles(operator, 6);
    expect(await metric(operator, 'kmesos_preemptions_total', 'reason="FairShare"')).toBe(4);
    expect(await named('l', 'TASK_RUNNING')).toHaveLength(2);
  });

  it("restores a role's quota guarantee from a role above its own", async () => {
    await s.nodes(1, { cpu: '8', memory: '32Gi' });
    await s.framework('batch');
    const operator = await s.startOperator(PREEMPTION);
    await s.tasks('batch', 8, { framework: 'batch', resources: { cpu: '1', memory: '1Gi' } });
    await s.waitForStates('batch', 'TASK_RUNNING', 8);
    // Before: batch (role *, no guarantee) holds 8/8 cpus; prod is guaranteed 4 cpus and holds nothing.
    const prod = `${s.pool}-prod`;
    await s.role(prod, { quota: { guarantee: { cpu: '4' } } });
    await s.framework('p', { role: prod });
    await s.tasks('p', 4, { framework: 'p', resources: { cpu: '1', memory: '1Gi' } });
    // After: four batch tasks preempted; prod 4/8 = 0.5 (its guarantee), batch 0.5.
    await s.waitForStates('p', 'TASK_RUNNING', 4);
    await eventually(async () => {
      expect((await s.getFramework('p')).status?.dominantShare).toBe('0.5000');
      expect((await s.getFramework('batch')).status?.dominantShare).toBe('0.5000');
    });
    const victims = await eventually(async () => {
      const found = (await s.allTasks()).filter((t) => t.status?.preemption?.reason === 'Guarantee');
      expect(found).toHaveLength(4);
      return found;
    });
    expect(victims.every((t) => t.metadata.name?.startsWith('batch-'))).toBe(true);
    expect(await metric(operator, 'kmesos_preemptions_total', 'reason="Guarantee"')).toBe(4);
    await afterCycles(operator, 6);
    expect(await metric(operator, 'kmesos_preemptions_total', 'reason="Guarantee"')).toBe(4);
    expect(await named('batch', 'TASK_RUNNING')).toHaveLength(4);
  });

  it('lets a high-priority task displace a low-priority one of its framework when the framework allows it', async () => {
    await s.nodes(1, { cpu: '4', memory: '16Gi' });
    await s.framework('f', { priorityPreemption: true });
    const operator = await s.startOperator(PREEMPTION);
    await s.tasks('low', 4, { framework: 'f', priority: 0, resources: { cpu: '1', memory: '1Gi' } });
    await s.waitForStates('low', 'TASK_RUNNING', 4);
    await s.tasks('high', 1, { framework: 'f', priority: 100, resources: { cpu: '1', memory: '1Gi' } });
    await s.waitForStates('high', 'TASK_RUNNING', 1);
    // One low-priority task made room; f's share stays 4/4. The victim's status is written
    // apart from the new task's, so it may land a little after high-0 runs.
    const victims = await eventually(async () => {
      const found = (await s.allTasks()).filter((t) => t.status?.preemption !== undefined);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(victims[0]?.metadata.name).toMatch(/^low-/);
    expect(victims[0]?.status?.preemption?.reason).toBe('Priority');
    expect(await metric(operator, 'kmesos_preemptions_total', 'reason="Priority"')).toBe(1);
    // The victim waits at its lower priority; it does not take its place back.
    await afterCycles(operator, 6);
    expect(await named('low', 'TASK_RUNNING')).toHaveLength(3);
    expect(await metric(operator, 'kmesos_preemptions_total', 'reason="Priority"')).toBe(1);
  });

  it('never touches a task that is not preemptible, and reports the framework it starves', async () => {
    const role = `${s.pool}-fair`;
    await s.role(role, { preemptionPolicy: 'FairShare' });
    await s.nodes(1, { cpu: '4', memory: '16Gi' });
    await s.framework('a', { role });
    await s.framework('b', { role });
    const operator = await s.startOperator(PREEMPTION);
    await s.tasks('a', 4, { framework: 'a', preemptible: false, resources: { cpu: '1', memory: '1Gi' } });
    await s.waitForStates('a', 'TASK_RUNNING', 4);
    await s.tasks('b', 4, { framework: 'b', resources: { cpu: '1', memory: '1Gi' } });
    // b is below its fair share (0 of 0.5) with nothing to take: the gauge counts up.
    await eventually(async () =>
      expect(
        await metric(operator, 'kmesos_framework_below_fair_share_seconds', 'framework="b"'),
      ).toBeGreaterThan(0),
    );
    await afterCycles(operator, 6);
    expect(await named('a', 'TASK_RUNNING')).toHaveLength(4);
    expect((await s.allTasks()).filter((t) => t.status?.preemption !== undefined)).toEqual([]);
    expect(await metric(operator, 'kmesos_preemptions_total', 'reason="FairShare"')).toBe(0);
  });
});
