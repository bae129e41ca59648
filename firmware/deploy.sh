#!/usr/bin/env bash
# Installs edgefuse on a running board over SSH: cross-builds the arm64 package for
# the board, copies it, installs it with apt (dependencies resolved on the board),
# restarts the service and prints the MJPEG URL.
#
#   firmware/deploy.sh pi@raspberrypi.local                  Raspberry Pi 4 or 5
#   firmware/deploy.sh --board jetson nvidia@jetson.local    Jetson on NVIDIA's L4T
#   firmware/deploy.sh --deb edgefuse_0.1.0_arm64.deb pi@10.0.0.7   a package already built
#
# --board rpi (default) builds preset rpi4, whose package runs on the Pi 4 and the
# Pi 5 (ARMv8.0 baseline); rpi5, jetson-nano and jetson-orin pick that preset.
# --board jetson reads /etc/nv_tegra_release (the L4T release, hence the JetPack
# version) and the device-tree model to pick jetson-nano or jetson-orin, and sets
# the GStreamer camera preset "jetson-csi" in /etc/edgefuse/edgefuse.json.
# The board needs passwordless sudo for USER (commands run without a terminal), an
# SSH login without a password prompt, and the package's dependencies in its apt sources
# (Debian bookworm or Raspberry Pi OS bookworm); apt's verdict is checked with a
# simulated install before anything on the board changes.
#
# Every command on the board goes through remote() below (ssh and scp, options in
# EDGEFUSE_SSH_OPTIONS), so that tests can stand in a fake board.
set -euo pipefail
cd "$(dirname "$0")/.."

board=rpi
deb=
target=
remote_deb=/tmp/edgefuse-deploy.deb
config=/etc/edgefuse/edgefuse.json
read -r -a ssh_options <<< "${EDGEFUSE_SSH_OPTIONS:--o ConnectTimeout=10}"

die() { printf 'deploy: error: %s\n' "$*" >&2; exit 1; }
say() { printf 'deploy: %s\n' "$*"; }
usage() { echo "usage: firmware/deploy.sh [--board rpi|rpi4|rpi5|jetson|jetson-nano|jetson-orin] [--deb FILE] USER@HOST" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --board) board=${2:-}; shift 2 || usage ;;
    --board=*) board=${1#--board=}; shift ;;
    --deb) deb=${2:-}; shift 2 || usage ;;
    --deb=*) deb=${1#--deb=}; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
    -*) usage ;;
    *) [ -z "$target" ] || usage; target=$1; shift ;;
  esac
done
[ -n "$target" ] || usage
case "$board" in rpi | rpi4 | rpi5 | jetson | jetson-nano | jetson-orin) ;; *) usage ;; esac
host=${target#*@}

# The one way to the board: `remote run 'shell command'` or `remote copy FILE PATH`.
remote() {
  case "$1" in
    run) ssh "${ssh_options[@]}" "$target" -- "$2" ;;
    copy) scp -q "${ssh_options[@]}" "$2" "$target:$3" ;;
    *) die "remote: unknown action $1" ;;
  esac
}

