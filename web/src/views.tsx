/** The page's views: overview (cluster, roles, frameworks), agents, tasks. */
import type { JSX } from 'preact';
import type { UiFramework, UiRole, UiTask, UiView } from '../../src/ui/wire.js';
import { ResourceBars, Section, Sparkline, StateBadge } from './components.js';
import { formatFigures, formatShare } from './format.js';
import type { History } from './history.js';

function TaskCounts(props: { counts: Readonly<Record<string, number>> }): JSX.Element {
  const entries = Object.entries(props.counts).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <span class="muted">none</span>;
  return (
    <span class="counts">
      {entries.map(([state, n]) => (
        <span key={state} class="count">
          <StateBadge state={state} /> {n}
        </span>
      ))}
    </span>
  );
}

export function ClusterView(props: { view: UiView }): JSX.Element {
  const c = props.view.cluster;
  return (
    <Section title="Cluster" id="cluster">
      <div class="cards">
        <div class="card">
          <h3>Agents</h3>
          <p class="big">{c.agents.active}</p>
          <p class="muted">active</p>
          <p class="muted small">
            {c.agents.draining} draining · {c.agents.unreachable} unreachable
          </p>
        </div>
        <div class="card wide">
          <h3>Resources (used · offered · free)</h3>
          <ResourceBars total={c.total} used={c.used} offered={c.offered} />
          <table class="figures">
            <tbody>
              <tr>
                <th>capacity</th>
                <td data-figure="total">{formatFigures(c.total)}</td>
              </tr>
              <tr>
                <th>used</th>
                <td data-figure="used">{formatFigures(c.used)}</td>
              </tr>
              <tr>
                <th>offered</th>
                <td data-figure="offered">{formatFigures(c.offered)}</td>
              </tr>
              <tr>
                <th>free</th>
                <td data-figure="free">{formatFigures(c.free)}</td>
              </tr>
            </tbody>
          </table>
        </div>
        <div class="card">
          <h3>Tasks</h3>
          <TaskCounts counts={props.view.taskCounts} />
        </div>
      </div>
    </Section>
  );
}

function RoleRow(props: { role: UiRole; history: readonly number[] }): JSX.Element {
  const r = props.role;
  const quota = [
    Object.keys(r.guarantee).length ? `guarantee ${formatFigures(r.guarantee)}` : '',
    Object.keys(r.limit).length ? `limit ${formatFigures(r.limit)}` : '',
  ].filter(Boolean);
  return (
    <tr data-role={r.name}>
      <td class="role-name" style={{ paddingLeft: `${0.5 + r.depth * 1.25}rem` }}>
        {r.depth > 0 ? '└ ' : ''}
        {r.name.split('/').pop()}
      </td>
      <td class="num">{r.weight}</td>
      <td>{quota.length ? quota.join('; ') : <span class="muted">none</span>}</td>
      <td>{formatFigures(r.allocated)}</td>
      <td class="num" data-share>
        {formatShare(r.share)}
      </td>
      <td>
        <Sparkline samples={props.history} label={`weighted share of ${r.name} over time`} />
      </td>
    </tr>
  );
}

export function RolesView(props: { roles: readonly UiRole[]; history: History }): JSX.Element {
  return (
    <Section title="Roles" id="roles">
      <table class="list">
        <thead>
          <tr>
            <th>role</th>
            <th class="num">weight</th>
            <th>quota</th>
            <th>allocated</th>
            <th class="num">weighted share</th>
            <th>history</th>
          </tr>
        </thead>
        <tbody>
          {props.roles.map((r) => (
            <RoleRow key={r.name} role={r} history={props.history.get(r.name) ?? []} />
          ))}
        </tbody>
      </table>
    </Section>
  );
}

function FrameworkRow(props: {
  fw: UiFramework;
  history: readonly number[];
  onTasks: (key: string) => void;
}): JSX.Element {
  const f = props.fw;
  return (
    <tr data-framework={f.key}>
      <td>
        <a href="#tasks" onClick={() => props.onTasks(f.key)} title="show its tasks">
          {f.name}
        </a>
        <div class="muted small">
          {f.scheduler}
          {f.scheduler === 'External' ? (f.connected ? ' · connected' : ' · disconnected') : ''}
        </div>
      </td>
      <td>{f.role}</td>
      <td class="num" data-share>
        {formatShare(f.share)}
      </td>
      <td class="num" data-weighted-share>
        {formatShare(f.weightedShare)}
      </td>
      <td>
        <Sparkline samples={props.history} label={`dominant share of ${f.key} over time`} />
      </td>
      <td>{formatFigures(f.used)}</td>
      <td class="num">{f.offers}</td>
      <td>
        <TaskCounts counts={f.tasks} />
      </td>
    </tr>
  );
}

