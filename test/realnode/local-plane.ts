import type { KubeConfig } from '@kubernetes/client-node';
import { pkiPaths } from '../../dev/pki.js';
import type { PlaneForNodes } from '../../dev/real-node.js';

/** The local control plane global setup started (real nodes need its PKI and folder). */
export function localPlane(kc: KubeConfig): PlaneForNodes {
  const dir = process.env.KMESOS_LOCAL_PLANE_DIR;
  const server = kc.getCurrentCluster()?.server;
  if (!dir || !server)
    throw new Error('real-node tests need the local control plane (KMESOS_LOCAL_PLANE_DIR), not KUBECONFIG');
  return { server, dir, pki: pkiPaths(dir) };
}
