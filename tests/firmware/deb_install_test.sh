#!/usr/bin/env bash
# Installs the amd64 edgefuse .deb into a throwaway Debian bookworm root (mmdebstrap,
# dependencies resolved by apt from Debian) and checks the package's life cycle
# there, with the maintainer scripts running as on a board where systemd is not
# running (a chroot, like an image build):
#   install  -> service user in audio+video, edgefuse.service enabled (wants symlink),
#               `edgefuse info` runs
#   upgrade  -> to a newer version whose default config changed: the administrator's
#               edited /etc/edgefuse/edgefuse.json is kept (new default as .dpkg-dist),
#               the service stays enabled
#   remove   -> service disabled (symlink gone), binary gone, config kept
#   install again -> enabled again; purge -> config gone
#
#   deb_install_test.sh DEB PARENT      (as root; downloads ~150 MB from Debian; works in a new private directory under PARENT)
set -euo pipefail

deb=$(realpath "$1")
parent=$2
mirror=${EDGEFUSE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${EDGEFUSE_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (mmdebstrap, chroot)"; exit 1; }
version=$(dpkg-deb -f "$deb" Version)
failures=0
fail() { printf 'FAIL: %s\n' "$*"; failures=$((failures + 1)); }
pass() { printf 'ok:   %s\n' "$*"; }
check() {  # description, command...
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
not_grep() { ! grep -q "$@"; }
not_cmd() { ! "$@" > /dev/null 2>&1; }
in_root() { chroot "$root" "$@"; }
mkdir -p "$parent"
work=$(mktemp -d "$parent/install.XXXXXX")  # private: parallel and repeated runs never share it
root=$work/root
trap 'rm -rf "$work"' EXIT
wants=$root/etc/systemd/system/multi-user.target.wants/edgefuse.service
config=$root/etc/edgefuse/edgefuse.json

echo "== install $(basename "$deb") into a minimal bookworm amd64 root"
mmdebstrap --quiet --mode=root --variant=apt --architectures=amd64 \
  --aptopt='APT::Install-Recommends "false"' \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount --include="$deb" \
  bookworm "$root" "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
  "deb $security bookworm-security main"

check "package installed at $version" test "$(in_root dpkg-query -W -f='${Status} ${Version}' edgefuse)" = \
  "install ok installed $version"
check "edgefuse.service enabled (multi-user.target.wants symlink)" \
  test "$(readlink "$wants" 2>/dev/null)" = /lib/systemd/system/edgefuse.service
check "systemctl is-enabled edgefuse: enabled" test "$(in_root systemctl is-enabled edgefuse.service)" = enabled
check "service user edgefuse exists with no login shell" \
  test "$(in_root getent passwd edgefuse | cut -d: -f7)" = /usr/sbin/nologin
check "edgefuse is in the audio and video groups" \
  test "$(in_root id -nG edgefuse | tr ' ' '\n' | grep -cx -e audio -e video)" = 2
info=$(unshare --mount --pid --fork --mount-proc="$root/proc" chroot "$root" edgefuse info 2>&1) || true
echo "$info" | sed 's/^/  | /'
check "edgefuse info runs in the root" grep -q "^edgefuse $version\$" <<< "$info"
check "edgefuse info --json runs as the service user" \
  unshare --mount --pid --fork --mount-proc="$root/proc" chroot --userspec=edgefuse:edgefuse "$root" \
  sh -c 'edgefuse info --json > /dev/null'

echo "== the administrator edits the config; upgrade to a newer version with a new default"
sed -i 's/"index": 0,/"index": 2,/' "$config"
check "config edited" grep -q '"index": 2,' "$config"
newer=$version.1
rm -rf "$work/v2"
dpkg-deb -R "$deb" "$work/v2"
sed -i "s/^Version: .*/Version: $newer/" "$work/v2/DEBIAN/control"
sed -i 's/"port": 8080/"port": 8090/' "$work/v2/etc/edgefuse/edgefuse.json"
grep -q '"port": 8090' "$work/v2/etc/edgefuse/edgefuse.json"
dpkg-deb --root-owner-group -b "$work/v2" "$root/tmp/edgefuse_${newer}.deb" > /dev/null
in_root dpkg --force-confold -i "/tmp/edgefuse_${newer}.deb"
check "upgraded to $newer" test "$(in_root dpkg-query -W -f='${Version}' edgefuse)" = "$newer"
check "edited config kept over the upgrade" grep -q '"index": 2,' "$config"
check "edited config not replaced by the new default" not_grep '"port": 8090' "$config"
check "new default offered as edgefuse.json.dpkg-dist" grep -q '"port": 8090' "$config.dpkg-dist"
check "still enabled after the upgrade" test -L "$wants"

echo "== remove"
in_root dpkg -r edgefuse
check "removed" test "$(in_root dpkg-query -W -f='${Status}' edgefuse)" = "deinstall ok config-files"
check "service disabled (wants symlink gone)" test ! -e "$wants" -a ! -L "$wants"
check "systemctl is-enabled edgefuse: not enabled" not_cmd in_root systemctl is-enabled edgefuse.service
check "binary gone" test ! -e "$root/usr/bin/edgefuse"
check "config kept after remove (conffile)" grep -q '"index": 2,' "$config"

echo "== install again, then purge"
in_root dpkg --force-confold -i "/tmp/edgefuse_${newer}.deb"
check "enabled again after reinstalling" test -L "$wants"
in_root dpkg -P edgefuse
check "purged: config gone" test ! -e "$config"
check "purged: not enabled" test ! -L "$wants"

if [ $failures -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
