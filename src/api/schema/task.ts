/** Task: one Mesos task, run as one pod per attempt. */
import { CONSTRAINT_OPERATORS, TASK_REASONS, TASK_STATES } from '../task-states.js';
import { type CelRule, bool, describe, int, list, num, obj, oneOf, str, withRules } from './builders.js';
import { allZero, conditions, env, observedGeneration, podResourceRules, resourceList } from './common.js';
import { ABSOLUTE_PATH, DNS_LABEL, DNS_SUBDOMAIN, IMAGE, formatRule } from './formats.js';

const immutable = (what: string): readonly CelRule[] => [
  { rule: 'self == oldSelf', message: `${what} is immutable` },
];

export const constraint = obj(
  'A placement constraint on agent attributes, as in Marathon: [field, operator, value].',
  {
    field: str(
      '`hostname`, or the name of a node label (agent attribute) such as `topology.kubernetes.io/zone`.',
      {
        minLength: 1,
        maxLength: 317,
      },
    ),
    operator: oneOf(
      'UNIQUE: one task per value; GROUP_BY: spread evenly over values (value: number of groups); CLUSTER: only on value; LIKE/UNLIKE: value matches / does not match the regex; MAX_PER: at most value tasks per value.',
      CONSTRAINT_OPERATORS,
    ),
    value: str(
      'The operand: a value for CLUSTER, a regex for LIKE/UNLIKE, a count for MAX_PER and GROUP_BY.',
      {
        maxLength: 1024,
      },
    ),
  },
  {
    required: ['field', 'operator'],
    'x-kubernetes-validations': [
      {
        rule: "!(self.operator in ['LIKE', 'UNLIKE', 'CLUSTER', 'MAX_PER']) || has(self.value)",
        message: 'value is required for LIKE, UNLIKE, CLUSTER and MAX_PER',
      },
      { rule: "self.operator != 'UNIQUE' || !has(self.value)", message: 'UNIQUE takes no value' },
      {
        rule: "!(self.operator in ['MAX_PER', 'GROUP_BY']) || !has(self.value) || self.value.matches('^[1-9][0-9]{0,5}$')",
        message: 'value must be a positive integer for MAX_PER and GROUP_BY',
      },
    ],
  },
);

export const containerSpec = obj(
  'The container the task runs: image with optional command, args and env.',
  {
    image: str('The container image.', {
      minLength: 1,
      maxLength: 1024,
      'x-kubernetes-validations': [formatRule(IMAGE)],
    }),
    command: list('The entrypoint; the image’s when unset.', str('An argument.'), { maxItems: 256 }),
    args: list('Arguments to the entrypoint.', str('An argument.'), { maxItems: 4096 }),
    workingDir: str('The working directory, an absolute path; the Mesos sandbox when unset.', {
      maxLength: 4096,
      'x-kubernetes-validations': [formatRule(ABSOLUTE_PATH)],
    }),
    imagePullPolicy: oneOf('When the image is pulled.', ['Always', 'IfNotPresent', 'Never']),
    env,
  },
  { required: ['image'] },
);

export const fetchUri = obj(
  'One file to fetch (Mesos’ CommandInfo.URI, Marathon’s fetch).',
  {
    uri: str('http(s)://, ftp://, file:// or an absolute path on the node.', {
      minLength: 1,
      maxLength: 4096,
    }),
    extract: bool('Unpack an archive (.tar, .tar.gz, .tgz, .tar.bz2, .tar.xz, .zip) into the sandbox.', {
      default: true,
    }),
    executable: bool('Make the fetched file executable.', { default: false }),
    outputFile: str('The file’s name in the sandbox (a relative path); the URI’s last segment when unset.', {
      minLength: 1,
      maxLength: 1024,
      'x-kubernetes-validations': [
        {
          rule: "!self.startsWith('/') && !self.split('/').exists(p, p == '..')",
          message: 'must be a relative path inside the sandbox',
        },
      ],
    }),
  },
  { required: ['uri'] },
);

export const executorSpec = obj(
  'A Mesos executor: its ID, whether it is Mesos’ default executor (each task runs in its own container) or a custom one (the executor runs the tasks), and its own resources.',
  {
    id: str('The Mesos executor ID.', { minLength: 1, maxLength: 256 }),
    type: oneOf('Default: each task of the group is a container; Custom: the executor is the container.', [
      'Default',
      'Custom',
    ]),
    resources: describe(
      { ...resourceList },
      'The executor’s own resources, added to the pod’s (to the leader’s container).',
    ),
  },
  { required: ['id', 'type'] },
);

