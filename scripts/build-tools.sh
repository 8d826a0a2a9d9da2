#!/usr/bin/env bash
# Builds the developer tools pinned in tools/*/go.mod that are not part of the control plane
# (today: actionlint, which checks .github/workflows) into a cache folder keyed by version,
# so only the first run compiles. Prints the path of each binary.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${KMESOS_CACHE:-$root/.cache}
export GOFLAGS=-buildvcs=false CGO_ENABLED=0

ver=$(cd "$root/tools/actionlint" && go list -m -f '{{.Version}}' github.com/rhysd/actionlint)
out="$cache/bin/actionlint-$ver"
if [ ! -f "$out/.complete" ]; then
  mkdir -p "$out"
  echo "building actionlint $ver into $out (first run only)" >&2
  # The version is stamped so `actionlint -version` tells which one ran.
  (cd "$root/tools/actionlint" && go build -trimpath \
    -ldflags "-s -w -X github.com/rhysd/actionlint.version=$ver" \
    -o "$out/actionlint" github.com/rhysd/actionlint/cmd/actionlint) >&2
  touch "$out/.complete"
fi
echo "$out/actionlint"
