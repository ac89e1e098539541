#!/usr/bin/env bash
# Keeps, of Bouncy Castle's 8 MB provider jar in a Lambda artifact, the lightweight API core's Argon2idPasswordHasher
# uses (Argon2id, Blake2b, BCrypt for legacy hashes) with what it stands on: the crypto, math, asn1 and util packages
# (Blake2b's constructor asks CryptoServicesRegistrar, whose defaults reach into math and asn1), ~2.5 MB. Left out: the
# post-quantum algorithms, the JCA/JCE provider and X.509 (~5.5 MB). The auth function's Makefile runs it after scripts/package-function.sh; infra's SamBuildIT then builds
# the handler from the artifact alone, which hashes a password at start-up, so a class this leaves out fails the tests
# (say, after a Bouncy Castle upgrade), not a deploy. The jar is rebuilt unsigned and single-release: the lightweight
# API needs neither the provider's signature nor its newer-JDK class versions.
#   scripts/trim-bouncycastle.sh ARTIFACTS_DIR
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-${ARTIFACTS_DIR:-}}
[ -n "$dir" ] || { echo "usage: $0 ARTIFACTS_DIR" >&2; exit 2; }
shopt -s nullglob
jars=("$dir"/lib/org.bouncycastle.bcprov-*.jar)
if [ ${#jars[@]} -ne 1 ]; then
  echo "trim-bouncycastle: expected one Bouncy Castle provider jar under $dir/lib, found ${#jars[@]}" >&2
  exit 1
fi
jar=${jars[0]}

. "$root/scripts/jdk.sh"
reel_use_jdk

work=$(mktemp -d "${TMPDIR:-/tmp}/reel-bc.XXXXXX")
trap 'rm -rf "$work"' EXIT
keep='^org/bouncycastle/(crypto|math|asn1|util|internal)/.*\.class$'
"$JAVA_HOME/bin/jar" tf "$jar" | grep -E "$keep" > "$work/classes"
mkdir "$work/tree"
(cd "$work/tree" && xargs "$JAVA_HOME/bin/jar" xf "$jar" < "$work/classes")
before=$(du -k "$jar" | cut -f1)
rm -f "$jar"
"$JAVA_HOME/bin/jar" --create --file "$jar" -C "$work/tree" .
echo "trim-bouncycastle: $(basename "$jar") ${before} KB -> $(du -k "$jar" | cut -f1) KB ($(wc -l < "$work/classes") classes)" >&2
