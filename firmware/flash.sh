#!/usr/bin/env bash
# Writes an edgefuse image to an SD card (or USB stick), with safety checks, and
# verifies it by reading it back.
#
#   sudo firmware/flash.sh build/image/edgefuse-rpi-arm64.img /dev/sdX
#   sudo firmware/flash.sh --yes IMAGE /dev/mmcblk0      no question asked
#
# Refuses, always: a partition instead of a whole disk, the disk holding this
# machine's system (/, /boot, /usr, /var, /home, swap), a disk with a mounted
# partition (unmount it first), a disk smaller than the image.
# Refuses unless --force: a disk that is not removable (not flagged removable, not
# on USB, not an SD/MMC card) or larger than 256 GiB (more likely a hard disk).
# Shows what it will overwrite (size, model, partitions) and asks for "yes" unless
# --yes; writes with dd conv=fsync; compares SHA-256 of the image with what the
# device returns.
#
# Tests point it at a fake sysfs and mount table: EDGEFUSE_SYSFS_ROOT (default
# /sys), EDGEFUSE_PROC_MOUNTS (/proc/mounts), EDGEFUSE_PROC_SWAPS (/proc/swaps).
# With EDGEFUSE_SYSFS_ROOT set, DEVICE may be a regular file standing in for the
# disk, named like it (.../sdb).
set -euo pipefail

sysfs=${EDGEFUSE_SYSFS_ROOT:-/sys}
mounts=${EDGEFUSE_PROC_MOUNTS:-/proc/mounts}
swaps=${EDGEFUSE_PROC_SWAPS:-/proc/swaps}
max_unforced_bytes=$((256 * 1024 * 1024 * 1024))

die() { printf 'flash: %s\n' "$*" >&2; exit 1; }
usage() { echo "usage: firmware/flash.sh [--yes] [--force] IMAGE DEVICE" >&2; exit 2; }

yes=0 force=0 args=()
for arg in "$@"; do
  case "$arg" in
    --yes | -y) yes=1 ;;
    --force) force=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
    -*) usage ;;
    *) args+=("$arg") ;;
  esac
