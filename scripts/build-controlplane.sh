#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager, kube-scheduler, etcd and kwok from
# their upstream Go modules (tools/*/go.mod) into a cache folder keyed by version, so
# only the first run compiles. Prints the bin folder of each component.
# With --kubelet it also builds the kubelet (for real nodes) and prints its folder last.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${KMESOS_CACHE:-$root/.cache}
export GOFLAGS=-buildvcs=false CGO_ENABLED=0

# version MODULE_DIR MODULE_PATH -> the required version of MODULE_PATH in that go.mod
version() { (cd "$root/tools/$1" && go list -m -f '{{.Version}}' "$2"); }

# build NAME VERSION MODULE_DIR LDFLAGS OUTPUT PACKAGE... (OUTPUT is relative to the bin folder)
build() {
  local name=$1 ver=$2 dir=$3 ldflags=$4 target=$5; shift 5
  local out="$cache/bin/$name-$ver"
  if [ -f "$out/.complete" ]; then echo "$out"; return; fi
  mkdir -p "$out"
  echo "building $name $ver into $out (first run only)" >&2
  (cd "$root/tools/$dir" && go build -trimpath -ldflags "-s -w $ldflags" -o "$out/$target" "$@") >&2
  touch "$out/.complete"
  echo "$out"
}

k8s=$(version kubernetes k8s.io/kubernetes)
etcd=$(version etcd go.etcd.io/etcd/server/v3)
kwok=$(version kwok sigs.k8s.io/kwok)
date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
minor=$(echo "$k8s" | cut -d. -f2)
kver=""
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  kver+=" -X $p.gitVersion=$k8s -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=$date"
done

build kubernetes "$k8s" kubernetes "$kver" ./ \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler
build etcd "$etcd" etcd "" etcd go.etcd.io/etcd/server/v3
build kwok "$kwok" kwok "-X sigs.k8s.io/kwok/pkg/consts.Version=${kwok#v}" ./ sigs.k8s.io/kwok/cmd/kwok
# Its own folder, so caches made before the kubelet was added stay valid.
if [ "${1:-}" = --kubelet ]; then
  build kubelet "$k8s" kubernetes "$kver" kubelet k8s.io/kubernetes/cmd/kubelet
fi
