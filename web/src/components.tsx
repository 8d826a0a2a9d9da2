/** Small presentational pieces: bars, sparklines, figures. */
import type { ComponentChildren, JSX } from 'preact';
import type { Figures } from '../../src/ui/wire.js';
import { formatFigure, orderResources, percent } from './format.js';

/** A bar of used (and offered) out of total. */
export function Bar(props: { used: number; offered?: number; total: number; label: string }): JSX.Element {
  const used = percent(props.used, props.total);
  const offered = percent(props.offered ?? 0, props.total);
  return (
    <div
      class="bar"
      title={props.label}
      role="meter"
      aria-valuenow={Math.round(used)}
      aria-label={props.label}
    >
      <span class="bar-used" style={{ width: `${used}%` }} />
      <span class="bar-offered" style={{ width: `${Math.min(offered, 100 - used)}%` }} />
    </div>
  );
}

/** One row per resource: name, bar, used/total. */
export function ResourceBars(props: { total: Figures; used: Figures; offered?: Figures }): JSX.Element {
  const names = orderResources(Object.keys(props.total)).filter((n) => n !== 'pods');
  return (
    <div class="resource-bars">
      {names.map((n) => {
        const total = props.total[n] ?? 0;
        const used = props.used[n] ?? 0;
        const offered = props.offered?.[n] ?? 0;
        return (
          <div class="resource-bar" key={n}>
            <span class="resource-name">{n}</span>
            <Bar
              used={used}
              offered={offered}
              total={total}
              label={`${n}: ${formatFigure(n, used)} used of ${formatFigure(n, total)}`}
            />
            <span class="resource-figures">
              {formatFigure(n, used)} / {formatFigure(n, total)}
            </span>
          </div>
        );
      })}
    </div>
  );
}

/** The last samples as a line over 0…max(1, samples). */
export function Sparkline(props: { samples: readonly number[]; label: string }): JSX.Element {
  const w = 120;
  const h = 24;
  const top = Math.max(1, ...props.samples);
  const n = props.samples.length;
  const points = props.samples
    .map(
      (v, i) => `${n <= 1 ? w : ((i / (n - 1)) * w).toFixed(1)},${(h - (v / top) * (h - 2) - 1).toFixed(1)}`,
    )
    .join(' ');
  return (
    <svg class="sparkline" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={props.label}>
      <polyline points={points} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}

export function Section(props: {
  title: string;
  id: string;
  children: ComponentChildren;
  extra?: ComponentChildren;
}): JSX.Element {
  return (
    <section id={props.id} aria-labelledby={`${props.id}-title`}>
      <header class="section-header">
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        {props.extra}
      </header>
      {props.children}
    </section>
  );
}

/** A task state as a coloured label. */
export function StateBadge(props: { state: string }): JSX.Element {
  const kind =
    props.state === 'WAITING'
      ? 'waiting'
      : /RUNNING|STAGING|STARTING/.test(props.state)
        ? 'live'
        : /FINISHED/.test(props.state)
          ? 'done'
          : /KILL/.test(props.state)
            ? 'killed'
            : 'bad';
  return <span class={`badge badge-${kind}`}>{props.state.replace(/^TASK_/, '')}</span>;
}
