# Sourced by run.sh, test.sh and .ci/run: finds a JDK 21 or newer and exports JAVA_HOME.
# Order: $JAVA_HOME if new enough, then the newest JDK under /usr/lib/jvm, then `java` on the PATH.

reel_java_major() { # prints the major version of the java binary given, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

reel_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(reel_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      echo "$JAVA_HOME"; return 0
    fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(reel_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(reel_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then best="$candidate"; fi
  fi
  [ -n "$best" ] && echo "$best"
}

reel_use_jdk() {
  local found
  found=$(reel_find_jdk) || true
  if [ -z "$found" ]; then
    echo "Reel needs a JDK 21 or newer, and none was found (checked \$JAVA_HOME, /usr/lib/jvm/* and the PATH)." >&2
    echo "Install one (for example: apt-get install openjdk-21-jdk-headless) or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$found"
  export PATH="$JAVA_HOME/bin:$PATH"
  if [ "$(reel_java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
    # Maven's own Guava calls sun.misc.Unsafe; JDK 24+ warns on every build without this.
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    echo "Reel builds with Apache Maven 3.8 or newer, and 'mvn' is not on the PATH (apt-get install maven)." >&2
    return 1
  fi
}

# The devserver's JVM flags, as ./run.sh starts it (and the benchmarks that measure it): C1 only, for a start of ~3 s
# on 2 cores (the full JIT's profiling tiers add ~1.5 s), and the parallel collector, which on 2 cores gives C1 ~20 %
# more mixed requests/s than G1 with a lower p99 (docs/performance.md, issue #15).
REEL_DEVSERVER_JVM_FLAGS=(--enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:+UseParallelGC)
