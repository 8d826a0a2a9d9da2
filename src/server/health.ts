/** What /readyz reports; the operator fills it from its informers and leader election. */
export interface ReadinessState {
  /** Every watch cache has completed its initial list. */
  readonly cachesSynced: boolean;
  /** This replica holds the leader Lease. */
  readonly leader: boolean;
  /** On the leader: the allocation loop is running. Ignored on a standby. */
  readonly allocatorRunning?: boolean;
}

export interface ReadinessReport {
  readonly status: 200 | 503;
  readonly body: ReadinessState & { readonly ready: boolean; readonly reasons: string[] };
}

/**
 * Ready once the caches are synced; a leader must also be allocating. A standby is ready
 * too: it serves /metrics and can take over at once, and `leader` in the body tells them apart.
 */
export function readiness(state: ReadinessState): ReadinessReport {
  const reasons: string[] = [];
  if (!state.cachesSynced) reasons.push('watch caches not synced');
  if (state.leader && state.allocatorRunning === false)
    reasons.push('leader but the allocator is not running');
  const ready = reasons.length === 0;
  return { status: ready ? 200 : 503, body: { ...state, ready, reasons } };
}
