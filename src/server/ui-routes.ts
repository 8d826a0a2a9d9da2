import { CoreV1Api } from '@kubernetes/client-node';
import type { UiAssets } from '../ui/assets.js';
import { kubeEventLister } from '../ui/events.js';
import { ViewPublisher } from '../ui/publisher.js';
import { uiRouter } from '../ui/routes.js';
import type { MountedRouter } from './http.js';
import { masterInputsSource } from './master-routes.js';
import { mesosAuth } from './mesos-auth.js';
import type { MesosRoutesInput } from './mesos-routes.js';

/** The web UI sends a client at most one view per this interval. */
const VIEW_INTERVAL_MS = 1_000;
const KEEP_ALIVE_MS = 15_000;

export interface UiServer {
  readonly routers: MountedRouter[];
  /** Ends the pages' streams, before the HTTP server drains at shutdown. */
  close(): void;
}

/** The web UI at `/` and `/ui/`, fed from the same inputs as the master's endpoints. */
export function uiServer(input: MesosRoutesInput, assets: UiAssets | undefined): UiServer {
  const { operator, config, clock, kc } = input;
  const source = masterInputsSource(input);
  const publisher = new ViewPublisher({
    // The view shows neither the master's address nor its flags, so the configured port will do.
    inputs: () => source.inputs(config.httpPort),
    clock,
    intervalMs: VIEW_INTERVAL_MS,
  });
  const router = uiRouter({
    assets,
    publisher,
    synced: () => operator.isSynced,
    auth: mesosAuth(kc, config, clock),
    events: kubeEventLister(kc.makeApiClient(CoreV1Api)),
    clock,
    keepAliveMs: KEEP_ALIVE_MS,
  });
  return { routers: [{ path: '/', router }], close: () => publisher.close() };
}
