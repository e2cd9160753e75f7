#!/usr/bin/env bash
# Make sure Debian's chromium is installed for the browser tests (tests/browser), and print its path.
# Playwright drives this system browser through executable_path; `playwright install` is never used.
#   scripts/ensure-chromium.sh            # installs with apt-get when missing (needs root or sudo)
#   CHROMIUM=/path/to/chromium scripts/ensure-chromium.sh   # use another binary, install nothing
set -euo pipefail

chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then
  echo "$chromium"
  exit 0
fi
if [ -n "${CHROMIUM:-}" ]; then
  echo "error: CHROMIUM=$CHROMIUM is not an executable file" >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "error: chromium is missing and this user cannot install it." >&2
  echo "       Install it with:  sudo apt-get install -y chromium   (or set CHROMIUM=/path/to/binary)" >&2
  exit 1
fi

echo "installing chromium with apt-get (first run only)" >&2
export DEBIAN_FRONTEND=noninteractive
if ! "${as_root[@]}" apt-get install -y --no-install-recommends chromium >&2; then
  "${as_root[@]}" apt-get update >&2
  "${as_root[@]}" apt-get install -y --no-install-recommends chromium >&2
fi

if [ ! -x "$chromium" ]; then
  echo "error: apt-get finished but $chromium is still missing" >&2
  exit 1
fi
echo "$chromium"
