#!/usr/bin/env bash
# The layering check of DESIGN.md §1, run by the test command (ctest: layering.check):
#   1. includes point down only: firmware -> modalities -> core -> platform; a file may
#      include its own layer and the layers below, never one above;
#   2. core/ does no file or system I/O (no stdio/fstream files, no open/opendir, no
#      platform file or dpkg readers): parsers work on bytes handed to them;
#   3. only platform/ includes OS headers (sys/*, unistd, fcntl, dirent, pthread, sockets).
# Prints every violation as FILE:LINE: what, and exits 1 when there is one.
#
#   tests/check-layers.sh [SOURCE_DIR]
set -uo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2

rank() {  # the layer of a path, 0 (lowest) to 3; empty for anything else
  case $1 in
    platform/*) echo 0 ;; core/*) echo 1 ;; modalities/*) echo 2 ;; firmware/*) echo 3 ;; *) echo "" ;;
  esac
}
names=(platform core modalities firmware)
violations=0
report() { echo "$1: $2"; violations=$((violations + 1)); }

mapfile -t sources < <(find platform core modalities firmware -type f \( -name '*.h' -o -name '*.cc' -o -name '*.c' \) | sort)
[ ${#sources[@]} -gt 0 ] || { echo "check-layers: no sources under $root" >&2; exit 2; }

for file in "${sources[@]}"; do
  layer=$(rank "$file")
  # 1. Project includes.
  while IFS=: read -r line include; do
    target=$(rank "$include")
    if [ -n "$target" ] && [ "$target" -gt "$layer" ]; then
      report "$file:$line" "includes $include: ${names[$layer]} must not depend on ${names[$target]}"
    fi
  done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$file" | sed -E 's/^([0-9]+):[^"]*"([^"]+)".*/\1:\2/')
  # 3. OS headers outside platform/.
  if [ "$layer" != 0 ]; then
    while IFS=: read -r line text; do
      report "$file:$line" "includes an OS header outside platform/: $(echo "$text" | tr -s ' ')"
    done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(sys/|unistd\.h|fcntl\.h|dirent\.h|pthread\.h|poll\.h|netinet/|arpa/|netdb\.h|linux/|dlfcn\.h)' "$file")
  fi
  # 2. File and system I/O in core/ (comments are not code: // lines are skipped).
  if [ "$layer" = 1 ]; then
    while IFS=: read -r line text; do
      report "$file:$line" "file I/O in core: $(echo "$text" | sed -E 's/^[[:space:]]+//')"
    done < <(grep -nE '(\bf(open|read|write|close)\(|std::(i|o)?fstream|#include <fstream>|\bopendir\(|[^_[:alnum:]]open\(|platform/file\.h|ReadFileBytes|WriteFileBytes|ListDirectory|DebianPackageVersion)' "$file" |
             grep -vE '^[0-9]+:[[:space:]]*//')
  fi
done

if [ "$violations" -gt 0 ]; then
  echo "check-layers: FAIL: $violations violation(s) of DESIGN.md §1 in ${#sources[@]} files"
  exit 1
fi
echo "check-layers: ${#sources[@]} files: includes point down only, no file I/O in core, OS headers only in platform"
