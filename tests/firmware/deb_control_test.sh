#!/usr/bin/env bash
# Checks the edgefuse .deb without installing it: control fields (Architecture,
# Version, Depends), conffiles, maintainer scripts, the unit and the packaged binary.
#
#   deb_control_test.sh DEB ARCH VERSION ROOT
#
# ARCH is the Debian architecture the package must declare; ROOT is where the
# target's libraries are (/ on the host, the arm64 sysroot for a cross build).
# Depends is checked against an independent derivation: dpkg-shlibdeps for a native
# package; for a cross package, every declared library package must exist in the
# sysroot for that architecture and every DT_NEEDED library must be found there.
set -euo pipefail

deb=$1 arch=$2 version=$3 root=${4%/}
failures=0
fail() { printf 'FAIL: %s\n' "$*"; failures=$((failures + 1)); }
pass() { printf 'ok:   %s\n' "$*"; }
expect_eq() {  # what, got, expected
  if [ "$2" = "$3" ]; then pass "$1 = $3"; else fail "$1 is '$2', expected '$3'"; fi
}

[ -f "$deb" ] || { echo "FAIL: no package at $deb"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb -I "$deb" | sed 's/^/  | /'
dpkg-deb -x "$deb" "$work/data"
dpkg-deb -e "$deb" "$work/control"

expect_eq Package "$(dpkg-deb -f "$deb" Package)" edgefuse
expect_eq Version "$(dpkg-deb -f "$deb" Version)" "$version"
expect_eq Architecture "$(dpkg-deb -f "$deb" Architecture)" "$arch"
expect_eq "file name" "$(basename "$deb")" "edgefuse_${version}_${arch}.deb"

# The packaged program is built for the declared architecture.
case "$arch" in
  amd64) machine='Advanced Micro Devices X86-64' ;;
  arm64) machine=AArch64 ;;
esac
binary=$work/data/usr/bin/edgefuse
if [ -x "$binary" ] && [[ $(readelf -h "$binary") =~ Machine:\ *$machine ]]; then
  pass "/usr/bin/edgefuse is an $arch program"
else
  fail "/usr/bin/edgefuse missing or not an $arch program"
fi

# Depends: names only (versions are the shlibs minimums).
depends=$(dpkg-deb -f "$deb" Depends)
names=$(tr ',' '\n' <<< "$depends" | sed 's/(.*)//; s/ //g' | grep -v '^$' | sort)
for required in systemd init-system-helpers; do
  grep -qx "$required" <<< "$names" && pass "Depends has $required" || fail "Depends lacks $required"
done
library_names=$(grep -vx -e systemd -e init-system-helpers <<< "$names")
needed=$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort)
[ -n "$needed" ] || fail "no DT_NEEDED entries in the packaged binary"
if [ "$root" = "" ]; then
  mkdir -p "$work/shlibdeps/debian"
  printf 'Source: edgefuse\n\nPackage: edgefuse\nArchitecture: any\n' > "$work/shlibdeps/debian/control"
  reference=$(cd "$work/shlibdeps" && dpkg-shlibdeps -O "$binary" 2>/dev/null | sed -n 's/^shlibs:Depends=//p' \
    | tr ',' '\n' | sed 's/(.*)//; s/ //g' | grep -v '^$' | sort)
  expect_eq "library packages (vs dpkg-shlibdeps)" "$(echo $library_names)" "$(echo $reference)"
else
  triplet=aarch64-linux-gnu
  for soname in $needed; do
    if [ -e "$root/lib/$triplet/$soname" ] || [ -e "$root/usr/lib/$triplet/$soname" ]; then
      pass "$soname is in the $arch root"
    else
      fail "$soname is not in $root"
    fi
  done
  for package in $library_names; do
    if awk -v p="$package" -v a="$arch" '/^Package: /{n=$2} /^Architecture: /{if (n==p && $2==a) f=1} END{exit !f}' \
      "$root/var/lib/dpkg/status"; then
      pass "$package exists for $arch in the sysroot"
    else
      fail "$package is not an $arch package of the sysroot"
    fi
  done
fi
# One Depends entry per library package at most, none for libraries not needed.
expect_eq "library package count" "$(wc -l <<< "$library_names")" "$(wc -l < <(sort -u <<< "$library_names"))"

# Conffile, unit, service user, maintainer scripts.
expect_eq conffiles "$(cat "$work/control/conffiles" 2>/dev/null)" /etc/edgefuse/edgefuse.json
[ -f "$work/data/etc/edgefuse/edgefuse.json" ] && pass "default config shipped" || fail "no /etc/edgefuse/edgefuse.json"
unit=$work/data/lib/systemd/system/edgefuse.service
if [ -f "$unit" ]; then
  expect_eq "ExecStart lines in the unit" "$(grep -c '^ExecStart=' "$unit")" 1
  expect_eq "unit User" "$(sed -n 's/^User=//p' "$unit")" edgefuse
  expect_eq "unit Restart" "$(sed -n 's/^Restart=//p' "$unit")" on-failure
  expect_eq "unit WantedBy" "$(sed -n 's/^WantedBy=//p' "$unit")" multi-user.target
else
  fail "no /lib/systemd/system/edgefuse.service"
fi
sysusers=$work/data/usr/lib/sysusers.d/edgefuse.conf
grep -q '^u edgefuse ' "$sysusers" && grep -q '^m edgefuse audio$' "$sysusers" && grep -q '^m edgefuse video$' "$sysusers" \
  && pass "service user edgefuse in audio and video (sysusers.d)" || fail "sysusers.d entry for edgefuse incomplete"
for script in postinst prerm postrm; do
  if [ -x "$work/control/$script" ] && sh -n "$work/control/$script"; then
    pass "$script is an executable shell script"
  else
    fail "$script missing, not executable or not valid sh"
  fi
done
grep -q 'deb-systemd-helper enable' "$work/control/postinst" && pass "postinst enables the unit" \
  || fail "postinst does not enable the unit"
grep -q 'deb-systemd-invoke stop' "$work/control/prerm" && pass "prerm stops the unit" || fail "prerm does not stop the unit"

if [ $failures -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
