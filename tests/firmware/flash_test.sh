#!/usr/bin/env bash
# Tests firmware/flash.sh against file-backed fake disks, a fake sysfs and a fake
# mount table (no loop devices, nothing real is written):
#   sda      the system disk (/ and /boot/efi)            -> refused, even with --force
#   sde      under LVM: /dev/dm-0 (root) has sde3 as slave -> refused as the system disk
#   sdb      removable, a partition mounted                -> refused
#   sdb1     a partition                                   -> refused
#   nvme0n1  not removable                                 -> refused; --force writes
#   sdd      removable but 1 TiB                           -> refused; --force writes
#   sdf      removable, smaller than the image             -> refused
#   sdc      removable, free                               -> no terminal and no --yes:
#            refused; "no" at the prompt: refused; --yes: written and verified
#   mmcblk0  SD card slot (removable=0, but an MMC card)   -> written with --yes
#
#   flash_test.sh FLASH_SH PARENT   (works in a new private directory under PARENT)
set -euo pipefail

flash=$(realpath "$1")
mkdir -p "$2"
work=$(mktemp -d "$2/flash.XXXXXX")  # private: parallel and repeated runs never share it
mkdir -p "$work/dev" "$work/sys/block" "$work/sys/class/block"
trap 'rm -rf "$work"' EXIT
failures=0
fail() { printf 'FAIL: %s\n' "$*"; failures=$((failures + 1)); }
pass() { printf 'ok:   %s\n' "$*"; }

# disk NAME SIZE_BYTES REMOVABLE MODEL [PARTITION...]
disk() {
  local name=$1 bytes=$2 removable=$3 model=$4
  shift 4
  local dir=$work/sys/devices/pci0000:00/$name
  [ "$removable" = usb ] && dir=$work/sys/devices/pci0000:00/usb1/1-1/$name && removable=0
  mkdir -p "$dir/device"
  echo $((bytes / 512)) > "$dir/size"
  echo "$removable" > "$dir/removable"
  echo "$model" > "$dir/device/model"
  ln -s "$dir" "$work/sys/block/$name"
  ln -s "$dir" "$work/sys/class/block/$name"
  local part
  for part in "$@"; do
    mkdir -p "$dir/$part"
    echo 1 > "$dir/$part/partition"
    echo 2048 > "$dir/$part/size"
    ln -s "$dir/$part" "$work/sys/class/block/$part"
  done
  truncate -s 0 "$work/dev/$name"
  echo "original contents of $name" > "$work/dev/$name"
}
mib=$((1024 * 1024))
disk sda $((500 * 1024 * mib)) 0 "Samsung SSD 870" sda1 sda2
disk sde $((64 * 1024 * mib)) 0 "WDC disk" sde1 sde3
mkdir -p "$work/sys/devices/virtual/dm-0/slaves"
ln -s "$work/sys/devices/virtual/dm-0" "$work/sys/block/dm-0"
ln -s ../../sde/sde3 "$work/sys/devices/virtual/dm-0/slaves/sde3"
disk sdb $((16 * 1024 * mib)) 1 "SD Card Reader" sdb1 sdb2
disk sdc $((32 * 1024 * mib)) 1 "SD/MMC Reader" sdc1
disk sdd $((1024 * 1024 * mib)) 1 "Big USB disk"
disk sdf $((16 * mib)) usb "Tiny stick"
disk nvme0n1 $((256 * 1024 * mib)) 0 "Fast NVMe"
disk mmcblk0 $((8 * 1024 * mib)) 0 "SD card" mmcblk0p1
cat > "$work/mounts" <<'EOF'
/dev/sda2 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
/dev/sda1 /boot/efi vfat rw 0 0
/dev/dm-0 /srv ext4 rw 0 0
/dev/sdb1 /media/user/BOOT vfat rw 0 0
EOF
# dm-0 is the root on the LVM machine below; on the first machine it is /srv.
printf 'Filename Type Size Used Priority\n' > "$work/swaps"

image=$work/edgefuse.img
head -c $((24 * mib)) /dev/urandom > "$image"
image_sum=$(sha256sum < "$image" | cut -d' ' -f1)

