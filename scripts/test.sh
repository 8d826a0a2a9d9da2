#!/usr/bin/env bash
# The full test suite from a bare machine: Node.js (see scripts/lib.sh) and npm packages, the
# control-plane binaries, the real node's parts (kubelet, containerd, runc, CNI plugins,
# images) and actionlint (built or installed on first use), Prometheus and Chromium (Debian
# packages, installed when missing), then lint (workflows included), typecheck, unit,
# integration and real-node tests. Integration tests use KUBECONFIG when set, else a local
# control plane.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"
bash scripts/build-controlplane.sh >/dev/null
bash scripts/build-realnode.sh >/dev/null
bash scripts/build-tools.sh >/dev/null
bash scripts/ensure-prometheus.sh >/dev/null
# The web UI's test drives this browser (test/integration/web-ui.test.ts).
CHROMIUM_BIN=$(bash scripts/ensure-chromium.sh | sed -n 's/^chromium=//p')
export CHROMIUM_BIN
npm run build
npm test
