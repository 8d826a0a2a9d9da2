import type { V1Node } from '@kubernetes/client-node';
import type { ResourceRole } from '../api/types.js';
import { createMesosCodec, loadMesosSchema, type MediaType } from '../scheduler/mesos/index.js';
import type { Call_Type, Response } from '../scheduler/mesos/types/master.js';
import type { Task } from '../scheduler/mesos/types/v1.js';
import { answerCall, SERVED_CALLS } from './operator-api.js';
import { NODE_UID, NOW, clusterInputs, node } from './test-inputs.js';

const codec = createMesosCodec(loadMesosSchema());
const inputs = clusterInputs({
  allocator: { roleShare: () => 0.5, runs: 3, runTimes: undefined },
});

function answer(type: Call_Type): Response {
  const a = answerCall({ type }, inputs);
  if (!a.ok) throw new Error(a.message);
  return a.response;
}

describe('answerCall', () => {
  it.each(SERVED_CALLS.filter((c) => c.startsWith('GET_')))(
    '%s: a valid Response, the same through JSON and protobuf',
    (type) => {
      const response = answer(type as Call_Type);
      expect(response.type).toBe(type);
      for (const media of ['application/json', 'application/x-protobuf'] as MediaType[]) {
        // Decoding checks every required field, so this also proves the message complete.
        expect(codec.decodeMasterResponse(codec.encodeMasterResponse(response, media), media)).toEqual({
          ok: true,
          value: response,
        });
      }
    },
  );

  it.each<Call_Type>(['TEARDOWN', 'RESERVE_RESOURCES', 'START_MAINTENANCE', 'UNKNOWN'])(
    'refuses %s by name with a 400',
    (type) => {
      const a = answerCall({ type }, inputs);
      expect(a).toMatchObject({ ok: false, status: 400 });
      expect(!a.ok && a.message).toMatch(
        new RegExp(`^${type} is not supported by kmesos yet; it serves GET_HEALTH,`),
      );
    },
  );

  it('GET_STATE: tasks in their buckets, frameworks, agents, in Mesos resources', () => {
    const state = answer('GET_STATE').get_state ?? {};
    const tasks = state.get_tasks ?? {};
    const ids = (list: Task[] = []): string[] => list.map((t) => t.task_id.value);
    expect(ids(tasks.tasks)).toEqual(['a-0', 'a-1', 'a-2', 'b-0', 'web.1']);
    expect(ids(tasks.unreachable_tasks)).toEqual(['b-1']);
    expect(ids(tasks.completed_tasks)).toEqual(['a-4']);
    const web = tasks.tasks?.find((t) => t.task_id.value === 'web.1');
    expect(web).toMatchObject({
      name: 'web',
      framework_id: { value: 'ext-fw-id' },
      agent_id: { value: NODE_UID },
      state: 'TASK_RUNNING',
      resources: [
        {
          name: 'cpus',
          type: 'SCALAR',
          scalar: { value: 0.25 },
          role: '*',
          allocation_info: { role: 'eng/ml' },
        },
        {
          name: 'mem',
          type: 'SCALAR',
          scalar: { value: 128 },
          role: '*',
          allocation_info: { role: 'eng/ml' },
        },
      ],
      labels: { labels: [{ key: 'team', value: 'ml' }] },
    });
    expect(web?.statuses?.map((s) => s.state)).toEqual(['TASK_STAGING', 'TASK_RUNNING']);
    const ext = state.get_frameworks?.frameworks?.find((f) => f.framework_info.id?.value === 'ext-fw-id');
    expect(ext).toMatchObject({
      framework_info: { name: 'marathon', user: 'root', roles: ['eng/ml'], principal: 'marathon' },
      active: true,
      connected: true,
      recovered: false,
      offers: [{ id: { value: 'o-1' }, agent_id: { value: NODE_UID }, hostname: 'n1' }],
    });
    expect(state.get_agents?.agents?.[0]).toMatchObject({
      agent_info: { hostname: 'n1', id: { value: NODE_UID }, port: 10250 },
      active: true,
      pid: 'slave(1)@10.0.0.1:10250',
      registered_time: { nanoseconds: Date.parse('2025-01-01T00:00:00Z') * 1e6 },
    });
  });

  describe('maintenance: cordoned nodes', () => {
    const cordon = (name: string, taintedAt?: string): V1Node => {
      const n = node(name);
      return {
        ...n,
        metadata: { ...n.metadata, uid: `uid-${name}` },
        spec: {
          ...n.spec,
          unschedulable: true,
          ...(taintedAt !== undefined
            ? {
                taints: [
                  {
                    key: 'node.kubernetes.io/unschedulable',
                    effect: 'NoSchedule',
                    timeAdded: new Date(taintedAt),
                  },
                ],
              }
            : {}),
        },
      };
    };
    // n1 runs tasks (uid-n1 is NODE_UID), n2 runs none, n3 is not cordoned.
    const maintenance = clusterInputs({
      nodes: [cordon('n1', '2025-01-01T00:30:00Z'), cordon('n2'), node('n3')],
    });
    const read = (type: Call_Type): Response => {
      const a = answerCall({ type }, maintenance);
      if (!a.ok) throw new Error(a.message);
      return a.response;
    };

    it('GET_MAINTENANCE_STATUS: draining while kmesos tasks run there, down once none does', () => {
      expect(read('GET_MAINTENANCE_STATUS').get_maintenance_status).toEqual({
        status: {
          draining_machines: [{ id: { hostname: 'n1', ip: '10.0.0.1' } }],
          down_machines: [{ hostname: 'n2', ip: '10.0.0.1' }],
        },
      });
    });

    it('GET_MAINTENANCE_SCHEDULE: a window per cordoned node, from its taint or now', () => {
      expect(read('GET_MAINTENANCE_SCHEDULE').get_maintenance_schedule?.schedule.windows).toEqual([
        {
          machine_ids: [{ hostname: 'n1', ip: '10.0.0.1' }],
          unavailability: { start: { nanoseconds: Date.parse('2025-01-01T00:30:00Z') * 1e6 } },
        },
        {
          machine_ids: [{ hostname: 'n2', ip: '10.0.0.1' }],
          unavailability: { start: { nanoseconds: NOW * 1e6 } },
        },
      ]);
    });
  });

  it('GET_QUOTA: the ResourceRoles that set a quota, in Mesos units', () => {
    const roles: ResourceRole[] = [
      {
        apiVersion: 'kmesos.io/v1alpha1',
        kind: 'ResourceRole',
        metadata: { name: 'eng.ml' },
        spec: {
          weight: 2,
          preemptionPolicy: 'GuaranteeOnly',
          quota: { guarantee: { cpu: '1500m' }, limit: { memory: '2Gi' } },
        },
      },
      {
        apiVersion: 'kmesos.io/v1alpha1',
        kind: 'ResourceRole',
        metadata: { name: 'ops' },
        spec: { weight: 3, preemptionPolicy: 'GuaranteeOnly' },
      },
    ];
    const a = answerCall({ type: 'GET_QUOTA' }, clusterInputs({ roles }));
    expect(a.ok && a.response.get_quota).toEqual({
      status: {
        configs: [{ role: 'eng/ml', guarantees: { cpus: { value: 1.5 } }, limits: { mem: { value: 2048 } } }],
      },
    });
  });

  it('GET_MASTER: this master, its pid and times in seconds', () => {
    expect(answer('GET_MASTER').get_master).toEqual({
      master_info: {
        id: 'kmesos-0',
        ip: 0,
        port: 8080,
        hostname: 'op-host',
        version: '1.11.0',
        pid: 'master@10.0.0.9:8080',
      },
      start_time: (inputs.self.startTime ?? 0) / 1000,
      elected_time: (inputs.self.electedTime ?? 0) / 1000,
    });
  });

  it('GET_METRICS: the snapshot as name and value', () => {
    const metrics = answer('GET_METRICS').get_metrics?.metrics ?? [];
    expect(metrics).toContainEqual({ name: 'master/cpus_used', value: 9.25 });
    expect(metrics).toContainEqual({ name: 'allocator/mesos/roles/*/shares/dominant', value: 0.5 });
  });

  it('GET_ROLES and GET_VERSION', () => {
    expect(answer('GET_ROLES').get_roles?.roles?.map((r) => [r.name, r.weight])).toEqual([
      ['*', 1],
      ['eng', 1],
      ['eng/ml', 1],
    ]);
    expect(answer('GET_VERSION').get_version?.version_info.version).toBe('1.11.0');
  });
});
