#!/usr/bin/env bash
# Prints the Debian "Depends" of the shared libraries an ELF program needs, for the
# architecture it was built for, the way dpkg-shlibdeps derives them: for every
# DT_NEEDED soname, the package that ships the library and that package's shlibs
# entry ("libopencv_core 406 libopencv-core406 (>= 4.6.0+dfsg)").
#
#   deb-depends.sh --root / --arch amd64 build/host/bin/edgefuse
#   deb-depends.sh --root ~/.cache/edgefuse/sysroot-bookworm-arm64 --arch arm64 build/rpi4/bin/edgefuse
#   -> libc6 (>= 2.36), libgcc-s1, libopencv-core406 (>= 4.6.0+dfsg), ...
#
# For a native build (--root /) everything comes from this machine's dpkg database,
# as with dpkg-shlibdeps. The arm64 sysroot is unpacked without dpkg (no file lists,
# no shlibs files), so for a cross build:
#   1. the library must exist in the sysroot and be an ELF object of the target's
#      machine (checked with readelf);
#   2. the owning package and its shlibs entry come from this machine's dpkg database
#      for the same multiarch path (Debian names a library package the same on every
#      architecture, and its shlibs file is the same text);
#   3. that package must be in the sysroot's package list for the target architecture
#      at the same version as here, so the shlibs entry describes what was linked.
# Any failure is an error naming the soname: a missing dependency is never dropped.
set -euo pipefail

die() { printf 'deb-depends: error: %s\n' "$*" >&2; exit 1; }

root=/
arch=
elfs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root=$2; shift 2 ;;
    --arch) arch=$2; shift 2 ;;
    -*) die "unknown option $1" ;;
    *) elfs+=("$1"); shift ;;
  esac
done
[ -n "$arch" ] && [ ${#elfs[@]} -gt 0 ] || die "usage: deb-depends.sh [--root DIR] --arch ARCH ELF..."

case "$arch" in
  amd64) triplet=x86_64-linux-gnu machine='Advanced Micro Devices X86-64' ;;
  arm64) triplet=aarch64-linux-gnu machine=AArch64 ;;
  *) die "unsupported architecture $arch (amd64, arm64)" ;;
esac
host_arch=$(dpkg --print-architecture)
host_triplet=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
root=${root%/}
native=0
[ -z "$root" ] && native=1

# The version of package $1 in the target root's dpkg status ("" when absent).
target_version() {
  if [ $native = 1 ]; then
    dpkg-query -W -f='${Version}' "$1:$arch" 2>/dev/null || true
  else
    awk -v pkg="$1" -v arch="$arch" '
      /^Package: / { p = $2; a = ""; v = "" }
      /^Architecture: / { a = $2 }
      /^Version: / { v = $2 }
      /^$/ { if (p == pkg && (a == arch || a == "all")) print v; p = "" }
      END { if (p == pkg && (a == arch || a == "all")) print v }' "$root/var/lib/dpkg/status"
  fi
}

needed=$(for elf in "${elfs[@]}"; do
  [ -f "$elf" ] || die "no such file: $elf"
  [[ $(readelf -h "$elf") =~ Machine:\ *$machine ]] || die "$elf is not built for $arch"
  readelf -d "$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
done | sort -u)
[ -n "$needed" ] || die "no DT_NEEDED entries in ${elfs[*]} (not a dynamically linked program?)"

depends=()
for soname in $needed; do
  # 1. The library as the target sees it.
  found=
  for dir in lib/$triplet usr/lib/$triplet lib usr/lib; do
    if [ -e "$root/$dir/$soname" ]; then found=$dir; break; fi
  done
  [ -n "$found" ] || die "$soname: not found in $root/{lib,usr/lib}/$triplet"
  header=$(readelf -h "$root/$found/$soname" 2>/dev/null || true)
  [[ $header =~ Machine:\ *$machine ]] || die "$soname: $root/$found/$soname is not a $arch ELF object"

  # 2. Its package and shlibs entry, from this machine's dpkg database.
  owner=
  for dir in lib/$host_triplet usr/lib/$host_triplet lib usr/lib; do
    owner=$({ dpkg-query -S "/$dir/$soname" 2>/dev/null || true; } | sed -n '1s/[:,].*//p')
    [ -z "$owner" ] || break
  done
  [ -n "$owner" ] || die "$soname: no installed $host_arch package ships it here, so its Debian package is unknown" \
    "(install the $host_arch runtime package of this library, e.g. with toolchains/install-deps.sh host)"
  shlibs=
  for file in "/var/lib/dpkg/info/$owner:$host_arch.shlibs" "/var/lib/dpkg/info/$owner.shlibs"; do
    if [ -f "$file" ]; then shlibs=$file; break; fi
  done
  [ -n "$shlibs" ] || die "$soname: package $owner has no shlibs file"
  if [[ $soname =~ ^(.*)\.so\.(.*)$ ]]; then
    lib=${BASH_REMATCH[1]} version=${BASH_REMATCH[2]}
  elif [[ $soname =~ ^(.*)-([0-9][^-]*)\.so$ ]]; then
    lib=${BASH_REMATCH[1]} version=${BASH_REMATCH[2]}
  else
    die "$soname: cannot split into library name and version"
  fi
  entry=$(awk -v lib="$lib" -v ver="$version" '$1 == lib && $2 == ver { $1 = ""; $2 = ""; sub(/^ +/, ""); print; exit }' "$shlibs")
  [ -n "$entry" ] || die "$soname: no '$lib $version' entry in $shlibs"

  # 3. The same package, at the same version, for the target architecture.
  here=$(dpkg-query -W -f='${Version}' "$owner:$host_arch" 2>/dev/null || dpkg-query -W -f='${Version}' "$owner")
  there=$(target_version "$owner")
  [ -n "$there" ] || die "$soname: package $owner ($arch) is not installed in $root"
  [ "$here" = "$there" ] || die "$soname: $owner is $here on this machine but $there in $root; align them" \
    "(apt-get install $owner=$there, or rebuild the sysroot)"
  depends+=("$entry")
done

printf '%s\n' "${depends[@]}" | sort -u | paste -sd, - | sed 's/,/, /g'
