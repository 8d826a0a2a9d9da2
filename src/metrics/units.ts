import { unitFor } from '../resources/quantity.js';

/** The unit a resource's metric values are exported in (kube-state-metrics uses the same words). */
export type MetricUnit = 'core' | 'byte' | 'integer';

// Kubernetes resources measured in bytes; extended resources are counts.
const BYTE_RESOURCES = new Set(['memory', 'ephemeral-storage', 'storage']);

export function metricUnit(resource: string): MetricUnit {
  if (resource === 'cpu') return 'core';
  if (BYTE_RESOURCES.has(resource) || resource.startsWith('hugepages-')) return 'byte';
  return 'integer';
}

/**
 * Converts an internal integer amount (cpu in millicores, everything else whole units, as
 * src/resources parses them) to the Prometheus base unit: cores, bytes or a count.
 */
export function toBaseUnits(resource: string, amount: number): number {
  return unitFor(resource) === 'milli' ? amount / 1000 : amount;
}
