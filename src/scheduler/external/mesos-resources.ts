/**
 * Kubernetes resources in Mesos' names and units, and back. Mesos offers `cpus` (cores),
 * `mem` and `disk` (MiB) and `gpus` as SCALARs with three decimals; kmesos counts cpu in
 * millicores and memory and ephemeral storage in bytes (resources/vector.ts).
 */
import type { Resources } from '../../resources/index.js';
import type { Resource } from '../mesos/types/v1.js';
import { fromRanges } from './ports.js';

/** More ports than any task needs; bounds the work of an absurd range. */
const MAX_TASK_PORTS = 64;

const MIB = 2 ** 20;
export const GPU_RESOURCE = 'nvidia.com/gpu';

interface Mapping {
  mesos: string;
  kube: string;
  /** kmesos units in one Mesos unit. */
  scale: number;
}

const MAPPINGS: readonly Mapping[] = [
  { mesos: 'cpus', kube: 'cpu', scale: 1000 },
  { mesos: 'mem', kube: 'memory', scale: MIB },
  { mesos: 'disk', kube: 'ephemeral-storage', scale: MIB },
  { mesos: 'gpus', kube: GPU_RESOURCE, scale: 1 },
];
const BY_KUBE = new Map(MAPPINGS.map((m) => [m.kube, m]));
const BY_MESOS = new Map(MAPPINGS.map((m) => [m.mesos, m]));

/** Mesos keeps scalars to three decimals; an offer rounds down so it never shows more than there is. */
function floor3(x: number): number {
  return Math.floor(x * 1000 + 1e-9) / 1000;
}

export interface OfferedResourceOptions {
  /** Offered only to frameworks with the GPU_RESOURCES capability, as Mesos does by default. */
  gpus: boolean;
  /** The role the resources are allocated to, for MULTI_ROLE frameworks (allocation_info). */
  allocationRole?: string;
}

/** An offer's resources in Mesos form: unreserved (`role: "*"`), in offer order cpus, mem, disk, gpus. */
export function toMesosResources(r: Resources, options: OfferedResourceOptions): Resource[] {
  const out: Resource[] = [];
  for (const m of MAPPINGS) {
    const amount = r[m.kube] ?? 0;
    if (amount <= 0 || (m.mesos === 'gpus' && !options.gpus)) continue;
    const value = floor3(amount / m.scale);
    if (value <= 0) continue;
    out.push({
      name: m.mesos,
      type: 'SCALAR',
      scalar: { value },
      role: '*',
      ...(options.allocationRole !== undefined ? { allocation_info: { role: options.allocationRole } } : {}),
    });
  }
  return out;
}

/** The four scalars the master's JSON endpoints always show, as Mesos' `model(Resources)` does. */
export interface MesosScalars {
  cpus: number;
  disk: number;
  gpus: number;
  mem: number;
}

/** Resources as the master's endpoints summarise them: each Mesos scalar (0 when absent), three decimals. */
export function mesosScalars(r: Resources): MesosScalars {
  const out: MesosScalars = { cpus: 0, disk: 0, gpus: 0, mem: 0 };
  for (const m of MAPPINGS) out[m.mesos as keyof MesosScalars] = floor3((r[m.kube] ?? 0) / m.scale);
  return out;
}

/** What a task's resources ask for, in kmesos units, or the first problem, naming the resource. */
export type ParsedResources =
  { ok: true; resources: Resources; ports: number[] } | { ok: false; message: string };

/** A SCALAR's amount in kmesos units (rounded up), or what is wrong with it. */
function scalarAmount(r: Resource, scale: number): number | string {
  if (r.type !== 'SCALAR' || r.scalar === undefined) return 'must be a SCALAR';
  const value = r.scalar.value;
  if (!Number.isFinite(value) || value <= 0) return `must be a positive number, not ${value}`;
  if (r.reservation !== undefined || (r.reservations?.length ?? 0) > 0 || (r.role ?? '*') !== '*')
    return 'reserved resources are not offered by kmesos';
  const amount = Math.ceil(value * scale - 1e-9);
  return Number.isSafeInteger(amount) ? amount : `${value} is too large`;
}

/**
 * A TaskInfo's resources: each a known SCALAR, positive and finite, unreserved. Amounts round up
 * to kmesos' unit (a task never gets less than it asked for); a name given twice adds up.
 */
export function fromMesosResources(list: readonly Resource[] | undefined): ParsedResources {
  const out: Record<string, number> = {};
  const ports: number[] = [];
  for (const [i, r] of (list ?? []).entries()) {
    const m = BY_MESOS.get(r.name);
    const where = `resources[${i}] (${r.name})`;
    if (r.name === 'ports') {
      const got =
        r.type === 'RANGES' ? fromRanges(r.ranges?.range ?? [], MAX_TASK_PORTS - ports.length) : undefined;
      if (!got)
        return {
          ok: false,
          message: `${where}: must be RANGES of at most ${MAX_TASK_PORTS} ports in 1-65535`,
        };
      ports.push(...got);
      continue;
    }
    if (!m)
      return { ok: false, message: `${where}: kmesos offers only ${[...BY_MESOS.keys()].join(', ')}, ports` };
    const amount = scalarAmount(r, m.scale);
    if (typeof amount === 'string') return { ok: false, message: `${where}: ${amount}` };
    out[m.kube] = (out[m.kube] ?? 0) + amount;
  }
  if (new Set(ports).size !== ports.length) return { ok: false, message: 'resources: a port is named twice' };
  return { ok: true, resources: out, ports };
}

/** A Task spec's resource list: cpu in millicores, the rest in whole units. */
export function resourceListOf(r: Resources): Record<string, string> {
  return Object.fromEntries(
    Object.entries(r).map(([name, amount]) => [
      name,
      BY_KUBE.get(name)?.kube === 'cpu' ? `${amount}m` : `${amount}`,
    ]),
  );
}
