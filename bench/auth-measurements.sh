#!/usr/bin/env bash
# Whole-process measurements of the auth function: bench/auth-measurements.sh [pairs] (default 200).
# Prints the unknown-user / wrong-password timing parity (interleaved, one warm JVM) and three cold starts.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
java --enable-native-access=ALL-UNNAMED -cp "$BENCH_CP" io.reel.bench.auth.AuthMeasurements parity "${1:-200}" 2>/dev/null | grep -a 'parity:'
for _ in 1 2 3; do
  java --enable-native-access=ALL-UNNAMED -cp "$BENCH_CP" io.reel.bench.auth.AuthMeasurements cold 2>/dev/null | grep -a 'cold:'
done
