#!/bin/sh
# One ctest run of a fuzz target (tests/fuzz/CMakeLists.txt): a fresh copy of the
# corpus files in WORKDIR/corpus, then SECONDS (at most 2 million runs) with seed 1.
# A finding is left in WORKDIR as crash-*, leak-* or timeout-* with its input.
#
#   fuzz_test.sh FUZZER WORKDIR MAX_LEN SECONDS CORPUS_FILE...
set -eu
fuzzer=$1 workdir=$2 max_len=$3 seconds=$4
shift 4
rm -rf "$workdir/corpus"
mkdir -p "$workdir/corpus"
i=0
for f in "$@"; do  # numbered: corpus files of different folders share names
  i=$((i + 1))
  cp "$f" "$workdir/corpus/$i-$(basename "$f")"
done
exec "$fuzzer" -seed=1 -runs=2000000 -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
  -artifact_prefix="$workdir/" "$workdir/corpus"
