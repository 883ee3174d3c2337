#!/usr/bin/env bash
# Installs Debian's chromium (and a CJK font, so Chinese campaign names render) for the HTML
# report's browser test. Does nothing when /usr/bin/chromium is there. Needs root or sudo.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  run() { "$@"; }
elif command -v sudo >/dev/null 2>&1; then
  run() { sudo -n "$@"; }
else
  echo "install-browser: /usr/bin/chromium is missing and this user cannot install packages" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
run apt-get update -qq
run apt-get install -y -qq --no-install-recommends chromium fonts-wqy-microhei >/dev/null
/usr/bin/chromium --version
