/**
 * kmesos read as a Mesos master: the DRF paper's example (one 9 CPU / 18 GiB node, framework
 * a's tasks <1 CPU, 4 GiB>, b's <3 CPU, 1 GiB>) through /master/state, /metrics/snapshot,
 * /master/tasks, /master/redirect and the v1 operator API, each figure checked against the
 * Tasks the API server holds.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { V1Node } from '@kubernetes/client-node';
import type { Task } from '../../src/api/types.js';
import { parseQuantity } from '../../src/resources/index.js';
import { createMesosCodec, loadMesosSchema, type MediaType } from '../../src/scheduler/mesos/index.js';
import type {
  Event as MasterEvent,
  Response as MasterResponse,
} from '../../src/scheduler/mesos/types/master.js';
import type { Offer } from '../../src/scheduler/mesos/types/v1.js';
import { MesosTestScheduler, openStream } from '../mesos/raw-client.js';
import { Scenario, type OperatorProcess } from './operator-harness.js';
import { eventually, kubeConfig, uniqueName } from './support.js';

const kc = kubeConfig();
const codec = createMesosCodec(loadMesosSchema());
const run = promisify(execFile);

interface StateJson {
  leader_info: { hostname: string; port: number };
  slaves: {
    id: string;
    hostname: string;
    resources: Record<string, number>;
    used_resources: Record<string, number>;
  }[];
  frameworks: {
    id: string;
    name: string;
    tasks: { id: string; state: string; slave_id: string }[];
    offers: { id: string }[];
  }[];
}

/** Σ of a resource over the tasks in TASK_RUNNING, in kmesos units (millicores, bytes). */
function runningSum(tasks: Task[], resource: string): number {
  return tasks
    .filter((t) => t.status?.state === 'TASK_RUNNING')
    .reduce((sum, t) => sum + parseQuantity(resource, String(t.spec.resources[resource] ?? 0)), 0);
}

/** kubectl's table as rows of column → cell, cut at the header's column starts (cells may be blank). */
function columns(stdout: string): Record<string, string>[] {
  const [header = '', ...lines] = stdout.trimEnd().split('\n');
  const starts = [...header.matchAll(/\S+/g)].map((m) => ({ name: m[0], at: m.index }));
  return lines.map((line) =>
    Object.fromEntries(
      starts.map((c, i) => [c.name, line.slice(c.at, starts[i + 1]?.at ?? line.length).trim()]),
    ),
  );
}

async function operatorCall(url: string, body: Buffer, media: MediaType): Promise<MasterResponse> {
  const res = await fetch(`${url}/api/v1`, {
    method: 'POST',
    headers: { 'Content-Type': media, Accept: media },
    body: new Uint8Array(body),
  });
  expect([res.status, res.headers.get('content-type')]).toEqual([200, media]);
  const decoded = codec.decodeMasterResponse(new Uint8Array(await res.arrayBuffer()), media);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value;
}

