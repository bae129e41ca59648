#!/usr/bin/env bash
# Reads a Raspberry Pi image made by firmware/image/build-image.sh with unprivileged
# tools only (sfdisk, mtools at the FAT partition's offset, debugfs on a copy of the
# ext4 partition) and checks the partition table, the boot partition and the root
# filesystem:
#   - MBR with a FAT32 (0x0c) partition at 4 MiB and a Linux (0x83) one after it
#   - boot: Raspberry Pi firmware (start4.elf, fixup4.dat), the kernel and initrd
#     named in config.txt, bcm2711-rpi-4-b.dtb and bcm2712-rpi-5-b.dtb, config.txt
#     (arm_64bit, kernel=, initramfs) and cmdline.txt (root=LABEL=edgefuse-root),
#     firstboot.txt
#   - root: edgefuse installed (dpkg status, /usr/bin/edgefuse, config), its service
#     enabled, every library the binary needs owned by a package in its Depends
#     (read from the image's own dpkg database), SSH and the first-boot hook enabled
#
#   image_test.sh IMAGE.img
set -euo pipefail

image=$1
failures=0
fail() { printf 'FAIL: %s\n' "$*"; failures=$((failures + 1)); }
pass() { printf 'ok:   %s\n' "$*"; }
check() {
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
not_grep() { ! grep -q "$@"; }
[ -f "$image" ] || { echo "FAIL: no image at $image"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== partition table (sfdisk --dump)"
table=$(sfdisk --dump "$image")
echo "$table" | sed 's/^/  | /'
check "MBR (dos) partition table" grep -q '^label: dos$' <<< "$table"
parts=$(grep "^$image" <<< "$table" | wc -l)
check "two partitions" test "$parts" = 2
p1=$(grep "^${image}1 " <<< "$table")
p2=$(grep "^${image}2 " <<< "$table")
field() { sed -n "s/.*$1= *\([^,]*\).*/\1/p" <<< "$2"; }
check "partition 1 is FAT32 LBA (type c) at 4 MiB" test "$(field type "$p1")" = c -a "$(field start "$p1")" = 8192
check "partition 2 is Linux (type 83) after partition 1" \
  test "$(field type "$p2")" = 83 -a "$(field start "$p2")" -ge $(( $(field start "$p1") + $(field size "$p1") ))
boot_offset=$(( $(field start "$p1") * 512 ))
root_offset=$(( $(field start "$p2") * 512 ))
root_size=$(( $(field size "$p2") * 512 ))

echo "== boot partition (mtools at offset $boot_offset)"
fat="$image@@$boot_offset"
listing=$(MTOOLS_SKIP_CHECK=1 mdir -b -i "$fat" ::/ | sed 's|^::/||' | sort)
echo "$listing" | tr '\n' ' ' | fold -w 100 | sed 's/^/  | /'; echo
has() { grep -qx "$1" <<< "$listing"; }
for file in start4.elf fixup4.dat bootcode.bin config.txt cmdline.txt firstboot.txt \
  bcm2711-rpi-4-b.dtb bcm2711-rpi-400.dtb bcm2712-rpi-5-b.dtb; do
  check "boot has $file" has "$file"
done
MTOOLS_SKIP_CHECK=1 mcopy -n -i "$fat" ::/config.txt ::/cmdline.txt "$work/"
sed 's/^/  config.txt | /' "$work/config.txt" | grep -v '|\s*#' | grep -v '|\s*$'
sed 's/^/  cmdline.txt | /' "$work/cmdline.txt"
check "config.txt: arm_64bit=1" grep -qx 'arm_64bit=1' "$work/config.txt"
kernel=$(sed -n 's/^kernel=//p' "$work/config.txt")
initrd=$(sed -n 's/^initramfs \([^ ]*\).*/\1/p' "$work/config.txt")
check "config.txt names a kernel ($kernel) that is on the partition" has "${kernel:-none}"
check "config.txt names an initramfs ($initrd) that is on the partition" has "${initrd:-none}"
check "cmdline.txt: root=LABEL=edgefuse-root" grep -q 'root=LABEL=edgefuse-root' "$work/cmdline.txt"
check "FAT label EFBOOT" grep -q 'EFBOOT' <(MTOOLS_SKIP_CHECK=1 minfo -i "$fat" :: 2>/dev/null)

echo "== root partition (debugfs on a sparse copy of partition 2)"
rootfs=$work/root.ext4
dd if="$image" of="$rootfs" bs=1M skip=$((root_offset / 1048576)) count=$((root_size / 1048576)) \
  conv=sparse status=none
dbg() { debugfs -R "$1" "$rootfs" 2>/dev/null; }
check "ext4 label edgefuse-root" test "$(dumpe2fs -h "$rootfs" 2>/dev/null | sed -n 's/^Filesystem volume name: *//p')" = \
  edgefuse-root
status=$(dbg "cat /var/lib/dpkg/status")
edgefuse_status=$(awk '/^Package: edgefuse$/{f=1} f&&/^Status:/{print; exit}' <<< "$status")
check "edgefuse installed (dpkg: $edgefuse_status)" test "$edgefuse_status" = "Status: install ok installed"
check "/usr/bin/edgefuse present" grep -q 'Type: regular' <(dbg "stat /usr/bin/edgefuse")
check "/etc/edgefuse/edgefuse.json present" grep -q '"mjpeg"' <(dbg "cat /etc/edgefuse/edgefuse.json")
link=$(dbg "stat /etc/systemd/system/multi-user.target.wants/edgefuse.service" | sed -n 's/^Fast link dest: "\(.*\)"/\1/p')
check "edgefuse.service enabled (wants symlink -> $link)" test "$link" = /lib/systemd/system/edgefuse.service
check "ssh.service enabled" grep -q 'Fast link dest' <(dbg "stat /etc/systemd/system/multi-user.target.wants/ssh.service")
check "first-boot hook enabled" \
  grep -q 'Fast link dest' <(dbg "stat /etc/systemd/system/sysinit.target.wants/edgefuse-firstboot.service")
check "root growing enabled" \
  grep -q 'Fast link dest' <(dbg "stat /etc/systemd/system/sysinit.target.wants/edgefuse-growroot.service")
check "sfdisk in the image (root growing)" grep -q 'Type: regular' <(dbg "stat /usr/sbin/sfdisk")
check "no SSH host keys in the image (made at first boot)" not_grep ssh_host_ <(dbg 'ls /etc/ssh')
check "service user edgefuse" grep -q '^edgefuse:' <(dbg "cat /etc/passwd")
check "fstab mounts the boot partition by label" grep -q '^LABEL=EFBOOT[[:space:]]*/boot/firmware' <(dbg "cat /etc/fstab")

# Depends, checked against the image's own (arm64) dpkg database: the package that
# owns each library the binary needs must be one edgefuse depends on.
dbg "dump /usr/bin/edgefuse $work/edgefuse" > /dev/null
depends=$(awk '/^Package: edgefuse$/{f=1} f&&/^Depends:/{print; exit}' <<< "$status" | sed 's/^Depends: //' \
  | tr ',' '\n' | sed 's/(.*)//; s/ //g')
dbg "rdump /var/lib/dpkg/info $work" > /dev/null
for soname in $(readelf -d "$work/edgefuse" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  pattern="/$(sed 's/[.+*^$]/\\&/g' <<< "$soname")\$"
  owner=$({ grep -l -E "$pattern" "$work"/info/*.list || true; } | head -n 1 | xargs -r basename \
    | sed 's/\.list$//; s/:arm64$//')
  check "$soname is owned by ${owner:-nothing}, which edgefuse depends on" grep -qx "${owner:-none}" <<< "$depends"
done

if [ $failures -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
