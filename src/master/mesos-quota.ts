/**
 * A Mesos QuotaConfig (UPDATE_QUOTA) as a ResourceRole's spec.quota: guarantees and limits in
 * Mesos' names and units (cpus in cores, mem and disk in MiB, gpus as a count) become Kubernetes
 * quantities (cpu in millicores, memory and ephemeral-storage in Mi or bytes, nvidia.com/gpu).
 * Amounts round up to the Kubernetes unit, as task resources do. Pure.
 */
import type { ResourceRoleSpec } from '../api/types.js';
import type { QuotaConfig } from '../scheduler/mesos/types/quota.js';
import type { Value_Scalar } from '../scheduler/mesos/types/v1.js';

export type ResourceQuota = NonNullable<ResourceRoleSpec['quota']>;
export type QuotaResult = { ok: true; quota: ResourceQuota | undefined } | { ok: false; message: string };

const MIB = 2 ** 20;

/** A Mesos scalar in Kubernetes' name and spelling. */
const UNITS: Readonly<Record<string, { kube: string; quantity: (value: number) => string | undefined }>> = {
  cpus: { kube: 'cpu', quantity: (v) => `${Math.ceil(v * 1000 - 1e-9)}m` },
  mem: { kube: 'memory', quantity: (v) => bytes(v) },
  disk: { kube: 'ephemeral-storage', quantity: (v) => bytes(v) },
  gpus: { kube: 'nvidia.com/gpu', quantity: (v) => (Number.isInteger(v) ? String(v) : undefined) },
};

/** MiB as `512Mi` when whole, else as bytes rounded up. */
function bytes(mib: number): string {
  if (Number.isInteger(mib)) return `${mib}Mi`;
  return String(Math.ceil(mib * MIB - 1e-6));
}

type ListResult = { ok: true; list: Record<string, string> } | { ok: false; message: string };

function resourceList(scalars: Readonly<Record<string, Value_Scalar>> | undefined, path: string): ListResult {
  const list: Record<string, string> = {};
  for (const [name, scalar] of Object.entries(scalars ?? {})) {
    const where = `${path}["${name}"]`;
    const unit = UNITS[name];
    if (!unit)
      return { ok: false, message: `${where}: kmesos knows quota of ${Object.keys(UNITS).join(', ')}` };
    const value = scalar.value;
    if (!Number.isFinite(value) || value < 0)
      return { ok: false, message: `${where}: must be a non-negative number, not ${value}` };
    if (value * (name === 'cpus' ? 1000 : name === 'gpus' ? 1 : MIB) > Number.MAX_SAFE_INTEGER)
      return { ok: false, message: `${where}: ${value} is too large` };
    const quantity = unit.quantity(value);
    if (quantity === undefined)
      return { ok: false, message: `${where}: must be a whole number, not ${value}` };
    list[unit.kube] = quantity;
  }
  return { ok: true, list };
}

/**
 * The quota a config asks for; undefined when it has neither guarantees nor limits (Mesos'
 * way of removing a role's quota). A guarantee above the limit of the same resource is refused,
 * as Mesos refuses it. `path` names the config in errors (`call.update_quota.quota_configs[0]`).
 */
export function quotaOfConfig(config: QuotaConfig, path: string): QuotaResult {
  const guarantee = resourceList(config.guarantees, `${path}.guarantees`);
  if (!guarantee.ok) return guarantee;
  const limit = resourceList(config.limits, `${path}.limits`);
  if (!limit.ok) return limit;
  for (const [name, scalar] of Object.entries(config.guarantees ?? {})) {
    const max = config.limits?.[name]?.value;
    if (max !== undefined && scalar.value > max)
      return {
        ok: false,
        message: `${path}.guarantees["${name}"]: ${scalar.value} exceeds the limit of ${max}`,
      };
  }
  const g = Object.keys(guarantee.list).length > 0 ? { guarantee: guarantee.list } : {};
  const l = Object.keys(limit.list).length > 0 ? { limit: limit.list } : {};
  const quota = { ...g, ...l };
  return { ok: true, quota: Object.keys(quota).length > 0 ? quota : undefined };
}
