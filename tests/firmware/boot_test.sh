#!/usr/bin/env bash
# Boots the Raspberry Pi image under QEMU and waits for the edgefuse service's result
# line on the serial console. QEMU 7.2 cannot emulate a Raspberry Pi 4, so the image's
# own kernel and initrd (Debian's arm64 kernel, read from the boot partition) boot it
# on `qemu-system-aarch64 -M virt -cpu cortex-a72` (TCG), the image attached as a
# virtio disk: the root is found by its label as on the board. The first-boot hook
# runs too, with a firstboot.txt the test writes onto a copy of the image, and its
# results are checked in that copy afterwards.
#
# The guest's journal is forwarded to the console (kernel command line), so the line
# the service logs appears there. When it does, the guest is powered off through its
# power button (QEMU monitor: system_powerdown) and must halt by itself. The test
# fails if the line does not appear, if the unit fails, or if the guest does not
# power off.
#
#   boot_test.sh IMAGE.img PARENT [TIMEOUT_SECONDS]   (works in a new directory under PARENT)
set -euo pipefail

# What the service prints when it works: `edgefuse demo --jsonl -` writes one JSON
# line per fused video frame to the journal (forwarded to the console).
expected_line_regex='edgefuse\[[0-9]+\]: \{"t": [0-9.]+, "frame": [0-9]+, "source": (true|false), "x": '

image=$1
parent=$2
timeout=${3:-900}
mkdir -p "$parent"
work=$(mktemp -d "$parent/boot.XXXXXX")  # private; the console log stays for reading
log=$work/console.log
start=$SECONDS
elapsed() { echo $((SECONDS - start)); }
die() { echo "FAIL: $*"; echo "--- last console lines:"; tail -n 40 "$log" 2>/dev/null || true; exit 1; }

trap 'rm -rf "$work/disk.img" "$work/root.ext4"' EXIT

# The partition offsets, from the image's table. field_of TABLE DISK N NAME: field NAME
# (start, size; 512-byte sectors) of partition N in the `sfdisk --dump` of DISK.
table=$(sfdisk --dump "$image")
field_of() { grep "^$2$3 " <<< "$1" | sed -n "s/.*$4= *\([0-9]*\).*/\1/p"; }
start_of() { field_of "$table" "$image" "$1" start; }
boot_offset=$(( $(start_of 1) * 512 ))
root_offset=$(( $(start_of 2) * 512 ))

# A sparse copy to boot (the image stays as built), 512 MiB larger like a card larger
# than the image, with first-boot settings.
cp --sparse=always "$image" "$work/disk.img"
truncate -s +512M "$work/disk.img"
disk_sectors=$(( $(stat -c %s "$work/disk.img") / 512 ))
fat="$work/disk.img@@$boot_offset"
cat > "$work/firstboot.txt" <<'EOF'
hostname=edgefuse-qemu
user=tester
password=not-a-real-password
EOF
MTOOLS_SKIP_CHECK=1 mcopy -o -i "$fat" "$work/firstboot.txt" ::/firstboot.txt

# The kernel and initrd the Raspberry Pi firmware would load (config.txt).
MTOOLS_SKIP_CHECK=1 mcopy -n -i "$fat" ::/config.txt "$work/config.txt"
kernel=$(sed -n 's/^kernel=//p' "$work/config.txt")
initrd=$(sed -n 's/^initramfs \([^ ]*\).*/\1/p' "$work/config.txt")
[ -n "$kernel" ] && [ -n "$initrd" ] || die "config.txt names no kernel or initramfs"
MTOOLS_SKIP_CHECK=1 mcopy -n -i "$fat" "::/$kernel" "::/$initrd" "$work/"

cmdline="root=LABEL=edgefuse-root rw rootwait console=ttyAMA0 net.ifnames=0"
cmdline+=" systemd.journald.forward_to_console=1 systemd.journald.max_level_console=info"
echo "== booting $kernel under qemu-system-aarch64 -M virt -cpu cortex-a72 (TCG); expecting /$expected_line_regex/"
: > "$log"
coproc QEMU {
  exec qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 1024 -accel tcg -nographic -no-reboot \
    -kernel "$work/$kernel" -initrd "$work/$initrd" -append "$cmdline" \
    -drive "file=$work/disk.img,format=raw,if=virtio" -nic none 2>&1
}
qemu_pid=$QEMU_PID
exec {qemu_in}>&"${QEMU[1]}"
exec {qemu_out}<&"${QEMU[0]}"

