#!/usr/bin/env bash
# The README's first command: installs what is missing, builds edgefuse for this
# machine and runs it. Arguments are passed to the edgefuse command.
#
#   firmware/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== dependencies"
toolchains/install-deps.sh host
echo "== configure and build (preset host, into build/host)"
cmake --preset host > /dev/null
cmake --build --preset host --target edgefuse
echo "== build/host/bin/edgefuse info"
exec build/host/bin/edgefuse info "$@"
