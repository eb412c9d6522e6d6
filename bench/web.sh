#!/usr/bin/env bash
# The catalog page's API under load (issue 15, SPEC §9): bench/web.sh [N=200000] [seconds=30] [connections=20]
# Generates a demo-shaped catalog of N models and its SQLite file (as bench/sqlite.sh does; kept in bench/out/ for
# the next run), serves it with `java -Xmx256m -jar target/hf-gguf-sync.jar --serve` on loopback, and loads
# /api/models with searches that each carry a filter (bench/web-queries.lua, 12 of them in turn) from wrk, a second
# process: a warm-up, then the measured run. Also: each query's first answer (nothing cached yet), one query alone,
# and the daemon's heap after the run. Holds /tmp/hf-mvn.lock while it measures, so no build shares the 2 cores.
# Results: bench/results/web-<utc>.md. Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200000}
SECONDS_RUN=${2:-30}
CONNECTIONS=${3:-20}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 2; }
[ -f target/hf-gguf-sync.jar ] || flock /tmp/hf-mvn.lock mvn -B -q package -DskipTests
mkdir -p bench/out/classes bench/results
javac -d bench/out/classes -cp "target/classes:target/lib/*" $(find bench/src -name "*.java")
CP="bench/out/classes:target/classes:target/lib/*"
DIR=bench/out/work/web-$N
if [ ! -f "$DIR/gguf_models.sqlite" ]; then
  rm -rf "$DIR"
  flock /tmp/hf-mvn.lock bash -c "java -Xmx4g -cp '$CP' io.hfsync.bench.SqliteRefreshBench generate '$DIR' '$N' \
    && java -Xmx256m -cp '$CP' io.hfsync.bench.SqliteRefreshBench sqlite '$DIR' 1"
fi
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
OUT=bench/results/web-$STAMP.md
LOG=bench/out/web-$STAMP.log
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT

exec 9>/tmp/hf-mvn.lock
echo "waiting for /tmp/hf-mvn.lock (builds and other benchmarks)"
flock 9
DATA_DIR=$DIR WEB_HOST=127.0.0.1 WEB_PORT=$PORT MANAGEMENT_HOST=127.0.0.1 MANAGEMENT_PORT=0 \
  java -Xmx256m -Xlog:gc:file=bench/out/web-$STAMP.gc.log -jar target/hf-gguf-sync.jar --serve > "$LOG" 2>&1 &
DAEMON=$!
trap 'kill $DAEMON 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fs -o /dev/null "$BASE/api/runs" && break; sleep 1; done
curl -fs -o /dev/null "$BASE/api/runs" || { echo "the daemon did not answer:"; tail -20 "$LOG"; exit 1; }

PATHS=$(sed -n 's/^ *"\(\/api\/models?[^"]*\)",$/\1/p' bench/web-queries.lua)
{
  echo "# /api/models under load: $N models, $CONNECTIONS connections, ${SECONDS_RUN}s (bench/web.sh)"
  echo
  echo "- product: $(git rev-parse --short HEAD)$(git diff --quiet -- src routes || echo ' (dirty)'), run $STAMP on $(nproc) cores"
  echo "- daemon: \`java -Xmx256m -jar target/hf-gguf-sync.jar --serve\` on $DIR ($(du -m "$DIR/gguf_models.sqlite" | cut -f1) MB SQLite)"
  echo "- load: \`wrk -t2 -c$CONNECTIONS -d${SECONDS_RUN}s --latency -s bench/web-queries.lua $BASE\` (a second process, loopback)"
  echo
  echo "## First answer of each query (count not cached yet), one client"
  echo
  echo "| query | HTTP | ms | total |"
  echo "|---|---|---|---|"
  for p in $PATHS; do
    r=$(curl -s -o bench/out/web-body.json -w '%{http_code} %{time_total}' "$BASE$p")
    total=$(python3 -c 'import json,sys; print(json.load(open("bench/out/web-body.json")).get("total"))')
    echo "| \`$p\` | ${r% *} | $(python3 -c "print(round(${r#* }*1000, 1))") | $total |"
  done
  echo
  echo "## Warm-up (10 s, not counted)"
  echo
  echo '```'
  wrk -t2 -c"$CONNECTIONS" -d10s --latency -s bench/web-queries.lua "$BASE" 2>&1 | sed -n '/Latency Distribution/,/Requests\/sec/p'
  echo '```'
  echo
  echo "## Measured: the 12 queries in turn"
  echo
  echo '```'
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -s bench/web-queries.lua "$BASE" 2>&1
  echo '```'
  echo
  echo "## Measured: distinct questions (bench/web-queries-distinct.lua: 1,760 searches with a filter, a sort and a page; none repeats within the answer cache)"
  echo
  echo '```'
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -s bench/web-queries-distinct.lua "$BASE" 2>&1
  echo '```'
  echo
  echo "## One query alone: \`/api/models?q=qwen3&quantization=Q4_K_M\`"
  echo
  echo '```'
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency "$BASE/api/models?q=qwen3&quantization=Q4_K_M" 2>&1
  echo '```'
  echo
  echo "## Daemon heap (-Xmx256m)"
  echo
  echo '```'
  jcmd $DAEMON GC.heap_info 2>&1 | sed -n '2,4p'
  echo "largest heap after a GC during the run: $(sed -n 's/.*->\([0-9]*\)M(.*/\1/p' bench/out/web-$STAMP.gc.log | sort -n | tail -1) MB (from -Xlog:gc)"
  echo "OutOfMemoryError in the log: $(grep -c OutOfMemoryError "$LOG" || true)"
  echo '```'
} | tee "$OUT"
echo "results: $OUT"
