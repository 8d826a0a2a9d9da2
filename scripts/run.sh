#!/usr/bin/env bash
# Runs kmesos. With no cluster given, it starts a local control plane with fake nodes,
# installs the CRDs and the examples, and runs the operator against it until Ctrl-C.
# With KUBECONFIG set (or --kubeconfig PATH), it runs the operator against that cluster.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"
npm run build --silent
if [ -n "${KUBECONFIG:-}" ] || [[ " $* " == *" --kubeconfig"* ]]; then
  # Node's flags as the image's entrypoint gives them (Dockerfile).
  exec node --enable-source-maps --max-semi-space-size=8 dist/bin/kmesos.mjs "$@"
fi
bash scripts/build-controlplane.sh >/dev/null
exec node dist/dev/cli.js up "$@"
