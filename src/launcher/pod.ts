/**
 * Builds the pod of one task attempt. Pure: the launcher creates it. The name is derived from the
 * task and the attempt only, so a create retried after a crash meets the existing pod (409)
 * instead of launching the task twice.
 */
import type { V1Container, V1EnvVar, V1Pod, V1SecurityContext } from '@kubernetes/client-node';
import { ANNOTATIONS, LABELS, MANAGED_BY } from '../api/constants.js';
import { frameworkIdOf } from '../api/framework-id.js';
import { shortHash } from '../api/hash.js';
import { roleLabelValue } from '../api/roles.js';
import type { Framework, Task } from '../api/types.js';
import { add, formatQuantity, parseResourceList, type Resources } from '../resources/index.js';
import { fetchContainer } from './fetch.js';

/** The one container of a task pod. */
export const TASK_CONTAINER = 'task';
/** The one container of a custom executor's pod. */
export const EXECUTOR_CONTAINER = 'executor';
/** The variable that holds a custom executor's token in its container's environment. */
export const EXECUTOR_TOKEN_VARIABLE = 'MESOS_EXECUTOR_AUTHENTICATION_TOKEN';
/** Mesos' sandbox path, the working directory of command tasks (an emptyDir). */
export const SANDBOX_PATH = '/mnt/mesos/sandbox';
/** The user command tasks run as unless the framework says otherwise (nobody). */
export const DEFAULT_RUN_AS_USER = 65534;

const MAX_NAME = 63;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface PodDefaults {
  /** The image command tasks run in when the framework names none. */
  image: string;
}

export interface PodBuildInput {
  task: Task;
  framework: Framework;
  attempt: number;
  /** The offered node; the pod is bound to it. */
  nodeName: string;
  agentID: string;
  offerID: string;
  defaults: PodDefaults;
  /**
   * A group's pod (task.spec.group set): every task of the group, the leader (`task`) first.
   * Absent for a task of its own.
   */
  group?: readonly Task[];
  /** Variables of the custom executor's environment beyond the tasks' (its endpoint, its token). */
  executorEnv?: readonly V1EnvVar[];
}

/**
 * `<task>-<attempt>` when that is a DNS label of at most 63 characters. Otherwise (dots in the name,
 * or too long) the cleaned, shortened name plus a hash of the full task name, so that two tasks never
 * share a pod name: `<prefix>-<hash8>-<attempt>`.
 */
export function podName(taskName: string, attempt: number): string {
  const plain = `${taskName}-${attempt}`;
  if (plain.length <= MAX_NAME && DNS_LABEL.test(plain)) return plain;
  const hash = shortHash(taskName);
  const room = MAX_NAME - hash.length - String(attempt).length - 2;
  const prefix = taskName
    .toLowerCase()
    .replace(/[^-a-z0-9]/g, '-')
    .slice(0, room)
    .replace(/^-+|-+$/g, '');
  return prefix ? `${prefix}-${hash}-${attempt}` : `${hash}-${attempt}`;
}

/** The pod name of a task's attempt: the tasks of a group share their leader's pod. */
export function taskPodName(task: Task, attempt: number): string {
  return podName(task.spec.group ?? task.metadata.name ?? '', attempt);
}

/** The container a task runs in: `task` alone, its own name in a group, `executor` under a custom executor. */
export function taskContainerName(task: Task): string {
  if (task.spec.executor?.type === 'Custom') return EXECUTOR_CONTAINER;
  return task.spec.group !== undefined ? (task.metadata.name ?? '') : TASK_CONTAINER;
}

/** Whether a task's state comes from its custom executor's updates rather than from its container. */
export function runsOnCustomExecutor(task: Task): boolean {
  return task.spec.executor?.type === 'Custom';
}

function formatted(r: Resources): { [name: string]: string } {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, formatQuantity(k, v)]));
}

