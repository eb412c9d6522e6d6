#!/usr/bin/env bash
# Merge/diff plus catalog write on its own (issue 6): bench/merge.sh [N=200000] [rounds=5]
# Everything printed is kept in bench/results/merge-<utc>-n<N>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${1:-200000}
ROUNDS=${2:-5}
OUT=bench/results/merge-$(utc_stamp)-n$N.txt
exec > >(tee "$OUT") 2>&1
echo "bench/merge.sh $N $ROUNDS at $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src routes bench/src || echo ' + local changes')"
package_if_missing
compile_against_target bench/src/io/hfsync/bench/MergeWriteBench.java
java -Xmx2g -cp "bench/out/classes:target/classes:target/lib/*" io.hfsync.bench.MergeWriteBench "$N" "$ROUNDS"
