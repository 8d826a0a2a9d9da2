/** The pure parts of master-routes.ts: what it reads from configuration and from the Lease. */
import type { Config } from '../config.js';
import type { HostPort } from '../master/index.js';

/** The configuration a Mesos tool reads as master flags, under Mesos' names where Mesos has one. */
export function masterFlags(config: Config, port: number): Record<string, string> {
  return {
    allocation_interval: `${config.cycleIntervalMs}ms`,
    offer_timeout: `${config.offerTimeoutMs}ms`,
    authenticate_frameworks: String(!config.mesosAnonymous),
    authenticate_http_readonly: String(!config.mesosAnonymous),
    fair_sharing_excluded_resource_names: config.fairnessExcludedResources.join(','),
    hostname: config.advertiseHost,
    port: String(port),
    namespaces: config.namespaces.join(','),
    node_selector: config.nodeSelector,
    mesos_namespace: config.mesosNamespace,
  };
}

/** `host:port` (as the Lease advertises it; the host may itself hold colons). */
export function parseHostPort(address: string | undefined): HostPort | undefined {
  const colon = address?.lastIndexOf(':') ?? -1;
  if (address === undefined || colon <= 0) return undefined;
  const port = Number(address.slice(colon + 1));
  return Number.isInteger(port) && port > 0 ? { hostname: address.slice(0, colon), port } : undefined;
}
