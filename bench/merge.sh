#!/usr/bin/env bash
# Merge/diff plus catalog write on its own (issue 6): bench/merge.sh [N=200000] [rounds=5]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
package_if_missing
compile_against_target bench/src/io/hfsync/bench/MergeWriteBench.java
exec java -Xmx2g -cp "bench/out/classes:target/classes:target/lib/*" io.hfsync.bench.MergeWriteBench "$@"
