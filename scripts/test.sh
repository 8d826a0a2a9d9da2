#!/usr/bin/env bash
# The full test suite from a bare machine: Node 24 and npm packages, the control-plane
# binaries, the real node's parts (kubelet, containerd, runc, CNI plugins, images) and
# actionlint (built or installed on first use), then lint (workflows included), typecheck,
# unit and integration tests. Integration tests use KUBECONFIG when
# set, else a local control plane.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"
bash scripts/build-controlplane.sh >/dev/null
bash scripts/build-realnode.sh >/dev/null
bash scripts/build-tools.sh >/dev/null
bash scripts/ensure-prometheus.sh >/dev/null
npm run build
npm test