export const taskSpec = obj(
  'What the task runs, with which resources, where it may run and how failures are retried.',
  {
    framework: str('The Framework, in the same namespace, this task belongs to. Immutable.', {
      minLength: 1,
      maxLength: 253,
      'x-kubernetes-validations': [formatRule(DNS_SUBDOMAIN), ...immutable('framework')],
    }),
    resources: describe(
      withRules({ ...resourceList, minProperties: 1 }, [
        ...immutable('resources'),
        // Nothing to place and no share to count: such a task would launch on any agent, unbounded.
        { rule: `!${allZero}`, message: 'at least one resource must be above zero' },
        ...podResourceRules,
      ]),
      'The resources the task needs, e.g. {cpu: 500m, memory: 1Gi}; the pod requests and is limited to exactly these. Immutable.',
    ),
    command: str(
      'A shell command, run as `sh -c <command>` in the framework’s default image (a Mesos command task). Set command or container, not both. Immutable.',
      { minLength: 1, maxLength: 65536, 'x-kubernetes-validations': immutable('command') },
    ),
    container: describe(
      withRules(containerSpec, immutable('container')),
      'The container to run, instead of command. Immutable.',
    ),
    env: describe(
      env,
      'Environment variables of a command task; a container task sets them in container.env.',
    ),
    priority: int('Higher-priority pending tasks are placed first; ties go to the older task.', {
      default: 0,
      format: 'int32',
      minimum: -1000000000,
      maximum: 1000000000,
    }),
    preemptible: bool(
      'Whether kmesos may preempt this task to restore another role’s quota guarantee, another framework’s fair share, or (if its framework allows priority preemption) for a higher-priority task of its framework. False protects it from every kind of preemption.',
      { default: true },
    ),
    constraints: list('Placement constraints; every one must hold.', constraint, {
      maxItems: 16,
      'x-kubernetes-list-type': 'atomic',
    }),
    retry: obj(
      'How a failed, lost or gone task is relaunched on another agent.',
      {
        maxAttempts: int('Attempts in all, the first included; 1 means no retry.', {
          default: 3,
          minimum: 1,
          maximum: 1000,
          format: 'int32',
        }),
        backoffSeconds: num('The delay before the first retry.', { default: 10, minimum: 0, maximum: 86400 }),
        backoffFactor: num('Each further retry waits this many times longer.', {
          default: 2,
          minimum: 1,
          maximum: 100,
        }),
        maxBackoffSeconds: num('The delay never exceeds this.', { default: 300, minimum: 0, maximum: 86400 }),
      },
      { default: {} },
    ),
    hostPorts: list(
      'Host ports the task listens on (Mesos `ports` resources): each is a container port published on the same host port. Immutable.',
      int('A port.', { minimum: 1, maximum: 65535, format: 'int32' }),
      { maxItems: 64, 'x-kubernetes-list-type': 'set', 'x-kubernetes-validations': immutable('hostPorts') },
    ),
    killGracePeriodSeconds: int('Seconds between SIGTERM and SIGKILL when the task is killed.', {
      default: 30,
      minimum: 0,
      maximum: 86400,
      format: 'int64',
    }),
    fetch: list(
      'Files fetched into the sandbox before the task (or its executor) starts, as a Mesos agent’s fetcher does with CommandInfo.uris: an init container in the framework’s default image downloads each one. Immutable.',
      fetchUri,
      { maxItems: 64, 'x-kubernetes-list-type': 'atomic', 'x-kubernetes-validations': immutable('fetch') },
    ),
    group: str(
      'The Task that leads this task’s group (itself for the leader): the tasks of a Mesos task group (LAUNCH_GROUP), or a task run by a custom executor, share one pod, named after the leader and owned by it, with one container per task named after the task. Set by the Mesos scheduler API. Immutable.',
      {
        minLength: 1,
        maxLength: 63,
        'x-kubernetes-validations': [formatRule(DNS_LABEL), ...immutable('group')],
      },
    ),
    executor: describe(
      withRules(executorSpec, immutable('executor')),
      'The Mesos executor of a grouped task. A Custom executor is the command or container of the task (the same for every task of the group): it runs as the pod’s only container and reports the tasks’ states through the Mesos executor API. Immutable.',
    ),
  },
  {
    required: ['framework', 'resources'],
    'x-kubernetes-validations': [
      {
        rule: '!has(self.executor) || has(self.group)',
        message: 'a task with an executor belongs to a group',
      },
      {
        rule: '!has(self.group) || self.retry.maxAttempts == 1',
        message: 'a task of a group is never relaunched: retry.maxAttempts must be 1',
      },
      {
        rule: 'has(self.command) != has(self.container)',
        message: 'set exactly one of command or container',
      },
      {
        rule: '!has(self.container) || !has(self.env)',
        message: 'a container task sets env in container.env',
      },
      {
        rule: 'has(self.command) == has(oldSelf.command)',
        message: 'a task cannot switch between command and container',
      },
    ],
  },
);