describe('kmesos as a Mesos master to readers', () => {
  const s = new Scenario(kc);
  let operator!: OperatorProcess;
  let node!: V1Node;
  let tasks!: Task[];

  beforeAll(async () => {
    await s.setup();
    const [name = ''] = await s.nodes(1, { cpu: '9', memory: '18Gi' });
    node = await s.core.readNode({ name });
    await s.framework('a');
    await s.framework('b');
    await s.tasks('a', 6, { framework: 'a', resources: { cpu: '1', memory: '4Gi' } });
    await s.tasks('b', 6, { framework: 'b', resources: { cpu: '3', memory: '1Gi' } });
    operator = await s.startOperator(['--mesos-anonymous=true', '--advertise-host=127.0.0.1']);
    // DRF: a gets 3 tasks (3 CPU, 12 GiB: share 2/3), b 2 tasks (6 CPU: share 2/3); nothing more fits.
    await s.waitForStates('a', 'TASK_RUNNING', 3);
    await s.waitForStates('b', 'TASK_RUNNING', 2);
    tasks = await s.allTasks();
  });

  afterAll(async () => {
    expect(operator.errors()).toEqual([]);
    await s.teardown();
  });

  it('/master/state shows the node as an agent and each framework with its running tasks', async () => {
    const res = await fetch(`${operator.url}/master/state`);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const state = (await res.json()) as StateJson;
    expect(state.slaves.map((a) => [a.id, a.hostname])).toEqual([[node.metadata?.uid, node.metadata?.name]]);
    const [agent] = state.slaves;
    expect(agent?.resources).toMatchObject({ cpus: 9, mem: 18 * 1024 });
    // a: 3 × <1, 4096>, b: 2 × <3, 1024>
    expect(agent?.used_resources).toMatchObject({ cpus: 9, mem: 3 * 4096 + 2 * 1024 });
    const fws = await Promise.all(['a', 'b'].map((n) => s.getFramework(n)));
    expect(state.frameworks.map((f) => [f.id, f.name, f.tasks.length])).toEqual([
      [fws[0]?.metadata.uid, `${s.namespace}/a`, 3],
      [fws[1]?.metadata.uid, `${s.namespace}/b`, 2],
    ]);
    const running = tasks.filter((t) => t.status?.state === 'TASK_RUNNING').map((t) => t.metadata.name);
    const listed = state.frameworks.flatMap((f) => f.tasks);
    expect(listed.map((t) => t.id).sort()).toEqual(running.sort());
    expect(new Set(listed.map((t) => t.slave_id))).toEqual(new Set([node.metadata?.uid]));
  });

  it('/master/state?jsonp=cb answers the same state as JavaScript calling cb', async () => {
    const res = await fetch(`${operator.url}/master/state?jsonp=cb`);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    const body = await res.text();
    expect(body.startsWith('cb(') && body.endsWith(');')).toBe(true);
    const state = JSON.parse(body.slice('cb('.length, -');'.length)) as StateJson;
    expect(state.slaves.map((a) => a.id)).toEqual([node.metadata?.uid]);
  });

  it('/metrics/snapshot counts what the running tasks use, under Mesos’ names', async () => {
    const snapshot = (await (await fetch(`${operator.url}/metrics/snapshot`)).json()) as Record<
      string,
      number
    >;
    expect(snapshot).toMatchObject({
      'master/elected': 1,
      'master/cpus_total': 9,
      'master/cpus_used': runningSum(tasks, 'cpu') / 1000,
      'master/mem_used': runningSum(tasks, 'memory') / 2 ** 20,
      'master/tasks_running': 5,
      'master/slaves_active': 1,
      'master/frameworks_active': 2,
      'master/outstanding_offers': 0,
    });
    expect(snapshot['master/cpus_used']).toBe(9);
    // Both frameworks are in role *: 9 of 9 CPUs, 14 of 18 GiB → dominant share 1.
    expect(snapshot['allocator/mesos/roles/*/shares/dominant']).toBeCloseTo(1, 6);
    expect(snapshot['allocator/mesos/allocation_runs']).toBeGreaterThan(0);
  });

  it('/master/tasks pages through the tasks with limit and offset', async () => {
    const page = async (query: string): Promise<string[]> => {
      const res = await fetch(`${operator.url}/master/tasks?${query}`);
      return ((await res.json()) as { tasks: { id: string }[] }).tasks.map((t) => t.id);
    };
    const all = await page('limit=100&order=asc');
    expect(all).toHaveLength(5);
    expect(await page('limit=2&order=asc')).toEqual(all.slice(0, 2));
    expect(await page('limit=2&offset=4&order=asc')).toEqual(all.slice(4));
  });

  it('/master/redirect sends a client to the leader, here this replica itself', async () => {
    const res = await fetch(`${operator.url}/master/redirect`, { redirect: 'manual' });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe(`//${operator.url.replace(/^http:\/\//, '')}`);
  });

  it('POST /api/v1 GET_STATE answers the same in JSON and in protobuf', async () => {
    const call = (media: MediaType): Promise<MasterResponse> =>
      operatorCall(operator.url, codec.encodeMasterCall({ type: 'GET_STATE' }, media), media);
    const json = await call('application/json');
    expect(await call('application/x-protobuf')).toEqual(json);
    const state = json.get_state;
    expect(state?.get_agents?.agents?.map((a) => a.agent_info.id?.value)).toEqual([node.metadata?.uid]);
    expect(state?.get_frameworks?.frameworks).toHaveLength(2);
    const running = state?.get_tasks?.tasks ?? [];
    expect(running.map((t) => t.state)).toEqual(Array(5).fill('TASK_RUNNING'));
    const cpus = running.flatMap((t) => t.resources ?? []).filter((r) => r.name === 'cpus');
    expect(cpus.reduce((sum, r) => sum + (r.scalar?.value ?? 0), 0)).toBe(runningSum(tasks, 'cpu') / 1000);
  });

  it('kubectl get mtasks says why the tasks without a state wait', async () => {
    const { stdout } = await run('kubectl', ['get', 'mtasks', '-n', s.namespace]);
    const table = columns(stdout);
    const reasons = new Map(
      (await s.allTasks()).map((t) => [
        t.metadata.name,
        t.status?.conditions?.find((c) => c.type === 'Scheduled')?.reason ?? '',
      ]),
    );
    expect(table.map((r) => [r['NAME'], r['STATUS']])).toEqual([...reasons]);
    // 7 tasks wait (nothing more fits on the node), 5 run.
    const waiting = table.filter((r) => r['STATE'] === '');
    expect(waiting).toHaveLength(7);
    for (const r of waiting) expect(['Pending', 'Unschedulable']).toContain(r['STATUS']);
    expect(table.filter((r) => r['STATE'] === 'TASK_RUNNING').map((r) => r['STATUS'])).toEqual(
      Array(5).fill('Launched'),
    );
  });
});

