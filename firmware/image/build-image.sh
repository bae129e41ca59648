#!/usr/bin/env bash
# Builds a bootable Raspberry Pi 4/5 SD-card image from Debian's packages: Debian
# bookworm arm64, the kernel from bookworm-backports (the first Debian kernel with
# the Raspberry Pi 5 device tree), raspi-firmware (non-free-firmware), SSH, the
# edgefuse package with its service enabled, and a first-boot hook that reads
# hostname, user and Wi-Fi from firstboot.txt on the boot partition.
#
#   firmware/image/build-image.sh --deb build/rpi4/packages/edgefuse_0.1.0_arm64.deb \
#       --out build/image/edgefuse-rpi-arm64.img
#
# Layout: MBR; partition 1 FAT32 "EFBOOT" (firmware, kernel, initrd, device trees,
# config.txt, cmdline.txt) at 4 MiB; partition 2 ext4 "edgefuse-root". The
# partitions are made as files (mkfs.vfat + mtools, mkfs.ext4 -d) and written into
# the image at their offsets: no loop device, nothing of the image is mounted.
#
# Needs: root (mmdebstrap runs the arm64 packages' maintainer scripts in a chroot,
# and mkfs.ext4 -d keeps the files' owners), binfmt_misc with qemu-user-static for
# aarch64 (registered here if missing), mmdebstrap, dosfstools, mtools, fdisk
# (sfdisk), e2fsprogs; about 3 GB free in the work directory and a network path to
# the Debian mirror. toolchains/install-deps.sh image installs the tools.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
mirror=${EDGEFUSE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${EDGEFUSE_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
deb=
out=
work=
boot_mib=256
root_spare_mib=512

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
  echo "options: --deb FILE (required) --out FILE.img (required) [--work DIR] [--boot-mib N] [--root-spare-mib N]"
}
log() { printf '\n== [%4ss] %s\n' "$SECONDS" "$*" >&2; }
die() { printf 'build-image: error: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --deb) deb=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --boot-mib) boot_mib=$2; shift 2 ;;
    --root-spare-mib) root_spare_mib=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
[ -n "$deb" ] && [ -n "$out" ] || { usage >&2; exit 2; }
[ -f "$deb" ] || die "no such package: $deb"
deb=$(realpath "$deb")
[ "$(dpkg-deb -f "$deb" Architecture)" = arm64 ] || die "$deb is not an arm64 package"
[ "$(id -u)" = 0 ] || die "run as root (mmdebstrap's chroot runs the packages' maintainer scripts)"
for tool in mmdebstrap mkfs.vfat mcopy mmd sfdisk mkfs.ext4 dpkg-deb; do
  command -v "$tool" >/dev/null || die "$tool not found; install the tools with: toolchains/install-deps.sh image"
done

# arm64 maintainer scripts run under qemu-user through binfmt_misc. The F flag makes
# the kernel open the interpreter at registration, so it works inside the chroot.
binfmt=/proc/sys/fs/binfmt_misc
if [ "$(uname -m)" != aarch64 ]; then
  [ -e "$binfmt/status" ] || mount -t binfmt_misc binfmt_misc "$binfmt" \
    || die "binfmt_misc is not mounted and cannot be mounted here"
  if ! grep -qs '^enabled' "$binfmt/qemu-aarch64"; then
    # binfmt-support's database, else the systemd-binfmt file qemu-user-static ships
    # (the same ":name:type:offset:magic:mask:interpreter:flags" line the kernel takes).
    update-binfmts --enable qemu-aarch64 2>/dev/null \
      || { [ -e "$binfmt/qemu-aarch64" ] && echo 1 > "$binfmt/qemu-aarch64"; } \
      || { [ -f /usr/lib/binfmt.d/qemu-aarch64.conf ] \
        && cat /usr/lib/binfmt.d/qemu-aarch64.conf > "$binfmt/register"; } || true
  fi
  grep -qs '^enabled' "$binfmt/qemu-aarch64" \
    || die "no binfmt_misc entry for aarch64; install qemu-user-static and binfmt-support"
  grep -qs '^flags:.*F' "$binfmt/qemu-aarch64" \
    || die "the aarch64 binfmt_misc entry lacks the F flag (use qemu-user-static's, not qemu-user-binfmt's)"
fi

mkdir -p "$(dirname "$out")"
out=$(realpath "$out")
if [ -z "$work" ]; then work=$(mktemp -d "$(dirname "$out")/.image-build.XXXXXX"); fi
mkdir -p "$work"
work=$(realpath "$work")
rootfs=$work/rootfs
# mmdebstrap unmounts what it mounted in the chroot, unless it is killed: never
# delete through a leftover mount.
cleanup() {
  awk -v w="$work/" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r | while read -r mnt; do
    umount "$mnt" || umount -l "$mnt" || true
  done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
rm -rf "$rootfs"

# Only what a headless board needs; no recommends, no documentation or translations.
packages=(
  systemd-sysv udev kmod dbus systemd-resolved systemd-timesyncd
  linux-image-arm64/bookworm-backports raspi-firmware firmware-brcm80211
  e2fsprogs fdisk dosfstools iproute2 wpasupplicant wireless-regdb openssh-server sudo nano
)
log "root filesystem: Debian bookworm arm64 + ${packages[*]} + $(basename "$deb")"
mmdebstrap --mode=root --variant=apt --architectures=arm64 \
  --aptopt='APT::Install-Recommends "false"' \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-include=/usr/share/doc/edgefuse/*' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --include="$(IFS=,; echo "${packages[*]}")" \
  --essential-hook="mkdir -p \"\$1/etc/initramfs-tools\" && cp -R \"$here/initramfs/.\" \"\$1/etc/initramfs-tools/\"" \
  --hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount \
  --include="$deb" \
  --customize-hook="$here/customize.sh \"\$1\"" \
  bookworm "$rootfs" \
  "deb $mirror bookworm main non-free-firmware" \
  "deb $mirror bookworm-updates main non-free-firmware" \
  "deb $mirror bookworm-backports main non-free-firmware" \
  "deb $security bookworm-security main non-free-firmware"

log "boot partition: ${boot_mib} MiB FAT32 from /boot/firmware"
boot_img=$work/boot.vfat
rm -f "$boot_img"
mkfs.vfat -F 32 -n EFBOOT -C "$boot_img" $((boot_mib * 1024)) >/dev/null
mcopy -s -i "$boot_img" "$rootfs"/boot/firmware/* ::/
find "$rootfs/boot/firmware" -mindepth 1 -delete

root_mib=$(( $(du -sxm "$rootfs" | cut -f1) * 12 / 10 + root_spare_mib ))
log "root partition: ${root_mib} MiB ext4 from the root filesystem"
root_img=$work/root.ext4
rm -f "$root_img"
mkfs.ext4 -q -L edgefuse-root -d "$rootfs" "$root_img" "${root_mib}M"

log "image: MBR, FAT32 at 4 MiB, ext4 after it"
boot_start=$((4 * 2048))  # sectors of 512 bytes
boot_sectors=$((boot_mib * 2048))
root_start=$((boot_start + boot_sectors))
root_sectors=$((root_mib * 2048))
rm -f "$out"
truncate -s $(( (root_start + root_sectors) * 512 )) "$out"
sfdisk --quiet "$out" <<EOF
label: dos
unit: sectors
start=$boot_start, size=$boot_sectors, type=c
start=$root_start, size=$root_sectors, type=83
EOF
dd if="$boot_img" of="$out" bs=1M seek=4 conv=notrunc,sparse status=none
dd if="$root_img" of="$out" bs=1M seek=$((4 + boot_mib)) conv=notrunc,sparse status=none
log "done: $out ($(du -h --apparent-size "$out" | cut -f1), $(du -h "$out" | cut -f1) on disk)"