const time = (description: string) => str(description, { format: 'date-time' });

export const taskStatus = obj('The task as Mesos would report it, and its current attempt.', {
  observedGeneration,
  state: oneOf(
    'The Mesos task state of the current attempt; unset while the task waits for resources.',
    TASK_STATES,
  ),
  reason: oneOf('The Mesos reason for the state, when there is one.', TASK_REASONS),
  message: str('A human-readable explanation of the state.', { maxLength: 32768 }),
  agentID: str('The agent (Node UID) the current attempt runs on.'),
  nodeName: str('The node the current attempt runs on.'),
  podName: str('The pod of the current attempt.'),
  attempt: int('The current attempt, from 1; 0 before the first launch.', { minimum: 0, format: 'int32' }),
  offerID: str('The offer the current attempt was launched with.'),
  launchTime: time('When the current attempt’s pod was created.'),
  startTime: time('When the current attempt started running.'),
  completionTime: time('When the current attempt reached a terminal state.'),
  exitCode: int('The exit code of the task’s container, once it has exited.', { format: 'int32' }),
  nextRetryTime: time('When the next attempt may launch, while a retry is pending.'),
  previousNodes: list('Nodes of earlier attempts, which retries avoid; oldest first.', str('A node name.'), {
    maxItems: 1000,
    'x-kubernetes-list-type': 'atomic',
  }),
  preemption: obj(
    'Set when kmesos preempts the current attempt: the attempt is killed with REASON_CONTAINER_PREEMPTED and the task is launched again without using up a retry.',
    {
      attempt: int('The attempt that was preempted.', { minimum: 1, format: 'int32' }),
      reason: oneOf(
        'What the preemption restores: another role’s quota guarantee, another framework’s fair share, or a higher-priority task of the same framework.',
        ['Guarantee', 'FairShare', 'Priority'],
      ),
      preemptor: str('The Task (namespace/name) the room was made for.', { maxLength: 512 }),
      message: str('Why, with the shares before and after.', { maxLength: 4096 }),
      time: time('When kmesos decided it.'),
    },
    { required: ['attempt', 'reason'] },
  ),
  preemptedAttempts: int(
    'How many attempts were preempted; they do not count against spec.retry.maxAttempts.',
    {
      minimum: 0,
      format: 'int32',
    },
  ),
  pendingUpdates: list(
    'Status updates sent to the task’s Mesos scheduler and not yet acknowledged, oldest first; kept here so that a restarted or newly elected operator sends them again.',
    obj(
      'A Mesos status update (TaskStatus) waiting for its ACKNOWLEDGE.',
      {
        uuid: str('The update’s uuid, base64.', { maxLength: 64 }),
        state: oneOf('The state it reports.', TASK_STATES),
        reason: str('Its Mesos reason.', { maxLength: 128 }),
        message: str('Its message.', { maxLength: 32768 }),
        source: str('SOURCE_MASTER or SOURCE_AGENT.', { maxLength: 32 }),
        agentID: str('The agent it names.', { maxLength: 253 }),
        timestamp: num('When it was generated, in seconds since the epoch.'),
      },
      { required: ['uuid', 'state', 'timestamp'] },
    ),
    { maxItems: 64, 'x-kubernetes-list-type': 'atomic' },
  ),
  conditions,
});
