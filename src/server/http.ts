import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { readiness, type ReadinessState } from './health.js';

/** A router served under `path`, e.g. the Mesos scheduler API under /api/v1/scheduler. */
export interface MountedRouter {
  readonly path: string;
  readonly router: Router;
}

/** The one logging call the server makes; a winston Logger fits. */
export interface ErrorLog {
  error(message: string, meta?: Record<string, unknown>): void;
}

export interface HttpServerOptions {
  readonly registry: Registry;
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** Called on every /readyz. */
  readonly readiness: () => ReadinessState;
  readonly routers?: readonly MountedRouter[];
  /** How long close() lets in-flight requests finish before cutting their connections. */
  readonly drainTimeoutMs?: number;
  readonly log?: ErrorLog;
}

export interface HttpServer {
  /** http://host:port, with the port actually bound. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections, lets in-flight requests finish, then resolves. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_DRAIN_MS = 10_000;

/** The express app alone, so routes can be tested without a socket. */
export function createApp(options: HttpServerOptions, isClosing: () => boolean = () => false): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req: Request, res: Response) => {
    res.type('text/plain').send('ok\n');
  });
  app.get('/readyz', (_req: Request, res: Response) => {
    const report = readiness(options.readiness());
    if (isClosing()) {
      res
        .status(503)
        .json({ ...report.body, ready: false, reasons: [...report.body.reasons, 'shutting down'] });
      return;
    }
    res.status(report.status).json(report.body);
  });
  app.get('/metrics', async (_req: Request, res: Response) => {
    const body = await options.registry.metrics();
    res.set('Content-Type', options.registry.contentType).send(body);
  });
  for (const { path, router } of options.routers ?? []) app.use(path, router);
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    options.log?.error('http request failed', { method: req.method, path: req.path, error: String(err) });
    if (!res.headersSent) res.status(500).type('text/plain').send('internal error\n');
  });
  return app;
}

/** Listens on host:port and serves /metrics, /healthz, /readyz and the extra routers. */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  let closing: Promise<void> | undefined;
  const app = createApp(options, () => closing !== undefined);
  const server = createServer(app);
  // Responses still being written when close() is called; see drain().
  const inFlight = new Set<ServerResponse>();
  server.on('request', (_req, res: ServerResponse) => {
    if (closing) res.shouldKeepAlive = false;
    inFlight.add(res);
    res.on('close', () => inFlight.delete(res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: (): Promise<void> => {
      closing ??= drain(server, inFlight, options.drainTimeoutMs ?? DEFAULT_DRAIN_MS);
      return closing;
    },
  };
}

/**
 * Stops listening, closes idle keep-alive connections, and ends each busy connection after
 * its response (Connection: close), so clients reconnect to another replica. Connections
 * still busy after `timeoutMs` are cut.
 */
function drain(server: Server, inFlight: ReadonlySet<ServerResponse>, timeoutMs: number): Promise<void> {
  for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
  return new Promise((resolve, reject) => {
    const cut = setTimeout(() => server.closeAllConnections(), timeoutMs);
    cut.unref();
    server.close((err) => {
      clearTimeout(cut);
      if (err) reject(err);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
