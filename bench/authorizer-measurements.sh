#!/usr/bin/env bash
# Whole-process measurements of the authorizer function: bench/authorizer-measurements.sh.
# Prints three cold starts: fresh JVM, emulators up first (not counted), handler built, first TOKEN decision.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
for _ in 1 2 3; do
  java --enable-native-access=ALL-UNNAMED -cp "$BENCH_CP" io.reel.bench.authorizer.AuthorizerMeasurements cold 2>/dev/null | grep -a 'cold:'
done
