#!/usr/bin/env bash
# Builds (or reuses) the Debian bookworm arm64 sysroot that the aarch64 toolchain file
# compiles, links and runs tests against. The sysroot holds the same XNNPACK, OpenCV and
# PortAudio packages as the host, taken from Debian's arm64 archive.
#
#   toolchains/sysroot.sh            build or reuse; the last line printed is the path
#   EDGEFUSE_SYSROOT=DIR ...         put it in DIR instead of ~/.cache/edgefuse/...
#   EDGEFUSE_DEBIAN_MIRROR=URL ...   Debian mirror (default http://deb.debian.org/debian)
#
# Unprivileged: mmdebstrap --variant=extract --mode=chrootless downloads and unpacks the
# packages without running maintainer scripts, as any user, with no chroot, namespace,
# fakeroot or mount. Nothing outside the sysroot's parent directory is written. Idempotent: a stamp records the
# package list and fix-up revision; a matching sysroot is reused as it is.
set -euo pipefail

sysroot=${EDGEFUSE_SYSROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/edgefuse/sysroot-bookworm-arm64}
mirror=${EDGEFUSE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${EDGEFUSE_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

# What the aarch64 build links: the C/C++ runtime, the project's dependencies and the test
# frameworks, and the GStreamer plugins the tests load (libav and bad: a media file's
# sound, modalities/audio/media_audio.h). Keep in step with toolchains/install-deps.sh
# (the host side). The list is part of the stamp below: changing it rebuilds the sysroot.
packages=(
  libc6-dev libstdc++-12-dev
  libxnnpack-dev libpthreadpool-dev libcpuinfo-dev
  libopencv-dev
  portaudio19-dev libasound2-plugins
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-libav gstreamer1.0-plugins-bad
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev gstreamer1.0-libcamera
  libgtest-dev libbenchmark-dev
)
# Bump when the fix-ups below change, so existing sysroots are rebuilt.
fixup_revision=3

log() { printf 'sysroot: %s\n' "$*" >&2; }
die() { printf 'sysroot: error: %s\n' "$*" >&2; exit 1; }

stamp_text="suite=bookworm arch=arm64 fixups=$fixup_revision packages=${packages[*]}"
stamp_file=$sysroot/.edgefuse-sysroot

if [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$stamp_text" ]; then
  log "reusing $sysroot"
  printf '%s\n' "$sysroot"
  exit 0
fi

command -v mmdebstrap >/dev/null || die "mmdebstrap not found; install it with: apt-get install -y mmdebstrap"
command -v dpkg-deb >/dev/null || die "dpkg-deb not found (a Debian host is needed)"
command -v readelf >/dev/null || die "readelf not found; install it with: apt-get install -y binutils"

parent=$(dirname "$sysroot")
mkdir -p "$parent"
work=$(mktemp -d "$parent/.sysroot-build.XXXXXX")
trap 'rm -rf "$work"' EXIT

log "building a Debian bookworm arm64 sysroot in $sysroot (about a minute; downloads ~400 MB)"
log "packages: ${packages[*]}"
include=$(IFS=,; printf '%s' "${packages[*]}")
# Output as a tarball on stdout and unpack it ourselves: the same path for every mode, and
# an unprivileged user ends up owning the files.
# Extraction installs nothing, so dpkg's status file stays empty; record what was unpacked
# (honestly marked "unpacked") so package versions can be looked up in the sysroot as on
# a board.
record_status='for deb in "$1"/var/cache/apt/archives/*.deb; do
  dpkg-deb -f "$deb" Package Version Architecture Multi-Arch Source; echo "Status: install ok unpacked"; echo
done > "$1/var/lib/dpkg/status"'
mmdebstrap --quiet --mode=chrootless --variant=extract --architectures=arm64 --include="$include" \
  --extract-hook="$record_status" \
  bookworm - \
  "deb $mirror bookworm main" \
  "deb $mirror bookworm-updates main" \
  "deb $security bookworm-security main" \
  | tar -C "$work" -x --no-same-owner --exclude='./dev/*' \
  || die "mmdebstrap failed (is $mirror reachable?)"

cd "$work"

# 1. Absolute symlinks point into the build machine's root; make them relative so they
#    resolve inside the sysroot (for the cross linker and for qemu-aarch64 -L alike).
log "making absolute symlinks relative"
find . -type l -lname '/*' -print0 | while IFS= read -r -d '' link; do
  target=$(readlink "$link")
  dir=$(dirname "${link#./}")
  ln -sfn "$(realpath -m -s --relative-to="/$dir" "$target")" "$link"
done

# 2. Sonames that update-alternatives would have provided (libblas.so.3 and liblapack.so.3
#    for OpenCV, among others). Find every DT_NEEDED that no library directory holds and
#    link it from the implementation directory that does (e.g. .../blas/libblas.so.3).
log "linking sonames normally provided by update-alternatives"
libdirs=(lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu)
# readelf fails on the linker scripts among them (libc.so); that is expected.
needed=$(find "${libdirs[@]}" -maxdepth 1 -name '*.so*' -type f -print0 \
  | { xargs -0 readelf -d 2>/dev/null || true; } | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u)
for soname in $needed; do
  if [ -e "lib/aarch64-linux-gnu/$soname" ] || [ -e "usr/lib/aarch64-linux-gnu/$soname" ] \
    || [ -e "lib/$soname" ]; then continue; fi
  candidate=$(find usr/lib/aarch64-linux-gnu -mindepth 2 -maxdepth 2 -name "$soname" | sort | head -n 1)
  if [ -z "$candidate" ]; then continue; fi
  impl=${candidate#usr/lib/aarch64-linux-gnu/}
  ln -sfn "$impl" "usr/lib/aarch64-linux-gnu/$soname"
  # The development link (-lblas) follows the same alternative.
  dev=${soname%%.so*}.so
  if [ ! -e "usr/lib/aarch64-linux-gnu/$dev" ] && [ -e "$(dirname "$candidate")/$dev" ]; then
    ln -sfn "$(dirname "$impl")/$dev" "usr/lib/aarch64-linux-gnu/$dev"
  fi
  log "  $soname -> $impl"
done

printf '%s\n' "$stamp_text" > .edgefuse-sysroot
cd /
rm -rf "$sysroot"
mv "$work" "$sysroot"
trap - EXIT
log "ready: $sysroot"
printf '%s\n' "$sysroot"
