// Real nodes join a local control plane, whatever cluster KUBECONFIG names: this project
// always starts one, whose API server reaches the nodes' kubelets for logs and exec.
import { KubeConfig } from '@kubernetes/client-node';
import { resolve } from 'node:path';
import { startControlPlane } from '../../dist/dev/controlplane.js';
import { applyManifests, readManifests } from '../../dist/dev/manifests.js';

export default async function globalSetup() {
  const plane = await startControlPlane({
    realNodeEgress: true,
    // For the deployed operator's replicas (deployed.test.ts); kmesos binds its own pods.
    scheduler: true,
    log: (m) => console.log(`[control plane] ${m}`),
  });
  globalThis.kmesosControlPlane = plane;
  process.env.KUBECONFIG = plane.kubeconfig;
  process.env.KMESOS_LOCAL_PLANE_DIR = plane.dir;
  const kc = new KubeConfig();
  kc.loadFromFile(plane.kubeconfig);
  await applyManifests(kc, await readManifests(resolve(import.meta.dirname, '../../crds')));
}