done
[ ${#args[@]} = 2 ] || usage
image=${args[0]} device=${args[1]}

[ -f "$image" ] || die "no such image: $image"
if [ -b "$device" ]; then
  device=$(readlink -f "$device")
elif [ -f "$device" ] && [ -n "${EDGEFUSE_SYSFS_ROOT:-}" ]; then
  :  # a file standing in for a disk, in tests
else
  die "$device is not a block device"
fi
name=$(basename "$device")
block=$sysfs/block/$name
if [ ! -d "$block" ]; then
  if [ -e "$sysfs/class/block/$name/partition" ]; then
    die "$device is a partition; give the whole disk (e.g. /dev/$(basename "$(dirname "$(readlink -f "$sysfs/class/block/$name")")"))"
  fi
  die "$device: no $block in sysfs (not a disk?)"
fi

read_attr() { cat "$1" 2>/dev/null | sed 's/[[:space:]]*$//' || true; }
human() { numfmt --to=iec-i --suffix=B "$1" 2>/dev/null || echo "$1 bytes"; }

# The whole disk(s) behind a /dev node: itself, the disk of a partition, the disks
# under a device-mapper or md device (slaves), recursively.
disks_of() {
  local node=$1 dev
  dev=$(basename "$(readlink -f "$node" 2>/dev/null || echo "$node")")
  if [ -d "$sysfs/block/$dev" ]; then
    local slaves=("$sysfs/block/$dev"/slaves/*)
    if [ -e "${slaves[0]}" ] || [ -L "${slaves[0]}" ]; then
      for slave in "${slaves[@]}"; do disks_of "/dev/$(basename "$slave")"; done
    else
      echo "$dev"
    fi
    return
  fi
  local disk
  for disk in "$sysfs"/block/*; do
    if [ -d "$disk/$dev" ]; then
      echo "$(basename "$disk")"
      return
    fi
  done
}

# 1. Not the system disk.
system_disks=$(awk '$2 == "/" || $2 == "/boot" || $2 == "/boot/efi" || $2 == "/boot/firmware" \
  || $2 == "/usr" || $2 == "/var" || $2 == "/home" { print $1 }' "$mounts" \
  | while read -r source; do disks_of "$source"; done | sort -u)
if [ -r "$swaps" ]; then
  system_disks+=$'\n'$(awk 'NR > 1 { print $1 }' "$swaps" | while read -r source; do disks_of "$source"; done)
fi
if grep -qx "$name" <<< "$system_disks"; then
  die "refusing: $device holds this machine's system (/, /boot, /usr, /var, /home or swap)"
fi

# 2. Nothing on it mounted.
mounted=$(awk '{ print $1, $2 }' "$mounts" | while read -r source target; do
  case "$source" in /dev/*) ;; *) continue ;; esac
  if disks_of "$source" | grep -qx "$name"; then echo "  $source on $target"; fi
done)
if [ -n "$mounted" ]; then
  die "refusing: $device has mounted partitions; unmount them first:"$'\n'"$mounted"
fi

# 3. Removable, and not too large, unless forced.
size=$(( $(read_attr "$block/size") * 512 ))
image_size=$(stat -c %s "$image")
[ "$size" -ge "$image_size" ] || die "refusing: $device ($(human "$size")) is smaller than the image ($(human "$image_size"))"
removable=no
if [ "$(read_attr "$block/removable")" = 1 ]; then
  removable=yes
elif [[ $name == mmcblk* ]]; then
  removable="yes (SD/MMC card)"
elif readlink -f "$block" | grep -q '/usb[0-9]*/'; then
  removable="yes (USB)"
fi
if [ "$removable" = no ] && [ $force = 0 ]; then
  die "refusing: $device is not a removable disk (use --force if you are sure)"
fi
if [ "$size" -gt "$max_unforced_bytes" ] && [ $force = 0 ]; then
  die "refusing: $device is $(human "$size"), larger than an SD card usually is (use --force if you are sure)"
fi

# 4. Show what will be overwritten and ask.
model=$(echo "$(read_attr "$block/device/vendor") $(read_attr "$block/device/model")" | sed 's/^ *//')
echo "image:  $image ($(human "$image_size"))"
echo "device: $device, $(human "$size"), ${model:-unknown model}, removable: $removable"
partitions=$(for part in "$block/$name"*; do
  [ -e "$part/partition" ] || continue
  echo "  $(basename "$part")  $(human $(( $(read_attr "$part/size") * 512 )))"
done)
echo "partitions that will be destroyed:"
echo "${partitions:-  (none)}"
if [ $yes = 0 ]; then
  [ -t 0 ] || die "not asking without a terminal; pass --yes to write without confirmation"
  read -r -p "Overwrite ALL data on $device? Type yes: " answer
  [ "$answer" = yes ] || die "not confirmed; nothing written"
fi

# 5. Write, then read back and compare.
echo "writing..."
progress=none
[ -t 2 ] && progress=progress
dd if="$image" of="$device" bs=4M conv=fsync,notrunc status=$progress
sync
if [ -b "$device" ]; then blockdev --flushbufs "$device" 2>/dev/null || true; fi
echo "verifying..."
expected=$(sha256sum < "$image" | cut -d' ' -f1)
if [ -b "$device" ] && [ $((image_size % 1048576)) = 0 ]; then
  actual=$(dd if="$device" bs=1M count=$((image_size / 1048576)) iflag=direct status=none | sha256sum | cut -d' ' -f1)
else
  actual=$(head -c "$image_size" "$device" | sha256sum | cut -d' ' -f1)
fi
[ "$expected" = "$actual" ] || die "verification FAILED: $device reads back $actual, the image is $expected"
echo "verified: sha256 $expected"
echo "done: $device holds the image; eject it and boot the Raspberry Pi from it."
