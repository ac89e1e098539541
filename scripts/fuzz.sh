#!/usr/bin/env bash
# Runs every fuzz target (jqwik properties: *FuzzTest, *FuzzIT) with many tries, and nothing else.
#   scripts/fuzz.sh                 20,000 tries per target
#   scripts/fuzz.sh 100000          that many
#   scripts/fuzz.sh 5000 -o         any further arguments go to Maven (here: offline)
# An ordinary build (./test.sh) runs the same targets with each one's small default (@FuzzTarget's tries), about a
# minute in all. Each target writes <module>/target/fuzz/<target>.json: executions, distinct inputs, hangs, time, the
# seed, what the inputs reached and the slowest tries; a failure prints the shrunk input and its seed (-Dreel.fuzz.seed=
# replays it). jqwik keeps failing samples in <module>/target/jqwik-database and tries them first next time.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
reel_use_jdk
tries="${1:-20000}"
[ $# -gt 0 ] && shift
case "$tries" in ''|*[!0-9]*) echo "fuzz.sh: tries must be a whole number, not '$tries'" >&2; exit 2 ;; esac
modules=auth-function,authorizer-function,media-function,transcode-function,devserver
batch=()
[ -n "${CI:-}" ] && batch=(--batch-mode --no-transfer-progress)
rm -rf ./*/target/fuzz   # this run's figures only
status=0
mvn "${batch[@]}" -Dstyle.color=never verify -pl "$modules" -am -Dreel.fuzz.tries="$tries" \
  -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false -Dit.test='*FuzzIT' -Dfailsafe.failIfNoSpecifiedTests=false \
  "$@" || status=$?
echo
echo "fuzz.sh: $tries tries per target"
printf '%-22s %-11s %12s %16s %6s %10s\n' target status executions "distinct inputs" hangs seconds
for report in */target/fuzz/*.json; do
  [ -e "$report" ] || continue
  # The report's first occurrence of a field (the "slowest" list repeats "millis"): a number or a simple string.
  field() { grep -o "\"$1\":\"\{0,1\}[^,\"}]*" "$report" | head -n 1 | sed 's/.*:"\{0,1\}//'; }
  printf '%-22s %-11s %12s %16s %6s %10s\n' "$(field target)" "$(field status)" "$(field executions)" \
    "$(field distinctInputs)" "$(field hangs)" "$(awk "BEGIN { printf \"%.1f\", $(field millis) / 1000 }")"
done
exit "$status"
