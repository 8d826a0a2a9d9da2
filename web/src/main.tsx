/**
 * kmesos' web UI: one page fed by the operator's view stream (/ui/api/stream), which sends the
 * whole view on every change. Share histories are kept here, in the page.
 */
import { render, type JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { UiTask, UiView } from '../../src/ui/wire.js';
import { Details, type Selected } from './details.js';
import { record, type History } from './history.js';
import { openStream, type StreamState } from './sse.js';
import { AgentsView, ClusterView, FrameworksView, RolesView, TasksView, type Filter } from './views.js';

const TOKEN_KEY = 'kmesos.token';
/** How often the share histories take a sample. */
const SAMPLE_MS = 1000;
const FILTER_DELAY_MS = 250;
const TABS = ['overview', 'agents', 'tasks'] as const;
type Tab = (typeof TABS)[number];

function tabOfHash(): Tab {
  const h = location.hash.replace(/^#\/?/, '');
  return TABS.find((t) => t === h) ?? 'overview';
}

function sharesOf<T extends { share: number | undefined }>(
  items: readonly T[],
  name: (t: T) => string,
): Map<string, number> {
  return new Map(items.flatMap((i) => (i.share === undefined ? [] : [[name(i), i.share] as const])));
}

function headers(): Record<string, string> {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

function streamUrl(f: Filter): string {
  const q = new URLSearchParams();
  if (f.framework) q.set('framework', f.framework);
  if (f.state) q.set('state', f.state);
  if (f.text) q.set('text', f.text);
  const s = q.toString();
  return `ui/api/stream${s ? `?${s}` : ''}`;
}

function SignIn(props: {
  state: Extract<StreamState, { kind: 'denied' }>;
  onToken: () => void;
}): JSX.Element {
  const [token, setToken] = useState('');
  return (
    <form
      class="signin"
      onSubmit={(e) => {
        e.preventDefault();
        sessionStorage.setItem(TOKEN_KEY, token.trim());
        props.onToken();
      }}
    >
      <p class="error">{props.state.message}</p>
      <label>
        Kubernetes bearer token (kept for this tab only)
        <input
          type="password"
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          autocomplete="off"
        />
      </label>
      <button type="submit">Sign in</button>
    </form>
  );
}

function Status(props: { state: StreamState; view: UiView | undefined }): JSX.Element {
  const s = props.state;
  const text =
    s.kind === 'live'
      ? 'live'
      : s.kind === 'connecting'
        ? 'connecting…'
        : s.kind === 'denied'
          ? 'not signed in'
          : `reconnecting: ${s.message}`;
  return (
    <span class={`status status-${s.kind}`} data-stream={s.kind}>
      {text}
      {props.view
        ? ` · ${props.view.leading ? 'leader' : 'standby (no allocator shares)'} · ${new Date(props.view.at).toLocaleTimeString()}`
        : ''}
    </span>
  );
}

function App(): JSX.Element {
  const [tab, setTab] = useState<Tab>(tabOfHash());
  const [view, setView] = useState<UiView | undefined>(undefined);
  const [state, setState] = useState<StreamState>({ kind: 'connecting' });
  const [filter, setFilter] = useState<Filter>({ framework: '', state: '', text: '' });
  const [roleHistory, setRoleHistory] = useState<History>(new Map());
  const [frameworkHistory, setFrameworkHistory] = useState<History>(new Map());
  const [selected, setSelected] = useState<Selected | undefined>(undefined);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const onHash = (): void => setTab(tabOfHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  // Shares are sampled on a timer, not per message: the stream sends only changes, and a
  // history should move at the pace of time.
  const latest = useRef<UiView | undefined>(undefined);
  latest.current = view;
  useEffect(() => {
    const timer = setInterval(() => {
      const v = latest.current;
      if (v === undefined) return;
      setRoleHistory((h) =>
        record(
          h,
          sharesOf(v.roles, (r) => r.name),
        ),
      );
      setFrameworkHistory((h) =>
        record(
          h,
          sharesOf(v.frameworks, (f) => f.key),
        ),
      );
    }, SAMPLE_MS);
    return () => clearInterval(timer);
  }, []);

  // Typing in the text filter reopens the stream once the typing pauses, not per key.
  const [streamFilter, setStreamFilter] = useState<Filter>(filter);
  useEffect(() => {
    const timer = setTimeout(() => setStreamFilter(filter), FILTER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [filter]);
  const url = useMemo(() => streamUrl(streamFilter), [streamFilter]);
  useEffect(
    () =>
      openStream({
        url,
        headers,
        retryMs: 2000,
        onState: setState,
        onEvent: (e) => {
          if (e.event !== 'view') return;
          const v = JSON.parse(e.data) as UiView;
          setView(v);
          setSelected((s) =>
            s?.kind === 'Task'
              ? { kind: 'Task', task: v.tasks.find((t) => t.key === s.task.key) ?? s.task }
              : s,
          );
        },
      }),
    [url, attempt],
  );

  const go = (t: Tab): void => {
    location.hash = `#/${t}`;
  };
  return (
    <>
      <header class="top">
        <h1>kmesos</h1>
        <nav>
          {TABS.map((t) => (
            <a
              key={t}
              href={`#/${t}`}
              class={t === tab ? 'current' : ''}
              aria-current={t === tab ? 'page' : undefined}
            >
              {t}
            </a>
          ))}
        </nav>
        <Status state={state} view={view} />
      </header>
      {state.kind === 'denied' ? <SignIn state={state} onToken={() => setAttempt((n) => n + 1)} /> : null}
      <main class={selected ? 'with-details' : ''}>
        <div class="content">
          {view === undefined ? (
            <p class="muted">waiting for the operator…</p>
          ) : tab === 'overview' ? (
            <>
              <ClusterView view={view} />
              <RolesView roles={view.roles} history={roleHistory} />
              <FrameworksView
                frameworks={view.frameworks}
                history={frameworkHistory}
                onTasks={(key) => {
                  setFilter({ ...filter, framework: key });
                  go('tasks');
                }}
              />
            </>
          ) : tab === 'agents' ? (
            <AgentsView view={view} onSelect={(name) => setSelected({ kind: 'Node', name })} />
          ) : (
            <TasksView
              view={view}
              filter={filter}
              onFilter={setFilter}
              onSelect={(t: UiTask) => setSelected({ kind: 'Task', task: t })}
            />
          )}
        </div>
        {selected ? (
          <Details selected={selected} headers={headers} onClose={() => setSelected(undefined)} />
        ) : null}
      </main>
    </>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