export function FrameworksView(props: {
  frameworks: readonly UiFramework[];
  history: History;
  onTasks: (key: string) => void;
}): JSX.Element {
  return (
    <Section title="Frameworks" id="frameworks">
      <table class="list">
        <thead>
          <tr>
            <th>framework</th>
            <th>role</th>
            <th class="num">dominant share</th>
            <th class="num">weighted</th>
            <th>history</th>
            <th>used</th>
            <th class="num">offers</th>
            <th>tasks</th>
          </tr>
        </thead>
        <tbody>
          {props.frameworks.map((f) => (
            <FrameworkRow
              key={f.key}
              fw={f}
              history={props.history.get(f.key) ?? []}
              onTasks={props.onTasks}
            />
          ))}
        </tbody>
      </table>
    </Section>
  );
}

export function AgentsView(props: { view: UiView; onSelect: (name: string) => void }): JSX.Element {
  const v = props.view;
  return (
    <Section
      title="Agents"
      id="agents"
      extra={v.agentsOmitted > 0 ? <span class="muted">{v.agentsOmitted} more not shown</span> : undefined}
    >
      <div class="agents">
        {v.agents.map((a) => (
          <button
            type="button"
            class={`agent agent-${a.state}`}
            key={a.id}
            data-agent={a.hostname}
            onClick={() => props.onSelect(a.hostname)}
          >
            <div class="agent-head">
              <strong>{a.hostname}</strong>
              <span class="muted small">
                {a.state} · {a.tasks} tasks
              </span>
            </div>
            <ResourceBars total={a.total} used={a.used} offered={a.offered} />
          </button>
        ))}
      </div>
    </Section>
  );
}

export interface Filter {
  readonly framework: string;
  readonly state: string;
  readonly text: string;
}

const STATE_CHOICES = [
  '',
  'WAITING',
  'active',
  'ended',
  'TASK_STAGING',
  'TASK_RUNNING',
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_LOST',
  'TASK_ERROR',
  'TASK_UNREACHABLE',
];

export function TasksView(props: {
  view: UiView;
  filter: Filter;
  onFilter: (f: Filter) => void;
  onSelect: (t: UiTask) => void;
}): JSX.Element {
  const { view, filter } = props;
  return (
    <Section
      title="Tasks"
      id="tasks"
      extra={
        <span class="muted" data-matched>
          {view.tasksMatched} matching
          {view.tasksMatched > view.tasks.length ? `, first ${view.tasks.length} shown` : ''}
        </span>
      }
    >
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          framework
          <select
            name="framework"
            value={filter.framework}
            onChange={(e) => props.onFilter({ ...filter, framework: e.currentTarget.value })}
          >
            <option value="">all</option>
            {view.frameworks.map((f) => (
              <option key={f.key} value={f.key}>
                {f.key}
              </option>
            ))}
          </select>
        </label>
        <label>
          state
          <select
            name="state"
            value={filter.state}
            onChange={(e) => props.onFilter({ ...filter, state: e.currentTarget.value })}
          >
            {STATE_CHOICES.map((s) => (
              <option key={s} value={s}>
                {s === '' ? 'all' : s}
              </option>
            ))}
          </select>
        </label>
        <label>
          text
          <input
            name="text"
            type="search"
            placeholder="name, node, reason…"
            value={filter.text}
            onInput={(e) => props.onFilter({ ...filter, text: e.currentTarget.value })}
          />
        </label>
      </form>
      <table class="list tasks">
        <thead>
          <tr>
            <th>task</th>
            <th>framework</th>
            <th>state</th>
            <th>status</th>
            <th>node</th>
            <th>resources</th>
            <th>why / message</th>
          </tr>
        </thead>
        <tbody>
          {view.tasks.map((t) => (
            <tr key={t.key} data-task={t.name} onClick={() => props.onSelect(t)} class="clickable">
              <td>
                {t.name}
                <div class="muted small">{t.namespace}</div>
              </td>
              <td>{t.framework.split('/').pop()}</td>
              <td data-state>
                <StateBadge state={t.state} />
              </td>
              <td>{t.scheduled ?? ''}</td>
              <td>{t.node ?? ''}</td>
              <td>{formatFigures(t.resources)}</td>
              <td class="message" data-why>
                {t.message ?? ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}
