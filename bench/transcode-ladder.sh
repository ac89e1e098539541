#!/usr/bin/env bash
# Issue #7's measurement, whole-process: a 1080p30 source (60 s by default, made here by the apt ffmpeg) becomes the
# full ladder (5 HLS rungs) + 2 MP4s + poster + storyboard through Reel's encoder (EncodeCommand: the same probe and
# FfmpegLadderEncoder the function runs, in a JVM of its own), and the same ladder and MP4s through the ffmpeg
# command line in ONE process with the same x264 preset and options, each rung encoded once and the MP4 rungs muxed
# twice with the tee muxer (since issue #16; before, both sides encoded the MP4s separately). The CLI is the `ffmpeg` program shipped in the
# very natives jar Reel loads (FFmpeg 7.1.1, same x264), so only the driving differs. The two alternate, ROUNDS times.
# Each side runs as it is fastest: Reel one thread per output, the CLI with its default threading. Each line: wall,
# user+sys CPU, peak RSS (GNU time). Run it on an otherwise idle machine.
#   bench/transcode-ladder.sh [rounds=3] [seconds=60]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-60}
. scripts/jdk.sh
reel_use_jdk
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)"; exit 1; }
[ -x /usr/bin/ffmpeg ] || { echo "needs the apt ffmpeg to make the source (apt-get install ffmpeg)"; exit 1; }
mvn --batch-mode -q -DskipTests -pl transcode-function -am install
mvn --batch-mode -q -pl transcode-function dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=target/classpath.txt
cp="transcode-function/target/classes:$(cat transcode-function/target/classpath.txt)"
java=(java --enable-native-access=ALL-UNNAMED -XX:+TieredCompilation -Djava.awt.headless=true -cp "$cp")

work=${BENCH_WORK:-$(mktemp -d)}
mkdir -p "$work"
src="$work/src1080p30_${seconds}s.mp4"
if [ ! -s "$src" ]; then
  echo "making $src"
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=1920x1080:rate=30 \
    -f lavfi -i sine=frequency=440:sample_rate=48000 -t "$seconds" -c:v libx264 -preset veryfast -crf 18 \
    -pix_fmt yuv420p -c:a aac -b:a 128k -ac 2 "$src"
fi
ff=$("${java[@]}" io.reel.transcode.encode.EncodeCommand --bundled-ffmpeg)
echo "CLI: $ff ($("$ff" -version | head -1))"

cli_args() { # out_dir: the ladder of cli_ladder.sh (docs/research/transcode-encoder), in one process
  local out=$1
  local v="-c:v libx264 -preset veryfast -profile:v high -pix_fmt yuv420p -fps_mode passthrough
     -force_key_frames expr:gte(t,n_forced*2) -forced-idr 1 -g 120 -x264-params scenecut=0:open-gop=0"
  local a="-c:a aac -b:a 128k -ac 2"
  hls() { echo "-map [v$1] -map 0:a $v -b:v $2k -maxrate $(($2*11/10))k -bufsize $(($2*2))k $a -f hls -hls_time 6
     -hls_playlist_type vod -hls_list_size 0 -hls_flags independent_segments -hls_segment_type fmp4
     -hls_fmp4_init_filename $1/init.mp4 -hls_base_url $1/ -hls_segment_filename $out/hls/$1/segment_%05d.m4s
     $out/hls/$1.m3u8"; }
  # A rung that also has an MP4 is encoded once and muxed twice (the tee muxer): issue #16's anchor, the same
  # smart work Reel does (it remuxes the rung's HLS into the MP4).
  hls_and_mp4() { echo "-map [v$1] -map 0:a $v -b:v $2k -maxrate $(($2*11/10))k -bufsize $(($2*2))k $a -f tee
     [f=hls:hls_time=6:hls_playlist_type=vod:hls_list_size=0:hls_flags=independent_segments:hls_segment_type=fmp4:hls_fmp4_init_filename=$1/init.mp4:hls_base_url=$1/:hls_segment_filename=$out/hls/$1/segment_%05d.m4s]$out/hls/$1.m3u8|[f=mp4:movflags=+faststart]$out/$1.mp4"; }
  echo "-hide_banner -loglevel error -y -i $src -filter_complex
    [0:v]split=5[a][b][c][d][e];[a]scale=416:234:flags=bicubic[v234p];[b]scale=640:360:flags=bicubic[v360p];[c]scale=960:540:flags=bicubic[v540p];[d]scale=1280:720:flags=bicubic[v720p];[e]null[v1080p]
    $(hls 234p 145) $(hls 360p 365) $(hls_and_mp4 540p 2000) $(hls 720p 3000) $(hls_and_mp4 1080p 6000)"
}

measure() { # label command...
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" > "$work/out.log" 2>&1 || { cat "$work/out.log"; exit 1; }
  read -r wall user sys rss < "$work/time.txt"
  printf '%-8s wall %7.2f s  realtime %5.2fx  cpu %7.2f s  peak RSS %5d MB\n' "$label" "$wall" \
    "$(echo "$seconds / $wall" | bc -l)" "$(echo "$user + $sys" | bc -l)" "$((rss / 1024))"
  echo "$wall" > "$work/$label.wall"
}

for r in $(seq 1 "$rounds"); do
  measure "reel" "${java[@]}" io.reel.transcode.encode.EncodeCommand "$src" "$work/reel-$r"
  rm -rf "$work/cli-$r"; mkdir -p "$work/cli-$r"/hls/{234p,360p,540p,720p,1080p}
  set -f   # the arguments hold '*' and '[': split them into words, never expand them as file names
  # shellcheck disable=SC2046
  measure "cli" "$ff" $(cli_args "$work/cli-$r")
  set +f
  printf 'round %d: reel/cli = %.3f\n' "$r" "$(echo "$(cat "$work/reel.wall") / $(cat "$work/cli.wall")" | bc -l)"
  rm -rf "$work/reel-$r" "$work/cli-$r"
done
