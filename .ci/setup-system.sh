#!/usr/bin/env bash
# Installs the Debian packages LocalRec's tests and training need (run as root on Debian 12).
#   - chromium: headless browser for the Playwright e2e tests (WebGPU via SwiftShader)
#   - mesa-vulkan-drivers from bookworm-backports + libvulkan1: lavapipe, so npm `webgpu`
#     (Dawn) finds an adapter in Node (bookworm's own Mesa 22.3 is rejected by Dawn)
#   - python3-torch + libopenblas0-pthread (only with WITH_TORCH=1): offline training
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if [ "$(id -u)" != 0 ]; then echo "setup-system.sh: run as root (apt-get)"; exit 1; fi
if [ ! -f /etc/apt/sources.list.d/backports.list ]; then
  echo 'deb http://deb.debian.org/debian bookworm-backports main' > /etc/apt/sources.list.d/backports.list
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends libvulkan1 chromium fonts-dejavu-core
apt-get install -y -qq --no-install-recommends -t bookworm-backports mesa-vulkan-drivers
if [ "${WITH_TORCH:-0}" = 1 ]; then
  apt-get install -y -qq --no-install-recommends python3-torch libopenblas0-pthread python3-numpy
fi
echo "setup-system.sh: done"
