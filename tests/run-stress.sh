#!/usr/bin/env bash
# The stress run of the test suites: each preset's suite three times in a row, every
# test repeated until it fails (at most 3 times) and twice as many tests in parallel as
# there are cores, so that tests sharing a file, a port or a device show up as
# failures. A failure here is a bug to fix, never a reason to retry. Run it after
# tests/run-all.sh has built the presets (README "Stress run").
#
#   tests/run-stress.sh              host and rpi4
#   tests/run-stress.sh host rpi5
#
# The fuzz targets (label fuzz, 25 s each, alone by design) are left out: they test
# the parsers, not the suite's independence, and would take most of the time.
set -euo pipefail
cd "$(dirname "$0")/.."

presets=${*:-host rpi4}
jobs=$(( 2 * $(nproc) ))
start=$(date +%s)
step() { printf '\n=== [%4ss] %s\n' "$(( $(date +%s) - start ))" "$*"; }

for preset in $presets; do
  [ -f "build/$preset/CTestTestfile.cmake" ] || { echo "run-stress.sh: build/$preset is not built (tests/run-all.sh)" >&2; exit 2; }
  case "$preset" in host | host-asan) ;; *)
    if [ -z "${EDGEFUSE_SYSROOT:-}" ]; then EDGEFUSE_SYSROOT=$(toolchains/sysroot.sh | tail -n 1); export EDGEFUSE_SYSROOT; fi ;;
  esac
  for round in 1 2 3; do
    step "$preset: round $round of 3 (ctest -j $jobs --repeat until-fail:3)"
    # --test-dir, not --preset: a preset's label filter would override this one.
    ctest --test-dir "build/$preset" -j "$jobs" --repeat until-fail:3 --label-exclude 'slow|fuzz' \
      --output-on-failure --no-tests=error
  done
done
step "stress run passed: $presets"
