import type { KubeConfig } from '@kubernetes/client-node';

/**
 * Points `kc` at a plain-HTTP server on loopback with a bearer token, for tests and benchmarks
 * that stand up their own server; returns `kc`.
 */
export function loadLocalServer<T extends KubeConfig>(kc: T, port: number, token: string): T {
  kc.loadFromOptions({
    clusters: [{ name: 'local', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'local', token }],
    contexts: [{ name: 'local', cluster: 'local', user: 'local' }],
    currentContext: 'local',
  });
  return kc;
}
