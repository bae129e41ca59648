#!/usr/bin/env bash
# Builds the libFuzzer target for the .safetensors reader with clang (ASan + UBSan) and
# runs it, seeded with the golden weight files. Not part of the default build or CI.
#
#   tests/fuzz/run-fuzz.sh [SECONDS]        default 60
#
# Findings are written to build/fuzz/ (crash-*, with the input that caused them).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
out=build/fuzz
mkdir -p "$out/corpus"
command -v clang++ >/dev/null || { echo "run-fuzz: clang++ not found (apt-get install clang)" >&2; exit 2; }
clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I. \
  tests/fuzz/safetensors_fuzz.cc core/format/safetensors.cc core/json/json.cc core/attention/weights.cc \
  platform/file.cc platform/text.cc -o "$out/safetensors_fuzz"
i=0
for f in tests/golden/attention/*/weights.safetensors; do cp "$f" "$out/corpus/golden-$i.safetensors"; i=$((i + 1)); done
cd "$out"
./safetensors_fuzz -max_total_time="$seconds" -max_len=65536 -timeout=10 corpus
