/**
 * Mesos `ports` resources on Kubernetes nodes: each node offers the host ports of one
 * configured range (Mesos agents' default is 31000-32000) that no live task of an external
 * framework holds and no other outstanding offer names. Pure: the scheduler tells it what was
 * offered, launched and ended.
 */
import type { Value_Range } from '../mesos/types/v1.js';

export interface PortRange {
  begin: number;
  end: number;
}

/** Parses `31000-32000` (or one port); undefined when malformed. */
export function parsePortRange(text: string): PortRange | undefined {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  if (!m) return undefined;
  const begin = Number(m[1]);
  const end = Number(m[2] ?? m[1]);
  return begin >= 1 && begin <= end && end <= 65535 ? { begin, end } : undefined;
}

/** Sorted distinct ports as Mesos ranges. */
export function toRanges(ports: readonly number[]): Value_Range[] {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const out: Value_Range[] = [];
  for (const p of sorted) {
    const last = out.at(-1);
    if (last && last.end === p - 1) last.end = p;
    else out.push({ begin: p, end: p });
  }
  return out;
}

/** Every port of some ranges, or undefined when they are malformed or hold too many. */
export function fromRanges(ranges: readonly Value_Range[], max: number): number[] | undefined {
  const out: number[] = [];
  for (const r of ranges) {
    if (
      !Number.isInteger(r.begin) ||
      !Number.isInteger(r.end) ||
      r.begin < 1 ||
      r.end > 65535 ||
      r.begin > r.end
    )
      return undefined;
    if (out.length + (r.end - r.begin + 1) > max) return undefined;
    for (let p = r.begin; p <= r.end; p++) out.push(p);
  }
  return out;
}

export class PortBook {
  /** Ports held by live tasks, per agent. */
  private readonly used = new Map<string, Set<number>>();
  /** Ports named by each outstanding offer. */
  private readonly offered = new Map<string, { agentId: string; ports: Set<number> }>();

  constructor(private readonly range: PortRange | undefined) {}

  /** The ports an offer on this agent may carry now; they are the offer's until release(). */
  offer(offerId: string, agentId: string): number[] {
    if (!this.range) return [];
    const taken = new Set(this.used.get(agentId));
    for (const o of this.offered.values()) if (o.agentId === agentId) for (const p of o.ports) taken.add(p);
    const ports: number[] = [];
    for (let p = this.range.begin; p <= this.range.end; p++) if (!taken.has(p)) ports.push(p);
    this.offered.set(offerId, { agentId, ports: new Set(ports) });
    return ports;
  }

  /** Whether every port is in the offer. */
  inOffer(offerId: string, ports: readonly number[]): boolean {
    const o = this.offered.get(offerId);
    return ports.every((p) => o?.ports.has(p) === true);
  }

  /** The offer was answered, withdrawn or expired. */
  release(offerId: string): void {
    this.offered.delete(offerId);
  }

  /** A task holds these ports on the agent (launched, or found running after a restart). */
  take(agentId: string, ports: readonly number[]): void {
    if (ports.length === 0) return;
    const set = this.used.get(agentId) ?? new Set<number>();
    for (const p of ports) set.add(p);
    this.used.set(agentId, set);
  }

  /** A task that held them ended. */
  free(agentId: string, ports: readonly number[]): void {
    const set = this.used.get(agentId);
    if (!set) return;
    for (const p of ports) set.delete(p);
    if (set.size === 0) this.used.delete(agentId);
  }
}
