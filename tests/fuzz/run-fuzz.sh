#!/usr/bin/env bash
# Runs one fuzz target for longer than its ctest test, with a random seed and a corpus
# kept between runs. The targets are built by the host preset when clang++ with
# libFuzzer is installed (toolchains/install-deps.sh host):
#
#   cmake --workflow --preset host
#   tests/fuzz/run-fuzz.sh NAME [SECONDS]     NAME: wav, npy, safetensors, config, http_head,
#                                             synthetic_scene; SECONDS default 300
#
# The corpus grows in build/fuzz/NAME/corpus; findings land in build/fuzz/NAME/ as
# crash-*, leak-* or timeout-*, each with the input that caused it (replay one with
# build/host/tests/fuzz/NAME_fuzzer FILE).
set -euo pipefail
cd "$(dirname "$0")/../.."
name=${1:?usage: tests/fuzz/run-fuzz.sh NAME [SECONDS]}
seconds=${2:-300}
fuzzer=build/host/tests/fuzz/${name}_fuzzer
seeds=build/host/tests/fuzz/${name}/corpus
if [[ ! -x $fuzzer ]]; then
  echo "run-fuzz: $fuzzer not built (cmake --workflow --preset host, with clang++ installed)" >&2
  exit 2
fi
if [[ ! -d $seeds ]]; then  # the ctest run copies the checked-in corpus there
  ctest --test-dir build/host -R "^fuzz\.${name}\$" --output-on-failure >/dev/null
fi
out=build/fuzz/$name
mkdir -p "$out/corpus"
exec "$fuzzer" -max_total_time="$seconds" -max_len=65536 -timeout=10 -artifact_prefix="$out/" \
  -print_final_stats=1 "$out/corpus" "$seeds"
