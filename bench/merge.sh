#!/usr/bin/env bash
# Merge/diff plus catalog write on its own (issue 6): bench/merge.sh [N=200000] [rounds=5]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/hf-gguf-sync.jar ] || flock /tmp/hf-mvn.lock mvn -B -q package -DskipTests
mkdir -p bench/out/classes
javac -d bench/out/classes -cp "target/classes:target/lib/*" bench/src/io/hfsync/bench/MergeWriteBench.java
exec java -Xmx2g -cp "bench/out/classes:target/classes:target/lib/*" io.hfsync.bench.MergeWriteBench "$@"
