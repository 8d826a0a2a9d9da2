import type { PreemptionReason } from '../allocator/index.js';
import type { TaskState } from '../api/task-states.js';
import type { KmesosMetrics } from '../metrics/index.js';
import { joinKey, splitKey } from '../api/keys.js';
import type { CycleObserver, CycleReport, OfferOutcome } from './cycle-report.js';

/** Publishes each cycle's figures as Prometheus metrics, forgetting frameworks and roles that went away. */
export class MetricsObserver implements CycleObserver {
  private frameworks = new Set<string>();
  private roles = new Set<string>();

  constructor(private readonly metrics: KmesosMetrics) {}

  launchLatency(stage: 'bound' | 'running', seconds: number): void {
    this.metrics.observeLaunchLatency(stage, seconds);
  }

  taskEnded(namespace: string, framework: string, state: TaskState): void {
    this.metrics.countTaskTermination({ namespace, name: framework }, state);
  }

  reconcileFailed(): void {
    this.metrics.countReconcileError();
  }

  reconciled(): void {
    this.metrics.countTaskReconcile();
  }

  cycleFailed(): void {
    this.metrics.countCycleError();
  }

  offersEnded(frameworkKey: string, outcome: OfferOutcome, count: number): void {
    const { namespace, name } = splitKey(frameworkKey);
    this.metrics.countOffer({ namespace, name }, outcome, count);
  }

  preempted(reason: PreemptionReason, count: number): void {
    this.metrics.countPreemptions(reason, count);
  }

  belowFairShare(frameworkKey: string, seconds: number): void {
    this.metrics.setBelowFairShare(splitKey(frameworkKey), seconds);
  }

  cycle(report: CycleReport): void {
    const m = this.metrics;
    m.observeCycle(report.durationMs / 1000);
    if (!report.full) return;
    m.setMesosFigures(report.mesos);
    m.setClusterResources(report.capacity, report.allocated);
    m.setAgentsByState(report.agentsByState);
    const frameworks = new Set<string>();
    for (const f of report.frameworks) {
      const ref = { namespace: f.namespace, name: f.name };
      frameworks.add(joinKey(f.namespace, f.name));
      m.setFrameworkShares(ref, f.role, { dominant: f.dominantShare, weighted: f.weightedShare });
      m.setFrameworkAllocated(ref, f.role, f.allocated);
      m.setTasksByState(ref, f.tasksByState);
      m.setPendingTasks(ref, { pending: f.pending, unschedulable: f.unschedulable });
      m.setOutstandingOffers(ref, f.outstandingOffers);
    }
    for (const key of this.frameworks) {
      if (frameworks.has(key)) continue;
      m.forgetFramework(splitKey(key));
    }
    this.frameworks = frameworks;
    const roles = new Set<string>();
    for (const r of report.roles) {
      roles.add(r.role);
      m.setRoleShares(r.role, { dominant: r.dominantShare, weighted: r.weightedShare, weight: r.weight });
      m.setRoleAllocated(r.role, r.allocated);
      m.setRoleQuota(r.role, { guarantee: r.guarantee, limit: r.limit });
    }
    for (const role of this.roles) if (!roles.has(role)) m.forgetRole(role);
    this.roles = roles;
  }
}
