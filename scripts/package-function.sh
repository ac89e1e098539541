#!/usr/bin/env bash
# Builds one function module's Lambda artifact into ARTIFACTS_DIR: its classes at the root and its runtime jars under
# lib/, the layout of SAM's Java Maven builder. `sam build` runs it through the module's Makefile (the template gives
# every function Metadata: BuildMethod: makefile); by hand:
#   make -C auth-function build-AuthFunction ARTIFACTS_DIR=/tmp/pack
#   scripts/package-function.sh auth-function /tmp/pack [more Maven arguments]
#
# Why not SAM's own Maven builder: it copies only the CodeUri folder and runs `mvn clean install` there, so the parent
# POM and reel-core are not found (aws-sam-cli #1105) and the tests run again. This builds the module through the
# reactor of this checkout (-pl MODULE -am, tests skipped: ./test.sh runs them), so a change in core/ is always built
# in; samconfig.toml turns SAM's build cache off because that cache hashes only the CodeUri folder.
#
# sam build --parallel runs one Makefile per function at once, all in this checkout: the Maven runs take turns on a
# lock, or they would compile core/ into the same folder together. Maven runs offline first, then online if
# something is missing; REEL_OFFLINE=1 keeps it offline.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
module=${1:-}
out=${2:-${ARTIFACTS_DIR:-}}
if [ -z "$module" ] || [ -z "$out" ] || [ ! -f "$root/$module/pom.xml" ]; then
  echo "usage: $0 MODULE ARTIFACTS_DIR [Maven arguments]   (MODULE: auth-function, authorizer-function," \
    "media-function or transcode-function)" >&2
  exit 2
fi
shift 2
if [ -e "$out/lib" ]; then
  echo "package-function: $out already holds a lib/ folder; give an empty folder (sam build always does)." >&2
  exit 2
fi

. "$root/scripts/jdk.sh"
reel_use_jdk

lock="${TMPDIR:-/tmp}/reel-build-$(printf '%s' "$root" | cksum | cut -d' ' -f1).lock"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$lock"
  flock 9
fi

log=$(mktemp "${TMPDIR:-/tmp}/reel-package.XXXXXX")
trap 'rm -f "$log"' EXIT
build=(--batch-mode --no-transfer-progress -q -f "$root/pom.xml" -pl "$module" -am -DskipTests -Dreel.aws.calls.keep=true -Plambda "$@" package)
if [ -n "${REEL_OFFLINE:-}" ]; then
  mvn -o "${build[@]}" >&2
elif ! mvn -o "${build[@]}" >"$log" 2>&1; then
  echo "package-function: offline build failed, trying online..." >&2
  mvn "${build[@]}" >&2
fi

lambda="$root/$module/target/lambda"
if [ ! -d "$lambda/lib" ]; then
  echo "package-function: Maven left no $lambda/lib; is reel.lambda.skip false in $module/pom.xml?" >&2
  exit 1
fi
mkdir -p "$out"
cp -R "$lambda/." "$out/"
# sam build copies the module's folder, target/ included, to a scratch folder before each build: keep it small.
rm -rf "$lambda"
echo "package-function: $module -> $out ($(du -sm "$out" | cut -f1) MB unzipped)" >&2
