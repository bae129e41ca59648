#!/usr/bin/env bash
# Retired aarch64 instructions of a cross-built program under qemu-aarch64: the
# instruction-count benchmarks of edgefuse (never quote times measured under QEMU).
#
#   tests/bench/insn-count.sh [--cpu MODEL] [--sysroot DIR] -- PROGRAM ARGS...
#       prints the instructions the whole run retired
#   tests/bench/insn-count.sh [--cpu MODEL] --per-iter N1,N2 -- PROGRAM ARGS...
#       runs PROGRAM twice, with every "@ITERS@" in ARGS replaced by N1 and then N2,
#       and prints (count(N2) - count(N1)) / (N2 - N1): the cost of one iteration,
#       with start-up, dynamic linking and set-up cancelled out
#
# Example (one int8 attention block call on a Raspberry Pi 5 class core):
#   tests/bench/insn-count.sh --cpu cortex-a76 --per-iter 2,12 -- \
#       build/rpi5/bin/edgefuse bench attention --precision int8 ... --iters @ITERS@
#
# MODEL defaults to cortex-a72; DIR to $EDGEFUSE_SYSROOT or toolchains/sysroot.sh's
# default. The plugin is compiled with the host's cc on first use.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

cpu=cortex-a72
sysroot=${EDGEFUSE_SYSROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/edgefuse/sysroot-bookworm-arm64}
per_iter=""
while [ $# -gt 0 ]; do
  case "$1" in
    --cpu) cpu=$2; shift 2 ;;
    --sysroot) sysroot=$2; shift 2 ;;
    --per-iter) per_iter=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "insn-count: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: insn-count.sh [--cpu MODEL] [--sysroot DIR] [--per-iter N1,N2] -- PROGRAM ARGS..." >&2; exit 2; }
[ -d "$sysroot" ] || { echo "insn-count: no sysroot at $sysroot (run toolchains/sysroot.sh)" >&2; exit 2; }
command -v qemu-aarch64 >/dev/null || { echo "insn-count: qemu-aarch64 not found (apt-get install qemu-user)" >&2; exit 2; }

plugin=${TMPDIR:-/tmp}/edgefuse-qemu-insn-$(id -u).so
if [ ! -f "$plugin" ] || [ "$here/qemu_insn_plugin.c" -nt "$plugin" ]; then
  cc -shared -fPIC -O2 -Wall "$here/qemu_insn_plugin.c" -o "$plugin"
fi

count() {
  local report status=0
  report=$(mktemp)
  qemu-aarch64 -cpu "$cpu" -L "$sysroot" -plugin "$plugin,out=$report" "$@" > /dev/null || status=$?
  if [ "$status" != 0 ]; then
    rm -f "$report"
    echo "insn-count: the program exited with status $status" >&2
    return 1
  fi
  sed -n 's/^retired_instructions //p' "$report"
  rm -f "$report"
}

if [ -z "$per_iter" ]; then
  count "$@" || exit 1
  exit 0
fi

n1=${per_iter%,*}
n2=${per_iter#*,}
[ "$n2" -gt "$n1" ] 2>/dev/null || { echo "insn-count: --per-iter wants N1,N2 with N2 > N1" >&2; exit 2; }
args1=(); args2=()
for arg in "$@"; do args1+=("${arg//@ITERS@/$n1}"); args2+=("${arg//@ITERS@/$n2}"); done
c1=$(count "${args1[@]}") || exit 1
c2=$(count "${args2[@]}") || exit 1
echo $(( (c2 - c1) / (n2 - n1) ))
