#!/usr/bin/env bash
# kmesos' image written offline, for machines with no Docker engine or registry (the real
# nodes of the local plane import it with `ctr images import`). Its content is what the
# Dockerfile produces: the bundled operator and the web UI (dist/bin and dist/ui, from
# `npm run build`) and the Node.js runtime with the libraries it links, run by the numeric
# non-root user 65532 from /app. Two layers, bottom first: the runtime (keyed by the node
# binary and its libraries) and the application (made anew each time). Prints
# kmesos-image=ARCHIVE and kmesos-name=NAME.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"
# shellcheck source=scripts/oci.sh
source "$root/scripts/oci.sh"
name=docker.io/library/kmesos:local
out="$cache/images/kmesos"
mkdir -p "$out"

if [ ! -f "$root/dist/bin/kmesos.mjs" ] || [ ! -f "$root/dist/ui/index.html" ]; then
  echo "dist/ has no bundled operator or web UI: run npm run build first" >&2
  exit 1
fi

# The runtime: node as distroless places it, the libraries ldd names, and the users.
node_bin=$(command -v node)
libs=$(ldd "$node_bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
runtime_key=$( (sha256sum "$node_bin"; for l in $libs; do sha256sum "$(readlink -f "$l")"; done) | sha256sum | cut -c1-12)
runtime="$out/runtime-$runtime_key.tar"
if [ ! -f "$runtime" ]; then
  echo "writing the runtime layer (node $(node --version)) into $runtime" >&2
  dir=$(mktemp -d) && chmod 755 "$dir"
  mkdir -p "$dir/nodejs/bin" "$dir/etc" "$dir/tmp" "$dir/app"
  cp "$node_bin" "$dir/nodejs/bin/node"
  for l in $libs; do
    mkdir -p "$dir$(dirname "$l")"
    cp -L "$l" "$dir$l"
  done
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$dir/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' >"$dir/etc/group"
  chmod 1777 "$dir/tmp"
  oci_layer "$dir" "$runtime"
  rm -rf "$dir"
fi

# The application: the bundled operator (its dependencies inside) and the web UI.
dir=$(mktemp -d) && chmod 755 "$dir"
mkdir -p "$dir/app/dist"
cp -r "$root/dist/bin" "$root/dist/ui" "$dir/app/dist/"
oci_layer "$dir" "$out/app.tar"
rm -rf "$dir"

oci_archive "$name" \
  '{"User":"65532:65532","Env":["PATH=/nodejs/bin:/usr/bin:/bin","NODE_ENV=production"],"WorkingDir":"/app","Entrypoint":["/nodejs/bin/node","--enable-source-maps","--max-semi-space-size=8","dist/bin/kmesos.mjs"],"ExposedPorts":{"8080/tcp":{}}}' \
  "$out/image.tar" "$runtime" "$out/app.tar"
# Older runtime layers, and the dependency layers of images before the bundle, are of no further use.
find "$out" -maxdepth 1 \( -name 'runtime-*.tar' -o -name 'deps-*.tar' \) ! -name "${runtime##*/}" -delete
echo "kmesos-image=$out/image.tar"
echo "kmesos-name=$name"
