#!/usr/bin/env bash
# The catalog page's API under load (issue 15, docs/browser.md):
#   bench/web.sh [N=200000] [seconds=30] [connections=20] [--against COMMIT]
# Generates a demo-shaped catalog of N models and its SQLite file (as bench/sqlite.sh does; kept in bench/out/ for
# the next run), serves it with `java -Xmx256m -jar hf-gguf-sync.jar --serve` on loopback, and loads /api/models from
# wrk, a second process: each question's first answer, a warm-up, then two measured loads (bench/web-queries.lua):
# 12 repeated searches with a filter (the answer cache serves them) and 1,760 distinct search + filter + sort + page
# questions (read from SQLite), 880 distinct will-it-fit questions (fits_gb + context, by downloads or sort=size: the
# catalog is generated with the GGUF headers the stand-in's files carry, so every weights file has its memory), then
# the daemon's heap. With --against COMMIT, the same is measured first for that
# commit (built in a detached worktree under bench/out/), then for this checkout, in one run, side by side.
# Holds /tmp/hf-mvn.lock while it measures, so no build shares the 2 cores. Results: bench/results/web-<utc>.md.
# Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
AGAINST=""
POSITIONAL=()
while [ $# -gt 0 ]; do
  case "$1" in
    --against) AGAINST=$2; shift 2 ;;
    *) POSITIONAL+=("$1"); shift ;;
  esac
done
N=${POSITIONAL[0]:-200000}
SECONDS_RUN=${POSITIONAL[1]:-30}
CONNECTIONS=${POSITIONAL[2]:-20}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 2; }
[ -f target/hf-gguf-sync.jar ] || build_product 1
ROOT=$(pwd)
snapshot_product "$ROOT/bench/out/web-product"
PRODUCTS=()
if [ -n "$AGAINST" ]; then
  WT=$ROOT/bench/out/web-against-worktree
  git worktree remove --force "$WT" 2>/dev/null || rm -rf "$WT"
  git worktree add --detach "$WT" "$AGAINST" >/dev/null
  (cd "$WT" && build_product 1 && snapshot_product "$ROOT/bench/out/web-against")
  git worktree remove --force "$WT"
  PRODUCTS+=("$ROOT/bench/out/web-against")
fi
PRODUCTS+=("$ROOT/bench/out/web-product")
compile_bench bench/out/web-product bench/out/classes
CP="bench/out/classes:bench/out/web-product/classes:bench/out/web-product/lib/*"
# with GGUF headers (memory per file) since issue 26: a directory of its own, so an older catalog without is not reused
DIR=$ROOT/bench/out/work/web-$N-headers
if [ ! -f "$DIR/gguf_models.sqlite" ]; then
  rm -rf "$DIR"
  flock /tmp/hf-mvn.lock bash -c "java -Xmx4g -cp '$CP' io.hfsync.bench.SqliteRefreshBench generate '$DIR' '$N' \
    && java -Xmx256m -cp '$CP' io.hfsync.bench.SqliteRefreshBench sqlite '$DIR' 1"
fi
STAMP=$(utc_stamp)
OUT=bench/results/web-$STAMP.md
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
SUMMARY=bench/out/web-$STAMP.summary

exec 9>/tmp/hf-mvn.lock
echo "waiting for /tmp/hf-mvn.lock (builds and other benchmarks)"
flock 9

# wrk's latency percentile and requests/s from its output on stdin: "median p99 req/s timeouts"
wrk_figures() {
  awk '/^ +50%/ {m=$2} /^ +99%/ {p=$2} /^Requests\/sec/ {r=$2} /timeout/ {t=$NF} END {print m, p, r, (t ? t : 0)}'
}

