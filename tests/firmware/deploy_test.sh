#!/usr/bin/env bash
# Tests firmware/deploy.sh against a fake board: `ssh` and `scp` shims on PATH run
# the remote commands with bash in a throwaway directory that stands in for the
# board's root (paths under /etc, /proc, /tmp are mapped into it), where `sudo`,
# `apt-get`, `systemctl` and `dpkg` are stubs that log what they were asked to do.
# A `cmake` stub checks which preset a build would use. What this cannot show:
# a real SSH session, a real apt resolving dependencies, a real systemd restart.
#
#   deploy_test.sh DEPLOY_SH DEB PARENT   (works in a new private directory under PARENT)
set -euo pipefail

deploy=$(realpath "$1")
deb=$(realpath "$2")
mkdir -p "$3"
work=$(mktemp -d "$3/deploy.XXXXXX")  # private: parallel and repeated runs never share it
mkdir -p "$work/bin"
trap 'rm -rf "$work"' EXIT
failures=0
fail() { printf 'FAIL: %s\n' "$*"; failures=$((failures + 1)); }
pass() { printf 'ok:   %s\n' "$*"; }

# --- the fake board -------------------------------------------------------------
cat > "$work/bin/ssh" <<'EOF'
#!/usr/bin/env bash
# ssh [-o opt]... TARGET -- COMMAND: runs COMMAND on the fake board.
while [ "$1" = -o ]; do shift 2; done
target=$1; shift; [ "$1" = -- ] && shift
echo "ssh $target: $*" >> "$FAKE_BOARD/commands.log"
command=$(sed -E "s#(^|[^A-Za-z0-9_.])/(etc|proc|tmp)/#\1$FAKE_BOARD/root/\2/#g" <<< "$*")
PATH=$FAKE_BOARD/remote-bin:$PATH exec bash -c "$command"
EOF
cat > "$work/bin/scp" <<'EOF'
#!/usr/bin/env bash
while [ "$1" = -o ] || [ "$1" = -q ]; do [ "$1" = -q ] && shift || shift 2; done
echo "scp $1 -> $2" >> "$FAKE_BOARD/commands.log"
cp "$1" "$FAKE_BOARD/root/${2#*:}"
EOF
cat > "$work/bin/cmake" <<'EOF'
#!/usr/bin/env bash
echo "cmake $*" >> "$FAKE_BOARD/commands.log"
exit 1
EOF
mkdir -p "$work/remote-bin"
cat > "$work/remote-bin/sudo" <<'EOF'
#!/usr/bin/env bash
echo "sudo $*" >> "$FAKE_BOARD/commands.log"
while [[ $1 == *=* ]]; do export "$1"; shift; done
exec "$@"
EOF
cat > "$work/remote-bin/dpkg" <<'EOF'
#!/usr/bin/env bash
[ "$1" = --print-architecture ] && { echo "$FAKE_ARCH"; exit 0; }
exit 1
EOF
cat > "$work/remote-bin/apt-get" <<'EOF'
#!/usr/bin/env bash
echo "apt-get $*" >> "$FAKE_BOARD/commands.log"
[ "$1" = update ] && exit 0
deb=${!#}
if [ -n "${FAKE_APT_UNMET:-}" ]; then
  echo "The following packages have unmet dependencies:"
  echo " edgefuse : Depends: $FAKE_APT_UNMET but it is not installable"
  echo "E: Unable to correct problems, you have held broken packages."
  exit 100
fi
[ -f "$deb" ] || { echo "E: no such file $deb"; exit 100; }
[ "$2" = --simulate ] && { echo "Inst edgefuse"; exit 0; }
# Installing: the conffile appears unless the administrator's copy exists.
mkdir -p "$FAKE_BOARD/root/etc/edgefuse"
[ -f "$FAKE_BOARD/root/etc/edgefuse/edgefuse.json" ] \
  || dpkg-deb --fsys-tarfile "$deb" | tar -xO ./etc/edgefuse/edgefuse.json > "$FAKE_BOARD/root/etc/edgefuse/edgefuse.json"
mkdir -p "$FAKE_BOARD/root/lib/systemd/system"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./lib/systemd/system/edgefuse.service \
  > "$FAKE_BOARD/root/lib/systemd/system/edgefuse.service"
echo "installed $(dpkg-deb -f "$deb" Version)" >> "$FAKE_BOARD/installed"
EOF
cat > "$work/remote-bin/systemctl" <<'EOF'
#!/usr/bin/env bash
echo "systemctl $*" >> "$FAKE_BOARD/commands.log"
case "$1" in
  is-failed) [ -n "${FAKE_SERVICE_FAILS:-}" ] && exit 0; exit 1 ;;
  show) echo "{ path=/usr/bin/edgefuse ; argv[]=$(sed -n 's/^ExecStart=//p' "$FAKE_BOARD/root/lib/systemd/system/edgefuse.service") ; ignore_errors=no }" ;;
