/**
 * Leader election between two real operator processes on one Lease: exactly one leads,
 * and when it is killed mid-burst the standby takes over within the lease duration and
 * finishes the burst without launching anything twice.
 */
import { CoordinationV1Api } from '@kubernetes/client-node';
import { LABELS } from '../../src/api/constants.js';
import { Scenario, type OperatorProcess } from './operator-harness.js';
import { eventually, kubeConfig, uniqueName } from './support.js';

const kc = kubeConfig();
const LEASE_SECONDS = 4;
const RETRY_SECONDS = 1;
const election = [
  `--lease-duration-seconds=${LEASE_SECONDS}`,
  '--renew-deadline-seconds=3',
  `--retry-period-seconds=${RETRY_SECONDS}`,
];
const TASKS = 200;

async function leaders(replicas: OperatorProcess[]): Promise<boolean[]> {
  return Promise.all(replicas.map(async (r) => (await r.readyz()).leader));
}

describe('kmesos leader election', () => {
  let s: Scenario;
  beforeEach(async () => {
    s = new Scenario(kc);
    await s.setup();
  });
  afterEach(async () => {
    for (const r of s.replicas) expect(r.errors()).toEqual([]);
    await s.teardown();
  });

  it('has one leader; when it is killed mid-burst the standby takes over in time and launches nothing twice', async () => {
    await s.nodes(20, { cpu: '8', memory: '16Gi' });
    await s.framework('f');
    const lease = { namespace: s.namespace, name: uniqueName('kmesos-leader') };
    // Few launches at once, so the burst is still under way when the leader dies.
    const extra = [...election, '--launch-concurrency=4'];
    const identities = ['a', 'b'];
    const replicas = await Promise.all(
      identities.map((identity) => s.startReplica({ ...lease, identity }, extra)),
    );

    const initial = await eventually(async () => {
      const now = await leaders(replicas);
      if (now.filter(Boolean).length !== 1)
        throw new Error(
          `leaders: ${JSON.stringify(now)}\n${replicas.map((r) => r.logs.join('\n')).join('\n---\n')}`,
        );
      return now;
    }, 15_000);
    const leader = replicas[initial.indexOf(true)];
    const standby = replicas[initial.indexOf(false)];
    if (!leader || !standby) throw new Error('no leader and standby');
    // A standby is ready too (it serves /metrics and can take over at once).
    expect(await standby.readyz()).toMatchObject({ ready: true, leader: false });

    await s.tasks(
      't',
      TASKS,
      { framework: 'f', resources: { cpu: '250m', memory: '128Mi' } },
      {
        'kmesos.io/fake-exit-code': '0',
        'kmesos.io/fake-run-duration': '2s',
      },
    );
    await eventually(async () => expect((await s.pods()).length).toBeGreaterThan(10), 60_000, 20);
    leader.kill();
    const killedAt = Date.now();
    expect((await s.pods()).length).toBeLessThan(TASKS);
    // Still the standby: it must wait for the lease to expire on its own clock.
    expect((await standby.readyz()).leader).toBe(false);

    await eventually(async () => expect((await standby.readyz()).leader).toBe(true), 30_000, 50);
    const takeoverMs = Date.now() - killedAt;
    // Expiry is judged from the last renewal the standby saw, which is at most a retry
    // period before the kill; then it tries within a retry period (+20% jitter).
    expect(takeoverMs).toBeLessThan((LEASE_SECONDS + 2 * RETRY_SECONDS * 1.2) * 1000 + 2_000);

    await s.waitForStates('t', 'TASK_FINISHED', TASKS, 180_000);
    const pods = await s.pods();
    // One pod per task, all first attempts: nothing launched twice.
    expect(pods).toHaveLength(TASKS);
    expect(new Set(pods.map((p) => p.metadata?.labels?.[LABELS.attempt]))).toEqual(new Set(['1']));
    for (const t of await s.allTasks()) expect(t.status?.attempt).toBe(1);

    const coordination = kc.makeApiClient(CoordinationV1Api);
    const held = await coordination.readNamespacedLease(lease);
    expect(held.spec?.holderIdentity).toBe(identities[initial.indexOf(false)]);
    expect(held.spec?.leaseTransitions).toBeGreaterThanOrEqual(1);
  }, 240_000);
});
