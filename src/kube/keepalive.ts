import { HttpMethod, KubeConfig, RequestContext } from '@kubernetes/client-node';
import { systemClock, type Clock } from '../util/clock.js';

type Dispatcher = ReturnType<RequestContext['getDispatcher']>;

interface Credentials {
  headers: Record<string, string>;
  dispatcher: Dispatcher;
}

/** How long credentials, once worked out, serve further requests. */
const CREDENTIALS_TTL_MS = 1_000;

/**
 * client-node 2.0 works out a request's credentials from scratch for every request: it reads
 * the CA, certificate and key (from files, or decoding base64), asks the authenticator for a
 * token and builds a new undici Agent, so every API call also opened a new TLS connection (a
 * handshake with the client certificate, a new SecureContext): a third of kmesos' CPU under a
 * burst, and as much again in the API server. This keeps the first Agent, so connections stay
 * alive, and reuses the headers worked out for up to a second: a token that an exec plugin or
 * a projected service-account file renews is picked up within a second of the renewal.
 */
export class KeepAliveKubeConfig extends KubeConfig {
  private dispatcher: Dispatcher;
  private credentials: { at: number; value: Promise<Credentials> } | undefined;

  constructor(private readonly clock: Clock = systemClock) {
    super();
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    const now = this.clock.now();
    if (this.credentials === undefined || now - this.credentials.at >= CREDENTIALS_TTL_MS) {
      const value = this.workOut();
      this.credentials = { at: now, value };
      // A failure is not kept: the next request works the credentials out again.
      value.catch(() => {
        if (this.credentials?.value === value) this.credentials = undefined;
      });
    }
    const { headers, dispatcher } = await this.credentials.value;
    for (const [name, value] of Object.entries(headers)) context.setHeaderParam(name, value);
    if (dispatcher) context.setDispatcher(dispatcher);
  }

  private async workOut(): Promise<Credentials> {
    const probe = new RequestContext(this.getCurrentCluster()?.server ?? 'http://localhost', HttpMethod.GET);
    await super.applySecurityAuthentication(probe);
    this.dispatcher ??= probe.getDispatcher();
    return { headers: { ...probe.getHeaders() }, dispatcher: this.dispatcher };
  }
}