found=
while [ "$(elapsed)" -lt "$timeout" ]; do
  if ! IFS= read -r -t 10 line <&"$qemu_out"; then
    kill -0 "$qemu_pid" 2>/dev/null || die "QEMU exited before the service's result line ($(elapsed) s)"
    continue
  fi
  line=${line%$'\r'}
  printf '%s\n' "$line" >> "$log"
  if [[ $line =~ $expected_line_regex ]]; then found=$line; break; fi
  if [[ $line =~ Failed\ to\ start.*edgefuse ]]; then die "the edgefuse service failed to start: $line"; fi
  if [[ $line =~ Kernel\ panic ]]; then die "kernel panic: $line"; fi
done
[ -n "$found" ] || { kill "$qemu_pid" 2>/dev/null || true; die "no result line from the service within $timeout s"; }
echo "ok:   result line after $(elapsed) s: $found"

# Power off through the guest's power button (monitor: Ctrl-A c, then the command).
printf '\001c' >&"$qemu_in"
sleep 1
printf 'system_powerdown\n' >&"$qemu_in"
powered_off=
deadline=$((SECONDS + 180))
while [ $SECONDS -lt $deadline ]; do
  if IFS= read -r -t 5 line <&"$qemu_out"; then
    printf '%s\n' "${line%$'\r'}" >> "$log"
    [[ $line =~ reboot:\ Power\ down ]] && powered_off=1
  elif ! kill -0 "$qemu_pid" 2>/dev/null; then
    break
  fi
done
if kill -0 "$qemu_pid" 2>/dev/null; then
  kill "$qemu_pid" 2>/dev/null || true
  die "the guest did not power off within 180 s of system_powerdown"
fi
wait "$qemu_pid" 2>/dev/null || true
[ -n "$powered_off" ] || die "QEMU ended without the guest's 'reboot: Power down'"
echo "ok:   guest powered off by itself after $(elapsed) s"

# What the first-boot hook did, read from the booted copy.
dd if="$work/disk.img" of="$work/root.ext4" bs=1M skip=$((root_offset / 1048576)) conv=sparse status=none
dbg() { debugfs -R "$1" "$work/root.ext4" 2>/dev/null; }
failures=0
not_grep() { ! grep -q "$@"; }
check() { if "${@:2}"; then echo "ok:   $1"; else echo "FAIL: $1"; failures=$((failures + 1)); fi; }
check "first boot set the hostname" test "$(dbg 'cat /etc/hostname')" = edgefuse-qemu
check "first boot created user tester in sudo, audio, video" \
  test "$(dbg 'cat /etc/group' | grep -Ec '^(sudo|audio|video):.*[:,]tester(,|$)')" = 3
check "first boot made SSH host keys" grep -q ssh_host_ed25519_key <(dbg 'ls /etc/ssh')
check "firstboot.txt renamed to firstboot.txt.done" \
  grep -qx firstboot.txt.done <(MTOOLS_SKIP_CHECK=1 mdir -b -i "$fat" ::/ | sed 's|^::/||')
check "clear-text password removed from the boot partition" \
  not_grep not-a-real-password <(MTOOLS_SKIP_CHECK=1 mtype -i "$fat" ::/firstboot.txt.done)
root_sectors=$(field_of "$table" "$image" 2 size)
grown_sectors=$(field_of "$(sfdisk --dump "$work/disk.img")" "$work/disk.img" 2 size)
root_end=$(( root_offset / 512 + ${grown_sectors:-0} ))
check "root partition grown to the end of the disk ($root_end of $disk_sectors sectors)" \
  test "$root_end" = "$disk_sectors"
fs_bytes=$(dumpe2fs -h "$work/root.ext4" 2>/dev/null |
  awk -F: '/^Block count/ {n = $2} /^Block size/ {b = $2} END {printf "%.0f", n * b}')
# resize2fs may leave out a last block group too small to be worth its overhead.
check "root file system grown with it (from $((root_sectors / 2048)) to $((fs_bytes / 1048576)) MiB)" \
  test "${fs_bytes:-0}" -ge $(((root_sectors + 448 * 2048) * 512))
check "the console shows the root growing" grep -q 'edgefuse-growroot: root file system now' "$log"
[ $failures = 0 ] || die "$failures first-boot check(s) failed"
echo "all checks passed ($(elapsed) s)"
