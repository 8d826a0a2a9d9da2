/** Resource quantities, vectors and pod/node accounting: pure functions, exact integers. */
export { QuantityError, formatQuantity, parseQuantity, unitFor, type QuantityUnit } from './quantity.js';
export {
  CPU,
  EPHEMERAL_STORAGE,
  MEMORY,
  ResourceIndex,
  add,
  contains,
  equals,
  formatResources,
  isEmpty,
  max,
  parseResourceList,
  subtractClamped,
  type Dense,
  type Resources,
} from './vector.js';
export {
  PODS,
  containerRequests,
  isTerminalPod,
  nodeAllocatable,
  nodeFree,
  podRequests,
  podsRequests,
} from './pod.js';
