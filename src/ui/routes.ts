/**
 * The web UI's HTTP side: the page and its bundle at `/` and `/ui/…`, and the data it reads,
 * under `/ui/api/`:
 *
 *   GET /ui/api/view?framework=&state=&text=     the view now (JSON UiView)
 *   GET /ui/api/stream?framework=&state=&text=   server-sent events: `view` on every change,
 *                                                at most one per interval
 *   GET /ui/api/events?kind=&namespace=&name=    an object's recent Kubernetes Events
 *
 * The data is read as the master's read endpoints are: 503 until the caches have synced, then
 * the caller's credentials (a bearer token or Basic), anonymous only with --mesos-anonymous.
 * A 401 challenges for Bearer only, so that browsers leave the asking to the page.
 * The page and bundle hold no data and are served to anyone.
 */
import { Router, type Request, type Response } from 'express';
import type { Auth } from '../scheduler/external/auth.js';
import type { Clock } from '../util/clock.js';
import type { UiAssets } from './assets.js';
import { EVENT_KINDS, type EventKind, type EventLister } from './events.js';
import type { ViewPublisher } from './publisher.js';
import { parseTaskFilter } from './view.js';
import type { UiView } from './wire.js';

export interface UiRoutesDeps {
  /** undefined when the UI was not built: the page answers 404 saying so. */
  readonly assets: UiAssets | undefined;
  readonly publisher: ViewPublisher;
  /** Whether the caches have synced. */
  readonly synced: () => boolean;
  readonly auth: Auth;
  readonly events: EventLister;
  readonly clock: Clock;
  /** A comment line this often keeps idle streams open through proxies. */
  readonly keepAliveMs: number;
}

/** A Kubernetes object name or namespace (DNS subdomain): nothing a field selector could misread. */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

function refuse(res: Response, status: number, message: string): void {
  res.status(status).type('text/plain').send(`${message}\n`);
}

/** The checks of the master's read endpoints (master/routes.ts): synced, authenticated, may read. */
async function admit(deps: UiRoutesDeps, req: Request, res: Response): Promise<boolean> {
  if (!deps.synced()) {
    refuse(res, 503, 'Master has not finished recovery');
    return false;
  }
  const who = await deps.auth.authenticate(req.get('authorization'));
  if (!who.ok) {
    // Bearer only: a Basic challenge would make the browser show its own login prompt over
    // the page, which asks for a token or Basic credentials itself and sends them.
    res.setHeader('WWW-Authenticate', 'Bearer realm="kmesos"');
    refuse(res, who.status, who.message);
    return false;
  }
  const allowed = await deps.auth.authorizeRead(who.caller);
  if (!allowed.ok) {
    refuse(res, allowed.status, allowed.message);
    return false;
  }
  return true;
}

function serveAsset(deps: UiRoutesDeps, name: string, req: Request, res: Response): void {
  if (!deps.assets) {
    refuse(res, 404, 'The web UI was not built into this operator (npm run build writes dist/ui)');
    return;
  }
  const asset = deps.assets.get(name);
  if (!asset) {
    refuse(res, 404, `No such file: ${name}`);
    return;
  }
  res.setHeader('Vary', 'Accept-Encoding');
  // The names do not change between builds: revalidate (ETag) rather than cache blindly.
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (name.endsWith('.html')) {
    // Everything the page loads comes from here; nothing may be fetched from elsewhere.
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
    );
  }
  res.type(asset.type);
  if (req.acceptsEncodings('gzip') === 'gzip') {
    res.setHeader('Content-Encoding', 'gzip');
    res.send(asset.gzip);
  } else res.send(asset.body);
}

async function view(deps: UiRoutesDeps, req: Request, res: Response): Promise<void> {
  if (!(await admit(deps, req, res))) return;
  const current = deps.publisher.current(parseTaskFilter(req.query));
  if (!current) refuse(res, 503, 'Master has not finished recovery');
  else res.setHeader('Cache-Control', 'no-store').json(current);
}

async function stream(deps: UiRoutesDeps, req: Request, res: Response): Promise<void> {
  if (!(await admit(deps, req, res))) return;
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  // Tells nginx-style proxies not to buffer the stream.
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.write('retry: 2000\n\n');
  const send = (v: UiView): void => void res.write(`event: view\ndata: ${JSON.stringify(v)}\n\n`);
  const unsubscribe = deps.publisher.subscribe(parseTaskFilter(req.query), send, () => res.end());
  const keepAlive = deps.clock.every(deps.keepAliveMs, () => void res.write(': keep-alive\n\n'));
  res.on('close', () => {
    keepAlive.cancel();
    unsubscribe();
  });
}

function eventQuery(
  q: Readonly<Record<string, unknown>>,
): { kind: EventKind; namespace: string; name: string } | string {
  const kind = EVENT_KINDS.find((k) => k === q['kind']);
  if (!kind) return `kind must be one of ${EVENT_KINDS.join(', ')}`;
  const name = typeof q['name'] === 'string' ? q['name'] : '';
  if (!OBJECT_NAME.test(name)) return 'name must be a Kubernetes object name';
  const namespace = typeof q['namespace'] === 'string' ? q['namespace'] : '';
  if (kind !== 'Node' && !OBJECT_NAME.test(namespace)) return 'namespace must be a Kubernetes namespace name';
  return { kind, namespace, name };
}

async function events(deps: UiRoutesDeps, req: Request, res: Response): Promise<void> {
  const query = eventQuery(req.query);
  if (typeof query === 'string') {
    refuse(res, 400, query);
    return;
  }
  if (!(await admit(deps, req, res))) return;
  res.setHeader('Cache-Control', 'no-store').json(await deps.events(query));
}

export function uiRouter(deps: UiRoutesDeps): Router {
  const router = Router();
  router.get('/', (req, res) => serveAsset(deps, 'index.html', req, res));
  router.get('/ui/api/view', (req, res, next) => void view(deps, req, res).catch(next));
  router.get('/ui/api/stream', (req, res, next) => void stream(deps, req, res).catch(next));
  router.get('/ui/api/events', (req, res, next) => void events(deps, req, res).catch(next));
  router.get('/ui/:file', (req, res) => serveAsset(deps, req.params.file, req, res));
  return router;
}
