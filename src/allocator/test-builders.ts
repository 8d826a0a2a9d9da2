/** Small builders for allocator tests (Kueue-style): a cluster in a few lines. */
import { ManualClock } from '../util/clock.js';
import { Allocator, type AllocatorOptions } from './allocator.js';
import type { AgentSpec, FrameworkSpec, PendingTask } from './types.js';

export const GI = 2 ** 30;
export const MI = 2 ** 20;

/** cpu in cores, memory in GiB → integer resources. */
export function res(cpu: number, memGi = 0, extra: Record<string, number> = {}): Record<string, number> {
  const out: Record<string, number> = { ...extra };
  if (cpu) out.cpu = Math.round(cpu * 1000);
  if (memGi) out.memory = Math.round(memGi * GI);
  return out;
}

export function agent(id: string, cpu: number, memGi: number, extra: Partial<AgentSpec> = {}): AgentSpec {
  return { agentId: id, hostname: id, attributes: {}, total: res(cpu, memGi), ...extra };
}

export function builtin(id: string, extra: Partial<FrameworkSpec> = {}): FrameworkSpec {
  return { frameworkId: id, kind: 'Builtin', ...extra };
}

export function external(id: string, extra: Partial<FrameworkSpec> = {}): FrameworkSpec {
  return { frameworkId: id, kind: 'External', ...extra };
}

/** `n` identical tasks `${fw}-0…` created in order. */
export function tasks(
  fw: string,
  n: number,
  cpu: number,
  memGi: number,
  extra: Partial<PendingTask> = {},
): PendingTask[] {
  return Array.from({ length: n }, (_, i) => ({
    taskId: `${fw}-${i}`,
    frameworkId: fw,
    resources: res(cpu, memGi),
    createdAt: i,
    ...extra,
  }));
}

export function newAllocator(opts: Partial<AllocatorOptions> = {}): { alloc: Allocator; clock: ManualClock } {
  const clock = new ManualClock(1_000_000);
  return { alloc: new Allocator({ clock, ...opts }), clock };
}

export function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of items) out[key(t)] = (out[key(t)] ?? 0) + 1;
  return out;
}
