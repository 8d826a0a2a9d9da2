import type { AuthenticationV1Api, AuthorizationV1Api, CoreV1Api } from '@kubernetes/client-node';
import { GROUP } from '../../api/constants.js';
import { isNotFound } from '../../kube/errors.js';
import type { Clock } from '../../util/clock.js';
import type { AuthBackend } from './auth.js';

export interface KubeAuthOptions {
  /** The Secret of Basic credentials (data: principal → secret); none disables Basic. */
  credentials?: { namespace: string; name: string };
  /** How long the Secret's contents are reused before it is read again. */
  cacheMs: number;
  clock: Clock;
}

/** TokenReview, SubjectAccessReview and the credentials Secret, through client-node. */
export function kubeAuthBackend(
  authn: AuthenticationV1Api,
  authz: AuthorizationV1Api,
  core: CoreV1Api,
  options: KubeAuthOptions,
): AuthBackend {
  let secret: { at: number; data: ReadonlyMap<string, string> } | undefined;
  return {
    async tokenReview(token) {
      const r = await authn.createTokenReview({ body: { spec: { token } } });
      const user = r.status?.user;
      return {
        authenticated: r.status?.authenticated === true,
        ...(user?.username ? { username: user.username } : {}),
        ...(user?.uid ? { uid: user.uid } : {}),
        groups: user?.groups ?? [],
        ...(r.status?.error ? { error: r.status.error } : {}),
      };
    },
    async accessReview(user, request) {
      const r = await authz.createSubjectAccessReview({
        body: {
          spec: {
            user: user.username,
            ...(user.uid ? { uid: user.uid } : {}),
            groups: user.groups,
            resourceAttributes: { ...request, group: request.group ?? GROUP },
          },
        },
      });
      return {
        allowed: r.status?.allowed === true,
        ...(r.status?.reason ? { reason: r.status.reason } : {}),
      };
    },
    async credentials() {
      const ref = options.credentials;
      if (!ref) return new Map();
      const now = options.clock.now();
      if (secret && now - secret.at < options.cacheMs) return secret.data;
      let data = new Map<string, string>();
      try {
        const s = await core.readNamespacedSecret({ name: ref.name, namespace: ref.namespace });
        data = new Map(
          Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
        );
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      secret = { at: now, data };
      return data;
    },
  };
}
