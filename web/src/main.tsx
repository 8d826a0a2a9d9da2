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

/** The Authorization header the page sends, in the tab's session storage. */
const AUTH_KEY = 'kmesos.authorization';
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
  const authorization = sessionStorage.getItem(AUTH_KEY);
  return authorization ? { Authorization: authorization } : {};
}

function streamUrl(f: Filter): string {
  const q = new URLSearchParams();
  if (f.framework) q.set('framework', f.framework);
  if (f.state) q.set('state', f.state);
  if (f.text) q.set('text', f.text);
  const s = q.toString();
  return `ui/api/stream${s ? `?${s}` : ''}`;
}

/** Asks for a bearer token or Basic credentials, kept for this tab only, and sends them with every request. */
function SignIn(props: {
  /** Why the operator refused the last request. */
  message: string;
  onSignIn: () => void;
}): JSX.Element {
  const [token, setToken] = useState('');
  const [principal, setPrincipal] = useState('');
  const [secret, setSecret] = useState('');
  const submit = (e: Event): void => {
    e.preventDefault();
    const authorization = token.trim()
      ? `Bearer ${token.trim()}`
      : `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${principal}:${secret}`)))}`;
    sessionStorage.setItem(AUTH_KEY, authorization);
    props.onSignIn();
  };
  return (
    <form class="signin" onSubmit={submit}>
      <p class="error">{props.message}</p>
      <label>
        Kubernetes bearer token
        <input
          name="token"
          type="password"
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          autocomplete="off"
        />
      </label>
      <span class="muted">or</span>
      <label>
        principal
        <input
          name="principal"
          value={principal}
          onInput={(e) => setPrincipal(e.currentTarget.value)}
          autocomplete="username"
        />
      </label>
      <label>
        secret
        <input
          name="secret"
          type="password"
          value={secret}
          onInput={(e) => setSecret(e.currentTarget.value)}
          autocomplete="current-password"
        />
      </label>
      <button type="submit">Sign in</button>
      <span class="muted small">kept for this tab only</span>
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
  // The form stays up (with what was typed) from a refusal until the stream is live.
  const [refusal, setRefusal] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (state.kind === 'denied') setRefusal(state.message);
    else if (state.kind === 'live') setRefusal(undefined);
  }, [state]);

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
      {refusal !== undefined ? <SignIn message={refusal} onSignIn={() => setAttempt((n) => n + 1)} /> : null}
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
