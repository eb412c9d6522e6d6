#!/usr/bin/env bash
# hf-gguf-sync benchmark (issue 6). One command, from anywhere:
#   bench/run.sh                    # N = 10000 50000 200000, plus the 600 calls/min phase at N=10000
#   bench/run.sh 10000 50000        # any N list
#   bench/run.sh --smoke            # N=1000, no rate phase, fails (exit 1) if any phase fails; for CI
#   bench/run.sh --no-build ...     # use the jar already in target/ (e.g. when the working tree does not compile)
#   bench/run.sh --rate-only 10000  # only the rate-budget check: full sync, then 1000 changed at 600 calls/min
# Results: bench/results/bench-<utc>.csv and .md (smoke: bench/out/smoke/). Scratch: bench/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=1; SMOKE=0; NS=(); PASS=()
for a in "$@"; do
  case "$a" in
    --smoke) SMOKE=1 ;;
    --no-build) BUILD=0 ;;
    --rate-only) PASS+=(--rate-only) ;;   # only the first full sync + the 600 calls/min phase, at N=10000
    *) NS+=("$a") ;;
  esac
done
if [ "$SMOKE" = 1 ]; then NS=(1000); fi
if [ ${#NS[@]} -eq 0 ]; then NS=(10000 50000 200000); fi

. bench/lib.sh
build_product "$BUILD"
OUT=bench/out
PRODUCT=$OUT/product
snapshot_product "$PRODUCT"
compile_bench "$PRODUCT" "$OUT/classes"
CP="$ROOT/$OUT/classes:$ROOT/$PRODUCT/classes:$ROOT/$PRODUCT/lib/*"

if [ "$SMOKE" = 1 ]; then
  # --no-wait: the smoke measures nothing, so it does not wait for other builds (.ci/run may hold the build lock)
  RESULTS=$OUT/smoke; EXTRA=(--rate-n 0 --strict --no-wait)
else
  RESULTS=bench/results; EXTRA=(--rate-n 10000 --rate-changed 1000 --jfr-n 50000)
fi
exec java -Xmx512m -cp "$CP" io.hfsync.bench.BenchRunner --product "$PRODUCT" --classpath "$CP" \
  --out "$RESULTS" --work "$OUT/work" "${EXTRA[@]}" ${PASS[@]+"${PASS[@]}"} "${NS[@]}"
