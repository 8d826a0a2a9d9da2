/** The side panel of one selected object: its fields and its recent Kubernetes Events. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { UiEvent, UiTask } from '../../src/ui/wire.js';
import { StateBadge } from './components.js';
import { formatFigures } from './format.js';

export type Selected =
  { readonly kind: 'Task'; readonly task: UiTask } | { readonly kind: 'Node'; readonly name: string };

type Loaded = { readonly events: readonly UiEvent[] } | { readonly error: string } | undefined;

function eventsUrl(s: Selected): string {
  const q =
    s.kind === 'Task'
      ? new URLSearchParams({ kind: 'Task', namespace: s.task.namespace, name: s.task.name })
      : new URLSearchParams({ kind: 'Node', name: s.name });
  return `ui/api/events?${q.toString()}`;
}

function Events(props: { loaded: Loaded }): JSX.Element {
  const l = props.loaded;
  if (l === undefined) return <p class="muted">loading events…</p>;
  if ('error' in l) return <p class="error">events: {l.error}</p>;
  if (l.events.length === 0) return <p class="muted">no recent events</p>;
  return (
    <ul class="events">
      {l.events.map((e, i) => (
        <li key={i} class={e.type === 'Warning' ? 'warning' : ''}>
          <strong>{e.reason}</strong>{' '}
          <span class="muted small">
            {e.last ? new Date(e.last).toLocaleTimeString() : ''}
            {e.count > 1 ? ` ×${e.count}` : ''} · {e.source}
          </span>
          <div>{e.message}</div>
        </li>
      ))}
    </ul>
  );
}

export function Details(props: {
  selected: Selected;
  headers: () => Record<string, string>;
  onClose: () => void;
}): JSX.Element {
  const s = props.selected;
  const url = eventsUrl(s);
  const [loaded, setLoaded] = useState<Loaded>(undefined);
  useEffect(() => {
    setLoaded(undefined);
    const abort = new AbortController();
    fetch(url, { headers: props.headers(), signal: abort.signal })
      .then(async (res) => {
        if (!res.ok) throw new Error(`${res.status} ${(await res.text()).trim()}`);
        setLoaded({ events: (await res.json()) as UiEvent[] });
      })
      .catch((err: unknown) => {
        if (!abort.signal.aborted) setLoaded({ error: err instanceof Error ? err.message : String(err) });
      });
    return () => abort.abort();
  }, [url]);
  return (
    <aside class="details" aria-label="details">
      <header class="section-header">
        <h2>{s.kind === 'Task' ? s.task.name : s.name}</h2>
        <button type="button" onClick={props.onClose} aria-label="close">
          ×
        </button>
      </header>
      {s.kind === 'Task' ? (
        <dl>
          <dt>namespace</dt>
          <dd>{s.task.namespace}</dd>
          <dt>framework</dt>
          <dd>{s.task.framework}</dd>
          <dt>state</dt>
          <dd>
            <StateBadge state={s.task.state} />
          </dd>
          <dt>scheduled</dt>
          <dd>{s.task.scheduled ?? '—'}</dd>
          {s.task.message ? (
            <>
              <dt>why</dt>
              <dd class="message" data-detail-why>
                {s.task.message}
              </dd>
            </>
          ) : null}
          {s.task.reason ? (
            <>
              <dt>reason</dt>
              <dd>{s.task.reason}</dd>
            </>
          ) : null}
          <dt>node</dt>
          <dd>{s.task.node ?? '—'}</dd>
          <dt>attempt</dt>
          <dd>{s.task.attempt ?? '—'}</dd>
          <dt>resources</dt>
          <dd>{formatFigures(s.task.resources)}</dd>
        </dl>
      ) : null}
      <h3>Events</h3>
      <Events loaded={loaded} />
    </aside>
  );
}