run() {  # expected-status pattern description args...
  local expected=$1 pattern=$2 what=$3
  shift 3
  local output status=0
  output=$(EDGEFUSE_SYSFS_ROOT=$work/sys EDGEFUSE_PROC_MOUNTS=${mounts_file:-$work/mounts} \
    EDGEFUSE_PROC_SWAPS=$work/swaps "$flash" "$@" < /dev/null 2>&1) || status=$?
  if [ "$status" = "$expected" ] && grep -q -- "$pattern" <<< "$output"; then
    pass "$what"
  else
    fail "$what (status $status, expected $expected and /$pattern/)"
    sed 's/^/  | /' <<< "$output"
  fi
}
untouched() {
  if grep -q "original contents of $1" "$work/dev/$1"; then pass "$1 untouched"; else fail "$1 was written"; fi
}
written() {
  if [ "$(head -c $((24 * mib)) "$work/dev/$1" | sha256sum | cut -d' ' -f1)" = "$image_sum" ]; then
    pass "$1 holds the image"
  else
    fail "$1 does not hold the image"
  fi
}

run 1 "holds this machine's system" "system disk refused" --yes "$image" "$work/dev/sda"
run 1 "holds this machine's system" "system disk refused even with --force" --yes --force "$image" "$work/dev/sda"
untouched sda
run 1 "has mounted partitions" "disk with a mounted partition refused" --yes "$image" "$work/dev/sdb"
run 1 "/dev/sdb1 on /media/user/BOOT" "the mounted partition is named" --yes "$image" "$work/dev/sdb"
untouched sdb
truncate -s 0 "$work/dev/sdb1"
run 1 "is a partition" "partition refused" --yes "$image" "$work/dev/sdb1"
run 1 "not a removable disk" "non-removable disk refused" --yes "$image" "$work/dev/nvme0n1"
untouched nvme0n1
run 1 "larger than an SD card" "1 TiB disk refused" --yes "$image" "$work/dev/sdd"
untouched sdd
run 1 "smaller than the image" "disk smaller than the image refused" --yes "$image" "$work/dev/sdf"
run 1 "not asking without a terminal" "no confirmation without a terminal" "$image" "$work/dev/sdc"
untouched sdc
run 1 "no such image" "missing image refused" --yes "$work/nothing.img" "$work/dev/sdc"

# The prompt on a terminal (script(1) provides one): anything but "yes" stops.
output=$(printf 'no\n' | EDGEFUSE_SYSFS_ROOT=$work/sys EDGEFUSE_PROC_MOUNTS=$work/mounts EDGEFUSE_PROC_SWAPS=$work/swaps \
  script -qec "$flash $image $work/dev/sdc" /dev/null 2>&1) || true
if grep -q "partitions that will be destroyed" <<< "$output" && grep -q "sdc1" <<< "$output" \
  && grep -q "SD/MMC Reader" <<< "$output" && grep -q "not confirmed" <<< "$output"; then
  pass "shows size, model and partitions, and stops on 'no'"
else
  fail "prompt on a terminal"
  sed 's/^/  | /' <<< "$output"
fi
untouched sdc

run 0 "verified: sha256 $image_sum" "removable disk written and verified" --yes "$image" "$work/dev/sdc"
written sdc
run 0 "verified" "SD card slot (mmcblk0) written" --yes "$image" "$work/dev/mmcblk0"
written mmcblk0
run 0 "verified" "--force writes a non-removable disk" --yes --force "$image" "$work/dev/nvme0n1"
written nvme0n1

# A machine whose root is on LVM over sde3.
sed 's|^/dev/dm-0 /srv|/dev/dm-0 /|; s|^/dev/sda2 / |/dev/sda2 /data |; s|^/dev/sda1 /boot/efi|/dev/sda1 /mnt|' \
  "$work/mounts" > "$work/mounts-lvm"
mounts_file=$work/mounts-lvm run 1 "holds this machine's system" "disk under an LVM root refused" --yes --force \
  "$image" "$work/dev/sde"
untouched sde

if [ $failures -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
