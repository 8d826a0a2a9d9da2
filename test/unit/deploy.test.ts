/**
 * The install manifests and the README agree with the code: every option is documented,
 * the Deployment sets only variables the operator reads, and the Service offers the port
 * the ServiceMonitor scrapes. (Whether the API server accepts them is test/integration/rbac.test.ts.)
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { OPTIONS } from '../../src/config.js';

const root = resolve(import.meta.dirname, '../..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

interface Container {
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  ports?: { name: string; containerPort: number }[];
  livenessProbe?: { httpGet?: { path: string; port: string } };
  readinessProbe?: { httpGet?: { path: string; port: string } };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
}

interface Deployment {
  spec: {
    replicas: number;
    template: { spec: { containers: Container[]; securityContext?: { runAsNonRoot?: boolean } } };
  };
}

interface Service {
  metadata: { labels: Record<string, string> };
  spec: { ports: { name: string; port: number; targetPort: string }[] };
}

interface ServiceMonitor {
  spec: { selector: { matchLabels: Record<string, string> }; endpoints: { port: string }[] };
}

/** The README's configuration table: flag → [environment, default, meaning]. */
function readmeOptions(): Map<string, string[]> {
  const section = read('README.md').split('## Configuration')[1]?.split('\n## ')[0] ?? '';
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n').filter((l) => l.startsWith('| `--'))) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim().replace(/^`|`$/g, ''));
    rows.set(cells[0] ?? '', cells.slice(1));
  }
  return rows;
}

describe('README configuration reference', () => {
  const rows = readmeOptions();
  it.each(Object.values(OPTIONS))('documents --$flag', (o) => {
    expect(rows.get(`--${o.flag}`)).toEqual([o.env, o.default, o.help]);
  });

  it('documents no option the code lacks', () => {
    expect([...rows.keys()].sort()).toEqual(
      Object.values(OPTIONS)
        .map((o) => `--${o.flag}`)
        .sort(),
    );
  });
});

describe('install manifests', () => {
  const deployment = parse(read('deploy/deployment.yaml')) as Deployment;
  const container = deployment.spec.template.spec.containers[0] ?? {};

  it('lists every CRD in crds/kustomization.yaml', () => {
    const files = readdirSync(join(root, 'crds')).filter(
      (f) => f.endsWith('.yaml') && f !== 'kustomization.yaml',
    );
    const k = parse(read('crds/kustomization.yaml')) as { resources: string[] };
    expect([...k.resources].sort()).toEqual(files.sort());
  });

  it('sets only variables the operator reads, the Lease namespace and identity from the pod', () => {
    const known = new Set<string>(Object.values(OPTIONS).map((o) => o.env));
    const env = container.env ?? [];
    expect(env.map((e) => e.name).filter((n) => !known.has(n))).toEqual([]);
    const fromPod = Object.fromEntries(env.map((e) => [e.name, e.valueFrom?.fieldRef?.fieldPath]));
    expect(fromPod).toMatchObject({
      [OPTIONS.leaseNamespace.env]: 'metadata.namespace',
      [OPTIONS.identity.env]: 'metadata.name',
    });
  });

  it('probes /healthz and /readyz on the port the operator serves', () => {
    expect(deployment.spec.replicas).toBe(2);
    const port = container.ports?.find((p) => p.name === 'http')?.containerPort;
    const configured =
      container.env?.find((e) => e.name === OPTIONS.httpPort.env)?.value ?? OPTIONS.httpPort.default;
    expect(String(port)).toBe(configured);
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(deployment.spec.template.spec.securityContext?.runAsNonRoot).toBe(true);
  });

  it('offers the Service port and labels the ServiceMonitor selects', () => {
    const service = parse(read('deploy/service.yaml')) as Service;
    const [monitor] = parseAllDocuments(read('deploy/monitoring/servicemonitor.yaml')).map(
      (d) => d.toJS() as ServiceMonitor,
    );
    expect(service.metadata.labels).toMatchObject(monitor?.spec.selector.matchLabels ?? { missing: true });
    const names = service.spec.ports.map((p) => p.name);
    for (const e of monitor?.spec.endpoints ?? []) expect(names).toContain(e.port);
    expect(service.spec.ports.find((p) => p.name === 'metrics')).toMatchObject({
      port: 8080,
      targetPort: 'http',
    });
  });
});
