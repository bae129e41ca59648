#!/bin/sh
# Grows the root partition and its ext4 file system to the end of the disk (the SD
# card or USB disk the image was written to, which is larger than the image). Safe
# to run at every boot: a root partition that already reaches the end of its disk is
# left alone. Run by edgefuse-growroot.service with the root mounted read-write; ext4
# grows online. The partition must be the disk's last (it is in the image).
set -eu

log() { echo "edgefuse-growroot: $*"; }

source=$(findmnt --noheadings --output SOURCE --mountpoint /)  # /dev/mmcblk0p2, /dev/sda2, /dev/vda2
part=${source#/dev/}
sys=/sys/class/block/$part
if [ ! -e "$sys/partition" ]; then
  log "the root ($source) is not a disk partition; nothing to grow"
  exit 0
fi
number=$(cat "$sys/partition")
disk=$(basename "$(readlink -f "$sys/..")")
start=$(cat "$sys/start")  # 512-byte sectors
size=$(cat "$sys/size")
disk_size=$(cat "/sys/class/block/$disk/size")

# Less than 8 MiB left after the partition: nothing worth growing.
if [ $((disk_size - start - size)) -lt 16384 ]; then
  exit 0
fi

log "growing partition $number of /dev/$disk ($((size / 2048)) MiB) to the end of the disk ($((disk_size / 2048)) MiB)"
# The table is written with the disk in use: sfdisk must not re-read it, and partx
# then tells the kernel the partition's new size (BLKPG), which works while mounted.
echo ", +" | sfdisk --quiet --no-reread --no-tell-kernel -N "$number" "/dev/$disk"
partx --update --nr "$number" "/dev/$disk"
resize2fs "$source"
log "root file system now $(($(cat "$sys/size") / 2048)) MiB"
