#!/usr/bin/env bash
# The daemon as a catalog site runs it (issues 6 and 15): syncing while it serves the page, in one -Xmx256m heap.
#   bench/daemon-web.sh [N=200000] [--no-build]
# The bench Hub (its own JVM) serves N demo repos; the packaged jar runs as a daemon (SYNC_CRON every minute, the page
# on loopback, FETCH_FILE_SIZES=false and GGUF_HEADERS=false so the first sync costs listing calls only); after its first sync publishes,
# the Hub changes 0.5 % of the repos and wrk loads /api/models with distinct questions (bench/web-queries.lua) while
# the next run syncs the day and publishes a new file under the running server. Measured: both runs' metadata, the
# answers' latency during the day run, the page index read for each file, the daemon's heap (largest after a GC,
# live after a full GC at the end), OutOfMemoryError. Holds /tmp/hf-mvn.lock while it measures.
# Results: bench/results/daemon-web-<utc>.md. Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=1; N=200000
for a in "$@"; do
  case "$a" in
    --no-build) BUILD=0 ;;
    *) N=$a ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 2; }
. bench/lib.sh
build_product "$BUILD"
PRODUCT=$ROOT/bench/out/product-daemon-web
snapshot_product "$PRODUCT"
compile_bench "$PRODUCT" bench/out/classes-daemon-web
CP="$ROOT/bench/out/classes-daemon-web:$PRODUCT/classes:$PRODUCT/lib/*"
W=$ROOT/bench/out/work/daemon-web-$N
rm -rf "$W"; mkdir -p "$W"
STAMP=$(utc_stamp)
OUT=bench/results/daemon-web-$STAMP.md
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT

exec 9>/tmp/hf-mvn.lock
echo "waiting for /tmp/hf-mvn.lock (builds and other benchmarks)"
flock 9
java -Xmx6g -XX:+UseParallelGC -cp "$CP" io.hfsync.bench.BenchHub "$N" 42 > "$W/hub.out" 2>&1 &
HUB_PID=$!
trap 'kill $HUB_PID ${DAEMON:-} 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do grep -q '^READY' "$W/hub.out" && break; sleep 1; done
grep -q '^READY' "$W/hub.out" || { echo "the bench Hub did not start:"; tail "$W/hub.out"; exit 1; }
HUB=$(sed -n 's/^HUB //p' "$W/hub.out"); ADMIN=$(sed -n 's/^ADMIN //p' "$W/hub.out")

(cd "$PRODUCT" && HF_ENDPOINT=$HUB DATA_DIR=$W/data SYNC_CRON="0 * * * * ?" FETCH_FILE_SIZES=false GGUF_HEADERS=false \
  WEB_HOST=127.0.0.1 WEB_PORT=$PORT MANAGEMENT_HOST=127.0.0.1 MANAGEMENT_PORT=0 \
  exec java -Xmx256m -Xlog:gc,safepoint:file="$W/gc.log":time,uptime \
    -XX:StartFlightRecording=filename="$W/daemon.jfr",settings=default,dumponexit=true \
    -jar hf-gguf-sync.jar) > "$W/daemon.log" 2>&1 &
DAEMON=$!
# one published run's last_sync_time, or nothing
published() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["last_sync_time"])' \
  "$W/data/last_sync_metadata.json" 2>/dev/null || true; }
