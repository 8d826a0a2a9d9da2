// Plain JavaScript: jest loads global setup with Node's own loader, outside its transform,
// so this imports the compiled control plane (`npm run test:integration` builds first).
import { KubeConfig } from '@kubernetes/client-node';
import { resolve } from 'node:path';
import { startControlPlane } from '../../dist/dev/controlplane.js';
import { applyManifests, readManifests } from '../../dist/dev/manifests.js';

/**
 * Integration tests run against KUBECONFIG when it is set (a kind cluster, say) and
 * otherwise against a local control plane started once for the whole run. A plane that
 * cannot start fails the run with its reason.
 */
export default async function globalSetup() {
  if (process.env.KUBECONFIG) {
    console.log(`\nintegration tests use KUBECONFIG=${process.env.KUBECONFIG}`);
  } else {
    const plane = await startControlPlane({ log: (m) => console.log(`[control plane] ${m}`) });
    globalThis.kmesosControlPlane = plane;
    process.env.KUBECONFIG = plane.kubeconfig;
    process.env.KMESOS_LOCAL_PLANE_DIR = plane.dir;
  }
  // The suite tests the CRDs of this checkout.
  const kc = new KubeConfig();
  kc.loadFromFile(process.env.KUBECONFIG);
  await applyManifests(kc, await readManifests(resolve(import.meta.dirname, '../../crds')));
}
