#!/usr/bin/env bash
# Builds what is missing, then starts Reel's local platform with data kept under .reel-data/.
#   ./run.sh            start (reuses the last build when no source changed)
#   ./run.sh --reset    wipe .reel-data/ first
# Until the devserver lands (issue 3) this starts local AWS alone: DynamoDB Local and S3Proxy with the
# template's tables and buckets. The devserver will serve the web page and API at http://localhost:3000.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/jdk.sh
reel_use_jdk

args=()
for arg in "$@"; do
  case "$arg" in
    --reset) echo "run.sh: wiping .reel-data/"; rm -rf .reel-data ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) args+=("$arg") ;;
  esac
done

stamp=local-aws/target/.run-build-stamp
classpath=local-aws/target/run-classpath.txt
if [ ! -f "$stamp" ] || [ ! -f "$classpath" ] || \
   [ -n "$(find pom.xml */pom.xml */src template.yaml -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  echo "run.sh: building (sources changed since the last build)..."
  # Offline first, so a machine that has built once needs no network; online if something is missing.
  mvn_args=(--batch-mode --no-transfer-progress -q -DskipTests -pl local-aws -am install)
  mvn -o "${mvn_args[@]}" 2>/dev/null || mvn "${mvn_args[@]}"
  mvn -o --batch-mode -q -pl local-aws dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/run-classpath.txt \
    2>/dev/null || mvn --batch-mode -q -pl local-aws dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/run-classpath.txt
  touch "$stamp"
fi

mkdir -p .reel-data
exec java --enable-native-access=ALL-UNNAMED \
  -cp "local-aws/target/classes:$(cat "$classpath")" io.reel.localaws.LocalAwsMain --data .reel-data "${args[@]}"
