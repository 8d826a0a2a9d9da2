import { AuthenticationV1Api, AuthorizationV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Config } from '../config.js';
import { Auth } from '../scheduler/external/auth.js';
import { kubeAuthBackend } from '../scheduler/external/kube-auth.js';
import type { Clock } from '../util/clock.js';

/** How long a token's review, an access review and the credentials Secret are reused. */
const AUTH_CACHE_MS = 10_000;

/** Authentication of Mesos API callers as the configuration asks: tokens, Basic credentials, anonymous. */
export function mesosAuth(kc: KubeConfig, config: Config, clock: Clock): Auth {
  const backend = kubeAuthBackend(
    kc.makeApiClient(AuthenticationV1Api),
    kc.makeApiClient(AuthorizationV1Api),
    kc.makeApiClient(CoreV1Api),
    {
      ...(config.mesosCredentialsSecret
        ? { credentials: { namespace: config.leaseNamespace, name: config.mesosCredentialsSecret } }
        : {}),
      cacheMs: AUTH_CACHE_MS,
      clock,
    },
  );
  return new Auth(backend, { anonymous: config.mesosAnonymous, cacheMs: AUTH_CACHE_MS, clock });
}
