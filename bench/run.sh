#!/usr/bin/env bash
# Runs Reel's JMH benchmarks: bench/run.sh [JMH options, e.g. a benchmark name regex or -h].
# Results are printed and written to bench/target/jmh-result.json.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
exec java --enable-native-access=ALL-UNNAMED -cp "$BENCH_CP" \
  org.openjdk.jmh.Main -rf json -rff bench/target/jmh-result.json "$@"
