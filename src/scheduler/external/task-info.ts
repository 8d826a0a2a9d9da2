/**
 * A Mesos TaskInfo as a kmesos Task object, and the checks Mesos' master makes of a task
 * before it launches (src/master/validation.cpp): a task that fails them ends TASK_ERROR
 * with REASON_TASK_INVALID and never reaches the API server. Pure.
 */
import { ANNOTATIONS, API_VERSION, GROUP } from '../../api/constants.js';
import { shortHash } from '../../api/hash.js';
import type { EnvVar, TaskSpecInput } from '../../api/types.js';
import type { Resources } from '../../resources/index.js';
import type { CommandInfo, ContainerInfo, ExecutorInfo, TaskInfo } from '../mesos/types/v1.js';
import { fromMesosResources, resourceListOf } from './mesos-resources.js';

export const MESOS_ANNOTATIONS = {
  taskId: ANNOTATIONS.mesosTaskId,
  taskName: ANNOTATIONS.mesosTaskName,
  labels: ANNOTATIONS.mesosLabels,
} as const;

/** A Kubernetes annotation key: an optional DNS-subdomain prefix and a name of at most 63 characters. */
const ANNOTATION_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/**
 * A TaskInfo's labels as annotations of its Task, which pass on to its pods: those whose key
 * is a valid annotation key (kwok's fake-* annotations among them on simulated nodes). All of
 * them are also kept together, as Mesos has them.
 */
function labelAnnotations(info: TaskInfo): Record<string, string> {
  const labels = info.labels?.labels ?? [];
  if (labels.length === 0) return {};
  const out: Record<string, string> = { [MESOS_ANNOTATIONS.labels]: JSON.stringify(labels) };
  for (const l of labels) {
    if (ANNOTATION_KEY.test(l.key) && l.key.length <= 253 && !l.key.startsWith(`${GROUP}/mesos-`))
      out[l.key] = l.value ?? '';
  }
  return out;
}

/** Mesos' executors wait 3 s between SIGTERM and SIGKILL when the task names no kill policy. */
const DEFAULT_KILL_GRACE_SECONDS = 3;

/** Name prefixes are cut so that prefix, hash and a pod's attempt suffix fit in 63 characters. */
const NAME_PREFIX = 40;

/**
 * The Task object's name for a Mesos task: a DNS-safe form of its ID plus a hash of the
 * framework and task IDs, so two frameworks' `task-1` never meet and the name is found again
 * from the IDs alone (after a restart, for RECONCILE, for KILL).
 */
export function taskObjectName(frameworkId: string, taskId: string): string {
  const prefix = taskId
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, NAME_PREFIX)
    .replace(/^-+|-+$/g, '');
  const hash = shortHash(`${frameworkId}\u0000${taskId}`, 10);
  return prefix ? `${prefix}-${hash}` : `t-${hash}`;
}

/** Mesos' ID rule (common/validation.cpp): not empty, no `/`, `\0` or whitespace, not `.` or `..`. */
export function idProblem(id: string): string | undefined {
  if (id.length === 0) return 'must not be empty';
  if (id === '.' || id === '..') return `must not be '${id}'`;
  if (/[/\\\s]/.test(id) || id.includes('\u0000')) return 'must not contain /, \\, whitespace or NUL';
  return undefined;
}

export interface TaskObjectInput {
  info: TaskInfo;
  frameworkId: string;
  /** The Framework object's name and namespace. */
  framework: { name: string; namespace: string };
}

export type TaskConversion =
  { ok: true; spec: TaskSpecInput; resources: Resources; ports: number[] } | { ok: false; message: string };

/** The image of a DOCKER or MESOS (docker image) container, or why there is none kmesos can run. */
function imageOf(c: ContainerInfo | undefined): { image?: string; problem?: string } {
  if (c === undefined) return {};
  if (c.type === 'DOCKER')
    return c.docker?.image ? { image: c.docker.image } : { problem: 'container.docker.image is required' };
  const image = c.mesos?.image;
  if (image === undefined) return {};
  if (image.type !== 'DOCKER' || !image.docker?.name)
    return { problem: 'container.mesos.image: only DOCKER images can run on Kubernetes' };
  return { image: image.docker.name };
}

function envOf(command: CommandInfo): { env?: EnvVar[]; problem?: string } {
  const vars = command.environment?.variables ?? [];
  const env: EnvVar[] = [];
  for (const v of vars) {
    if ((v.type ?? 'VALUE') !== 'VALUE')
      return { problem: `command.environment: ${v.name} is a SECRET, which kmesos does not support yet` };
    env.push({ name: v.name, value: v.value ?? '' });
  }
  return env.length > 0 ? { env } : {};
}

