/**
 * Mesos' maintenance primitives on Kubernetes: a cordoned (or draining) node is an agent
 * scheduled for maintenance, so each framework with tasks on it gets an inverse offer for it,
 * rescinded when the node is uncordoned; a node that is deleted is an agent lost (FAILURE).
 * Pure: it tells the scheduler what to send.
 */
import type { V1Node } from '@kubernetes/client-node';
import type { InverseOffer } from '../mesos/types/v1.js';

/** Where a framework's live tasks run: framework key → agent IDs. */
export type TaskAgents = ReadonlyMap<string, ReadonlySet<string>>;

export interface MaintenanceChanges {
  /** Per framework: inverse offers to send now. */
  inverseOffers: Map<string, InverseOffer[]>;
  /** Per framework: inverse offer IDs to rescind (the node is back). */
  rescinded: Map<string, string[]>;
  /** Per framework: agents that went away while it had tasks on them. */
  failures: Map<string, string[]>;
}

function push<T>(m: Map<string, T[]>, key: string, value: T): void {
  const list = m.get(key);
  if (list) list.push(value);
  else m.set(key, [value]);
}

export class Maintenance {
  /** framework key → agent ID → inverse offer ID outstanding. */
  private readonly outstanding = new Map<string, Map<string, string>>();
  private agents = new Set<string>();
  private seq = 0;

  constructor(private readonly idPrefix: string) {}

  /**
   * Compares the nodes and where tasks run with what was last told. `frameworkIds` gives each
   * framework key its Mesos framework ID; `nowSeconds` starts the unavailability.
   */
  update(
    nodes: Iterable<V1Node>,
    taskAgents: TaskAgents,
    frameworkIds: ReadonlyMap<string, string>,
    nowSeconds: number,
  ): MaintenanceChanges {
    const out: MaintenanceChanges = { inverseOffers: new Map(), rescinded: new Map(), failures: new Map() };
    const cordoned = new Set<string>();
    const present = new Set<string>();
    for (const n of nodes) {
      const uid = n.metadata?.uid ?? '';
      present.add(uid);
      if (n.spec?.unschedulable) cordoned.add(uid);
    }
    for (const [fw, agents] of taskAgents) {
      const frameworkId = frameworkIds.get(fw);
      if (frameworkId === undefined) continue;
      const mine = this.outstanding.get(fw) ?? new Map<string, string>();
      for (const agent of agents) {
        if (!present.has(agent) && this.agents.has(agent)) push(out.failures, fw, agent);
        if (!cordoned.has(agent) || mine.has(agent)) continue;
        const id = `${this.idPrefix}-I${this.seq++}`;
        mine.set(agent, id);
        push(out.inverseOffers, fw, {
          id: { value: id },
          framework_id: { value: frameworkId },
          agent_id: { value: agent },
          unavailability: { start: { nanoseconds: Math.round(nowSeconds * 1e9) } },
        });
      }
      this.outstanding.set(fw, mine);
    }
    for (const [fw, mine] of this.outstanding) {
      const agents = taskAgents.get(fw);
      for (const [agent, id] of mine) {
        if (cordoned.has(agent) && agents?.has(agent)) continue;
        mine.delete(agent);
        push(out.rescinded, fw, id);
      }
      if (mine.size === 0) this.outstanding.delete(fw);
    }
    this.agents = present;
    return out;
  }

  /** The framework answered or went away: its inverse offers are forgotten. */
  forget(frameworkKey: string): void {
    this.outstanding.delete(frameworkKey);
  }
}
