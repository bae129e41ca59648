#!/usr/bin/env bash
# The README's test command: installs what is missing, builds for the host and for the
# Raspberry Pi 4 and 5 presets, and runs the host suite and both QEMU suites
# (qemu-aarch64 -cpu cortex-a72, then -cpu cortex-a76). CI runs exactly this.
#
#   tests/run-all.sh                         host rpi4 rpi5
#   EDGEFUSE_TEST_PRESETS="host jetson-orin" tests/run-all.sh
#
# The tests labelled slow (package install, image build, QEMU boot) are run by
# tests/run-slow.sh afterwards; .ci/run runs both.
set -euo pipefail
cd "$(dirname "$0")/.."

presets=${EDGEFUSE_TEST_PRESETS:-host rpi4 rpi5}
start=$(date +%s)
step() { printf '\n=== [%4ss] %s\n' "$(( $(date +%s) - start ))" "$*"; }

needs_cross=0
for preset in $presets; do
  case "$preset" in host|host-asan) ;; *) needs_cross=1 ;; esac
done

step "dependencies"
if [ $needs_cross = 1 ]; then
  toolchains/install-deps.sh host cross
  step "arm64 sysroot"
  sysroot=$(toolchains/sysroot.sh | tail -n 1)
  export EDGEFUSE_SYSROOT=$sysroot
else
  toolchains/install-deps.sh host
fi

for preset in $presets; do
  step "$preset: configure"
  mkdir -p build
  cmake --preset "$preset" > "build/configure-$preset.log" 2>&1 || { cat "build/configure-$preset.log"; exit 1; }
  grep -E '^-- edgefuse:' "build/configure-$preset.log" || true
  rm -f "build/configure-$preset.log"
  step "$preset: build"
  cmake --build --preset "$preset"
  step "$preset: edgefuse info (what the tests run on)"
  emulator=$(cat "build/$preset/emulator.txt")
  $emulator "build/$preset/bin/edgefuse" info
  step "$preset: tests"
  ctest --preset "$preset"
done

step "all suites passed: $presets"
