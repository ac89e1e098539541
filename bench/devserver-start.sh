#!/usr/bin/env bash
# Start-to-ready of the local platform as ./run.sh starts it (warm build): from launching the JVM until it
# serves http://localhost:PORT/, as the JVM itself reports it. Usage: bench/devserver-start.sh [runs]. Uses a fresh data folder, so the
# first run creates the tables and buckets and the later ones find them (a restart).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=3998
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
./run.sh --help >/dev/null   # builds if anything changed, so the runs below measure a warm build
. scripts/jdk.sh
reel_use_jdk
cp="devserver/target/classes:$(cat devserver/target/run-classpath.txt)"
for i in $(seq 1 "$runs"); do
  java "${REEL_DEVSERVER_JVM_FLAGS[@]}" -cp "$cp" io.reel.devserver.DevServerMain \
    --port "$port" --data "$data" > "$data/run-$i.log" 2>&1 &
  pid=$!
  # Poll gently (a busy curl loop would steal CPU from the start being measured); the JVM reports its own times.
  until grep -q "Reel is running" "$data/run-$i.log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$data/run-$i.log"; exit 1; }
    sleep 0.25
  done
  curl -sf -o /dev/null "http://127.0.0.1:$port/" || { echo "ready but not answering"; exit 1; }
  grep -o "started in [0-9]* ms, ready [0-9]* ms after the JVM launched" "$data/run-$i.log" | sed "s/^/run $i: /"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
done
