#!/usr/bin/env bash
# Real video clips with sound, as phones, cameras and encoders wrote them, taken from
# Debian bookworm packages (Architecture: all, about 16 MB of packages in all), for the
# edgefuse.real_clips test (tests/firmware/real_clips_test.cc). Nothing of them is
# checked in: the packages are fetched with `apt-get download` into a private temporary
# directory, only the clips are unpacked from them, and the clips are copied to the
# cache. A warm cache is used as it is (no network).
#
#   tests/firmware/testdata/fetch-real-clips.sh      prints the cache directory last
#   EDGEFUSE_CLIPS_CACHE=DIR ...                     cache in DIR (default ~/.cache/edgefuse/clips)
#
# The cache holds the clips under the names below and clips.tsv: one line per clip,
# "<name>\t<package>=<version>\t<path in the package>\t<what it is>". Needs apt-get
# with Debian's package lists (apt-get update) and dpkg-deb; runs as any user.
set -euo pipefail

cache=${EDGEFUSE_CLIPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/edgefuse/clips}

# name | package | path in the package | container, codecs, frames (ffprobe, gst-discoverer-1.0)
clips=(
  "mimetype-mp4.mp4|golang-github-gabriel-vasile-mimetype-dev|/usr/share/gocode/src/github.com/gabriel-vasile/mimetype/testdata/mp4.mp4|MP4: H.264 + AAC 48 kHz mono, 166 frames at 30 fps"
  "mimetype-mov.mov|golang-github-gabriel-vasile-mimetype-dev|/usr/share/gocode/src/github.com/gabriel-vasile/mimetype/testdata/mov.mov|QuickTime: H.264 + AAC 48 kHz mono, 166 frames at 30 fps"
  "mimetype-webm.webm|golang-github-gabriel-vasile-mimetype-dev|/usr/share/gocode/src/github.com/gabriel-vasile/mimetype/testdata/webm.webm|WebM: VP8 + Vorbis 48 kHz mono; the header announces 167 frames, 166 decode"
  "mimetype-mkv.mkv|golang-github-gabriel-vasile-mimetype-dev|/usr/share/gocode/src/github.com/gabriel-vasile/mimetype/testdata/mkv.mkv|Matroska: MPEG-4 Part 2 + AAC 48 kHz 5.1; two joined takes, timestamps restart"
  "mimetype-ogv.ogv|golang-github-gabriel-vasile-mimetype-dev|/usr/share/gocode/src/github.com/gabriel-vasile/mimetype/testdata/ogg.ogv|Ogg: Theora + Vorbis 48 kHz mono, 166 frames"
  "mimetype-3gp.3gp|golang-github-gabriel-vasile-mimetype-dev|/usr/share/gocode/src/github.com/gabriel-vasile/mimetype/testdata/3gp.3gp|3GPP (old phones): H.263 + AMR-NB 8 kHz, 83 frames at 15 fps"
  "mimetype-flv.flv|golang-github-gabriel-vasile-mimetype-dev|/usr/share/gocode/src/github.com/gabriel-vasile/mimetype/testdata/flv.flv|Flash video: Sorenson H.263 + MP3 44.1 kHz mono, 139 frames at 25 fps"
  "diver.mov|pd-extendedview|/usr/share/doc/pd-extendedview/media/diver.mov|QuickTime from a camera: Motion JPEG + MP2 44.1 kHz stereo ('ms\\0P'), 351 frames at 25 fps"
  "devede-pal.mpg|devede|/usr/share/devedeng/base_pal.mpg|MPEG-2 program stream (DVD): MPEG-2 video + MP2 48 kHz stereo, starts at 0.24 s"
  "imageio-realshort.mp4|python3-imageio|/usr/lib/python3/dist-packages/imageio/resources/images/realshort.mp4|MP4: H.264 + AAC 48 kHz mono, 36 frames at 30.02 fps"
)

log() { printf 'fetch-real-clips: %s\n' "$*" >&2; }
die() { printf 'fetch-real-clips: error: %s\n' "$*" >&2; exit 1; }

mkdir -p "$cache"
# One fetch at a time per cache: parallel test runs (several build trees) share it.
exec 9>"$cache/.lock"
flock 9

needed=()
for entry in "${clips[@]}"; do
  IFS='|' read -r name package _ _ <<<"$entry"
  if [ ! -s "$cache/$name" ] && [[ " ${needed[*]-} " != *" $package "* ]]; then needed+=("$package"); fi
done

if [ ${#needed[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "apt-get not found (a Debian system is needed)"
  command -v dpkg-deb >/dev/null || die "dpkg-deb not found"
  work=$(mktemp -d "$cache/.fetch.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  log "downloading ${needed[*]} into $work"
  if ! (cd "$work" && apt-get download "${needed[@]}") >"$work/apt.log" 2>&1; then
    cat "$work/apt.log" >&2
    die "apt-get download ${needed[*]} failed (are Debian's package lists there? apt-get update)"
  fi
  declare -A versions=()
  for package in "${needed[@]}"; do
    deb=$(find "$work" -maxdepth 1 -name "${package}_*.deb" | head -n 1)
    [ -n "$deb" ] || die "apt-get download left no .deb for $package"
    versions[$package]=$(dpkg-deb -f "$deb" Version)
    members=()
    for entry in "${clips[@]}"; do
      IFS='|' read -r name pkg path _ <<<"$entry"
      [ "$pkg" = "$package" ] && members+=(".$path")
    done
    # Only the clips leave the package.
    mkdir -p "$work/root"
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work/root" "${members[@]}" ||
      die "$deb does not hold ${members[*]}"
    for entry in "${clips[@]}"; do
      IFS='|' read -r name pkg path _ <<<"$entry"
      [ "$pkg" = "$package" ] || continue
      [ -s "$work/root$path" ] || die "$package: $path is missing or empty"
      cp "$work/root$path" "$cache/.$name.tmp"
      mv -f "$cache/.$name.tmp" "$cache/$name"
    done
    printf '%s\n' "${versions[$package]}" >"$cache/.$package.version"
  done
fi

# The manifest, rewritten whole.
manifest=$cache/.clips.tsv.tmp
: >"$manifest"
for entry in "${clips[@]}"; do
  IFS='|' read -r name package path what <<<"$entry"
  version=$(cat "$cache/.$package.version" 2>/dev/null || echo "?")
  printf '%s\t%s=%s\t%s\t%s\n' "$name" "$package" "$version" "$path" "$what" >>"$manifest"
  log "$(printf '%-22s %8s bytes  %s=%s' "$name" "$(stat -c %s "$cache/$name")" "$package" "$version")"
done
mv -f "$manifest" "$cache/clips.tsv"
printf '%s\n' "$cache"
