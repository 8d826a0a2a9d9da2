/**
 * The TypeScript types of kmesos' resources, derived from the CRD schemas (see schema/builders.ts).
 * Never write these by hand: change the schema and the type follows.
 *
 * `…Spec`/`…Status` are objects as read from the API server (defaulted fields present);
 * `…SpecInput` are objects as written by a client (defaulted fields optional).
 */
import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { FromSchema } from './schema/builders.js';
import type { condition, envVar, toleration } from './schema/common.js';
import type { frameworkSpec, frameworkStatus } from './schema/framework.js';
import type { resourceRoleSpec, resourceRoleStatus } from './schema/resourcerole.js';
import type { constraint, containerSpec, taskSpec, taskStatus } from './schema/task.js';

/** Resource names mapped to Kubernetes quantities, as written in specs. */
export type ResourceList = { [name: string]: number | string };
/** Resource names mapped to formatted quantities, as written in status. */
export type ResourceFigures = { [name: string]: string };

export type Condition = FromSchema<typeof condition>;
export type ConditionStatus = Condition['status'];
export type Toleration = FromSchema<typeof toleration>;
export type EnvVar = FromSchema<typeof envVar>;

export type ResourceRoleSpec = FromSchema<typeof resourceRoleSpec>;
export type ResourceRoleSpecInput = FromSchema<typeof resourceRoleSpec, 'write'>;
export type ResourceRoleStatus = FromSchema<typeof resourceRoleStatus>;

export type FrameworkSpec = FromSchema<typeof frameworkSpec>;
export type FrameworkSpecInput = FromSchema<typeof frameworkSpec, 'write'>;
export type FrameworkStatus = FromSchema<typeof frameworkStatus>;
export type Placement = FrameworkSpec['placement'];
export type SchedulerKind = FrameworkSpec['scheduler'];

export type TaskSpec = FromSchema<typeof taskSpec>;
export type TaskSpecInput = FromSchema<typeof taskSpec, 'write'>;
export type TaskStatus = FromSchema<typeof taskStatus>;
export type TaskConstraint = FromSchema<typeof constraint>;
export type ContainerSpec = FromSchema<typeof containerSpec>;
export type RetryPolicy = TaskSpec['retry'];

/** An object of one of kmesos' kinds. Status is absent until the operator first writes it. */
export interface KmesosObject<K extends string, Spec, Status> {
  apiVersion: string;
  kind: K;
  metadata: V1ObjectMeta;
  spec: Spec;
  status?: Status;
}

export type ResourceRole = KmesosObject<'ResourceRole', ResourceRoleSpec, ResourceRoleStatus>;
export type Framework = KmesosObject<'Framework', FrameworkSpec, FrameworkStatus>;
export type Task = KmesosObject<'Task', TaskSpec, TaskStatus>;
