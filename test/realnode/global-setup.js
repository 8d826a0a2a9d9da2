// Real nodes join a local control plane, whatever cluster KUBECONFIG names: this project
// always starts one (the integration suite's setup, without KUBECONFIG).
import integrationSetup from '../integration/global-setup.js';

export default async function globalSetup() {
  delete process.env.KUBECONFIG;
  await integrationSetup();
}
