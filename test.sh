#!/usr/bin/env bash
# Runs every test: unit tests (*Test) and integration tests (*IT) against in-process DynamoDB Local and S3Proxy.
#   ./test.sh                      all modules
#   ./test.sh -pl local-aws        one module (any Maven arguments are passed on)
#   ./test.sh -Dreel.aws=localstack  integration tests against LocalStack (needs Docker; skipped without it)
set -euo pipefail
cd "$(dirname "$0")"
. scripts/jdk.sh
reel_use_jdk
echo "test.sh: JDK $(reel_java_major "$JAVA_HOME/bin/java") at $JAVA_HOME" >&2
batch=()
[ -n "${CI:-}" ] && batch=(--batch-mode --no-transfer-progress)
exec mvn "${batch[@]}" -Dstyle.color=never verify "$@"
