#!/usr/bin/env bash
# Issue 29 item 2, end to end with the packaged jar: a Hub whose listing page is 600 MiB (a hostile or broken Hub),
# against `java -Xmx256m -jar hf-gguf-sync.jar --once` and hub.max-answer-mb (32 MiB by default). Twice: with a
# Content-Length (refused before reading) and chunked (read up to the cap). Before the cap the run went out of memory
# with no metadata, no sync_runs row and a 601 MB spool file left in the temp directory.
#   bench/answer-cap.sh [--no-build]
# One row per case: exit code, wall seconds, peak RSS, the metadata's success and error, sync_runs rows, files left
# in the run's own java.io.tmpdir, OutOfMemoryError lines. Results: bench/results/answer-cap-<utc>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=1
for a in "$@"; do [ "$a" = --no-build ] && BUILD=0; done
. bench/lib.sh
build_product "$BUILD"
W=bench/out/work/answer-cap; rm -rf "$W"; mkdir -p "$W"
STAMP=$(utc_stamp)
OUT=bench/results/answer-cap-$STAMP.md
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# the Hub: /api/models answers a 600 MiB JSON array of repos, with a Content-Length or chunked ($2)
hub() {
  python3 - "$PORT" "$1" <<'PY'
import http.server, sys
MIB = 1024 * 1024
SIZE = 600 * MIB
chunked = sys.argv[2] == "chunked"
item = b'{"id":"big/Model-GGUF","lastModified":"2026-11-20T00:00:00.000Z","tags":["gguf"],"note":"' + b"x" * 4000 + b'"},'
body = b"[" + item * ((SIZE - 2) // len(item))
body = body + b" " * (SIZE - 1 - len(body)) + b"]"
class Hub(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        if not self.path.startswith("/api/models"):
            self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers(); return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding" if chunked else "Content-Length", "chunked" if chunked else str(SIZE))
        self.end_headers()
        sent = 0
        try:
            for i in range(0, SIZE, MIB):
                part = body[i:i + MIB]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part) if chunked else part)
                sent += len(part)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        print("%s: sent %d MiB of 600" % (sys.argv[2], sent // MIB), flush=True)
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Hub).serve_forever()
PY
}

run_case() {  # $1: content-length | chunked
  local D="$W/$1"; mkdir -p "$D/data" "$D/tmp"
  hub "$1" >> "$W/hub.log" 2>&1 &
  local HUB=$!
  for _ in $(seq 1 50); do timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" 2>/dev/null && break; sleep 0.2; done
  local start end code
  start=$(date +%s.%N)
  set +e
  /usr/bin/time -f "%M" -o "$D/rss" env HF_ENDPOINT="http://127.0.0.1:$PORT" DATA_DIR="$D/data" HUB_MAX_RETRIES=0 \
    java -Xmx256m -Djava.io.tmpdir="$D/tmp" -jar target/hf-gguf-sync.jar --once > "$D/out.log" 2>&1
  code=$?
  set -e
  end=$(date +%s.%N)
  kill $HUB 2>/dev/null; wait $HUB 2>/dev/null || true
  python3 - "$1" "$code" "$start" "$end" "$D" <<'PY'
import json, os, sqlite3, sys
name, code, start, end, d = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
rss = int(open(d + "/rss").read().split()[-1]) // 1024
try:
    m = json.load(open(d + "/data/last_sync_metadata.json"))
    meta = "success=%s: %s" % (m.get("success"), m.get("error_message"))
except Exception as e:
    meta = "none (%s)" % type(e).__name__
try:
    rows = sqlite3.connect(d + "/data/gguf_models.sqlite").execute("select count(*), max(success) from sync_runs").fetchone()
    runs = "%d row(s), success=%s" % rows
except Exception as e:
    runs = "none (%s)" % type(e).__name__
left = []
for root, dirs, files in os.walk(d + "/tmp"):
    for f in files:
        p = os.path.join(root, f)
        left.append("%s (%d MB)" % (os.path.relpath(p, d + "/tmp"), os.path.getsize(p) // 2**20))
oom = sum(1 for l in open(d + "/out.log", errors="replace") if "OutOfMemoryError" in l)
print("| %s | %s | %.1f | %d MB | %s | %s | %s | %d |" % (name, code, end - start, rss, meta, runs,
      ", ".join(left) or "none", oom))
PY
}
{
  echo "# A 600 MiB listing page against -Xmx256m (bench/answer-cap.sh), $STAMP"
  echo
  echo "- product: $(git rev-parse --short HEAD), \`java -Xmx256m -Djava.io.tmpdir=<its own dir> -jar target/hf-gguf-sync.jar --once\`,"
  echo "  HUB_MAX_RETRIES=0, hub.max-answer-mb at its default (32), $(nproc) cores"
  echo
  echo "| answer | exit | wall s | peak RSS | last_sync_metadata.json | sync_runs | files left in java.io.tmpdir | OutOfMemoryError lines |"
  echo "|---|---|---|---|---|---|---|---|"
  run_case content-length
  run_case chunked
  echo
  echo '```'
  cat "$W/hub.log"
  echo '```'
} | tee "$OUT"
