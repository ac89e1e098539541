# Sourced by the bench scripts: a JDK 21+, the bench module built, and BENCH_CP set to its runtime classpath.
. scripts/jdk.sh
reel_use_jdk
mvn --batch-mode -q -DskipTests -pl bench -am install
mvn --batch-mode -q -pl bench dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=target/classpath.txt
BENCH_CP="bench/target/classes:$(cat bench/target/classpath.txt)"
