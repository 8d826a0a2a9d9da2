/** Framework: a Mesos framework, served by the built-in scheduler or an external one. */
import { TASK_STATES, type TaskState } from '../task-states.js';
import { bool, describe, int, list, num, obj, oneOf, str } from './builders.js';
import {
  ROLE_PATTERN,
  conditions,
  observedGeneration,
  resourceFigures,
  resourceList,
  toleration,
} from './common.js';
import { DNS_SUBDOMAIN, IMAGE, formatRule } from './formats.js';

/** The API server's bound on a Pod's runAsUser. */
export const MAX_RUN_AS_USER = 2147483647;

export const frameworkSpec = obj(
  'How the framework takes part in allocation and how its tasks run.',
  {
    role: str(
      'The role whose share and quota the framework uses. `*` is Mesos’ default role; nested roles use `/`, e.g. `eng/ml`.',
      {
        default: '*',
        maxLength: 200,
        'x-kubernetes-validations': [
          {
            rule: `self.matches('${ROLE_PATTERN}')`,
            message: "role must be '*' or DNS labels separated by '/', e.g. eng/ml",
          },
        ],
      },
    ),
    scheduler: oneOf(
      'Who answers offers: `Builtin` places the Tasks of this namespace that name this framework; `External` waits for a scheduler on the Mesos v1 scheduler API.',
      ['Builtin', 'External'],
      { default: 'Builtin' },
    ),
    failoverTimeoutSeconds: int(
      'How long an external scheduler may stay disconnected before its tasks are killed.',
      { default: 604800, minimum: 0, format: 'int64' },
    ),
    suppressed: bool('When true the framework gets no offers (Mesos SUPPRESS); false revives it.', {
      default: false,
    }),
    offerFilters: obj(
      'Filters applied to offers for this framework.',
      {
        refuseSeconds: num('After a decline, how long the declined agent is not offered again.', {
          default: 5,
          minimum: 0,
          maximum: 31536000,
        }),
        minAllocatable: describe(
          resourceList,
          'Offers smaller than this in every resource named here are not made (Mesos min_allocatable_resources).',
        ),
      },
      { default: {} },
    ),
    placement: oneOf(
      'How the built-in scheduler places tasks: `Spread` over agents, or `BinPack` onto as few as possible.',
      ['Spread', 'BinPack'],
      { default: 'Spread' },
    ),
    taskOrder: oneOf(
      'The order the built-in scheduler places this framework’s pending Tasks in. `PriorityAge`: higher spec.priority first, then older. `WeightedDemand`: descending W = R / ΣR × P, where R is a task’s dominant share of the cluster, ΣR the sum over the framework’s pending tasks and P its priority, so large high-priority tasks go first; ties as PriorityAge.',
      ['PriorityAge', 'WeightedDemand'],
      { default: 'PriorityAge' },
    ),
    priorityPreemption: bool(
      'When true, a pending Task of this framework may preempt its running Tasks of lower spec.priority (Tasks with spec.preemptible false excepted). Built-in frameworks only.',
      { default: false },
    ),
    tolerations: list(
      'Taints the framework’s tasks tolerate; tainted agents are offered only if tolerated.',
      toleration,
      {
        maxItems: 64,
        'x-kubernetes-list-type': 'atomic',
      },
    ),
    frameworkInfo: obj(
      'The FrameworkInfo an external scheduler subscribed with; kmesos writes it on SUBSCRIBE and UPDATE_FRAMEWORK.',
      {
        name: str('The framework’s name.', { maxLength: 1024 }),
        user: str('The user its tasks would run as on a Mesos agent.', { maxLength: 1024 }),
        principal: str('The principal it authenticated as.', { maxLength: 1024 }),
        hostname: str('The host its scheduler runs on.', { maxLength: 1024 }),
        webuiUrl: str('The scheduler’s web UI.', { maxLength: 4096 }),
        capabilities: list(
          'Capabilities it declared, e.g. MULTI_ROLE, PARTITION_AWARE.',
          str('A capability.'),
          {
            maxItems: 32,
            'x-kubernetes-list-type': 'atomic',
          },
        ),
        checkpoint: bool('Whether it asked for checkpointing.'),
      },
    ),
    taskDefaults: obj(
      'Defaults for the pods of this framework’s tasks.',
      {
        image: str('The image command tasks run in; the operator’s default image when unset.', {
          minLength: 1,
          maxLength: 1024,
          'x-kubernetes-validations': [formatRule(IMAGE)],
        }),
        serviceAccountName: str('The service account the pods run as.', {
          maxLength: 253,
          'x-kubernetes-validations': [formatRule(DNS_SUBDOMAIN)],
        }),
        automountServiceAccountToken: bool('Mount the service account token into the pods (default false).'),
        runAsUser: int('The user ID the containers run as; command tasks run as 65534 (nobody) when unset.', {
          minimum: 1,
          maximum: MAX_RUN_AS_USER,
          format: 'int64',
        }),
      },
      { default: {} },
    ),
  },
  { default: {} },
);

const count = (state: TaskState) => int(`Tasks in state ${state}.`, { minimum: 0, format: 'int32' });
// One property per state (not a free map) so that `kubectl explain` lists them and the type is exact.
const taskCounts = Object.fromEntries(TASK_STATES.map((s) => [s, count(s)])) as Record<
  TaskState,
  ReturnType<typeof count>
>;

export const frameworkStatus = obj('The framework as the operator sees it.', {
  observedGeneration,
  frameworkID: str(
    'The Mesos framework ID: the one its external scheduler was given, else the Framework’s UID.',
  ),
  dominantShare: str(
    'The framework’s dominant share (0 to 1, four decimals) among the frameworks of its role.',
  ),
  weightedShare: str('The dominant share divided by the role weight.'),
  allocated: describe(
    resourceFigures,
    'Resources allocated to the framework: running tasks and outstanding offers.',
  ),
  outstandingOffers: int('Offers made to the framework and not yet answered.', {
    minimum: 0,
    format: 'int32',
  }),
  pendingTasks: int('Tasks waiting for resources, including those waiting to be retried.', {
    minimum: 0,
    format: 'int32',
  }),
  tasks: obj('Launched tasks by Mesos state.', taskCounts),
  conditions,
});
