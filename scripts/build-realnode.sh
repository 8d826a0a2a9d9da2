#!/usr/bin/env bash
# Everything a real node (dev/real-node.ts) needs, built or installed on first use and cached:
# the kubelet (tools/kubernetes) and containerd 2.x (tools/containerd) from their Go modules,
# Debian's runc and CNI plugins (installed with apt-get when missing), and two OCI image
# archives written offline for `ctr images import`: the pod sandbox ("pause", a static Go
# program from tools/pause) and the command-task image under kmesos' default image name,
# made of Debian's busybox-static (its .deb unpacked into the cache, not installed).
# Prints key=value lines: kubelet, containerd (bin folders), runc, cni (plugin folder),
# pause-image, pause-name, command-image, command-name.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${KMESOS_CACHE:-$root/.cache}
export GOFLAGS=-buildvcs=false CGO_ENABLED=0
# kmesos' default --default-image (src/config.ts), as the kubelet normalises it.
command_name=docker.io/library/busybox:1.37
pause_name=localhost/kmesos/pause:1

kubelet=$(bash "$root/scripts/build-controlplane.sh" --kubelet | tail -n 1)
containerd=$(bash "$root/scripts/build-containerd.sh")

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo -n"; fi
updated=""
apt_update() {
  if [ -z "$updated" ]; then $sudo apt-get update -qq >&2; updated=1; fi
}
missing=()
[ -x /usr/sbin/runc ] || missing+=(runc)
[ -x /usr/lib/cni/bridge ] && [ -x /usr/lib/cni/host-local ] || missing+=(containernetworking-plugins)
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "${missing[*]} missing and apt-get is unavailable: install them" >&2
    exit 1
  fi
  echo "installing Debian's ${missing[*]}" >&2
  apt_update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# shellcheck source=scripts/oci.sh
source "$root/scripts/oci.sh"

# The pause image, keyed by its source and the Go toolchain.
pause_key=$(cat "$root/tools/pause/main.go" "$root/tools/pause/go.mod" <(go version) | sha256sum | cut -c1-12)
pause_dir="$cache/images/pause-$pause_key"
if [ ! -f "$pause_dir/.complete" ]; then
  echo "building the pause image into $pause_dir (first run only)" >&2
  rm -rf "$pause_dir" && mkdir -p "$pause_dir/rootfs"
  (cd "$root/tools/pause" && go build -trimpath -ldflags "-s -w" -o "$pause_dir/rootfs/pause" .) >&2
  oci_layer "$pause_dir/rootfs" "$pause_dir/layer.tar"
  oci_archive "$pause_name" '{"Entrypoint":["/pause"]}' "$pause_dir/image.tar" "$pause_dir/layer.tar"
  rm "$pause_dir/layer.tar"
  touch "$pause_dir/.complete"
fi

# The command image, keyed by the busybox-static package version.
busybox_version=$(apt-cache policy busybox-static 2>/dev/null | awk '/Candidate:/ { print $2 }')
if [ -z "$busybox_version" ] || [ "$busybox_version" = "(none)" ]; then
  apt_update
  busybox_version=$(apt-cache policy busybox-static | awk '/Candidate:/ { print $2 }')
fi
command_dir="$cache/images/busybox-static-${busybox_version//[:+~]/_}"
if [ ! -f "$command_dir/.complete" ]; then
  echo "building the command image from busybox-static $busybox_version into $command_dir (first run only)" >&2
  rm -rf "$command_dir" && mkdir -p "$command_dir/deb" "$command_dir/rootfs/bin" "$command_dir/rootfs/tmp"
  (cd "$command_dir/deb" && apt-get download -qq -o APT::Sandbox::User=root "busybox-static=$busybox_version" >&2) || {
    apt_update
    (cd "$command_dir/deb" && apt-get download -qq -o APT::Sandbox::User=root "busybox-static=$busybox_version" >&2)
  }
  dpkg-deb -x "$command_dir"/deb/*.deb "$command_dir/unpacked"
  cp "$command_dir/unpacked/bin/busybox" "$command_dir/rootfs/bin/busybox"
  for applet in $("$command_dir/rootfs/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$command_dir/rootfs/bin/$applet"
  done
  chmod 1777 "$command_dir/rootfs/tmp"
  oci_layer "$command_dir/rootfs" "$command_dir/layer.tar"
  oci_archive "$command_name" '{"Env":["PATH=/bin"],"Cmd":["sh"]}' "$command_dir/image.tar" "$command_dir/layer.tar"
  rm "$command_dir/layer.tar"
  rm -rf "$command_dir/deb" "$command_dir/unpacked"
  touch "$command_dir/.complete"
fi

echo "kubelet=$kubelet"
echo "containerd=$containerd"
echo "runc=/usr/sbin/runc"
echo "cni=/usr/lib/cni"
echo "pause-image=$pause_dir/image.tar"
echo "pause-name=$pause_name"
echo "command-image=$command_dir/image.tar"
echo "command-name=$command_name"
