#!/usr/bin/env bash
# Builds containerd 2.x, its runc shim and ctr from the upstream Go module (tools/containerd)
# into a cache folder keyed by version, so only the first run compiles; prints that folder.
# Static (no cgo), without the btrfs, devmapper and zfs snapshotters, which need C libraries
# and are not used: real nodes use the overlayfs snapshotter.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${KMESOS_CACHE:-$root/.cache}
export GOFLAGS=-buildvcs=false CGO_ENABLED=0

mod=github.com/containerd/containerd/v2
ver=$(cd "$root/tools/containerd" && go list -m -f '{{.Version}}' "$mod")
out="$cache/bin/containerd-$ver"
if [ ! -f "$out/.complete" ]; then
  mkdir -p "$out"
  echo "building containerd $ver into $out (first run only)" >&2
  (cd "$root/tools/containerd" && go build -trimpath -tags "no_btrfs no_devmapper no_zfs" \
    -ldflags "-s -w -X $mod/version.Version=$ver -X $mod/version.Package=$mod" \
    -o "$out/" "$mod/cmd/containerd" "$mod/cmd/containerd-shim-runc-v2" "$mod/cmd/ctr") >&2
  touch "$out/.complete"
fi
echo "$out"
