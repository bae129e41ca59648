#!/usr/bin/env bash
# The integer-precision goldens of `edgefuse attend`: for every PyTorch case here
# (make_golden.py), the int8 and 16x8 outputs and attention weights the x86-64 host
# build writes, calibrated on the inputs themselves, as integer/<case>_<precision>_out.npy
# and _attn.npy. The integer kernels are bit-exact on every tier and the float steps
# around them are compiled without contraction (-ffp-contract=off), so every build must
# reproduce these bytes: tests/firmware/attend_test.cc (AttendGolden.Integer*) and the
# edgefuse.attend_integer_* command-line tests compare them under qemu-aarch64 too.
#
#   tests/golden/attention/make_integer_golden.sh [build/host/bin/edgefuse]
#
# Rerun only after a deliberate change of the integer arithmetic, and say so in the
# commit. The arguments of each case must stay those of attend_test.cc's GoldenCase list.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
edgefuse=${1:-$here/../../../build/host/bin/edgefuse}
[ -x "$edgefuse" ] || { echo "make_integer_golden: no edgefuse binary at $edgefuse (build the host preset)" >&2; exit 2; }

# case  key-padding-mask  attn-per-head  heads (0: from the file)
cases=(
  "packed 0 0 0"
  "packed_masked_bool 1 0 0"
  "kdim_masked_int8 1 1 3"
  "kdim_batched 0 0 0"
  "no_bias 1 1 0"
)
for line in "${cases[@]}"; do
  read -r name mask per_head heads <<< "$line"
  case_dir=$here/$name
  for precision in int8 int16; do
    args=(attend --weights "$case_dir/weights.safetensors" --query "$case_dir/query.npy"
          --context "$case_dir/context.npy" --precision "$precision" --threads 2
          --out "$here/integer/${name}_${precision}_out.npy" --attn-out "$here/integer/${name}_${precision}_attn.npy")
    [ "$mask" = 1 ] && args+=(--key-padding-mask "$case_dir/mask.npy")
    [ "$per_head" = 1 ] && args+=(--attn-per-head)
    [ "$heads" != 0 ] && args+=(--heads "$heads")
    "$edgefuse" "${args[@]}"
  done
done
echo "make_integer_golden: wrote $(ls "$here/integer" | wc -l) files to $here/integer"
