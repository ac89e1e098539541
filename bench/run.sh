#!/usr/bin/env bash
# Runs Reel's JMH benchmarks: bench/run.sh [JMH options, e.g. a benchmark name regex or -h].
# Results are printed and written to bench/target/jmh-result.json.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
reel_use_jdk
mvn --batch-mode -q -DskipTests -pl bench -am install
mvn --batch-mode -q -pl bench dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=target/classpath.txt
exec java --enable-native-access=ALL-UNNAMED -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  org.openjdk.jmh.Main -rf json -rff bench/target/jmh-result.json "$@"
