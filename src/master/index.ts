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
 *   answerCall(call, inputs): Response | 400              POST /api/v1 reads (operator-api.ts)
 *   planWrite(call, {agents, resourceRoles}): steps + access   its writes (operator-writes.ts),
 *                                                          run by a MasterWriter
 *   modelEvents(old, new): Event[]; subscribedEvent(model)   SUBSCRIBE's events (events.ts),
 *   SubscriptionHub                                        streamed by subscription.ts
 *   renderJson(value, jsonp)                               JSON or `cb(json);` (jsonp.ts)
 *   readOnlyRouter / metricsRouter / operatorApiRouter(deps)   the routes (routes.ts)
 *
 * server/master-routes.ts gathers MasterInputs from the Operator for each request, passes the
 * clock and a MasterWriter (server/master-writer.ts) and mounts the routers; nothing here reads
 * the Operator or calls the Kubernetes API itself.
 */
export type { AllocatorFigures, HostPort, MasterInputs, MasterSelf, SystemFigures } from './inputs.js';
export { buildModel, type MasterModel } from './model.js';
export { metricsSnapshot } from './metrics-snapshot.js';
export { modelEvents, subscribedEvent } from './events.js';
export { answerCall, SERVED_CALLS } from './operator-api.js';
export { planWrite, WRITE_CALLS, type MasterWriter, type WriteStep } from './operator-writes.js';
export { metricsRouter, operatorApiRouter, readOnlyRouter, type MasterRoutesDeps } from './routes.js';