say "probing $target"
probe=$(remote run 'echo "arch=$(dpkg --print-architecture 2>/dev/null || uname -m)"
  echo "model=$(tr -d "\000" < /proc/device-tree/model 2>/dev/null)"
  echo "l4t=$(head -n 1 /etc/nv_tegra_release 2>/dev/null)"
  echo "os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"') \
  || die "cannot reach $target over ssh"
field() { sed -n "s/^$1=//p" <<< "$probe" | head -n 1; }
arch=$(field arch) model=$(field model) l4t=$(field l4t) os=$(field os)
say "board: ${model:-unknown model}; ${os:-unknown OS}; dpkg architecture ${arch:-unknown}"
[ "$arch" = arm64 ] || die "$target is '${arch:-unknown}', not arm64: the edgefuse package is built for 64-bit ARM"

preset=
case "$board" in
  rpi | rpi4) preset=rpi4 ;;
  rpi5) preset=rpi5 ;;
  jetson | jetson-nano | jetson-orin)
    [ -n "$l4t" ] || die "$target has no /etc/nv_tegra_release: not a Jetson running NVIDIA's L4T"
    # "# R36 (release), REVISION: 3.0, GCID: ..., BOARD: generic, EABI: aarch64, ..."
    if [[ $l4t =~ R([0-9]+)\ \(release\),\ REVISION:\ ([0-9.]+) ]]; then
      l4t_version=${BASH_REMATCH[1]}.${BASH_REMATCH[2]}
    else
      die "cannot read the L4T release from /etc/nv_tegra_release: '$l4t'"
    fi
    case "${l4t_version%%.*}" in
      32) jetpack="JetPack 4 (Ubuntu 18.04)" ;;
      35) jetpack="JetPack 5 (Ubuntu 20.04)" ;;
      36) jetpack="JetPack 6 (Ubuntu 22.04)" ;;
      *) die "L4T R$l4t_version is not a release this script knows (R32, R35, R36)" ;;
    esac
    say "L4T R$l4t_version: $jetpack"
    if [ "$board" = jetson ]; then
      if [[ $model =~ Orin ]]; then preset=jetson-orin; else preset=jetson-nano; fi
    else
      preset=$board
    fi
    ;;
esac

if [ -z "$deb" ]; then
  say "cross-building preset $preset and its package"
  cmake --preset "$preset" > /dev/null || die "configuring preset $preset failed"
  cmake --build --preset "$preset" --target package || die "building preset $preset failed"
  deb=$(ls -t "build/$preset/packages"/edgefuse_*_arm64.deb 2>/dev/null | head -n 1)
  [ -n "$deb" ] || die "the build made no build/$preset/packages/edgefuse_*_arm64.deb"
fi
[ -f "$deb" ] || die "no such package: $deb"
[ "$(dpkg-deb -f "$deb" Architecture)" = arm64 ] || die "$deb is not an arm64 package"
say "package: $deb ($(dpkg-deb -f "$deb" Version))"

remote copy "$deb" "$remote_deb" || die "copying the package to $target failed"
say "checking that apt on the board can resolve the dependencies"
if ! simulation=$(remote run "sudo apt-get update -qq >/dev/null 2>&1; apt-get install --simulate $remote_deb 2>&1"); then
  printf '%s\n' "$simulation" | sed 's/^/  | /' >&2
  die "apt on $target cannot install the package (above); nothing was changed on the board"
fi
say "installing"
remote run "sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Options::=--force-confold \
  $remote_deb && rm -f $remote_deb" || die "apt-get install on $target failed"

if [ "$preset" = jetson-nano ] || [ "$preset" = jetson-orin ]; then
  say "camera: GStreamer preset jetson-csi in $config"
  # sources.video.kind: the first "kind" after "video": { (sources comes first in the file).
  remote run "sudo sed -i -e '/\"video\": *{/,/}/ s/\"kind\": *\"[^\"]*\"/\"kind\": \"jetson-csi\"/' $config \
    && grep -q '\"kind\": \"jetson-csi\"' $config" || die "setting the camera preset in $config failed"
fi

say "restarting edgefuse.service"
remote run "sudo systemctl restart edgefuse.service && sleep 2 && ! systemctl is-failed --quiet edgefuse.service" \
  || die "edgefuse.service failed on $target; see: ssh $target journalctl -u edgefuse"
port=$(remote run "sed -n 's/.*\"port\": *\([0-9]*\).*/\1/p' $config")
command=$(remote run "systemctl show -p ExecStart --value edgefuse.service" | sed -n 's/.*argv\[\]=\([^;]*[^; ]\) *;.*/\1/p')
say "service: ${command:-edgefuse} (logs: ssh $target journalctl -u edgefuse -f)"
echo "MJPEG stream: http://$host:${port:-8080}/"
case "$command" in
  *" demo"* | *" run"*) ;;
  *) say "note: the stream is served by 'edgefuse demo'; this service runs '${command:-?}' (firmware/README.md)" ;;
esac
