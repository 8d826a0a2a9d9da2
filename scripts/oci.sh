# Sourced by the image scripts: writes OCI image archives offline, for `ctr images import`.

# oci_layer DIR OUT: DIR's contents as a reproducible layer tarball (root-owned, time 0).
oci_layer() {
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$1" -cf "$2.tmp" .
  mv "$2.tmp" "$2"
}

# oci_archive NAME CONFIG OUT LAYER...: an OCI image layout of the layer tarballs (bottom
# first), tarred to OUT. CONFIG is the image config's "config" object (entrypoint and such)
# as JSON. The layers are copied, so callers may keep them as a cache.
oci_archive() {
  local name=$1 config=$2 out=$3 tmp digest size diff_ids="" layers="" cfg cfg_size manifest manifest_size
  shift 3
  tmp=$(mktemp -d)
  mkdir -p "$tmp/blobs/sha256"
  for layer in "$@"; do
    digest=$(sha256sum "$layer" | cut -d' ' -f1)
    size=$(stat -c %s "$layer")
    cp "$layer" "$tmp/blobs/sha256/$digest"
    diff_ids+="${diff_ids:+,}\"sha256:$digest\""
    layers+="${layers:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:$digest\",\"size\":$size}"
  done
  printf '{"architecture":"amd64","os":"linux","config":%s,"rootfs":{"type":"layers","diff_ids":[%s]}}' \
    "$config" "$diff_ids" >"$tmp/config"
  cfg=$(sha256sum "$tmp/config" | cut -d' ' -f1)
  cfg_size=$(stat -c %s "$tmp/config")
  mv "$tmp/config" "$tmp/blobs/sha256/$cfg"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
    "$cfg" "$cfg_size" "$layers" >"$tmp/manifest"
  manifest=$(sha256sum "$tmp/manifest" | cut -d' ' -f1)
  manifest_size=$(stat -c %s "$tmp/manifest")
  mv "$tmp/manifest" "$tmp/blobs/sha256/$manifest"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"amd64","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$manifest" "$manifest_size" "$name" "${name##*:}" >"$tmp/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' >"$tmp/oci-layout"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$tmp" -cf "$out.tmp" oci-layout index.json blobs
  mv "$out.tmp" "$out"
  rm -rf "$tmp"
}
