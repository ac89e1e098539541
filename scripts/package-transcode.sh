#!/usr/bin/env bash
# Builds the transcode function's Lambda artifact into ARTIFACTS_DIR, with the FFmpeg natives of the function's
# Lambda architecture. `sam build` runs it through transcode-function/Makefile (Metadata: BuildMethod: makefile);
# by hand:
#   make -C transcode-function build-TranscodeFunction ARTIFACTS_DIR=/tmp/pack
#   scripts/package-transcode.sh /tmp/pack
#
# The architecture: REEL_LAMBDA_ARCH (arm64, x86_64, or all for both platforms' natives) if set, else what the
# template gives TranscodeFunction (scripts/lambda-architecture.sh: its Architectures, else the Globals', a !Ref
# taking the parameter's Default). sam build passes the Makefile nothing but ARTIFACTS_DIR, so a deploy-time
# --parameter-overrides cannot reach this build: when samconfig.toml overrides that parameter with another value,
# this stops and says so rather than package natives for the wrong machine.
#
# Layout (SAM's Java Maven builder's): classes at the root, runtime jars under lib/ (group id first). The artifact is
# checked (scripts/check-transcode-artifact.sh) before anything is written to ARTIFACTS_DIR. Maven runs as
# scripts/package-function.sh runs it (offline first; REEL_OFFLINE=1 keeps it offline). FFmpeg's device library and
# programs are left out of the natives jar (below); that needs zip.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-${ARTIFACTS_DIR:-}}
if [ -z "$out" ]; then
  echo "usage: $0 ARTIFACTS_DIR   (sam build sets ARTIFACTS_DIR; by hand: make -C transcode-function" \
    "build-TranscodeFunction ARTIFACTS_DIR=/tmp/pack)" >&2
  exit 2
fi
if [ -e "$out/lib" ]; then
  echo "package-transcode: $out already holds a lib/ folder; give an empty folder (sam build always does)." >&2
  exit 2
fi

template=${REEL_TEMPLATE:-$root/template.yaml}
samconfig=${REEL_SAMCONFIG:-$root/samconfig.toml}

if [ -n "${REEL_LAMBDA_ARCH:-}" ]; then
  arch=$REEL_LAMBDA_ARCH
  why="REEL_LAMBDA_ARCH"
else
  read -r arch param < <("$root/scripts/lambda-architecture.sh" "$template" TranscodeFunction) || exit 1
  if [ "$param" = "-" ]; then
    why="$(basename "$template")"
  else
    why="$(basename "$template"), parameter $param's Default"
    # Every override of that parameter in samconfig.toml (any command, any environment) must agree with it.
    if [ -f "$samconfig" ]; then
      while read -r section value; do
        if [ "$value" != "$arch" ]; then
          echo "package-transcode: $(basename "$samconfig") $section overrides $param=$value, but the template's" \
            "Default is $arch, and sam build cannot tell this build which one will be deployed." >&2
          echo "  Make them agree, or build with REEL_LAMBDA_ARCH=$value (or REEL_LAMBDA_ARCH=all: both" \
            "platforms' natives, ~29 MB more)." >&2
          exit 1
        fi
      done < <(awk -v p="$param" '
        /^[ \t]*\[/ { section = $0; gsub(/[ \t]/, "", section) }
        /parameter_overrides/ {
          line = $0
          while (match(line, "(^|[^A-Za-z0-9])" p "=[\\\\\"\047]*[A-Za-z0-9_]+")) {
            v = substr(line, RSTART, RLENGTH)
            sub("^.*" p "=", "", v)
            gsub(/[\\"\047]/, "", v)
            print section, v
            line = substr(line, RSTART + RLENGTH)
          }
        }' "$samconfig")
    fi
  fi
fi

case "$arch" in
  arm64) platforms=(linux-arm64) ;;
  x86_64) platforms=(linux-x86_64) ;;
  all) platforms=(linux-arm64 linux-x86_64) ;;
  *) echo "package-transcode: REEL_LAMBDA_ARCH=$arch is not arm64, x86_64 or all" >&2; exit 2 ;;
esac
echo "package-transcode: architecture $arch (from $why): FFmpeg natives for ${platforms[*]}" >&2
command -v zip >/dev/null 2>&1 || { echo "package-transcode: needs zip (apt-get install zip, dnf install zip)" >&2; exit 2; }

. "$root/scripts/jdk.sh"
reel_use_jdk

stage=$(mktemp -d "${TMPDIR:-/tmp}/reel-transcode-artifact.XXXXXX")
trap 'rm -rf "$stage"' EXIT

for platform in "${platforms[@]}"; do
  # The reactor builds reel-core from this checkout (no `mvn install` needed); scripts/package-function.sh.
  "$root/scripts/package-function.sh" transcode-function "$stage/$platform" "-Dreel.native.platform=$platform"
  cp -R "$stage/$platform/." "$stage/"
  rm -rf "${stage:?}/$platform"
done

# FFmpeg's libavdevice (capture devices) needs libxcb, libxcb-shm and libpulse, which the java21 runtime does not have,
# and so do the ffmpeg and ffprobe programs, linked against it. JavaCV loads avdevice last, only to register devices,
# from the static initialisers of FFmpegFrameGrabber and FFmpegFrameRecorder, which carry on when that fails; this
# function uses no device and runs no program. Left out, every native in the artifact can load on Lambda.
for jar in "$stage"/lib/org.bytedeco.ffmpeg-*-linux-*.jar; do
  zip -q -d "$jar" 'org/bytedeco/ffmpeg/*/libavdevice.so*' 'org/bytedeco/ffmpeg/*/libjniavdevice.so' \
    'org/bytedeco/ffmpeg/*/ffmpeg' 'org/bytedeco/ffmpeg/*/ffprobe' >&2
done

"$root/scripts/check-transcode-artifact.sh" "$arch" "$stage" >&2

mkdir -p "$out"
cp -R "$stage/." "$out/"
echo "package-transcode: $out ($(du -sm "$out" | cut -f1) MB unzipped)" >&2
