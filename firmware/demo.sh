#!/usr/bin/env bash
# The README's first command: installs what is missing, builds edgefuse for this
# machine and runs `edgefuse demo`: live with a camera and a microphone, otherwise
# the generated audio-visual scene into edgefuse-demo.avi in the current directory;
# then `edgefuse info` (the board, CPU features, kernel tier and libraries it ran on).
# Arguments are passed to `edgefuse demo` (e.g. --seed 7, --record out.avi).
#
#   firmware/demo.sh
set -euo pipefail
here="$(pwd)"
cd "$(dirname "$0")/.."
root="$(pwd)"

echo "== dependencies"
toolchains/install-deps.sh host
echo "== configure and build (preset host, into build/host)"
cmake --preset host > /dev/null
cmake --build --preset host --target edgefuse
echo "== build/host/bin/edgefuse demo $*"
cd "$here"
status=0
"$root/build/host/bin/edgefuse" demo "$@" || status=$?
if [ "$status" -eq 0 ]; then
  video="edgefuse-demo.avi"
  for ((i = 1; i <= $#; i++)); do
    if [ "${!i}" = "--record" ]; then
      next=$((i + 1))
      video="${!next}"
    fi
  done
  if [ -f "$video" ]; then
    echo "== the annotated video: $(cd "$(dirname "$video")" && pwd)/$(basename "$video")"
  fi
  echo "== what it ran on: build/host/bin/edgefuse info"
  "$root/build/host/bin/edgefuse" info
fi
exit "$status"
