#!/bin/sh
# One ctest run of a fuzz target (tests/fuzz/CMakeLists.txt): a fresh copy of the
# corpus files in a new private directory under PARENT, then SECONDS (at most 2 million
# runs) with seed 1. A finding is left in that directory as crash-*, leak-* or
# timeout-* with its input (the directory is kept then, removed otherwise).
#
#   fuzz_test.sh FUZZER PARENT MAX_LEN SECONDS CORPUS_FILE...
set -eu
fuzzer=$1 parent=$2 max_len=$3 seconds=$4
shift 4
mkdir -p "$parent"
workdir=$(mktemp -d "$parent/run.XXXXXX")
mkdir -p "$workdir/corpus"
i=0
for f in "$@"; do  # numbered: corpus files of different folders share names
  i=$((i + 1))
  cp "$f" "$workdir/corpus/$i-$(basename "$f")"
done
status=0
"$fuzzer" -seed=1 -runs=2000000 -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
  -artifact_prefix="$workdir/" "$workdir/corpus" || status=$?
if [ "$status" -eq 0 ]; then rm -rf "$workdir"; else echo "fuzz_test: findings kept in $workdir"; fi
exit "$status"
