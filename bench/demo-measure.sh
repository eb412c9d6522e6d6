#!/usr/bin/env bash
# Hub calls and wall time of a first full sync and a following incremental sync with 6 changed repos, on the
# demo snapshot (issue 3's note). Needs target/ from `mvn -B package -DskipTests`.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out/classes
javac -d bench/out/classes -cp "target/classes:target/lib/*" bench/src/io/hfsync/bench/DemoIncrementalMeasure.java
exec java -cp "bench/out/classes:target/classes:target/lib/*" io.hfsync.bench.DemoIncrementalMeasure
