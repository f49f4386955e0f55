#!/usr/bin/env bash
# Seam's install command (README: "Install"). Installs the system packages Seam uses where they
# are missing — ffmpeg/ffprobe for video, Chromium for the UI tests, PyTorch for the SEAN parity
# reference — then the npm packages,
# whose postinstall converts the built-in models. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
# Debian's PyTorch (CPU) runs the reference forward pass that SEAN's parity test compares with.
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || missing+=(python3-torch)
if [ ${#missing[@]} -gt 0 ]; then
  packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${packages}with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${packages}
  else
    echo "setup: please install: ${packages}(Debian/Ubuntu: sudo apt-get install ${packages})" >&2
    echo "setup: or point FFMPEG_PATH / FFPROBE_PATH / CHROMIUM_PATH at your own binaries" >&2
    exit 1
  fi
fi

npm ci --no-audit --no-fund
