/** Recent Kubernetes Events of one object, for the web UI's detail panels. */
import type { CoreV1Api, CoreV1Event } from '@kubernetes/client-node';
import type { UiEvent } from './wire.js';

/** The kinds whose Events the UI shows, and where their Events live. */
export const EVENT_KINDS = ['Task', 'Framework', 'Node'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface EventQuery {
  readonly kind: EventKind;
  /** The object's namespace; Node events are in `default`, where the kubelet records them. */
  readonly namespace: string;
  readonly name: string;
}

/** How many Events are shown per object: the newest. */
export const MAX_EVENTS = 20;

export type EventLister = (q: EventQuery) => Promise<UiEvent[]>;

function when(e: CoreV1Event): string | undefined {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp;
  if (t === undefined) return undefined;
  return t instanceof Date ? t.toISOString() : String(t);
}

/** Events as the UI shows them: newest first, at most MAX_EVENTS. Pure. */
export function uiEvents(events: readonly CoreV1Event[]): UiEvent[] {
  return events
    .map((e) => ({
      type: e.type ?? 'Normal',
      reason: e.reason ?? '',
      message: e.message ?? '',
      count: e.count ?? 1,
      last: when(e),
      source: e.reportingComponent || e.source?.component || '',
    }))
    .sort((a, b) => (b.last ?? '').localeCompare(a.last ?? ''))
    .slice(0, MAX_EVENTS);
}

/** Lists an object's Events with a field selector: one API call, made only when a person asks. */
export function kubeEventLister(core: CoreV1Api): EventLister {
  return async (q) => {
    const list = await core.listNamespacedEvent({
      namespace: q.kind === 'Node' ? 'default' : q.namespace,
      fieldSelector: `involvedObject.kind=${q.kind},involvedObject.name=${q.name}`,
    });
    return uiEvents(list.items);
  };
}
