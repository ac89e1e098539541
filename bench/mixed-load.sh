#!/usr/bin/env bash
# Mixed load on the local platform: starts the devserver (--memory, port 3997) as ./run.sh starts it, in its own JVM,
# waits until its demo video is READY, then runs io.reel.bench.load.MixedLoad against it: N virtual users in a closed
# loop (sign-in, catalogue, video, playback, HLS master and variant playlists, resume positions, now and then
# storyboard cues, a media segment from S3, an upload started and cancelled, a sign-in again), a warm-up, then the
# measured run. Reports requests/s, p50/p90/p99/max and errors per route, and the server's heap after a full GC and
# RSS at start, after the warm-up and after the run (bench/target/mixed-load.json has the same).
#   bench/mixed-load.sh [seconds] [users]       measured seconds (20), virtual users (16)
# Environment: WARMUP=seconds (10); PORT (3997); JVM_FLAGS=... for the devserver's JVM (after run.sh's own,
# scripts/jdk.sh's REEL_DEVSERVER_JVM_FLAGS, so -XX:TieredStopAtLevel=4 overrides its C1-only);
# LOAD_FLAGS=... more MixedLoad options (--help lists them).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
users=${2:-16}
warmup=${WARMUP:-10}
port=${PORT:-3997}
. scripts/jdk.sh
reel_use_jdk

# One reactor build of the bench and the devserver with their runtime classpaths beside them. Offline first (as
# run.sh), and `package`, not `install`: the shared ~/.m2 is left as it is.
build=(--batch-mode --no-transfer-progress -q -DskipTests -pl bench,devserver -am package dependency:build-classpath
       -DincludeScope=runtime -Dmdep.outputFile=target/mixed-load-classpath.txt)
mvn -o "${build[@]}" || mvn "${build[@]}"
bench_cp="bench/target/classes:$(cat bench/target/mixed-load-classpath.txt)"
server_cp="devserver/target/classes:$(cat devserver/target/mixed-load-classpath.txt)"

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "mixed-load: port $port is taken; stop what listens there or set PORT" >&2
  exit 1
fi
log=bench/target/mixed-load-devserver.log
# The devserver as ./run.sh runs it (its JVM flags), but in memory: every run starts from the same empty platform.
# shellcheck disable=SC2086
java "${REEL_DEVSERVER_JVM_FLAGS[@]}" ${JVM_FLAGS:-} -cp "$server_cp" \
  io.reel.devserver.DevServerMain --memory --port "$port" > "$log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
until grep -q "Reel is running" "$log"; do
  kill -0 "$server" 2>/dev/null || { echo "mixed-load: the devserver stopped:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.25
done
grep -o "started in [0-9]* ms, ready [0-9]* ms after the JVM launched" "$log" | sed "s/^/devserver pid $server: /"
echo "waiting for the demo video to be READY (it is transcoded in the background; a minute or so)..."
for _ in $(seq 1 2400); do
  grep -qE "demo video (READY|FAILED|not made|still not READY)" "$log" && break
  kill -0 "$server" 2>/dev/null || { echo "mixed-load: the devserver stopped:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.25
done
grep -E "demo video (READY|FAILED|not made|still not READY)" "$log" || { echo "mixed-load: no demo video after 10 min" >&2; exit 1; }
lines_before=$(wc -l < "$log")

# shellcheck disable=SC2086
java -cp "$bench_cp" io.reel.bench.load.MixedLoad --url "http://127.0.0.1:$port" --users "$users" --warmup "$warmup" \
  --duration "$seconds" --accounts-from "$log" --server-pid "$server" --await-video 60 \
  --json bench/target/mixed-load.json ${LOAD_FLAGS:-}

# What the server itself complained about while the load ran (after the demo video was made).
problems=$(tail -n +"$((lines_before + 1))" "$log" | grep -E ' (WARN|ERROR) |"level":"(WARN|ERROR)"' || true)
if [ -n "$problems" ]; then
  echo "devserver WARN/ERROR lines during the run: $(printf '%s\n' "$problems" | wc -l) (first 10 below; all in $log)"
  printf '%s\n' "$problems" | head -n 10 | cut -c1-400
else
  echo "devserver WARN/ERROR lines during the run: none ($log)"
fi
