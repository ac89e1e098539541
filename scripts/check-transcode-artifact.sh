#!/usr/bin/env bash
# Checks a transcode function artifact (a sam build output folder) before it can reach Lambda:
#   scripts/check-transcode-artifact.sh arm64 .aws-sam/build/TranscodeFunction
#   scripts/check-transcode-artifact.sh x86_64 /tmp/pack
#   scripts/check-transcode-artifact.sh all /tmp/pack            (both platforms' natives)
#   scripts/check-transcode-artifact.sh --build arm64            (packages offline into a temporary folder first;
#                                                                 skipped, exit 0, when that platform's jars are not
#                                                                 in the local Maven repository)
# It fails when:
#   - the layout is not the java21 runtime's: the classes at the root, the jars under lib/;
#   - a jar carries natives for another OS, or for a platform other than the architecture's;
#   - JavaCPP's own natives or FFmpeg's GPL natives for the architecture are missing;
#   - a native library or executable is not a 64-bit little-endian ELF of the architecture's machine
#     (read from the ELF header itself: AArch64 = 183, x86-64 = 62);
#   - a native needs a library (DT_NEEDED) that is neither in the artifact nor in the java21 runtime (the list below),
#     or a symbol version newer than the runtime's: glibc 2.34 (REEL_MAX_GLIBC overrides), GCC 11's libstdc++;
#   - the folder exceeds Lambda's 250 MB unzipped limit (code and layers).
# It reads the ELF files with readelf (binutils) or llvm-readelf, and fails without either. Offline; a few seconds.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)

usage() { sed -n '2,8p' "$0" >&2; exit 2; }

if [ "${1:-}" = "--build" ]; then
  [ $# -eq 2 ] || usage
  arch=$2
  case "$arch" in arm64) wanted=(linux-arm64) ;; x86_64) wanted=(linux-x86_64) ;; all) wanted=(linux-arm64 linux-x86_64) ;; *) usage ;; esac
  repo=${REEL_M2_REPO:-$HOME/.m2/repository}
  pom_version() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$root/pom.xml" | head -n 1; }
  javacpp=$(pom_version javacpp.version)
  ffmpeg=$(pom_version ffmpeg-javacpp.version)
  for platform in "${wanted[@]}"; do
    for jar in "org/bytedeco/javacpp/$javacpp/javacpp-$javacpp-$platform.jar" \
               "org/bytedeco/ffmpeg/$ffmpeg/ffmpeg-$ffmpeg-$platform-gpl.jar"; do
      if [ ! -f "$repo/$jar" ]; then
        echo "check-transcode-artifact: SKIPPED for $arch: $repo/$jar is not there, and this check stays offline." >&2
        echo "  Fetch it once with: mvn dependency:get -Dartifact=$(echo "$jar" | awk -F/ '{print $1"."$2":"$3":"$4}'):jar:${platform}$( [[ $jar == *ffmpeg* ]] && echo -gpl ) -Dtransitive=false" >&2
        exit 0
      fi
    done
  done
  out=$(mktemp -d "${TMPDIR:-/tmp}/reel-transcode-check.XXXXXX")
  trap 'rm -rf "$out"' EXIT
  # package-transcode.sh runs this check on what it built before writing it.
  REEL_OFFLINE=1 REEL_LAMBDA_ARCH=$arch "$root/scripts/package-transcode.sh" "$out"
  exit 0
fi

[ $# -eq 2 ] || usage
arch=$1
dir=${2%/}
case "$arch" in
  arm64) wanted=(linux-arm64) ;;
  x86_64) wanted=(linux-x86_64) ;;
  all) wanted=(linux-arm64 linux-x86_64) ;;
  *) usage ;;
esac
[ -d "$dir" ] || { echo "check-transcode-artifact: $dir is not a folder" >&2; exit 2; }

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
machine_of_platform() { case "$1" in linux-arm64*) echo 183 ;; linux-x86_64*) echo 62 ;; *) echo 0 ;; esac; }
machine_name() { case "$1" in 183) echo AArch64 ;; 62) echo x86-64 ;; *) echo "machine $1" ;; esac; }

if command -v unzip >/dev/null 2>&1; then
  list_jar() { unzip -Z1 "$1"; }
  extract_jar() { unzip -q -o "$1" "$3" -d "$2"; }
else
  list_jar() { jar tf "$1"; }
  extract_jar() { (cd "$2" && jar xf "$1" "$3"); }
fi

