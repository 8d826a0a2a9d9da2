/** The API group, version and names of kmesos' custom resources, and the keys it puts on pods. */

export const GROUP = 'kmesos.io';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

/** The category that makes `kubectl get kmesos` list all three kinds. */
export const CATEGORY = 'kmesos';

export const KINDS = {
  resourceRole: {
    kind: 'ResourceRole',
    plural: 'resourceroles',
    singular: 'resourcerole',
    shortNames: ['rr'],
  },
  framework: { kind: 'Framework', plural: 'frameworks', singular: 'framework', shortNames: ['fw'] },
  // `task`/`tasks` alone would clash with other projects' Task kinds (e.g. Tekton), so the short name is mtask.
  task: { kind: 'Task', plural: 'tasks', singular: 'task', shortNames: ['mtask', 'mtasks'] },
} as const;

/** Label and annotation keys on the pods kmesos launches. */
export const LABELS = {
  framework: `${GROUP}/framework`,
  task: `${GROUP}/task`,
  role: `${GROUP}/role`,
  attempt: `${GROUP}/attempt`,
  managedBy: 'app.kubernetes.io/managed-by',
} as const;

export const MANAGED_BY = 'kmesos';

export const ANNOTATIONS = {
  offerID: `${GROUP}/offer-id`,
  agentID: `${GROUP}/agent-id`,
  /** The exact role, since a label value cannot hold `*`, `/` or more than 63 characters. */
  role: `${GROUP}/role`,
  frameworkID: `${GROUP}/framework-id`,
  /** On Tasks launched through the Mesos API: the task's Mesos ID and name, and its labels as JSON. */
  mesosTaskId: `${GROUP}/mesos-task-id`,
  mesosTaskName: `${GROUP}/mesos-task-name`,
  mesosLabels: `${GROUP}/mesos-labels`,
  /** On a group's pod: the names of the group's Tasks, leader first (JSON). */
  groupTasks: `${GROUP}/group-tasks`,
  /** On a task run by a custom executor: its Mesos TaskInfo, and on the leader the ExecutorInfo (Mesos JSON). */
  mesosTaskInfo: `${GROUP}/mesos-task-info`,
  mesosExecutorInfo: `${GROUP}/mesos-executor-info`,
} as const;

/** Mesos' default role: frameworks without a role, and roles without a ResourceRole, weigh 1. */
export { DEFAULT_ROLE } from '../allocator/allocator.js';