# measure before|after PRODUCT_DIR: one product, start to end, as a section of the results
measure() {
  local label=$1 product=$2 log=bench/out/web-$STAMP-$1.log gclog=$ROOT/bench/out/web-$STAMP-$1.gc.log
  (cd "$product" && DATA_DIR=$DIR WEB_HOST=127.0.0.1 WEB_PORT=$PORT MANAGEMENT_HOST=127.0.0.1 MANAGEMENT_PORT=0 \
    exec java -Xmx256m -Xlog:gc:file="$gclog" -jar hf-gguf-sync.jar --serve) > "$log" 2>&1 &
  DAEMON=$!
  trap 'kill $DAEMON 2>/dev/null || true' EXIT
  for _ in $(seq 1 60); do curl -fs -o /dev/null "$BASE/api/runs" && break; sleep 1; done
  curl -fs -o /dev/null "$BASE/api/runs" || { echo "the daemon did not answer:"; tail -20 "$log"; exit 1; }
  echo "# $label: $(head -1 "$product/VERSION")$(grep -q dirty "$product/VERSION" && echo ' (locally modified)' || true)"
  echo
  echo "## First answer of each question, one client (the first also reads what the file's answers need)"
  echo
  echo "| query | HTTP | ms | total |"
  echo "|---|---|---|---|"
  for p in $(sed -n 's/^ *"\(\/api\/models?[^"]*\)",$/\1/p' bench/web-queries.lua); do
    r=$(curl -s -o bench/out/web-body.json -w '%{http_code} %{time_total}' "$BASE$p")
    total=$(python3 -c 'import json,sys; print(json.load(open("bench/out/web-body.json")).get("total"))')
    echo "| \`$p\` | ${r% *} | $(python3 -c "print(round(${r#* }*1000, 1))") | $total |"
  done
  echo
  echo "## Warm-up (10 s of the repeated questions, not counted)"
  echo
  echo '```'
  wrk -t2 -c"$CONNECTIONS" -d10s --latency -s bench/web-queries.lua "$BASE" 2>&1 | sed -n '/Latency Distribution/,/Requests\/sec/p'
  echo '```'
  local load
  for load in repeated distinct fits; do
    echo
    echo "## Measured: $load questions (\`wrk -t2 -c$CONNECTIONS -d${SECONDS_RUN}s --latency -s bench/web-queries.lua $BASE -- $load\`)"
    echo
    echo '```'
    wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -s bench/web-queries.lua "$BASE" -- $load 2>&1 \
      | tee bench/out/web-wrk.txt
    echo '```'
    echo "$label $load $(wrk_figures < bench/out/web-wrk.txt)" >> "$SUMMARY"
  done
  echo
  echo "## Daemon heap (-Xmx256m)"
  echo
  echo '```'
  echo "largest heap after a GC during the run: $(sed -n 's/.*->\([0-9]*\)M(.*/\1/p' "$gclog" | sort -n | tail -1) MB (from -Xlog:gc)"
  jcmd $DAEMON GC.run >/dev/null
  echo "live after a full GC at the end: $(jcmd $DAEMON GC.heap_info | sed -n 's/.*total \([0-9]*K\), used \([0-9]*K\).*/\2 used of \1/p')"
  echo "OutOfMemoryError in the log: $(grep -c OutOfMemoryError "$log" || true)"
  grep -h "Catalog page index" "$log" | sed 's/^.*INFO  *CatalogReader *//' || true
  echo '```'
  echo
  kill $DAEMON; wait $DAEMON 2>/dev/null || true
  trap - EXIT
}

{
  echo "# /api/models under load: $N models, $CONNECTIONS connections, ${SECONDS_RUN}s per load (bench/web.sh)"
  echo
  echo "- run $STAMP on $(nproc) cores; daemon: \`java -Xmx256m -jar hf-gguf-sync.jar --serve\` on bench/out/work/web-$N-headers ($(du -m "$DIR/gguf_models.sqlite" | cut -f1) MB SQLite)"
  echo "- load: wrk, a second process on loopback; the products one after the other in this run"
  echo
  for product in "${PRODUCTS[@]}"; do
    measure "$([ "$product" = "$ROOT/bench/out/web-against" ] && echo before || echo after)" "$product"
  done
  echo "# Summary"
  echo
  echo "| product | load | median | p99 | req/s | timeouts |"
  echo "|---|---|---|---|---|---|"
  while read -r label load median p99 rps timeouts; do
    echo "| $label: $(head -1 "$ROOT/bench/out/web-$([ "$label" = before ] && echo against || echo product)/VERSION" | cut -c1-7) | $load | $median | $p99 | $rps | $timeouts |"
  done < "$SUMMARY"
} | tee "$OUT"
echo "results: $OUT"