/** POSIX shell quoting, for a non-shell command run by the framework's default image. */
function shellQuote(args: readonly string[]): string {
  return args.map((a) => (/^[-\w./=:@%+,]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** What runs: `sh -c value`, or (shell false) value with Mesos' argv, whose first item is argv[0]. */
function argvOf(
  command: CommandInfo,
  hasImage: boolean,
): { ok: true; shell: boolean; argv: string[] } | { ok: false; message: string } {
  const shell = command.shell ?? true;
  const value = command.value;
  if (value === undefined) {
    if (hasImage) return { ok: true, shell, argv: [] };
    return {
      ok: false,
      message: `command.value is required ${shell ? 'for a shell command' : 'when shell is false'}`,
    };
  }
  return {
    ok: true,
    shell,
    argv: shell ? ['sh', '-c', value] : [value, ...(command.arguments ?? []).slice(1)],
  };
}

/** What runs: a Task spec's command or container, its env and the files fetched first. */
type Workload = Pick<TaskSpecInput, 'command' | 'container' | 'env' | 'fetch'>;

/** CommandInfo.uris as the Task's fetch list; Mesos' cache flag is left aside (every launch fetches). */
function fetchOf(
  command: CommandInfo,
): { ok: true; spec: Pick<TaskSpecInput, 'fetch'> } | { ok: false; message: string } {
  const uris = command.uris ?? [];
  if (uris.length === 0) return { ok: true, spec: {} };
  const fetch: NonNullable<TaskSpecInput['fetch']> = [];
  for (const [i, u] of uris.entries()) {
    const path = `command.uris[${i}]`;
    if (u.value === '') return { ok: false, message: `${path}.value: required` };
    if (!/^(https?:\/\/|ftp:\/\/|file:\/\/|\/)/.test(u.value))
      return {
        ok: false,
        message: `${path}.value: only http(s)://, ftp://, file:// and absolute paths can be fetched`,
      };
    const out = u.output_file;
    if (out !== undefined && (out === '' || out.startsWith('/') || out.split('/').includes('..')))
      return { ok: false, message: `${path}.output_file: must be a relative path inside the sandbox` };
    fetch.push({
      uri: u.value,
      extract: u.extract ?? true,
      executable: u.executable ?? false,
      ...(out !== undefined ? { outputFile: out } : {}),
    });
  }
  return { ok: true, spec: { fetch } };
}

/** The Task spec's command or container for a CommandInfo (and ContainerInfo), as Mesos would run them. */
function workload(
  command: CommandInfo,
  container: ContainerInfo | undefined,
): { ok: true; spec: Workload } | { ok: false; message: string } {
  const { image, problem } = imageOf(container);
  if (problem) return { ok: false, message: problem };
  const env = envOf(command);
  if (env.problem) return { ok: false, message: env.problem };
  const fetch = fetchOf(command);
  if (!fetch.ok) return fetch;
  const argv = argvOf(command, image !== undefined);
  if (!argv.ok) return argv;
  if (image === undefined) {
    const line = argv.shell ? (command.value ?? '') : shellQuote(argv.argv);
    return { ok: true, spec: { command: line, ...(env.env ? { env: env.env } : {}), ...fetch.spec } };
  }
  const [entry, ...args] = argv.argv;
  return {
    ok: true,
    spec: {
      ...fetch.spec,
      container: {
        image,
        ...(entry !== undefined ? { command: [entry] } : {}),
        ...(args.length > 0 ? { args } : {}),
        ...(env.env ? { env: env.env } : {}),
      },
    },
  };
}

/**
 * The Task a TaskInfo becomes, or why it cannot run (the message of its TASK_ERROR). The
 * agent and resources have been checked against the offer by the caller.
 */
export function taskSpecOf(info: TaskInfo): TaskConversion {
  const parsed = fromMesosResources(info.resources);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  if (Object.keys(parsed.resources).length === 0) return { ok: false, message: 'Task uses no resources' };
  if ((info.command === undefined) === (info.executor === undefined))
    return {
      ok: false,
      message: 'Task should have at least one (but not both) of CommandInfo or ExecutorInfo present',
    };
  if (info.command === undefined)
    return { ok: false, message: 'a task with an ExecutorInfo is launched by its executor' };
  const w = workload(info.command, info.container);
  if (!w.ok) return w;
  return converted(info, parsed, w.spec);
}

function converted(
  info: TaskInfo,
  parsed: { resources: Resources; ports: number[] },
  w: Workload,
  executor?: PlannedExecutor,
): TaskConversion {
  const grace = info.kill_policy?.grace_period?.nanoseconds;
  return {
    ok: true,
    resources: parsed.resources,
    ports: parsed.ports,
    spec: {
      framework: '',
      resources: resourceListOf(parsed.resources),
      ...w,
      ...(parsed.ports.length > 0 ? { hostPorts: parsed.ports } : {}),
      // Mesos never relaunches a task: the framework's scheduler decides.
      retry: { maxAttempts: 1 },
      killGracePeriodSeconds: grace !== undefined ? Math.ceil(grace / 1e9) : DEFAULT_KILL_GRACE_SECONDS,
      ...(executor
        ? {
            executor: {
              id: executor.info.executor_id.value,
              type: executor.type,
              ...(Object.keys(executor.resources).length > 0
                ? { resources: resourceListOf(executor.resources) }
                : {}),
            },
          }
        : {}),
    },
  };
}

/** An ExecutorInfo as kmesos runs it: Mesos' default executor (a group's tasks as containers) or a custom one. */
export interface PlannedExecutor {
  info: ExecutorInfo;
  type: 'Default' | 'Custom';
  resources: Resources;
  /** A custom executor's command or container: what its pod runs. */
  workload?: Workload;
}

/**
 * The executor of a LAUNCH (`group` false: a custom executor that runs the task) or of a
 * LAUNCH_GROUP (the default executor, or a custom one that runs the group), checked as Mesos'
 * master checks it.
 */
export function executorOf(
  info: ExecutorInfo,
  group: boolean,
): { ok: true; executor: PlannedExecutor } | { ok: false; message: string } {
  const idIssue = idProblem(info.executor_id.value);
  if (idIssue) return { ok: false, message: `Executor ID ${idIssue}` };
  const parsed = fromMesosResources(info.resources);
  if (!parsed.ok) return { ok: false, message: `executor.${parsed.message}` };
  if (parsed.ports.length > 0)
    return { ok: false, message: 'executor.resources: ports of an executor are not supported yet' };
  const custom = info.type === 'CUSTOM' || (info.type !== 'DEFAULT' && info.command !== undefined);
  if (!custom) {
    if (!group)
      return {
        ok: false,
        message:
          'ExecutorInfo.type: a DEFAULT executor runs task groups (LAUNCH_GROUP); LAUNCH takes a CUSTOM one',
      };
    if (info.command !== undefined)
      return { ok: false, message: "ExecutorInfo.command must not be set for the 'DEFAULT' executor" };
    return { ok: true, executor: { info, type: 'Default', resources: parsed.resources } };
  }
  if (info.command === undefined)
    return { ok: false, message: "ExecutorInfo.command must be set for a 'CUSTOM' executor" };
  const w = workload(info.command, info.container);
  if (!w.ok) return { ok: false, message: `executor.${w.message}` };
  return { ok: true, executor: { info, type: 'Custom', resources: parsed.resources, workload: w.spec } };
}

/**
 * A task of a group, or a custom executor's task: under the default executor it runs its own
 * command as its container; under a custom executor the executor runs it, and the Task holds
 * the executor's command.
 */
export function groupTaskSpec(info: TaskInfo, executor: PlannedExecutor): TaskConversion {
  const parsed = fromMesosResources(info.resources);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  if (Object.keys(parsed.resources).length === 0) return { ok: false, message: 'Task uses no resources' };
  if (executor.type === 'Default') {
    if (info.command === undefined)
      return { ok: false, message: 'a task of the default executor needs a CommandInfo' };
    const w = workload(info.command, info.container);
    if (!w.ok) return w;
    return converted(info, parsed, w.spec, executor);
  }
  if (info.executor !== undefined && info.command !== undefined)
    return {
      ok: false,
      message: 'Task should have at least one (but not both) of CommandInfo or ExecutorInfo present',
    };
  return converted(info, parsed, executor.workload ?? {}, executor);
}

/** The Task object for a valid TaskInfo. */
export function taskObject(
  input: TaskObjectInput,
  spec: TaskSpecInput,
  annotations: Record<string, string> = {},
): Record<string, unknown> {
  return {
    apiVersion: API_VERSION,
    kind: 'Task',
    metadata: {
      name: taskObjectName(input.frameworkId, input.info.task_id.value),
      namespace: input.framework.namespace,
      annotations: {
        ...labelAnnotations(input.info),
        ...annotations,
        [MESOS_ANNOTATIONS.taskId]: input.info.task_id.value,
        [MESOS_ANNOTATIONS.taskName]: input.info.name,
      },
    },
    spec: { ...spec, framework: input.framework.name },
  };
}
