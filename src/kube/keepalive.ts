import { KubeConfig, type RequestContext } from '@kubernetes/client-node';

/**
 * client-node 2.0 gives every request a new undici Agent, so every API call opened a new TLS
 * connection (handshake with the client certificate, a new SecureContext): a third of
 * kmesos' CPU under a burst, and as much again in the API server. Reusing the first Agent
 * keeps connections alive; credentials and headers are still applied per request.
 */
export class KeepAliveKubeConfig extends KubeConfig {
  private dispatcher: ReturnType<RequestContext['getDispatcher']>;

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    if (this.dispatcher) context.setDispatcher(this.dispatcher);
    else this.dispatcher = context.getDispatcher();
  }
}
