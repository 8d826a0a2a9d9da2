#!/usr/bin/env bash
# Installs Debian's prometheus package (prometheus + promtool) when either binary is
# missing, without starting its system service, then prints the two binary paths as
# "prometheus=PATH" and "promtool=PATH". Idempotent; quiet unless it installs.
# PROMETHEUS_BIN / PROMTOOL_BIN point at binaries obtained some other way.
set -euo pipefail

find_bins() {
  prometheus_bin=${PROMETHEUS_BIN:-$(command -v prometheus || true)}
  promtool_bin=${PROMTOOL_BIN:-$(command -v promtool || true)}
}

find_bins
if [ -z "$prometheus_bin" ] || [ -z "$promtool_bin" ]; then
  if ! command -v apt-get >/dev/null; then
    echo "prometheus/promtool not found and apt-get is unavailable: install them or set PROMETHEUS_BIN and PROMTOOL_BIN" >&2
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo -n"; fi
  echo "installing Debian's prometheus package (prometheus, promtool)" >&2
  # The package's postinst would start a system service; tests run their own instance.
  policy=/usr/sbin/policy-rc.d
  created_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod +x "$policy"
    created_policy=1
  fi
  trap '[ -n "$created_policy" ] && $sudo rm -f "$policy"' EXIT
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >&2
  $sudo apt-get install -y -qq --no-install-recommends prometheus >&2
  find_bins
fi

if [ -z "$prometheus_bin" ] || [ -z "$promtool_bin" ]; then
  echo "prometheus or promtool is still missing after installing the package" >&2
  exit 1
fi
echo "prometheus=$prometheus_bin"
echo "promtool=$promtool_bin"
