#!/usr/bin/env bash
# Cold starts of the API functions against the plain SDK sample (issue #17): bench/cold-start.sh [runs] [--prime]
# [--only=media,auth,...]. Builds each function's Lambda artifact as `sam build` does (scripts/package-function.sh),
# then starts a fresh JVM per run with Lambda's java21 flags and times launch → first answer (or, with --prime, the
# first request after SnapStart's priming hooks). Default 10 interleaved runs per function.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
runs=${1:-10}
shift || true
artifacts=$(mktemp -d "${TMPDIR:-/tmp}/reel-artifacts.XXXXXX")
trap 'rm -rf "$artifacts"' EXIT
for f in auth authorizer media; do
  REEL_OFFLINE=${REEL_OFFLINE:-} scripts/package-function.sh "$f-function" "$artifacts/$f" 2>/dev/null
done
# The Bouncy Castle trim sam build applies to the auth function (its Makefile).
scripts/trim-bouncycastle.sh "$artifacts/auth" >/dev/null 2>&1
java -cp "$BENCH_CP" io.reel.bench.cold.ColdStart "$runs" "$artifacts" "$@" 2>&1 | grep -a -v '^WARNING\|^SLF4J'
