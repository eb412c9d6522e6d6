#!/usr/bin/env bash
# Issue 10 benchmark: a first sync killed (kill -9) and restarted, under a time-scaled free-tier quota. One command:
#   bench/resume.sh                  # N = 50000, 3 kills, 1,000 calls per 5 s, product at 9,000 calls/min
#   bench/resume.sh 20000            # another N
#   bench/resume.sh --no-build 50000 # use the jar already in target/
#   (the product runs with SIZES_FROM_LISTING=false: every model needs a detail call; bench/sizes.sh measures the shortcut)
# Results: bench/results/resume-<utc>.md and .csv. Scratch (data dir, product logs): bench/out/resume/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=1; ARGS=()
for a in "$@"; do
  case "$a" in
    --no-build) BUILD=0 ;;
    *) ARGS+=("$a") ;;
  esac
done
[ ${#ARGS[@]} -eq 0 ] && ARGS=(50000)

. bench/lib.sh
build_product "$BUILD"
OUT=bench/out/resume
PRODUCT=$OUT/product
snapshot_product "$PRODUCT"
compile_bench "$PRODUCT" "$OUT/classes"
# the whole bench holds the build lock: it runs the packaged jar for minutes on a shared 2-core machine
exec flock /tmp/hf-mvn.lock java -Xmx2g -cp "$ROOT/$OUT/classes:$ROOT/$PRODUCT/classes:$ROOT/$PRODUCT/lib/*" \
  io.hfsync.bench.ResumeBench --product "$PRODUCT" --out bench/results --work "$OUT/work" "${ARGS[@]}"
