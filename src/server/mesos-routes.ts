import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'winston';
import type { Config } from '../config.js';
import type { Operator } from '../controllers/operator.js';
import { frameworkNamespace } from '../scheduler/external/auth.js';
import { executorApiRouter } from '../scheduler/executor/http-api.js';
import { schedulerApiRouter, versionRouter } from '../scheduler/external/http-api.js';
import { RateLimiter } from '../scheduler/external/rate-limit.js';
import type { Clock } from '../util/clock.js';
import type { MountedRouter } from './http.js';
import { mesosAuth } from './mesos-auth.js';

/** The largest Call body accepted (an ACCEPT of many tasks is well below). */
export const MAX_CALL_BYTES = 8 * 2 ** 20;

/** What the Mesos routes are built from: the v1 Scheduler and Executor HTTP APIs and /version here, the master's endpoints in master-routes.ts. */
export interface MesosRoutesInput {
  operator: Operator;
  config: Config;
  kc: KubeConfig;
  clock: Clock;
  logger: Logger;
  /** host:port of the leader while another replica leads: standbys redirect schedulers there. */
  leaderAddress: () => string | undefined;
  /** Each answered call, for metrics. */
  observe: (call: string, code: number) => void;
}

export function mesosRouters(input: MesosRoutesInput): MountedRouter[] {
  const { operator, config, kc, clock, logger } = input;
  const router = schedulerApiRouter({
    scheduler: operator.external,
    calls: operator.calls,
    codec: operator.codec,
    availability: () => {
      if (operator.isLeading && operator.isSynced) return { serving: true };
      const leader = input.leaderAddress();
      return leader ? { serving: false, leader } : { serving: false };
    },
    auth: mesosAuth(kc, config, clock),
    namespaceFor: (caller) => frameworkNamespace(caller, config.namespaces, config.mesosNamespace),
    limiter: new RateLimiter(config.mesosCallRate, 2 * config.mesosCallRate, () => clock.now()),
    logger,
    maxBodyBytes: MAX_CALL_BYTES,
    observe: input.observe,
  });
  const executors = executorApiRouter({
    hub: operator.executors,
    codec: operator.codec,
    availability: () => {
      if (operator.isLeading && operator.isSynced) return { serving: true };
      const leader = input.leaderAddress();
      return leader ? { serving: false, leader } : { serving: false };
    },
    logger,
    maxBodyBytes: MAX_CALL_BYTES,
  });
  return [
    { path: '/api/v1/scheduler', router },
    { path: '/api/v1/executor', router: executors },
    { path: '/master/api/v1/scheduler', router },
    { path: '/version', router: versionRouter() },
  ];
}
