#!/usr/bin/env bash
# Issue 18 benchmark: change events (docs/events.md) to the machine's Mosquitto on 127.0.0.1:1883 (QoS 1).
#   bench/events.sh                  # N = 200000: a first full sync's N model.added events within -Xmx256m, then a
#                                    # 0.5 % day (~N/200 events) delivered within 10 s of the catalog's publish
#   bench/events.sh 10000 50000      # any N list
#   bench/events.sh --no-build ...   # use the jar already in target/
# Results: bench/results/events-<utc>.csv. Scratch: bench/out/work/. The measurement holds /tmp/hf-mvn.lock, so it
# does not share the two cores with a build or another benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=1; NS=()
for a in "$@"; do
  case "$a" in
    --no-build) BUILD=0 ;;
    *) NS+=("$a") ;;
  esac
done
if [ ${#NS[@]} -eq 0 ]; then NS=(200000); fi
. bench/lib.sh
build_product "$BUILD"
timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/1883' || { echo "Mosquitto does not answer on 127.0.0.1:1883"; exit 2; }
OUT=bench/out
PRODUCT=$OUT/product-events
snapshot_product "$PRODUCT"
compile_bench "$PRODUCT" "$OUT/classes-events"
CP="$ROOT/$OUT/classes-events:$ROOT/$PRODUCT/classes:$ROOT/$PRODUCT/lib/*"
cp "$PRODUCT/VERSION" "bench/results/events.product-version.txt"
exec flock /tmp/hf-mvn.lock java -Xmx1g -Dbench.stamp="$(utc_stamp)" -cp "$CP" io.hfsync.bench.EventsBench --product "$PRODUCT" --classpath "$CP" \
  --out bench/results --work "$OUT/work" "${NS[@]}"
