#!/usr/bin/env bash
# Issue 16 benchmark: detail calls with sizes from the listing (docs/sync-modes.md) against today's count, same run, same Hub.
#   bench/sizes.sh                         # share 0.975 (the real list's), N = 10000 50000 200000
#   bench/sizes.sh --share 0.975 10000     # any share (fraction of listed repos that prove their size) and N list
#   bench/sizes.sh --share -1 10000 50000  # the stand-in generator's own mix (no conversion)
#   bench/sizes.sh --no-build ...          # use the jar already in target/
# Results: bench/results/sizes-<label>-<utc>.csv. Scratch: bench/out/work/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=1; SHARE=0.975; NS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --share) SHARE=$2; shift ;;
    *) NS+=("$1") ;;
  esac
  shift
done
if [ ${#NS[@]} -eq 0 ]; then NS=(10000 50000 200000); fi
. bench/lib.sh
build_product "$BUILD"
OUT=bench/out
PRODUCT=$OUT/product-sizes
snapshot_product "$PRODUCT"
compile_bench "$PRODUCT" "$OUT/classes-sizes"
CP="$ROOT/$OUT/classes-sizes:$ROOT/$PRODUCT/classes:$ROOT/$PRODUCT/lib/*"
LABEL=$( [ "$SHARE" = "-1" ] && echo generator-mix || echo "share${SHARE}" )
# one version file per invocation, with the stamp of the CSV SizesBench writes
STAMP=$(utc_stamp)
cp "$PRODUCT/VERSION" "bench/results/sizes-$LABEL-$STAMP.product-version.txt"
exec java -Xmx512m -Dbench.stamp="$STAMP" -cp "$CP" io.hfsync.bench.SizesBench --product "$PRODUCT" --classpath "$CP" \
  --out bench/results --work "$OUT/work" --share "$SHARE" --label "$LABEL" "${NS[@]}"
