/**
 * Reads every PromQL expression kmesos ships (dashboard panels and variables, alert
 * rules) from the files themselves, so tests evaluate exactly what users deploy. Used by
 * prometheus.test.ts against a stub server; point it at the real operator the same way.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export const repoRoot = resolve(
  import.meta.dirname,
  import.meta.dirname.includes('/dist/') ? '../../..' : '../..',
);
export const monitoringDir = join(repoRoot, 'deploy/monitoring');
export const rulesFile = join(monitoringDir, 'rules.yaml');

export interface MonitoringQuery {
  kind: 'panel' | 'variable' | 'alert';
  /** e.g. `panel "Dominant share by framework" A`, `alert KmesosNoLeader`. */
  source: string;
  /** Panel title, variable name or alert name. */
  name: string;
  /** As written in the file (Grafana variables unrendered). */
  expr: string;
}

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleGroups {
  groups: Array<{ name: string; rules: AlertRule[] }>;
}

interface GrafanaTarget {
  refId?: string;
  expr?: string;
}
interface GrafanaPanel {
  title?: string;
  targets?: GrafanaTarget[];
  panels?: GrafanaPanel[];
}
interface GrafanaVariable {
  name: string;
  type: string;
  query?: string | { query?: string };
}
export interface GrafanaDashboard {
  panels: GrafanaPanel[];
  templating: { list: GrafanaVariable[] };
}

export function readDashboard(): GrafanaDashboard {
  return JSON.parse(readFileSync(join(monitoringDir, 'kmesos-dashboard.json'), 'utf8')) as GrafanaDashboard;
}

export function readRules(): RuleGroups {
  return parse(readFileSync(rulesFile, 'utf8')) as RuleGroups;
}

export function readPrometheusRule(): { kind: string; apiVersion: string; spec: RuleGroups } {
  return parse(readFileSync(join(monitoringDir, 'prometheusrule.yaml'), 'utf8')) as {
    kind: string;
    apiVersion: string;
    spec: RuleGroups;
  };
}

/** Every panel target and every query variable of the dashboard (rows' nested panels included). */
export function dashboardQueries(dashboard: GrafanaDashboard): MonitoringQuery[] {
  const out: MonitoringQuery[] = [];
  const visit = (panels: GrafanaPanel[]): void => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) {
        if (!target.expr) continue;
        const name = panel.title ?? '(untitled)';
        out.push({
          kind: 'panel',
          source: `panel "${name}" ${target.refId ?? ''}`.trim(),
          name,
          expr: target.expr,
        });
      }
      visit(panel.panels ?? []);
    }
  };
  visit(dashboard.panels);
  for (const v of dashboard.templating.list) {
    if (v.type !== 'query') continue;
    const query = typeof v.query === 'string' ? v.query : v.query?.query;
    if (query) out.push({ kind: 'variable', source: `variable ${v.name}`, name: v.name, expr: query });
  }
  return out;
}

export function alertQueries(rules: RuleGroups): MonitoringQuery[] {
  return rules.groups.flatMap((g) =>
    g.rules.map((r) => ({ kind: 'alert' as const, source: `alert ${r.alert}`, name: r.alert, expr: r.expr })),
  );
}

/** Everything the dashboard and the rules evaluate. */
export function allQueries(): MonitoringQuery[] {
  return [...dashboardQueries(readDashboard()), ...alertQueries(readRules())];
}

export interface DashboardVariables {
  /** Regex for $namespace; `.*` is what "All" renders to. */
  namespace: string;
  role: string;
  /** What Grafana substitutes for $__rate_interval: at least 4 scrape intervals. */
  rateInterval: string;
}

export const ALL: DashboardVariables = { namespace: '.*', role: '.*', rateInterval: '1m' };

/**
 * Turns a dashboard expression into plain PromQL as Grafana would: substitutes the
 * variables, and rewrites a `label_values(selector, label)` variable query into a query
 * returning one series per value.
 */
export function renderExpr(expr: string, vars: DashboardVariables = ALL): string {
  const labelValues = /^\s*label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/s.exec(expr);
  if (labelValues) return `count by (${labelValues[2]}) (${labelValues[1]})`;
  return expr
    .replace(/\$__rate_interval|\$\{__rate_interval\}/g, vars.rateInterval)
    .replace(/\$namespace|\$\{namespace\}/g, vars.namespace)
    .replace(/\$role|\$\{role\}/g, vars.role);
}

/** The kmesos metric names an expression reads (histogram suffixes kept). */
export function metricNames(expr: string): string[] {
  return [...new Set(expr.match(/\bkmesos_[a-z0-9_]+\b/g) ?? [])].sort();
}

/** The anchor a markdown heading gets on GitHub: lower case, spaces to dashes, punctuation dropped. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const line of markdown.split('\n')) {
    const m = /^#{1,6}\s+(.*)$/.exec(line);
    if (m?.[1])
      anchors.add(
        m[1]
          .trim()
          .toLowerCase()
          .replace(/[^a-z0-9 _-]/g, '')
          .replace(/ /g, '-'),
      );
  }
  return anchors;
}
