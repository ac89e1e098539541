#!/usr/bin/env bash
# Whole-process measurements of the auth function: bench/auth-measurements.sh [pairs] (default 200).
# Prints the unknown-user / wrong-password timing parity (interleaved, one warm JVM) and three cold starts.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
reel_use_jdk
mvn --batch-mode -q -DskipTests -pl bench -am install
mvn --batch-mode -q -pl bench dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=target/classpath.txt
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
java --enable-native-access=ALL-UNNAMED -cp "$cp" io.reel.bench.auth.AuthMeasurements parity "${1:-200}" 2>/dev/null | grep -a 'parity:'
for _ in 1 2 3; do
  java --enable-native-access=ALL-UNNAMED -cp "$cp" io.reel.bench.auth.AuthMeasurements cold 2>/dev/null | grep -a 'cold:'
done
