#!/usr/bin/env bash
# The README's test command: installs what is missing, builds core alone (the core
# preset: no OpenCV, PortAudio or GStreamer may appear in its configure log), then for
# the host and the Raspberry Pi 4 and 5 presets, and runs each suite: core's and the
# host's natively, both QEMU suites under qemu-aarch64 -cpu cortex-a72 and -cpu
# cortex-a76. CI runs exactly this.
#
#   tests/run-all.sh                         core host rpi4 rpi5
#   EDGEFUSE_TEST_PRESETS="host jetson-orin" tests/run-all.sh
#
# The tests labelled slow (package install, image build, QEMU boot) are run by
# tests/run-slow.sh afterwards; .ci/run runs both.
set -euo pipefail
cd "$(dirname "$0")/.."

presets=${EDGEFUSE_TEST_PRESETS:-core host rpi4 rpi5}
start=$(date +%s)
step() { printf '\n=== [%4ss] %s\n' "$(( $(date +%s) - start ))" "$*"; }

needs_cross=0
for preset in $presets; do
  case "$preset" in core|host|host-asan) ;; *) needs_cross=1 ;; esac
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
  if [ "$preset" = core ] && grep -iE 'opencv|portaudio|gstreamer' "build/configure-$preset.log"; then
    echo "run-all.sh: FAIL: the core preset's configure looked for a modality dependency (above)" >&2
    exit 1
  fi
  rm -f "build/configure-$preset.log"
  step "$preset: build"
  cmake --build --preset "$preset"
  if [ -x "build/$preset/bin/edgefuse" ]; then
    step "$preset: edgefuse info (what the tests run on)"
    emulator=$(cat "build/$preset/emulator.txt")
    $emulator "build/$preset/bin/edgefuse" info
  fi
  step "$preset: tests"
  ctest --preset "$preset"
done

step "all suites passed: $presets"
