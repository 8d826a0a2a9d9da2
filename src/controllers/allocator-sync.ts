import type { V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'winston';
import { DEFAULT_ROLE, LABELS } from '../api/constants.js';
import { roleOfResourceRole } from '../api/roles.js';
import type { Framework } from '../api/types.js';
import type { Allocator, FrameworkSpec as AllocatorFramework, Rescind } from '../allocator/index.js';
import { agentFromNode, eligibleFor, type AgentView } from '../cluster/agents.js';
import { joinKey, objectKey } from '../api/keys.js';
import { taskKeyOfPod, type ClusterState } from '../cluster/state.js';
import {
  formatIssues,
  validateFrameworkSpec,
  validateResourceRoleSpec,
  type ValidationIssue,
} from '../api/validation.js';
import type { LaunchLedger } from '../launcher/ledger.js';
import { foreignPodReason } from '../launcher/own-pod.js';
import { isTerminalPod, parseResourceList, podRequests } from '../resources/index.js';

/** Spec problems of ResourceRoles (by object name) and Frameworks (by key). */
export interface InvalidSpecs {
  readonly roles: Map<string, readonly ValidationIssue[]>;
  readonly frameworks: Map<string, readonly ValidationIssue[]>;
}

/**
 * Keeps the allocator's picture equal to the cluster state at the start of each cycle:
 * agents from Nodes (foreign pods' requests as `used`), roles from ResourceRoles,
 * frameworks from Frameworks, and kmesos' live pods as task allocations (the launch ledger
 * records which pods the allocator holds). Each item is written to the allocator only when it
 * changed since the last cycle.
 */
export class AllocatorSync {
  /** Agents by node name, as of the last sync; frameworks' eligibility reads it. */
  readonly agents = new Map<string, AgentView>();
  private readonly agentSignature = new Map<string, string>();
  private readonly frameworkSignature = new Map<string, string>();
  private readonly roleSignature = new Map<string, string>();
  /**
   * ResourceRoles (by object name) and Frameworks (by key) whose spec the operator cannot use:
   * left out of the allocator (a role keeps its last good spec), reported on their status.
   */
  readonly invalid: InvalidSpecs = { roles: new Map(), frameworks: new Map() };
  /** Pods whose framework or agent was not known yet, tried again next cycle. */
  private unregistered = new Set<string>();

  constructor(
    private readonly allocator: Allocator,
    private readonly state: ClusterState,
    private readonly ledger: LaunchLedger,
    private readonly logger: Logger,
    /** Whether an External framework's scheduler is subscribed and wants offers (not suppressed). */
    private readonly wantsOffers: (frameworkKey: string) => boolean = () => false,
  ) {}

  /** Brings the allocator up to date; returns the offers it rescinded on the way. */
  sync(): Rescind[] {
    const rescinded: Rescind[] = [];
    this.syncRoles(rescinded);
    this.syncAgents(rescinded);
    this.syncFrameworks(rescinded);
    this.syncPods();
    for (const name of [...this.invalid.roles.keys()])
      if (!this.state.roles.has(name)) this.invalid.roles.delete(name);
    for (const key of [...this.invalid.frameworks.keys()])
      if (!this.state.frameworks.has(key)) this.invalid.frameworks.delete(key);
    return rescinded;
  }

  private syncRoles(rescinded: Rescind[]): void {
    const seen = new Set<string>();
    for (const rr of this.state.roles.values()) {
      const role = roleOfResourceRole(rr.metadata.name ?? '');
      seen.add(role);
      if (
        this.isInvalid(
          this.invalid.roles,
          rr.metadata.name ?? '',
          validateResourceRoleSpec(rr.spec),
          'ResourceRole',
        )
      )
        continue;
      const spec = {
        weight: rr.spec.weight,
        guarantee: parseResourceList(rr.spec.quota?.guarantee),
        limit: parseResourceList(rr.spec.quota?.limit),
      };
      const sig = JSON.stringify(spec);
      if (this.roleSignature.get(role) === sig) continue;
      this.roleSignature.set(role, sig);
      rescinded.push(...this.allocator.setRole(role, spec));
    }
    for (const role of [...this.roleSignature.keys()]) {
      if (seen.has(role)) continue;
      this.roleSignature.delete(role);
      this.allocator.removeRole(role);
    }
  }

  /** Only nodes that changed (or whose foreign pods did) since the last sync are looked at. */
  private syncAgents(rescinded: Rescind[]): void {
    const used = this.state.usedByNodeView();
    for (const name of this.state.takeDirtyNodes()) {
      const node = this.state.nodes.get(name);
      if (!node) {
        this.removeAgent(name, rescinded);
        continue;
      }
      const view = agentFromNode(node, used.get(name) ?? {}, undefined);
      this.agents.set(view.hostname, view);
      const available = view.state === 'active' || view.state === 'tainted';
      const sig = JSON.stringify([view.id, view.total, view.used, view.attributes, available, view.taints]);
      if (this.agentSignature.get(view.hostname) === sig) continue;
      const known = this.agentSignature.has(view.hostname);
      this.agentSignature.set(view.hostname, sig);
      if (!known) {
        this.allocator.addAgent({
          agentId: view.id,
          hostname: view.hostname,
          attributes: view.attributes,
          total: view.total,
          used: view.used,
          available,
        });
        continue;
      }
      rescinded.push(
        ...this.allocator.updateAgent(view.id, {
          attributes: view.attributes,
          total: view.total,
          used: view.used,
        }),
        ...this.allocator.setAgentAvailable(view.id, available),
      );
    }
  }

  private removeAgent(name: string, rescinded: Rescind[]): void {
    const view = this.agents.get(name);
    if (!view) return;
    this.agents.delete(name);
    this.agentSignature.delete(name);
    const removal = this.allocator.removeAgent(view.id);
    rescinded.push(...removal.rescinded);
    for (const t of removal.lostTasks) this.ledger.drop(t);
  }

  private frameworkSpec(key: string, fw: Framework): AllocatorFramework {
    return { frameworkId: key, ...this.frameworkUpdate(key, fw) };
  }

  private frameworkUpdate(key: string, fw: Framework): Omit<AllocatorFramework, 'frameworkId'> {
    const tolerations = fw.spec.tolerations ?? [];
    const min = fw.spec.offerFilters.minAllocatable;
    return {
      role: fw.spec.role || DEFAULT_ROLE,
      kind: fw.spec.scheduler,
      // Capacity is never held for nobody: an External framework whose scheduler is not
      // connected (or has suppressed offers) is offered nothing.
      suppressed: fw.spec.suppressed || (fw.spec.scheduler === 'External' && !this.wantsOffers(key)),
      placement: fw.spec.placement,
      taskOrder: fw.spec.taskOrder,
      refuseSeconds: fw.spec.offerFilters.refuseSeconds,
      ...(min && Object.keys(min).length > 0 ? { minAllocatable: [parseResourceList(min)] } : {}),
      eligible: (agent) => {
        const view = this.agents.get(agent.hostname);
        return view !== undefined && eligibleFor(view, tolerations);
      },
    };
  }

  private syncFrameworks(rescinded: Rescind[]): void {
    const seen = new Set<string>();
    for (const [key, fw] of this.state.frameworks) {
      if (this.isInvalid(this.invalid.frameworks, key, validateFrameworkSpec(fw.spec), 'Framework')) {
        // Keep one already known at its last good spec; a new one waits until it is fixed.
        if (this.frameworkSignature.has(key)) seen.add(key);
        continue;
      }
      seen.add(key);
      const spec = this.frameworkSpec(key, fw);
      const sig = JSON.stringify({ ...spec, tolerations: fw.spec.tolerations });
      const prevSig = this.frameworkSignature.get(key);
      if (prevSig === sig) continue;
      this.frameworkSignature.set(key, sig);
      if (prevSig === undefined) {
        this.allocator.addFramework(spec);
        continue;
      }
      rescinded.push(...this.allocator.updateFramework(key, this.frameworkUpdate(key, fw)));
    }
    for (const key of [...this.frameworkSignature.keys()]) {
      if (seen.has(key)) continue;
      this.frameworkSignature.delete(key);
      const removed = this.allocator.removeFramework(key);
      rescinded.push(...removed.rescinded);
      for (const t of removed.releasedTasks) this.ledger.drop(t);
    }
  }

  /** Records (or clears) an object's spec problems; true when it has some. Logged when they change. */
  private isInvalid(
    problems: Map<string, readonly ValidationIssue[]>,
    name: string,
    issues: ValidationIssue[],
    kind: string,
  ): boolean {
    const before = problems.get(name);
    if (issues.length === 0) {
      problems.delete(name);
      return false;
    }
    if (!before || formatIssues(before) !== formatIssues(issues))
      this.logger.warn('object left out of allocation: invalid spec', {
        kind,
        name,
        problems: formatIssues(issues),
      });
    problems.set(name, issues);
    return true;
  }

  /** Registers live kmesos pods as allocations and recovers those that ended. */
  private syncPods(): void {
    const retry = new Set<string>();
    const dirty = this.state.takeDirtyPods();
    for (const key of this.unregistered) dirty.add(key);
    for (const key of dirty) {
      const pod = this.state.pods.get(key);
      const live = pod !== undefined && !isTerminalPod(pod) && pod.spec?.nodeName !== undefined;
      if (!live) {
        // Placed and not yet created: the pod's absence is no news.
        if (!this.ledger.inFlight(key) || pod !== undefined) this.ledger.gone(key);
        continue;
      }
      if (this.ledger.has(key)) {
        this.ledger.observe(key);
        continue;
      }
      if (!this.register(key, pod)) retry.add(key);
    }
    this.unregistered = retry;
  }

  private register(key: string, pod: V1Pod): boolean {
    const agent = this.agents.get(pod.spec?.nodeName ?? '');
    const frameworkKey = joinKey(pod.metadata?.namespace, pod.metadata?.labels?.[LABELS.framework] ?? '');
    const task = this.state.tasks.get(taskKeyOfPod(pod) ?? '');
    if (!agent || !this.state.frameworks.has(frameworkKey) || !task) return false;
    const foreign = foreignPodReason(task, pod, task.status?.attempt ?? 0);
    if (foreign) {
      // Not kmesos' own: counting it would let anyone who can create pods take a framework's share.
      this.logger.warn('pod claims to be a task attempt kmesos did not launch; not counted', {
        pod: objectKey(pod),
        reason: foreign,
      });
      return true;
    }
    const result = this.allocator.addTask({
      taskId: key,
      frameworkId: frameworkKey,
      agentId: agent.id,
      resources: podRequests(pod),
    });
    if (!result.ok && result.reason !== 'DuplicateTask') {
      this.logger.warn('could not account a running pod', { pod: objectKey(pod), reason: result.message });
      return false;
    }
    this.ledger.adopt({
      podKey: key,
      taskKey: taskKeyOfPod(pod) ?? '',
      nodeName: agent.hostname,
      agentId: agent.id,
      requests: podRequests(pod),
    });
    return true;
  }
}