# 1. Layout: what the java21 runtime puts on the classpath (the root, then lib/*.jar).
ls "$dir"/io/reel/transcode/*.class >/dev/null 2>&1 || fail "no io/reel/transcode/*.class at the root of $dir"
shopt -s nullglob
jars=("$dir"/lib/*.jar)
shopt -u nullglob
[ ${#jars[@]} -gt 0 ] || fail "no jar under $dir/lib"
ls "$dir"/lib/io.reel.reel-core-*.jar >/dev/null 2>&1 || fail "reel-core is not under $dir/lib"
for stray in "$dir"/*.jar; do [ -e "$stray" ] && fail "a jar at the root ($stray): the runtime only reads lib/*.jar"; done

# 2. Which natives the jars carry, by their paths inside the jars (org/bytedeco/<library>/<platform>/<file>).
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reel-transcode-natives.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
reported=""
seen=""   # the platforms found, one a line (no associative arrays: macOS still ships bash 3.2)
for jar in "${jars[@]}"; do
  natives=$(list_jar "$jar" | grep -E '\.(so(\.[0-9]+)*|dylib|jnilib|dll)$|^org/bytedeco/[^/]+/[^/]+/(ffmpeg|ffprobe)(\.exe)?$' || true)
  [ -n "$natives" ] || continue
  while IFS= read -r entry; do
    platform=$(printf '%s' "$entry" | awk -F/ '$1 == "org" && $2 == "bytedeco" && NF == 5 { print $4 }')
    if [ -z "$platform" ]; then
      fail "$(basename "$jar") carries a native outside JavaCPP's layout: $entry"
      continue
    fi
    seen=$(printf '%s\n%s' "$seen" "$platform")
    allowed=false
    for w in "${wanted[@]}"; do
      if [ "$platform" = "$w" ] || [ "$platform" = "$w-gpl" ]; then allowed=true; fi
    done
    if ! $allowed; then
      # once a jar and platform
      if ! printf '%s\n' "$reported" | grep -qxF "$jar|$platform"; then
        reported=$(printf '%s\n%s' "$reported" "$jar|$platform")
        fail "$(basename "$jar") carries $platform natives (e.g. $entry); $arch wants ${wanted[*]}"
      fi
      continue
    fi
    case "$entry" in *.dylib | *.jnilib | *.dll | *.exe) fail "$(basename "$jar"): not a Linux native: $entry"; continue ;; esac
    extract_jar "$jar" "$tmp" "$entry"
  done <<< "$natives"
done
for w in "${wanted[@]}"; do
  printf '%s\n' "$seen" | grep -qx "$w" || fail "no JavaCPP natives for $w (org.bytedeco:javacpp:<version>:$w)"
  printf '%s\n' "$seen" | grep -qx "$w-gpl" || fail "no FFmpeg GPL natives for $w (org.bytedeco:ffmpeg:<version>:$w-gpl)"
  [ -f "$tmp/org/bytedeco/javacpp/$w/libjnijavacpp.so" ] || fail "libjnijavacpp.so for $w is missing"
  ls "$tmp/org/bytedeco/ffmpeg/$w-gpl"/libavcodec.so* >/dev/null 2>&1 || fail "libavcodec for $w-gpl is missing"
done

# 3. Every extracted native is an ELF of the platform's machine, and can load on Lambda's java21 runtime: each library
#    it needs is in the artifact (a native's file name or SONAME, for the same platform) or in the runtime, and each
#    symbol version it needs from glibc or libstdc++ is one the runtime has.
#
# The runtime is the Amazon Linux 2023 minimal container image ("The Java 21 and later base images are based on the
# Amazon Linux 2023 minimal container image", https://docs.aws.amazon.com/lambda/latest/dg/java-image.html; its
# packages: the Minimal Container column of
# https://docs.aws.amazon.com/linux/al2023/ug/al2023-container-image-types.html). Listed are only the libraries of
# its glibc 2.34, libstdc++ and libgcc packages (toolchain: glibc 2.34, GCC 11;
# https://docs.aws.amazon.com/linux/al2023/ug/core-glibc.html); libmvec is x86-64 only before glibc 2.35. It has no
# X11, PulseAudio, ALSA, VA-API or DRM library: a native needing one must bring it.
runtime_libs() { # the platform's, between spaces
  local libs=" libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libstdc++.so.6 libgcc_s.so.1 "
  case "$1" in
    linux-x86_64*) echo "$libs ld-linux-x86-64.so.2 libmvec.so.1 " ;;
    linux-arm64*) echo "$libs ld-linux-aarch64.so.1 " ;;
  esac
}
max_glibc=${REEL_MAX_GLIBC:-2.34}
newer_than() { # PREFIX MAX: of the symbol versions on stdin, those PREFIX_* newer than PREFIX_MAX
  { grep -oE "$1_[0-9]+(\.[0-9]+)*" || true; echo "$1_$2 limit"; } | sort -uV | awk 'newer; / limit$/ { newer = 1 }'
}
readelf=$(command -v readelf || command -v llvm-readelf || true)
[ -n "$readelf" ] || fail "neither readelf nor llvm-readelf is installed (binutils): what the natives need is unchecked"
if [ -n "$readelf" ]; then
  for platform_dir in "$tmp"/org/bytedeco/*/*/; do # the file names and SONAMEs in the artifact, per platform
    for f in "$platform_dir"*; do
      basename "$f"
      "$readelf" -d "$f" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]$/\1/p'
    done >> "$tmp/names-$(basename "${platform_dir%-gpl/}")"
  done
