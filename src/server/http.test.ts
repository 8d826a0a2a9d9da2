import express from 'express';
import { Counter, Registry } from 'prom-client';
import type { ReadinessState } from './health.js';
import { startHttpServer, type HttpServer, type HttpServerOptions } from './http.js';

const servers: HttpServer[] = [];

async function start(overrides: Partial<HttpServerOptions> = {}): Promise<HttpServer> {
  const registry = new Registry();
  new Counter({ name: 'kmesos_test_total', help: 'test', registers: [registry] }).inc(3);
  const server = await startHttpServer({
    registry,
    host: '127.0.0.1',
    port: 0,
    readiness: () => ({ cachesSynced: true, leader: false }),
    ...overrides,
  });
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('http server', () => {
  it('serves the registry it is given at /metrics', async () => {
    const server = await start();
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await res.text()).toContain('kmesos_test_total 3');
  });

  it('answers /healthz while the process is alive', async () => {
    const server = await start();
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok\n');
  });

  it('answers /readyz 503 until the caches are synced, then 200 saying whether it leads', async () => {
    let state: ReadinessState = { cachesSynced: false, leader: false };
    const server = await start({ readiness: () => state });
    let res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ready: false, leader: false });
    state = { cachesSynced: true, leader: true, allocatorRunning: true };
    res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ...state, ready: true, reasons: [] });
  });

  it('mounts extra routers', async () => {
    const router = express.Router();
    router.get('/ping', (_req, res) => {
      res.json({ pong: true });
    });
    const server = await start({ routers: [{ path: '/api/v1/scheduler', router }] });
    const res = await fetch(`${server.url}/api/v1/scheduler/ping`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ pong: true });
    // mounted under its path only
    expect((await fetch(`${server.url}/ping`)).status).toBe(404);
  });

  it('returns 500 and logs when a handler fails', async () => {
    const errors: string[] = [];
    const router = express.Router();
    router.get('/boom', () => {
      throw new Error('boom');
    });
    const server = await start({
      routers: [{ path: '/x', router }],
      log: { error: (_m, meta) => errors.push(String(meta?.error)) },
    });
    const res = await fetch(`${server.url}/x/boom`);
    expect(res.status).toBe(500);
    expect(errors).toEqual(['Error: boom']);
  });

  it('lets an in-flight request finish on close, then refuses new connections', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const inFlight = new Promise<void>((r) => (arrived = r));
    const router = express.Router();
    router.get('/slow', async (_req, res) => {
      arrived();
      await released;
      res.send('done');
    });
    // A drain far longer than the test may run: close() resolves only because the finished
    // connection was ended, not because the drain gave up and cut it.
    const server = await start({ routers: [{ path: '/x', router }], drainTimeoutMs: 3_600_000 });
    const slow = fetch(`${server.url}/x/slow`);
    await inFlight;
    const closed = server.close();
    release();
    const res = await slow;
    expect(res.status).toBe(200);
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.text()).toBe('done');
    await closed;
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    // close() is idempotent.
    await server.close();
  });

  it('cuts connections that outlive the drain timeout', async () => {
    const router = express.Router();
    let arrived!: () => void;
    const inFlight = new Promise<void>((r) => (arrived = r));
    router.get('/hang', () => arrived());
    const server = await start({ routers: [{ path: '/x', router }], drainTimeoutMs: 50 });
    const hung = fetch(`${server.url}/x/hang`);
    await inFlight;
    await server.close();
    await expect(hung).rejects.toThrow();
  });
});
