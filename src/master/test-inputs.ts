/**
 * A small cluster as MasterInputs, for the master's unit tests: one node of 12 CPU / 20 GiB
 * of which a foreign pod holds 1 CPU / 2 GiB (11 CPU / 18 GiB left to frameworks), the DRF
 * paper's two Builtin frameworks, and an External framework with an outstanding offer.
 */
import type { V1Node } from '@kubernetes/client-node';
import type { Offer } from '../allocator/index.js';
import { ANNOTATIONS } from '../api/constants.js';
import type { TaskState } from '../api/task-states.js';
import { frameworkObject, readyNode, taskObject } from '../api/test-builders.js';
import type { Framework, Task, TaskStatus } from '../api/types.js';
import type { MasterInputs } from './inputs.js';

export const NOW = Date.parse('2025-01-01T01:00:00Z');
export const GIB = 2 ** 30;
export const NODE_UID = 'uid-n1';

export function node(name = 'n1', over: Partial<V1Node> = {}): V1Node {
  const base = readyNode(name, { cpu: '12', memory: '20Gi', 'ephemeral-storage': '100Gi' });
  return {
    ...base,
    metadata: { ...base.metadata, creationTimestamp: new Date('2025-01-01T00:00:00Z') },
    status: {
      ...base.status,
      addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    },
    ...over,
  };
}

/** A Task of `framework` in `state` on n1, launched at 00:10 and (if it got so far) started at 00:11. */
export function task(
  name: string,
  framework: string,
  resources: Record<string, string>,
  state?: TaskState,
): Task {
  const t = taskObject(name, { framework, resources });
  if (state === undefined) return t;
  const status: TaskStatus = {
    state,
    agentID: NODE_UID,
    nodeName: 'n1',
    launchTime: '2025-01-01T00:10:00Z',
    ...(state !== 'TASK_STAGING' ? { startTime: '2025-01-01T00:11:00Z' } : {}),
    ...(state === 'TASK_FINISHED' ? { completionTime: '2025-01-01T00:12:00Z' } : {}),
  };
  return { ...t, status };
}

export function externalFramework(name: string): Framework {
  const fw = frameworkObject(name, { scheduler: 'External', role: 'eng/ml' });
  return {
    ...fw,
    metadata: { ...fw.metadata, annotations: { [ANNOTATIONS.frameworkID]: 'ext-fw-id' } },
    spec: {
      ...fw.spec,
      frameworkInfo: {
        name: 'marathon',
        user: 'root',
        principal: 'marathon',
        hostname: 'sched.example',
        capabilities: ['MULTI_ROLE', 'PARTITION_AWARE'],
      },
    },
  };
}

export const OFFER: Offer = {
  offerId: 'o-1',
  frameworkId: 'ns/ext',
  agentId: NODE_UID,
  hostname: 'n1',
  role: 'eng/ml',
  resources: { cpu: 500, memory: GIB },
  expiresAt: null,
};

function byKey<T extends { metadata: { namespace?: string; name?: string } }>(list: T[]): Map<string, T> {
  return new Map(list.map((o) => [`${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`, o]));
}

export function clusterInputs(over: Partial<MasterInputs> = {}): MasterInputs {
  const ext = task('web-x1', 'ext', { cpu: '250m', memory: '128Mi' }, 'TASK_RUNNING');
  ext.metadata.annotations = {
    [ANNOTATIONS.mesosTaskId]: 'web.1',
    [ANNOTATIONS.mesosTaskName]: 'web',
    [ANNOTATIONS.mesosLabels]: JSON.stringify([{ key: 'team', value: 'ml' }]),
  };
  const tasks = byKey([
    task('a-0', 'a', { cpu: '1', memory: '4Gi' }, 'TASK_RUNNING'),
    task('a-1', 'a', { cpu: '1', memory: '4Gi' }, 'TASK_RUNNING'),
    task('a-2', 'a', { cpu: '1', memory: '4Gi' }, 'TASK_STAGING'),
    task('a-3', 'a', { cpu: '1', memory: '4Gi' }),
    task('a-4', 'a', { cpu: '1', memory: '4Gi' }, 'TASK_FINISHED'),
    task('b-0', 'b', { cpu: '3', memory: '1Gi' }, 'TASK_RUNNING'),
    task('b-1', 'b', { cpu: '3', memory: '1Gi' }, 'TASK_UNREACHABLE'),
    ext,
  ]);
  return {
    now: NOW,
    self: {
      info: { id: 'kmesos-0', ip: 0, port: 8080, hostname: 'op-host', version: '1.11.0' },
      address: { hostname: '10.0.0.9', port: 8080 },
      startTime: NOW - 60_000,
      electedTime: NOW - 30_000,
      flags: { allocation_interval: '1000ms' },
    },
    leader: { hostname: '10.0.0.9', port: 8080 },
    nodes: [node()],
    foreignRequests: new Map([['n1', { cpu: 1000, memory: 2 * GIB }]]),
    frameworks: byKey([frameworkObject('a'), frameworkObject('b'), externalFramework('ext')]),
    tasks,
    taskStatus: (key) => tasks.get(key)?.status,
    roles: [],
    offers: [OFFER],
    connected: (key) => (key === 'ns/ext' ? true : undefined),
    ...over,
  };
}
