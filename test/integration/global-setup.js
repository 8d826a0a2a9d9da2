// Plain JavaScript: jest loads global setup with Node's own loader, outside its transform,
// so this imports the compiled control plane (`npm run test:integration` builds first).
import { startControlPlane } from '../../dist/dev/controlplane.js';

/**
 * Integration tests run against KUBECONFIG when it is set (a kind cluster, say) and
 * otherwise against a local control plane started once for the whole run. A plane that
 * cannot start fails the run with its reason.
 */
export default async function globalSetup() {
  if (process.env.KUBECONFIG) {
    console.log(`\nintegration tests use KUBECONFIG=${process.env.KUBECONFIG}`);
    return;
  }
  const plane = await startControlPlane({ log: (m) => console.log(`[control plane] ${m}`) });
  globalThis.kmesosControlPlane = plane;
  process.env.KUBECONFIG = plane.kubeconfig;
  process.env.KMESOS_LOCAL_PLANE_DIR = plane.dir;
}
