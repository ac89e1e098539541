#!/usr/bin/env bash
# Builds what is missing, then starts Reel's local platform at http://localhost:3000 with data kept under .reel-data/.
#   ./run.sh              start (reuses the last build when no source changed; offline once built)
#   ./run.sh --port 8080  another port
#   ./run.sh --reset      wipe .reel-data/ first
#   ./run.sh --help       every option
# Needs a JDK 21+ (found by itself), Maven, and Node.js 20.19+ with npm for the web page.
# The JVM flags are scripts/jdk.sh's REEL_DEVSERVER_JVM_FLAGS: C1 only, for a start of ~3 s on 2 cores, and the
# parallel collector (~1,100-1,200 mixed API requests/s). REEL_JAVA_OPTS adds JVM options after them, e.g.
# REEL_JAVA_OPTS=-XX:TieredStopAtLevel=4 ./run.sh for the full JIT (docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")"
. scripts/jdk.sh
reel_use_jdk

stamp=devserver/target/.run-build-stamp
classpath=devserver/target/run-classpath.txt
if [ ! -f "$stamp" ] || [ ! -f "$classpath" ] || \
   [ -n "$(find pom.xml ./*/pom.xml ./*/src template.yaml -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  echo "run.sh: building the devserver and its functions (sources changed since the last build)..."
  # Offline first, so a machine that has built once needs no network; online if something is missing.
  build=(--batch-mode --no-transfer-progress -q -DskipTests -pl devserver -am install)
  cp_args=(--batch-mode --no-transfer-progress -q -pl devserver dependency:build-classpath
           -DincludeScope=runtime -Dmdep.outputFile=target/run-classpath.txt)
  mvn -o "${build[@]}" 2>/dev/null || mvn "${build[@]}"
  mvn -o "${cp_args[@]}" 2>/dev/null || mvn "${cp_args[@]}"
  touch "$stamp"
fi

# The web page (frontend/dist): npm ci when the lock changed, vite build when a source did, else nothing.
if ! scripts/frontend.sh build; then
  echo "run.sh: the web page could not be built (see above); the API still answers under /api" >&2
fi

# shellcheck disable=SC2086 # REEL_JAVA_OPTS is a list of options
exec java "${REEL_DEVSERVER_JVM_FLAGS[@]}" ${REEL_JAVA_OPTS:-} \
  -cp "devserver/target/classes:$(cat "$classpath")" io.reel.devserver.DevServerMain "$@"
