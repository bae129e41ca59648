#!/usr/bin/env bash
# The tests labelled "slow" (firmware/README.md): the amd64 package installed in a
# throwaway root (host-slow); the Raspberry Pi image built, read and booted under
# qemu-system-aarch64 (rpi4-slow). They download Debian packages and need root.
# Run after tests/run-all.sh, whose host and rpi4 builds they use; .ci/run runs both.
#
#   tests/run-slow.sh              host-slow and rpi4-slow
#   tests/run-slow.sh host         host-slow only
set -euo pipefail
cd "$(dirname "$0")/.."

presets=${*:-host rpi4}
start=$(date +%s)
step() { printf '\n=== [%4ss] %s\n' "$(( $(date +%s) - start ))" "$*"; }

step "tools for the slow tests"
toolchains/install-deps.sh image
for preset in $presets; do
  case "$preset" in host | rpi4) ;; *) echo "run-slow.sh: no slow tests for preset $preset (host, rpi4)" >&2; exit 2 ;; esac
  if [ ! -f "build/$preset/CTestTestfile.cmake" ]; then
    echo "run-slow.sh: build/$preset is not built; run tests/run-all.sh (or cmake --workflow --preset $preset) first" >&2
    exit 2
  fi
  if [ "$preset" = rpi4 ] && [ -z "${EDGEFUSE_SYSROOT:-}" ]; then
    EDGEFUSE_SYSROOT=$(toolchains/sysroot.sh | tail -n 1)
    export EDGEFUSE_SYSROOT
  fi
  step "$preset: slow tests"
  ctest --preset "$preset-slow"
done
step "slow tests passed: $presets"
