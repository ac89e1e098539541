#!/usr/bin/env bash
# The web page measured in headless Chromium (docs/performance.md, "Web page"): time to first frame (median of N
# interleaved runs: Reel's HLS and MP4, hls.js defaults, Chromium's own HLS, a bare MP4), the JavaScript each page
# loads (gzip), and Lighthouse 12.2.3 (performance, accessibility, best practices; median of 3, mobile defaults).
#   bench/web-page.sh [runs]      (default 5)
# Starts its own devserver (in memory, a free port, the demo video) and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
log=$(mktemp)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT

(cd bench/web && npm ci --no-audit --no-fund --prefer-offline --loglevel=error)
./run.sh --help >/dev/null   # builds the devserver and the page if anything changed
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
./run.sh --memory --port "$port" > "$log" 2>&1 &
pid=$!
until grep -q "Reel is running" "$log"; do
  kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.5
done
password=$(grep -E '^ +viewer +viewer +password ' "$log" | awk '{print $4}')
# The demo video must be READY before anything can be watched.
until grep -q "demo video READY" "$log"; do
  kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
  grep -q "demo video FAILED\|demo video not made" "$log" && { cat "$log"; exit 1; }
  sleep 1
done
node bench/web/measure.mjs "http://localhost:$port" viewer "$password" "$runs"
