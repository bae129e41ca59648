#!/usr/bin/env bash
# Installs the Debian bookworm packages edgefuse needs, skipping what is already there.
#
#   toolchains/install-deps.sh host     build and test on this x86-64 (or arm64) machine
#   toolchains/install-deps.sh cross    cross-compile for the boards and test under QEMU
#   toolchains/install-deps.sh host cross
#   toolchains/install-deps.sh golden   PyTorch + NumPy, only to regenerate golden files (not CI)
#   toolchains/install-deps.sh image    build and boot-test the Raspberry Pi image (firmware/image)
#
# Runs apt-get as root (directly, or through sudo when available). Set
# EDGEFUSE_NO_INSTALL=1 to only list what is missing.
set -euo pipefail

host_packages=(
  g++ cmake ninja-build pkg-config
  libxnnpack-dev libpthreadpool-dev libcpuinfo-dev
  libopencv-dev portaudio19-dev
  libgtest-dev libbenchmark-dev
  clang libclang-rt-14-dev
  xvfb x11-apps
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-libcamera
  # A media file's sound (modalities/audio/media_audio.h): AAC, MP2/MP3, AC-3, AMR, ... through
  # avdec_* (and avenc_aac for the tests), MPEG program and transport streams (mpegpsdemux, tsdemux).
  gstreamer1.0-libav gstreamer1.0-plugins-bad
  # The real-clip test's fetch script (tests/firmware/testdata/fetch-real-clips.sh): flock.
  util-linux
)
cross_packages=(
  g++-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-user
  mmdebstrap debian-archive-keyring binutils dpkg-dev
)
golden_packages=(
  python3-torch python3-numpy
)
image_packages=(
  mmdebstrap debian-archive-keyring arch-test qemu-user-static binfmt-support
  dosfstools mtools fdisk e2fsprogs qemu-system-arm
)

wanted=()
for group in "$@"; do
  case "$group" in
    host) wanted+=("${host_packages[@]}") ;;
    cross) wanted+=("${cross_packages[@]}") ;;
    golden) wanted+=("${golden_packages[@]}") ;;
    image) wanted+=("${image_packages[@]}") ;;
    *) echo "install-deps: unknown group '$group' (host, cross, image, golden)" >&2; exit 2 ;;
  esac
done
[ ${#wanted[@]} -gt 0 ] || { echo "usage: toolchains/install-deps.sh host|cross..." >&2; exit 2; }

missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null || true)
  [ "${status:0:2}" = "ii" ] || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#wanted[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
if [ "${EDGEFUSE_NO_INSTALL:-0}" = 1 ]; then
  echo "install-deps: EDGEFUSE_NO_INSTALL=1, not installing" >&2
  exit 1
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root, or install: ${missing[*]}" >&2; exit 1; }
  as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
"${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