fi

count=0
glibc_max=""
while IFS= read -r -d '' file; do
  rel=${file#"$tmp"/}
  platform=$(printf '%s' "$rel" | awk -F/ '{ print $4 }')
  expected=$(machine_of_platform "$platform")
  header=$(od -An -tu1 -N6 "$file" | tr -s ' ' | sed 's/^ //')
  machine=$(od -An -tu1 -j18 -N2 "$file" | awk '{ print $1 + 256 * $2 }')
  if [ "$header" != "127 69 76 70 2 1" ]; then
    fail "$rel is not a 64-bit little-endian ELF (header: $header)"
  elif [ "$machine" != "$expected" ]; then
    fail "$rel is an ELF for $(machine_name "$machine"), not $(machine_name "$expected")"
  fi
  count=$((count + 1))
  [ -n "$readelf" ] || continue
  versions=$("$readelf" -V --wide "$file" 2>/dev/null || true)
  v=$(printf '%s\n' "$versions" | grep -oE 'GLIBC_2\.[0-9]+' | sort -uV | tail -n 1 || true)
  if [ -n "$v" ]; then glibc_max=$(printf '%s\n%s\n' "$glibc_max" "$v" | sed '/^$/d' | sort -V | tail -n 1); fi
  newer=$( { printf '%s\n' "$versions" | newer_than GLIBC "$max_glibc"
             printf '%s\n' "$versions" | newer_than GLIBCXX 3.4.29
             printf '%s\n' "$versions" | newer_than CXXABI 1.3.13; } | paste -sd' ' -)
  [ -z "$newer" ] || fail "$rel needs $newer: newer than the java21 runtime's glibc $max_glibc and GCC 11 libstdc++"
  provided=$(runtime_libs "$platform")
  for lib in $("$readelf" -d "$file" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
    case "$provided" in *" $lib "*) continue ;; esac
    grep -qxF "$lib" "$tmp/names-${platform%-gpl}" \
      || fail "$rel needs $lib, which is neither in the artifact nor in the java21 runtime (Amazon Linux 2023 minimal)"
  done
done < <(find "$tmp" -path "$tmp/org/*" -type f -print0)

# 4. Size against Lambda's 250 MB unzipped limit (MB = 1024 KB in Lambda's quotas).
bytes=$(find "$dir" -type f -print0 | xargs -0 cat | wc -c | tr -d ' ')
limit=$((250 * 1024 * 1024))
[ "$bytes" -le "$limit" ] || fail "$dir holds $bytes bytes, over Lambda's 250 MB unzipped limit"

bytedeco=$(cd "$dir/lib" && ls org.bytedeco.* 2>/dev/null | tr '\n' ' ')
echo "check-transcode-artifact: $dir for $arch: ${#jars[@]} jars; bytedeco: $bytedeco"
echo "check-transcode-artifact: $count native files checked against ELF $(for w in "${wanted[@]}"; do machine_name "$(machine_of_platform "$w")"; done | paste -sd/);" \
  "$(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1048576 }') unzipped (limit 250 MB)"
if [ "$failures" -gt 0 ]; then
  echo "check-transcode-artifact: $failures problem(s) in $dir" >&2
  exit 1
fi
echo "check-transcode-artifact: OK: the natives need up to ${glibc_max:-no GLIBC version} (limit GLIBC_$max_glibc)," \
  "and no library beyond the artifact and the java21 runtime's"
