#!/usr/bin/env bash
# Finds a Chromium for the web UI's browser test, installing Debian's chromium package when
# none is present, and prints its path as "chromium=PATH". Idempotent; quiet unless it
# installs. CHROMIUM_BIN points at a browser obtained some other way; an installed Google
# Chrome (as on GitHub's Ubuntu runners) is used as it is. No tool downloads a browser.
set -euo pipefail

find_bin() {
  chromium_bin=${CHROMIUM_BIN:-}
  if [ -z "$chromium_bin" ]; then
    for name in chromium google-chrome-stable google-chrome; do
      chromium_bin=$(command -v "$name" || true)
      [ -n "$chromium_bin" ] && break
    done
  fi
  # Not finding one is no failure here (set -e would end the script on the loop's status).
  return 0
}

find_bin
if [ -z "$chromium_bin" ]; then
  if ! command -v apt-get >/dev/null; then
    echo "chromium not found and apt-get is unavailable: install it or set CHROMIUM_BIN" >&2
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo -n"; fi
  echo "installing Debian's chromium package" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >&2
  $sudo apt-get install -y -qq --no-install-recommends chromium >&2
  find_bin
fi

if [ -z "$chromium_bin" ]; then
  echo "chromium is still missing after installing the package" >&2
  exit 1
fi
echo "chromium=$chromium_bin"
