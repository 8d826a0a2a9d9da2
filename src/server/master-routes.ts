import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import type { Request } from 'express';
import { availableParallelism, freemem, loadavg, totalmem } from 'node:os';
import type { Operator } from '../controllers/operator.js';
import {
  metricsRouter,
  operatorApiRouter,
  readOnlyRouter,
  type HostPort,
  type MasterInputs,
  type MasterSelf,
  type SystemFigures,
} from '../master/index.js';
import type { MountedRouter } from './http.js';
import { masterFlags, parseHostPort } from './master-routes.util.js';
import { kubeMasterWriter } from './master-writer.js';
import { mesosAuth } from './mesos-auth.js';
import { MAX_CALL_BYTES, type MesosRoutesInput } from './mesos-routes.js';

/** How often an operator API SUBSCRIBE stream compares the model with what it last sent. */
const EVENT_POLL_MS = 500;

function system(): SystemFigures {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return {
    cpus: availableParallelism(),
    load: [one, five, fifteen],
    memTotalBytes: totalmem(),
    memFreeBytes: freemem(),
  };
}

/**
 * The Mesos master's read-only endpoints, /metrics/snapshot and the v1 operator API, fed from
 * the Operator's caches and allocator on every request.
 */
export function masterRouters(input: MesosRoutesInput): MountedRouter[] {
  const { operator, config, clock } = input;
  const startTime = clock.now();
  // --http-port=0 picks the port when the server listens: the request's socket knows it.
  const selfOf = (req: Request): MasterSelf => {
    const port = req.socket.localPort ?? config.httpPort;
    const info = operator.master;
    return {
      info: { ...info, port, ...(info.address ? { address: { ...info.address, port } } : {}) },
      address: { hostname: config.advertiseHost, port },
      startTime,
      ...(operator.leadingSince !== undefined ? { electedTime: operator.leadingSince } : {}),
      flags: masterFlags(config, port),
    };
  };
  const leader = (req: Request): HostPort | undefined =>
    operator.isLeading ? selfOf(req).address : parseHostPort(input.leaderAddress());
  const inputs = (req: Request): MasterInputs | undefined =>
    operator.isSynced ? operatorInputs(operator, selfOf(req), leader(req), clock.now()) : undefined;
  const deps = {
    inputs,
    leader,
    auth: mesosAuth(input.kc, config, clock),
    codec: operator.codec,
    maxBodyBytes: MAX_CALL_BYTES,
    writer: kubeMasterWriter(input.kc.makeApiClient(CoreV1Api), input.kc.makeApiClient(CustomObjectsApi)),
    subscription: { clock, heartbeatSeconds: config.mesosHeartbeatSeconds, pollMs: EVENT_POLL_MS },
  };
  const readOnly = readOnlyRouter(deps);
  const api = operatorApiRouter(deps);
  return [
    { path: '/master', router: readOnly },
    { path: '/', router: readOnly },
    { path: '/metrics', router: metricsRouter(deps) },
    { path: '/api/v1', router: api },
    { path: '/master/api/v1', router: api },
  ];
}

function operatorInputs(
  operator: Operator,
  self: MasterSelf,
  leader: HostPort | undefined,
  now: number,
): MasterInputs {
  const { state, allocator } = operator;
  return {
    now,
    self,
    leader,
    // Arrays, not the maps' iterators: a request may build its model more than once.
    nodes: [...state.nodes.values()],
    foreignRequests: state.usedByNodeView(),
    frameworks: state.frameworks,
    tasks: state.tasks,
    taskStatus: (key) => operator.taskStatus(key),
    roles: [...state.roles.values()],
    offers: allocator.outstandingOffers(),
    // The leader knows who is subscribed (one not subscribed since it leads is not connected);
    // a standby has no streams and leaves it to the Framework's Ready condition.
    connected: (key) => (operator.isLeading ? operator.external.connected(key) === true : undefined),
    // A standby's allocator is never fed: its shares would all be 0, so it shows none.
    ...(operator.isLeading
      ? {
          allocator: {
            roleShare: (role: string) => allocator.roleShare(role),
            runs: operator.cycles,
            runTimes: operator.cycleTimes.stats(),
          },
        }
      : {}),
    system: system(),
  };
}
