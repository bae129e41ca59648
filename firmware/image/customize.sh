#!/usr/bin/env bash
# mmdebstrap customize hook of build-image.sh: turns the installed root filesystem
# ($1) into a bootable Raspberry Pi system. Runs on the build machine; commands
# inside the root go through chroot (arm64, so through qemu-user).
set -euo pipefail

root=$1
here=$(cd "$(dirname "$0")" && pwd)

# Files of the image (first-boot hook, root growing, network settings, firstboot.txt
# template).
cp -R --no-preserve=ownership "$here/rootfs/." "$root/"
chmod 755 "$root/usr/lib/edgefuse-image/firstboot.sh" "$root/usr/lib/edgefuse-image/growroot.sh"

cat > "$root/etc/fstab" <<'EOF'
# <file system>       <mount point>   <type> <options>                 <dump> <pass>
LABEL=edgefuse-root   /               ext4   defaults,noatime          0      1
LABEL=EFBOOT          /boot/firmware  vfat   defaults,umask=0022       0      2
EOF

echo edgefuse > "$root/etc/hostname"
cat > "$root/etc/hosts" <<'EOF'
127.0.0.1	localhost
127.0.1.1	edgefuse
::1		localhost ip6-localhost ip6-loopback
EOF

# Every flashed card gets its own machine id and SSH host keys at first boot.
: > "$root/etc/machine-id"
rm -f "$root"/etc/ssh/ssh_host_*

# Units: networking by systemd-networkd, the first-boot hook, the root growing.
# edgefuse.service was enabled by the package's postinst.
for unit in systemd-networkd.service systemd-resolved.service edgefuse-firstboot.service \
  edgefuse-growroot.service; do
  chroot "$root" systemctl enable "$unit"
done
ln -sf ../run/systemd/resolve/stub-resolv.conf "$root/etc/resolv.conf"

# The Raspberry Pi boot files: raspi-firmware's kernel hook copies the firmware,
# the kernel, the initrd and the bcm27xx device trees to /boot/firmware and writes
# config.txt and cmdline.txt. Point it at the root by label (the same on an SD card,
# a USB disk and QEMU's virtio disk) and run it again with these settings; kernel
# upgrades on the board run it the same way.
sed -i -e 's|^#\?ROOTPART=.*|ROOTPART=LABEL=edgefuse-root|' \
  -e 's|^#\?CONSOLES=.*|CONSOLES="ttyS1,115200 tty0"|' "$root/etc/default/raspi-firmware"
grep -q '^ROOTPART=LABEL=edgefuse-root$' "$root/etc/default/raspi-firmware"
chroot "$root" env DEB_MAINT_PARAMS=configure /etc/kernel/postinst.d/z50-raspi-firmware

# Nothing the board needs: package lists (apt update fetches them) and caches.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/debconf/*-old
