#!/usr/bin/env bash
# Issue #16's measurement, whole-process: the price of splitting. The same 1080p30 source (600 s by default, made here
# by the apt ffmpeg as bench/transcode-ladder.sh makes its) is encoded by the one-invocation path (EncodeCommand) and
# by the split path (EncodeCommand --split=CHUNK: every chunk, the audio and each rung's stitch one after another in
# one JVM, as the state machine's tasks do them in parallel). Each line: wall, user+sys CPU and peak RSS (GNU time);
# the split run also prints each step's CPU and wall seconds, which bench/README.md's wall-time model uses. Then the
# bytes of both output folders, file by file. Run it on an otherwise idle machine.
#   bench/transcode-split.sh [seconds=600] [chunk=120]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
chunk=${2:-120}
. scripts/jdk.sh
reel_use_jdk
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)"; exit 1; }
[ -x /usr/bin/ffmpeg ] || { echo "needs the apt ffmpeg to make the source (apt-get install ffmpeg)"; exit 1; }
mvn --batch-mode -q -o -DskipTests -pl transcode-function -am install
mvn --batch-mode -q -o -pl transcode-function dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=target/classpath.txt
cp="transcode-function/target/classes:$(cat transcode-function/target/classpath.txt)"

work=${BENCH_WORK:-$(mktemp -d)}
mkdir -p "$work"
java=(java --enable-native-access=ALL-UNNAMED -XX:+TieredCompilation -Djava.awt.headless=true -Djava.io.tmpdir="$work" -cp "$cp")
src="$work/src1080p30_${seconds}s.mp4"
if [ ! -s "$src" ]; then
  echo "making $src"
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=1920x1080:rate=30 \
    -f lavfi -i sine=frequency=440:sample_rate=48000 -t "$seconds" -c:v libx264 -preset veryfast -crf 18 \
    -pix_fmt yuv420p -c:a aac -b:a 128k -ac 2 "$src"
fi

measure() { # label command...
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" > "$work/$label.log" 2>&1 || { cat "$work/$label.log"; exit 1; }
  read -r wall user sys rss < "$work/time.txt"
  printf '%-7s wall %8.2f s  cpu %8.2f s  (%.3f CPU-s per source second)  peak RSS %5d MB\n' "$label" "$wall" \
    "$(echo "$user + $sys" | bc -l)" "$(echo "($user + $sys) / $seconds" | bc -l)" "$((rss / 1024))"
  echo "$user + $sys" | bc -l > "$work/$label.cpu"
}

rm -rf "$work/single" "$work/split"
measure single "${java[@]}" io.reel.transcode.encode.EncodeCommand "$src" "$work/single"
measure split "${java[@]}" io.reel.transcode.encode.EncodeCommand "$src" "$work/split" "--split=$chunk"
grep '^step\|^split' "$work/split.log"
printf 'CPU split/single = %.3f (goal <= 1.10)\n' "$(echo "$(cat "$work/split.cpu") / $(cat "$work/single.cpu")" | bc -l)"
for f in $(cd "$work/single" && find . -name '*.mp4' -not -path '*/hls/*' | sort) hls; do
  a=$(du -sb "$work/single/$f" | cut -f1); b=$(du -sb "$work/split/$f" | cut -f1)
  printf 'bytes %-12s single %11d  split %11d  split/single %.4f\n' "$f" "$a" "$b" "$(echo "$b / $a" | bc -l)"
done
a=$(du -sb "$work/single" | cut -f1); b=$(du -sb "$work/split" | cut -f1)
printf 'bytes all          single %11d  split %11d  split/single %.4f (goal within 2 %%)\n' "$a" "$b" "$(echo "$b / $a" | bc -l)"
rm -rf "$work"/reel-split-* "$work/single" "$work/split"