/** Requests = limits = the task's resources, as strings the API accepts. */
function resources(task: Task): { [name: string]: string } {
  return Object.fromEntries(Object.entries(task.spec.resources).map(([k, v]) => [k, String(v)]));
}

/** The resources of a group's tasks together, and its executor's: what the whole pod requests. */
export function groupResources(tasks: readonly Task[]): Resources {
  let sum = parseResourceList(tasks[0]?.spec.executor?.resources);
  for (const t of tasks) sum = add(sum, parseResourceList(t.spec.resources));
  return sum;
}

/** Mesos' environment for the task; the task's own variables win over these. */
function mesosEnv(input: PodBuildInput, task: Task, own: readonly V1EnvVar[]): V1EnvVar[] {
  const names = new Set(own.map((e) => e.name));
  const base: V1EnvVar[] = [
    {
      name: 'MESOS_TASK_ID',
      value: task.metadata.annotations?.[ANNOTATIONS.mesosTaskId] ?? task.metadata.name ?? '',
    },
    {
      name: 'MESOS_FRAMEWORK_ID',
      value: frameworkIdOf(input.framework),
    },
    { name: 'MESOS_AGENT_ID', value: input.agentID },
    { name: 'MESOS_SANDBOX', value: SANDBOX_PATH },
  ];
  return [...base.filter((e) => !names.has(e.name)), ...own];
}