describe('a standby read as a Mesos master', () => {
  const s = new Scenario(kc);
  let leader!: OperatorProcess;
  let standby!: OperatorProcess;

  beforeAll(async () => {
    await s.setup();
    await s.nodes(1, { cpu: '4', memory: '8Gi' });
    await s.framework('a');
    await s.tasks('a', 2, { framework: 'a', resources: { cpu: '1', memory: '1Gi' } });
    const lease = { namespace: s.namespace, name: uniqueName('kmesos-leader') };
    const extra = ['--mesos-anonymous=true', '--advertise-host=127.0.0.1', '--lease-duration-seconds=4'];
    const replicas = await Promise.all(
      ['x', 'y'].map((identity) => s.startReplica({ ...lease, identity }, extra)),
    );
    const leading = await eventually(async () => {
      const flags = await Promise.all(replicas.map(async (r) => (await r.readyz()).leader));
      if (flags.filter(Boolean).length !== 1) throw new Error(`leaders: ${JSON.stringify(flags)}`);
      return flags;
    }, 30_000);
    const [l, st] = [replicas[leading.indexOf(true)], replicas[leading.indexOf(false)]];
    if (!l || !st) throw new Error('no leader and standby');
    [leader, standby] = [l, st];
    await s.waitForStates('a', 'TASK_RUNNING', 2);
  });

  afterAll(async () => {
    for (const r of s.replicas) expect(r.errors()).toEqual([]);
    await s.teardown();
  });

  it('shows what its caches know, master/elected 0 and no allocator figures', async () => {
    const snapshot = async (r: OperatorProcess): Promise<Record<string, number>> =>
      (await (await fetch(`${r.url}/metrics/snapshot`)).json()) as Record<string, number>;
    // The standby learns the tasks' states from the status the leader writes.
    const seen = await eventually(async () => {
      const m = await snapshot(standby);
      expect(m['master/tasks_running']).toBe(2);
      return m;
    });
    expect(seen).toMatchObject({ 'master/elected': 0, 'master/cpus_used': 2, 'master/cpus_total': 4 });
    expect(Object.keys(seen).filter((k) => k.startsWith('allocator/'))).toEqual([]);
    expect(await snapshot(leader)).toMatchObject({ 'master/elected': 1, 'master/cpus_used': 2 });
  });

  it('redirects to the leader and names it in its state', async () => {
    const leaderAddress = leader.url.replace(/^http:\/\//, '');
    // A standby names the leader once its next look at the Lease has read the leader's address.
    await eventually(async () => {
      const res = await fetch(`${standby.url}/master/redirect`, { redirect: 'manual' });
      expect([res.status, res.headers.get('location')]).toEqual([307, `//${leaderAddress}`]);
    }, 15_000);
    const state = (await (await fetch(`${standby.url}/master/state`)).json()) as StateJson & {
      leader: string;
    };
    expect(state.leader).toBe(`master@${leaderAddress}`);
    expect(state).not.toHaveProperty('elected_time');
  });

  it('streams the operator API’s SUBSCRIBE from its caches: the state, then the tasks the leader launches', async () => {
    const media: MediaType = 'application/x-protobuf';
    const stream = await openStream(standby.url, {
      path: '/api/v1',
      headers: { 'Content-Type': media, Accept: media },
      body: codec.encodeMasterCall({ type: 'SUBSCRIBE' }, media),
      mediaType: media,
    });
    expect(stream.status).toBe(200);
    const events = (): MasterEvent[] =>
      stream.records.map((r) => {
        const decoded = codec.decodeMasterEvent(r, media);
        if (!decoded.ok) throw new Error(decoded.error.message);
        return decoded.value;
      });
    const subscribed = await eventually(() => {
      const [first] = events();
      if (!first) throw new Error('no event yet');
      return first;
    });
    expect(subscribed.type).toBe('SUBSCRIBED');
    expect(subscribed.subscribed?.get_state?.get_tasks?.tasks?.map((t) => t.task_id.value).sort()).toEqual([
      'a-0',
      'a-1',
    ]);
    await s.tasks('late', 1, { framework: 'a', resources: { cpu: '1', memory: '1Gi' } });
    await eventually(() => {
      expect(events().some((e) => e.task_added?.task.task_id.value === 'late-0')).toBe(true);
    }, 60_000);
    expect(stream.violations).toEqual([]);
    stream.close();
  });
});

describe('an external framework read as a Mesos master', () => {
  const s = new Scenario(kc);
  let operator!: OperatorProcess;
  const sched = new MesosTestScheduler({ codec, timeoutMs: 60_000 });

  beforeAll(async () => {
    await s.setup();
    await s.nodes(1, { cpu: '4', memory: '8Gi' });
    operator = await s.startOperator(['--mesos-anonymous=true']);
  });

  afterAll(async () => {
    await sched.teardown();
    expect(operator.errors()).toEqual([]);
    await s.teardown();
  });

  it('shows its FrameworkInfo, its outstanding offer, and its task under the Mesos task ID', async () => {
    await sched.subscribe(
      operator.url,
      { user: 'nobody', name: 'reader', failover_timeout: 60 },
      { mediaType: 'application/json' },
    );
    const frameworkId = (await sched.nextEvent('SUBSCRIBED')).subscribed.framework_id.value;
    const offer = (await sched.nextEvent('OFFERS')).offers.offers?.[0] as Offer;
    const state = async (): Promise<StateJson> =>
      (await (await fetch(`${operator.url}/master/state`)).json()) as StateJson;
    const before = await state();
    expect(before.frameworks.map((f) => [f.id, f.name, f.offers.map((o) => o.id)])).toEqual([
      [frameworkId, 'reader', [offer.id.value]],
    ]);
    const snapshot = (await (await fetch(`${operator.url}/metrics/snapshot`)).json()) as Record<
      string,
      number
    >;
    expect(snapshot).toMatchObject({ 'master/outstanding_offers': 1, 'master/frameworks_connected': 1 });

    const task = {
      name: 'web',
      task_id: { value: 'web.1' },
      agent_id: offer.agent_id,
      resources: [
        { name: 'cpus', type: 'SCALAR' as const, scalar: { value: 0.5 } },
        { name: 'mem', type: 'SCALAR' as const, scalar: { value: 64 } },
      ],
      command: { shell: true, value: 'sleep 600' },
    };
    await sched.accept([offer.id], [{ type: 'LAUNCH', launch: { task_infos: [task] } }]);
    await eventually(async () => {
      const fw = (await state()).frameworks[0];
      expect(fw?.tasks.map((t) => [t.id, t.state, t.slave_id])).toEqual([
        ['web.1', 'TASK_RUNNING', offer.agent_id.value],
      ]);
    });
  });
});
