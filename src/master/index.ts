/**
 * kmesos as a Mesos master to readers: the master's read-only endpoints, /metrics/snapshot
 * and the v1 operator API, in Mesos' shapes and names, so Mesos tools and UIs work unchanged.
 * Pure views of plain inputs, and the express routers that serve them.
 *
 *   buildModel(inputs: MasterInputs): MasterModel        agents, frameworks, tasks, roles, offers
 *                                                          with used/offered resources (model.ts)
 *   stateJson / stateSummaryJson / frameworksJson / slavesJson / tasksJson / rolesJson (model)
 *                                                          the JSON endpoints (state-json.ts)
 *   metricsSnapshot(model): Record<name, number>          Mesos' metric names (metrics-snapshot.ts)
 *   answerCall(call, inputs): Response | 400              POST /api/v1 (operator-api.ts)
 *   renderJson(value, jsonp)                               JSON or `cb(json);` (jsonp.ts)
 *   readOnlyRouter / metricsRouter / operatorApiRouter(deps)   the routes (routes.ts)
 *
 * server/master-routes.ts gathers MasterInputs from the Operator for each request and mounts
 * the routers; nothing here reads the Operator, the clock or the network itself.
 */
export type { AllocatorFigures, HostPort, MasterInputs, MasterSelf, SystemFigures } from './inputs.js';
export { buildModel, type MasterModel } from './model.js';
export { metricsSnapshot } from './metrics-snapshot.js';
export { answerCall, SERVED_CALLS } from './operator-api.js';
export { metricsRouter, operatorApiRouter, readOnlyRouter, type MasterRoutesDeps } from './routes.js';