function securityContext(): V1SecurityContext {
  return {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** A task's container: its workload, named and sized as given. */
function container(
  input: PodBuildInput,
  task: Task,
  name: string,
  limits: { [name: string]: string },
  env: (own: readonly V1EnvVar[]) => V1EnvVar[],
): V1Container {
  const { framework } = input;
  const ports = (task.spec.hostPorts ?? []).map((p) => ({ containerPort: p, hostPort: p, protocol: 'TCP' }));
  const common = {
    name,
    ...(ports.length > 0 ? { ports } : {}),
    resources: { requests: limits, limits: { ...limits } },
    securityContext: securityContext(),
    volumeMounts: [
      { name: 'sandbox', mountPath: SANDBOX_PATH },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
  const c = task.spec.container;
  if (c === undefined)
    return {
      ...common,
      image: framework.spec.taskDefaults.image ?? input.defaults.image,
      command: ['sh', '-c', task.spec.command ?? ''],
      workingDir: SANDBOX_PATH,
      env: env(task.spec.env ?? []),
    };
  return {
    ...common,
    image: c.image,
    ...(c.command ? { command: [...c.command] } : {}),
    ...(c.args ? { args: [...c.args] } : {}),
    workingDir: c.workingDir ?? SANDBOX_PATH,
    ...(c.imagePullPolicy ? { imagePullPolicy: c.imagePullPolicy } : {}),
    env: env(c.env ?? []),
  };
}

/**
 * The pod's containers: the task's alone; one per task of a group, named after each task (the
 * executor's resources go to the leader's); or a custom executor's, sized for the executor
 * and every task it runs.
 */
function podContainers(input: PodBuildInput): V1Container[] {
  const { task } = input;
  const group = input.group ?? [task];
  if (task.spec.group === undefined)
    return [container(input, task, TASK_CONTAINER, resources(task), (own) => mesosEnv(input, task, own))];
  if (runsOnCustomExecutor(task)) {
    const extra = input.executorEnv ?? [];
    const env = (own: readonly V1EnvVar[]): V1EnvVar[] => {
      const names = new Set(own.map((e) => e.name));
      const base = mesosEnv(input, task, []).filter((e) => e.name !== 'MESOS_TASK_ID');
      return [...[...base, ...extra].filter((e) => !names.has(e.name)), ...own];
    };
    return [container(input, task, EXECUTOR_CONTAINER, formatted(groupResources(group)), env)];
  }
  const executor = parseResourceList(task.spec.executor?.resources);
  return group.map((t, i) =>
    container(
      input,
      t,
      taskContainerName(t),
      formatted(
        i === 0 ? add(parseResourceList(t.spec.resources), executor) : parseResourceList(t.spec.resources),
      ),
      (own) => mesosEnv(input, t, own),
    ),
  );
}

/** The fetcher, when a task of the pod has URIs: it runs first, in the default command image. */
function initContainers(
  input: PodBuildInput,
  first: V1Container | undefined,
  runAsUser: number | undefined,
): { initContainers?: V1Container[] } {
  const uris = (input.group ?? [input.task]).flatMap((t) => t.spec.fetch ?? []);
  if (uris.length === 0 || first === undefined) return {};
  const image = input.framework.spec.taskDefaults.image ?? input.defaults.image;
  const at = { image, sandbox: SANDBOX_PATH, runAsUser: runAsUser ?? DEFAULT_RUN_AS_USER };
  return { initContainers: [fetchContainer(uris, at, first)] };
}

export function buildPod(input: PodBuildInput): V1Pod {
  const { task, framework, attempt } = input;
  const containers = podContainers(input);
  const defaults = framework.spec.taskDefaults;
  const taskName = task.metadata.name ?? '';
  // Command tasks run in a generic image whose user is often root: run them as nobody by default.
  const identity =
    defaults.runAsUser !== undefined
      ? { runAsUser: defaults.runAsUser }
      : task.spec.command !== undefined
        ? { runAsUser: DEFAULT_RUN_AS_USER, runAsGroup: DEFAULT_RUN_AS_USER, fsGroup: DEFAULT_RUN_AS_USER }
        : {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: taskPodName(task, attempt),
      namespace: task.metadata.namespace,
      labels: {
        [LABELS.framework]: task.spec.framework,
        [LABELS.task]: labelValue(taskName),
        [LABELS.role]: roleLabelValue(framework.spec.role),
        [LABELS.attempt]: String(attempt),
        [LABELS.managedBy]: MANAGED_BY,
      },
      annotations: {
        // A Task's own annotations pass to its pods (kwok's fake-* ones among them), kubectl's excepted.
        ...passedAnnotations(task.metadata.annotations),
        [ANNOTATIONS.offerID]: input.offerID,
        [ANNOTATIONS.agentID]: input.agentID,
        [ANNOTATIONS.role]: framework.spec.role,
        ...(input.group && task.spec.group !== undefined
          ? { [ANNOTATIONS.groupTasks]: JSON.stringify(input.group.map((t) => t.metadata.name ?? '')) }
          : {}),
      },
      ownerReferences: [
        {
          apiVersion: task.apiVersion,
          kind: task.kind,
          name: taskName,
          uid: task.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      nodeName: input.nodeName,
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: task.spec.killGracePeriodSeconds,
      ...(defaults.serviceAccountName ? { serviceAccountName: defaults.serviceAccountName } : {}),
      automountServiceAccountToken: defaults.automountServiceAccountToken ?? false,
      enableServiceLinks: false,
      ...(framework.spec.tolerations
        ? { tolerations: framework.spec.tolerations.map((t) => ({ ...t })) }
        : {}),
      securityContext: {
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
        ...identity,
      },
      ...initContainers(input, containers[0], identity.runAsUser),
      containers,
      volumes: [
        { name: 'sandbox', emptyDir: {} },
        { name: 'tmp', emptyDir: {} },
      ],
    },
  };
}

function passedAnnotations(annotations: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(annotations ?? {}).filter(([k]) => !k.startsWith('kubectl.kubernetes.io/')),
  );
}

/** A label value (at most 63 characters) for a name that may be longer: shortened with a hash. */
function labelValue(name: string): string {
  if (name.length <= MAX_NAME) return name;
  const hash = shortHash(name);
  return `${name.slice(0, MAX_NAME - hash.length - 1).replace(/[-.]+$/, '')}-${hash}`;
}
