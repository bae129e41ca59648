#!/usr/bin/env bash
# Retired instructions per kernel call under QEMU for every case of kernel_insn_driver
# (every list entry on the attention shapes), as a Markdown table: instructions per
# call, multiply-accumulates (elements for softmax and requantization) per
# instruction, and how many times fewer instructions than the family's reference.
#
#   tests/bench/kernel-insn-table.sh --preset rpi5 --cpu cortex-a76 [--filter REGEX]
#
# Cases whose tier the CPU lacks are listed as skipped. Uses insn-count.sh --per-iter.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
preset=rpi5
cpu=cortex-a76
filter=.
iters=2,6
while [ $# -gt 0 ]; do
  case "$1" in
    --preset) preset=$2; shift 2 ;;
    --cpu) cpu=$2; shift 2 ;;
    --filter) filter=$2; shift 2 ;;
    --iters) iters=$2; shift 2 ;;
    *) echo "kernel-insn-table: unknown option '$1'" >&2; exit 2 ;;
  esac
done
driver=$root/build/$preset/tests/bench/kernel_insn_driver
[ -x "$driver" ] || { echo "kernel-insn-table: no $driver (cmake --build --preset $preset)" >&2; exit 2; }
emulator=$(cat "$root/build/$preset/emulator.txt")
sysroot=$(echo "$emulator" | sed -n 's/.* -L \([^ ]*\).*/\1/p')

echo "| family | kernel | shape | instructions/call | MAC (softmax, requantize: element) / instruction | vs reference |"
echo "|---|---|---|---:|---:|---:|"
# References first, so that every other entry can be compared with its reference.
cases=$($emulator "$driver" --list | grep -E "$filter" | awk '{print ($4 == "reference" ? 0 : 1), NR, $0}' | sort -n -k1,1 -k2,2 | cut -d' ' -f3-)
declare -A reference
while read -r family kernel shape tier macs pack; do
  for mode in call ${pack:+pack}; do
    args=("$kernel" "$shape" @ITERS@)
    label=$shape
    if [ "$mode" = pack ]; then args+=(--pack); label="$shape (pack)"; fi
    if ! qemu-aarch64 -cpu "$cpu" -L "$sysroot" "$driver" "$kernel" "$shape" 0 2> /dev/null ||
      ! count=$("$here/insn-count.sh" --cpu "$cpu" --sysroot "$sysroot" --per-iter "$iters" -- "$driver" "${args[@]}" 2>/dev/null); then
      echo "| $family | $kernel | $label | skipped: $cpu lacks $tier | | |"
      continue
    fi
    key="$family/$shape/$mode"
    ratio=""
    if [ "$tier" = reference ]; then
      reference[$key]=$count
    elif [ -n "${reference[$key]:-}" ]; then
      ratio=$(awk -v r="${reference[$key]}" -v c="$count" 'BEGIN{printf "%.1fx", r / c}')
    fi
    per=""
    [ "$mode" = pack ] || per=$(awk -v m="$macs" -v c="$count" 'BEGIN{printf "%.2f", m / c}')
    echo "| $family | $kernel | $label | $count | $per | $ratio |"
  done
done <<< "$cases"
