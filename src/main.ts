#!/usr/bin/env node
/**
 * kmesos entry point: the one place that reads flags and environment, and wires the parts.
 */
import { CoordinationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { ConfigError, parseConfig, type Config } from './config.js';
import { cacheFigures } from './cluster/cache-size.js';
import { Operator } from './controllers/operator.js';
import { LeaderElector } from './leader/elector.js';
import { createLogger, type Logger } from './logging/logger.js';
import { KmesosMetrics, makeInstrumentedApiClient } from './metrics/index.js';
import { startHttpServer } from './server/http.js';
import { systemClock } from './util/clock.js';
import { KeepAliveKubeConfig } from './kube/keepalive.js';
import { KubeListWatchClient } from './kube/list-watch-client.js';
import { MetricsObserver } from './controllers/metrics-observer.js';
import { MESOS_VERSION } from './scheduler/external/http-api.js';
import { masterRouters } from './server/master-routes.js';
import { mesosRouters, type MesosRoutesInput } from './server/mesos-routes.js';
import { uiServer } from './server/ui-routes.js';
import { loadUiAssets } from './ui/assets.js';
import type { MasterInfo } from './scheduler/mesos/types/v1.js';
import { hostname } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';

const VERSION = '0.1.0';
/** The web UI's bundle: dist/ui beside dist/src, where `npm run build` writes it. */
const UI_DIR = fileURLToPath(new URL('../ui', import.meta.url));

/** What SUBSCRIBED tells a scheduler of its master: this replica, as Mesos' MasterInfo. */
function masterInfo(config: Config): MasterInfo {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(config.httpHost);
  const ip = v4 ? v4.slice(1).reduce((n, octet) => n * 256 + Number(octet), 0) : 0;
  const host = hostname();
  return {
    id: config.identity,
    ip,
    port: config.httpPort,
    hostname: host,
    version: MESOS_VERSION,
    address: { hostname: host, ...(v4 ? { ip: config.httpHost } : {}), port: config.httpPort },
  };
}

function kubeConfig(config: Config): KubeConfig {
  const kc = new KeepAliveKubeConfig();
  if (config.kubeconfig) kc.loadFromFile(config.kubeconfig);
  else kc.loadFromDefault();
  return kc;
}

async function run(config: Config, logger: Logger): Promise<void> {
  const kc = kubeConfig(config);
  const registry = new Registry();
  const metrics = new KmesosMetrics(registry, {
    build: { version: VERSION, nodejsVersion: process.version },
  });
  const operator = new Operator(
    kc,
    config,
    logger,
    systemClock,
    Math.random,
    masterInfo(config),
    new MetricsObserver(metrics),
    (api) => makeInstrumentedApiClient(kc, api, metrics, 'kmesos'),
    new KubeListWatchClient(kc, metrics, 'kmesos'),
  );
  metrics.readCacheSizes(() => cacheFigures(operator.state));
  // Known once the server listens (--http-port=0 picks the port) and a leader is seen.
  const listening: { port?: number } = {};
  let leaderAddress: string | undefined;
  const elector = config.leaderElect
    ? new LeaderElector(
        kc.makeApiClient(CoordinationV1Api),
        {
          namespace: config.leaseNamespace,
          name: config.leaseName,
          identity: config.identity,
          leaseDurationSeconds: config.leaseDurationSeconds,
          renewDeadlineSeconds: config.renewDeadlineSeconds,
          retryPeriodSeconds: config.retryPeriodSeconds,
          advertise: () => `${config.advertiseHost}:${listening.port ?? config.httpPort}`,
        },
        systemClock,
        logger,
        {
          onStartedLeading: () => {
            metrics.setLeader(true);
            operator.lead();
          },
          // A replica that lost the lease may hold stale decisions: exit and come back as a standby.
          onStoppedLeading: () => process.exit(1),
          onNewLeader: (id, address) => {
            leaderAddress = id === config.identity ? undefined : address;
            logger.info('leader is', { identity: id, address });
          },
        },
        Math.random,
      )
    : undefined;
  const mesos: MesosRoutesInput = {
    operator,
    config,
    kc,
    clock: systemClock,
    logger,
    leaderAddress: () => leaderAddress,
    observe: (call, code) => metrics.countMesosCall(call, code),
  };
  const uiAssets = await loadUiAssets(UI_DIR);
  if (!uiAssets) logger.warn('web UI not built: / answers 404', { dir: UI_DIR });
  const ui = uiServer(mesos, uiAssets);
  const server = await startHttpServer({
    registry,
    host: config.httpHost,
    port: config.httpPort,
    log: logger,
    routers: [...mesosRouters(mesos), ...masterRouters(mesos), ...ui.routers],
    readiness: () => ({
      cachesSynced: operator.isSynced,
      leader: operator.isLeading,
      allocatorRunning: operator.isLeading,
    }),
  });
  listening.port = server.port;
  // Custom executors reach the Mesos executor API here (their MESOS_AGENT_ENDPOINT).
  operator.executors.serveAt(`${config.advertiseHost}:${server.port}`);
  logger.info('serving metrics and health', { url: server.url });

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    await elector?.stop();
    await operator.stop();
    ui.close();
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await operator.start();
  if (!elector) {
    metrics.setLeader(true);
    operator.lead();
    return;
  }
  elector.start();
}

function main(): void {
  let config: Config;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(
      `kmesos: ${err instanceof ConfigError || err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(2);
  }
  // Left to itself, V8 lets the heap grow to up to four times what survived the last full
  // collection; the operator's short-lived objects (watch events, requests in flight) live
  // long enough to reach the old generation, so that was most of its peak memory. V8 reads
  // this flag at every collection, so setting it here is as good as on the command line.
  if (config.heapGrowthPercent > 0) setFlagsFromString(`--heap-growing-percent=${config.heapGrowthPercent}`);
  const logger = createLogger({
    level: config.logLevel,
    stream: process.stdout,
    defaultMeta: { component: 'kmesos' },
  });
  run(config, logger).catch((err: unknown) => {
    logger.error('kmesos failed', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    process.exit(1);
  });
}

main();