indexes() { grep -c "Catalog page index" "$W/daemon.log" || true; }
echo "waiting for the first sync of $N repos (cron: every minute)"
for _ in $(seq 1 1800); do [ -n "$(published)" ] && [ "$(indexes)" -ge 1 ] && break; sleep 1; done
FIRST=$(published)
[ -n "$FIRST" ] || { echo "no first sync:"; tail -20 "$W/daemon.log"; exit 1; }
FIRST_META=$(cat "$W/data/last_sync_metadata.json")
curl -fs -X POST "$ADMIN/mutate?updated=$((N / 200 * 9 / 10))&added=$((N / 200 / 10))&seed=7" > /dev/null
echo "first run published at $FIRST; the Hub changed 0.5 %; loading the page while the day runs"
wrk -t2 -c20 -d150s --latency -s bench/web-queries.lua "$BASE" -- distinct > "$W/wrk.txt" 2>&1 &
WRK=$!
# beside wrk, which counts timeouts but does not say when: one cached question every 100 ms on a connection of its
# own, its wall-clock start and latency, to set a stall beside the GC log, the JFR recording and the daemon's log
python3 bench/latency-probe.py "$BASE/api/models?q=qwen3&quantization=Q4_K_M" 150 "$W/probe.csv" &
PROBE=$!
for _ in $(seq 1 300); do [ "$(published)" != "$FIRST" ] && break; sleep 1; done
SECOND_META=$(cat "$W/data/last_sync_metadata.json")
# the load goes on to its end; the daemon syncs again every minute meanwhile (nothing changed on the Hub)
wait $WRK || true
wait $PROBE || true
jcmd $DAEMON GC.run > /dev/null
LIVE=$(jcmd $DAEMON GC.heap_info | sed -n 's/.*total \([0-9]*K\), used \([0-9]*K\).*/\2 used of \1/p')
kill $DAEMON; wait $DAEMON 2>/dev/null || true
meta() { python3 -c 'import json,sys; m=json.loads(sys.argv[1]); print(" | ".join(str(m.get(k)) for k in
  ["sync_mode", "success", "total_models", "models_added", "models_updated", "models_removed", "hub_requests",
   "sync_duration"]))' "$1"; }
{
  echo "# The daemon syncing while it serves the page: $N repos, -Xmx256m (bench/daemon-web.sh)"
  echo
  echo "- product: $(head -1 "$PRODUCT/VERSION")$(grep -q dirty "$PRODUCT/VERSION" && echo ' (locally modified)' || true), run $STAMP on $(nproc) cores"
  echo "- daemon: \`java -Xmx256m -jar hf-gguf-sync.jar\` with SYNC_CRON=\"0 * * * * ?\", FETCH_FILE_SIZES=false, GGUF_HEADERS=false, the page on loopback"
  echo "- load during the day run: \`wrk -t2 -c20 -d150s --latency -s bench/web-queries.lua $BASE -- distinct\`"
  echo
  echo "| run | mode | success | models | added | updated | removed | Hub calls | seconds |"
  echo "|---|---|---|---|---|---|---|---|---|"
  echo "| first | $(meta "$FIRST_META") |"
  echo "| day (0.5 %), under load | $(meta "$SECOND_META") |"
  echo
  echo "## /api/models during the day run"
  echo
  echo '```'
  sed -n '/Latency Distribution/,$p' "$W/wrk.txt"
  echo '```'
  echo
  echo "## Page index and heap"
  echo
  echo '```'
  grep -h "Catalog page index" "$W/daemon.log" | sed 's/^.*INFO  *CatalogReader *//'
  echo "largest heap after a GC: $(sed -n 's/.*->\([0-9]*\)M(.*/\1/p' "$W/gc.log" | sort -n | tail -1) MB (from -Xlog:gc)"
  echo "live after a full GC at the end: $LIVE"
  echo "runs reported: $(grep -c "SYNC MODE REPORT" "$W/daemon.log" || true), failed: $(grep -c "Result: FAILED" "$W/daemon.log" || true)"
  echo "OutOfMemoryError in the log: $(grep -c OutOfMemoryError "$W/daemon.log" || true)"
  echo '```'
  echo
  echo "## Stalls: the probe's answers over 500 ms, with the GC pauses and the daemon's log around them"
  echo
  echo '```'
  python3 bench/stalls.py "$W/probe.csv" "$W/gc.log" "$W/daemon.log"
  echo '```'
} | tee "$OUT"
echo "results: $OUT"