esac
exit 0
EOF
cp /bin/true "$work/remote-bin/sleep"
chmod +x "$work/bin"/* "$work/remote-bin"/*

# board NAME MODEL [L4T-LINE]: a fresh fake board.
board() {
  export FAKE_BOARD=$work/board-$1
  rm -rf "$FAKE_BOARD"
  mkdir -p "$FAKE_BOARD/root/etc" "$FAKE_BOARD/root/proc/device-tree" "$FAKE_BOARD/root/tmp"
  ln -s "$work/remote-bin" "$FAKE_BOARD/remote-bin"
  printf '%s\0' "$2" > "$FAKE_BOARD/root/proc/device-tree/model"
  echo 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"' > "$FAKE_BOARD/root/etc/os-release"
  [ -z "${3:-}" ] || echo "$3" > "$FAKE_BOARD/root/etc/nv_tegra_release"
  : > "$FAKE_BOARD/commands.log"
}
deploy() {  # expected-status, args...
  local expected=$1 status=0
  shift
  output=$(PATH=$work/bin:$PATH FAKE_ARCH=${FAKE_ARCH:-arm64} "$deploy" "$@" 2>&1) || status=$?
  if [ "$status" != "$expected" ]; then
    fail "deploy.sh $* exited $status, expected $expected"
    sed 's/^/  | /' <<< "$output"
    return 1
  fi
}
expect_output() { if grep -q -- "$2" <<< "$output"; then pass "$1"; else fail "$1: no /$2/ in output"; sed 's/^/  | /' <<< "$output"; fi; }
expect_log() { if grep -q -- "$2" "$FAKE_BOARD/commands.log"; then pass "$1"; else fail "$1: no /$2/ in the board's log"; cat "$FAKE_BOARD/commands.log"; fi; }
expect_no_log() { if ! grep -q -- "$2" "$FAKE_BOARD/commands.log"; then pass "$1"; else fail "$1: /$2/ in the board's log"; fi; }
config() { cat "$FAKE_BOARD/root/etc/edgefuse/edgefuse.json"; }

echo "== Raspberry Pi 5, package given"
board rpi "Raspberry Pi 5 Model B Rev 1.0"
deploy 0 --deb "$deb" pi@raspberrypi.local
expect_log "package copied to the board" "scp $deb -> pi@raspberrypi.local:/tmp/edgefuse-deploy.deb"
expect_log "dependencies checked with a simulated install" "apt-get install --simulate .*/tmp/edgefuse-deploy.deb"
expect_log "installed with apt (keeping an edited config)" "apt-get install -y -q -o Dpkg::Options::=--force-confold"
expect_log "service restarted" "systemctl restart edgefuse.service"
expect_output "MJPEG URL printed" "^MJPEG stream: http://raspberrypi.local:8080/$"
expect_output "the board named" "Raspberry Pi 5 Model B"
expect_output "the service's command shown (the package's unit)" "service: /usr/bin/edgefuse demo --config /etc/edgefuse/edgefuse.json"
if [ "$(grep -c '"kind": "auto"' <(config))" = 2 ]; then pass "Pi: camera and microphone left as they are"; else fail "Pi: config changed"; fi

