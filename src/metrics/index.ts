export {
  AGENT_STATES,
  CYCLE_BUCKETS_SECONDS,
  KmesosMetrics,
  LAUNCH_BUCKETS_SECONDS,
  LAUNCH_STAGES,
  OFFER_OUTCOMES,
  type AgentState,
  type BuildInfo,
  type CacheSize,
  type FrameworkRef,
  type KmesosMetricsOptions,
  type LaunchStage,
  type OfferOutcome,
  type ResourceAmounts,
  type Shares,
} from './metrics.js';
export {
  NO_RESPONSE,
  instrumentCall,
  instrumentHttpLibrary,
  makeInstrumentedApiClient,
  type ApiRequestCounter,
} from './kube-requests.js';
export { classifyRequest, type RequestKind } from './kube-requests.util.js';
export { metricUnit, toBaseUnits, type MetricUnit } from './units.js';
