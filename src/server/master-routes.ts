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
  const source = masterInputsSource(input);
  // --http-port=0 picks the port when the server listens: the request's socket knows it.
  const port = (req: Request): number => req.socket.localPort ?? config.httpPort;
  const deps = {
    inputs: (req: Request) => source.inputs(port(req)),
    leader: (req: Request) => source.leader(port(req)),
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

/** What the master's endpoints (and the web UI) read, for a replica listening on `port`. */
export interface MasterInputsSource {
  /** undefined until the watch caches have synced. */
  inputs(port: number): MasterInputs | undefined;
  leader(port: number): HostPort | undefined;
}

export function masterInputsSource(input: MesosRoutesInput): MasterInputsSource {
  const { operator, config, clock } = input;
  const startTime = clock.now();
  const selfAt = (port: number): MasterSelf => {
    const info = operator.master;
    return {
      info: { ...info, port, ...(info.address ? { address: { ...info.address, port } } : {}) },
      address: { hostname: config.advertiseHost, port },
      startTime,
      ...(operator.leadingSince !== undefined ? { electedTime: operator.leadingSince } : {}),
      flags: masterFlags(config, port),
    };
  };
  const leader = (port: number): HostPort | undefined =>
    operator.isLeading ? selfAt(port).address : parseHostPort(input.leaderAddress());
  return {
    leader,
    inputs: (port) =>
      operator.isSynced ? operatorInputs(operator, selfAt(port), leader(port), clock.now()) : undefined,
  };
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