echo "== the administrator's port is kept and shown"
sed -i 's/"port": 8080/"port": 8090/' "$FAKE_BOARD/root/etc/edgefuse/edgefuse.json"
deploy 0 --deb "$deb" pi@10.0.0.7
expect_output "URL uses the configured port" "^MJPEG stream: http://10.0.0.7:8090/$"

echo "== Jetson Orin on L4T R36.3 (JetPack 6)"
board orin "NVIDIA Jetson Orin Nano Developer Kit" \
  "# R36 (release), REVISION: 3.0, GCID: 36191598, BOARD: generic, EABI: aarch64, DATE: Mon May  6 17:34:21 UTC 2024"
deploy 0 --board jetson --deb "$deb" nvidia@jetson.local
expect_output "L4T and JetPack version reported" "L4T R36.3.0: JetPack 6"
if grep -q '"kind": "jetson-csi"' <(config) && [ "$(grep -c '"kind": "auto"' <(config))" = 1 ]; then
  pass "GStreamer camera preset jetson-csi set in the config"
else
  fail "camera preset not set"; config
fi
expect_output "MJPEG URL printed" "^MJPEG stream: http://jetson.local:8080/$"

echo "== --board jetson builds the preset of the model found"
deploy 1 --board jetson nvidia@jetson.local || true
expect_log "Orin -> preset jetson-orin" "cmake --preset jetson-orin"
board nano "NVIDIA Jetson Nano Developer Kit" "# R32 (release), REVISION: 7.4, GCID: 33514132, BOARD: t210ref, EABI: aarch64"
deploy 1 --board jetson nvidia@nano.local || true
expect_log "Nano -> preset jetson-nano" "cmake --preset jetson-nano"
expect_output "JetPack 4 recognised" "L4T R32.7.4: JetPack 4"
board pi4 "Raspberry Pi 4 Model B Rev 1.5"
deploy 1 pi@pi4.local || true
expect_log "rpi -> preset rpi4 (runs on Pi 4 and 5)" "cmake --preset rpi4"
deploy 1 --board rpi5 pi@pi4.local || true
expect_log "rpi5 -> preset rpi5" "cmake --preset rpi5"

echo "== refusals"
board notjetson "Raspberry Pi 4 Model B Rev 1.5"
deploy 1 --board jetson --deb "$deb" pi@pi.local || true
expect_output "a board without nv_tegra_release is not taken for a Jetson" "no /etc/nv_tegra_release"
board x86 "" ""
FAKE_ARCH=amd64 deploy 1 --deb "$deb" me@pc.local || true
expect_output "an amd64 machine is refused" "not arm64"
expect_no_log "nothing copied to the amd64 machine" "^scp"
board unmet "Raspberry Pi 4 Model B Rev 1.5"
FAKE_APT_UNMET="libopencv-core406" deploy 1 --deb "$deb" pi@pi.local || true
expect_output "unresolvable dependencies reported" "Depends: libopencv-core406 but it is not installable"
expect_output "and nothing changed" "nothing was changed on the board"
expect_no_log "no real install after a failed simulation" "apt-get install -y"
expect_no_log "no restart after a failed simulation" "systemctl restart"
board failing "Raspberry Pi 4 Model B Rev 1.5"
FAKE_SERVICE_FAILS=1 deploy 1 --deb "$deb" pi@pi.local || true
expect_output "a failing service is reported" "edgefuse.service failed"
deploy 2 --board beaglebone pi@pi.local || true
pass "unknown board: usage error"

if [ $failures -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
