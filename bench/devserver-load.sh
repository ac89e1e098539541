#!/usr/bin/env bash
# Load test of the devserver: requests through the TOKEN authorizer to a trivial handler, measured with wrk on
# loopback. Usage: bench/devserver-load.sh [seconds] [connections]. Extra JVM flags: JVM_FLAGS="...".
# The same token is sent on every request, so the authorizer answers from its ReauthorizeEvery cache after the
# first call, as API Gateway's does.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
seconds=${1:-20}
connections=${2:-16}
port=3999
. bench/lib.sh
java --enable-native-access=ALL-UNNAMED ${JVM_FLAGS:-} -cp "$BENCH_CP" \
  io.reel.bench.devserver.LoadTarget "$port" > bench/target/load-target.log 2>&1 &
target=$!
trap 'kill $target 2>/dev/null; wait $target 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do grep -q READY bench/target/load-target.log && break; sleep 0.1; done
url="http://127.0.0.1:$port/api/ping"
curl -sf -H "Authorization: Bearer bench-token" "$url" >/dev/null || { echo "devserver did not answer"; cat bench/target/load-target.log; exit 1; }
echo "warm-up (10 s)..."
wrk -t2 -c"$connections" -d10s -H "Authorization: Bearer bench-token" "$url" >/dev/null
echo "measured run (${seconds} s, ${connections} connections, JVM_FLAGS='${JVM_FLAGS:-}'):"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Authorization: Bearer bench-token" "$url"
