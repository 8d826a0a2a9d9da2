/** A Kubernetes API request named the way kube-apiserver's own metrics name it. */
export interface RequestKind {
  /** get, list, watch, create, update, patch, delete, deletecollection (or the HTTP method). */
  readonly verb: string;
  /** The resource's plural with its subresource, e.g. `pods`, `pods/binding`, `tasks/status`. */
  readonly resource: string;
}

// Paths that are no resource (/version, /openapi/v3, ...) share one label value, to bound cardinality.
const NON_RESOURCE = 'nonresource';

/** Classifies a request by method and URL; pure, so it is tested by table. */
export function classifyRequest(method: string, url: string): RequestKind {
  const parsed = new URL(url, 'http://localhost');
  const segments = resourceSegments(parsed.pathname);
  if (!segments) return { verb: method.toLowerCase(), resource: NON_RESOURCE };
  const [resource = NON_RESOURCE, name, subresource] = segments.rest;
  const watchParam = parsed.searchParams.get('watch');
  const watch = segments.legacyWatch || watchParam === 'true' || watchParam === '1';
  return {
    verb: verbOf(method.toUpperCase(), name !== undefined, watch),
    resource: subresource ? `${resource}/${subresource}` : resource,
  };
}

/** The segments after /api/v1 or /apis/GROUP/VERSION and after namespaces/NS; undefined otherwise. */
function resourceSegments(pathname: string): { rest: string[]; legacyWatch: boolean } | undefined {
  const parts = pathname.split('/').filter((p) => p !== '');
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) rest = parts.slice(2);
  else if (parts[0] === 'apis' && parts.length >= 4) rest = parts.slice(3);
  else return undefined;
  // The deprecated /watch/ path prefix means the same as ?watch=true.
  const legacyWatch = rest[0] === 'watch';
  if (legacyWatch) rest = rest.slice(1);
  // namespaces/NS/RESOURCE... is a namespaced resource; namespaces[/NS] is the Namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  return { rest, legacyWatch };
}

function verbOf(method: string, named: boolean, watch: boolean): string {
  switch (method) {
    case 'GET':
      if (watch) return 'watch';
      return named ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}
