/**
 * What the master's endpoints read, as plain values: the watch caches, the task statuses the
 * operator decided, the allocator's offers and shares. server/master-routes.ts gathers them
 * from the Operator for each request; everything in master/ is a pure function of them.
 */
import type { V1Node } from '@kubernetes/client-node';
import type { Offer } from '../allocator/index.js';
import type { Framework, ResourceRole, Task, TaskStatus } from '../api/types.js';
import type { Resources } from '../resources/index.js';
import type { MasterInfo } from '../scheduler/mesos/types/v1.js';
import type { DurationStats } from '../util/duration-window.js';

/** This replica as a Mesos master. */
export interface MasterSelf {
  /** What SUBSCRIBED tells schedulers of this master, with the port it really listens on. */
  readonly info: MasterInfo;
  /** The address other replicas and clients reach it at (the one the Lease advertises). */
  readonly address: HostPort;
  /** Clock ms. */
  readonly startTime: number;
  /** Clock ms since which it leads; undefined on a standby. */
  readonly electedTime?: number;
  /** Configuration shown as Mesos flags (state's `flags`, GET_FLAGS). */
  readonly flags: Readonly<Record<string, string>>;
}

export interface HostPort {
  readonly hostname: string;
  readonly port: number;
}

/** The allocator's own figures, which exist on the leader only (a standby runs no allocator). */
export interface AllocatorFigures {
  /** Weighted dominant share of a role path. */
  roleShare(role: string): number;
  /** Allocation cycles run. */
  readonly runs: number;
  /** Durations of recent cycles in ms; undefined before the first. */
  readonly runTimes: DurationStats | undefined;
}

/** The host the operator runs on (Mesos' system/ metrics). */
export interface SystemFigures {
  readonly cpus: number;
  readonly load: readonly [number, number, number];
  readonly memTotalBytes: number;
  readonly memFreeBytes: number;
}

export interface MasterInputs {
  /** Clock ms. */
  readonly now: number;
  readonly self: MasterSelf;
  /** The leading master: this replica, another one, or undefined while none is known. */
  readonly leader: HostPort | undefined;
  readonly nodes: Iterable<V1Node>;
  /** Requests of the live pods kmesos does not own, by node name. */
  readonly foreignRequests: ReadonlyMap<string, Resources>;
  readonly frameworks: ReadonlyMap<string, Framework>;
  readonly tasks: ReadonlyMap<string, Task>;
  /** A task's status as the operator last decided it (ahead of the watch cache). */
  taskStatus(key: string): TaskStatus | undefined;
  readonly roles: Iterable<ResourceRole>;
  /** Outstanding offers; their frameworkId is the Framework's key. */
  readonly offers: readonly Offer[];
  /** Whether an External framework's scheduler is subscribed; undefined where that cannot be known (a standby). */
  connected(frameworkKey: string): boolean | undefined;
  readonly allocator?: AllocatorFigures;
  readonly system?: SystemFigures;
}
