#!/usr/bin/env bash
# Issue 25 item 6: GGUF header reads (docs/gguf-headers.md), the packaged product against BenchHub.
#   bench/headers.sh                 # N = 200000 with the resolvers cap lifted (the product's own throughput, the heap
#                                    # at -Xmx256m) within TIMEOUT_HOURS=0.3, then 2000 at the default cap (the paced rate)
#   bench/headers.sh 50000 2000 1    # any N, any paced slice, the lifted run's TIMEOUT_HOURS
#   bench/headers.sh --no-build ...  # use the jar already in target/
#   bench/headers.sh 5000 300 0.05 3000  # and a phase `publish`: a first sync of 3000 repos at the default caps (150 API
#                                    # calls, 1,000 resolver calls a minute), TIMEOUT_HOURS=0.2: when the most downloaded
#                                    # 1,000 headers are read, counted from the first publish (a journal poller), and when
#                                    # they are in the published catalog file (a poller of gguf_models.json)
#   bench/headers.sh --publish-only --against COMMIT 5000 300 0.05 3000
#                                    # only the phase `publish`, first for COMMIT (built in a detached worktree under
#                                    # bench/out/), then for this checkout, one after the other in one run
# Per phase: a first sync (auto -> full) of a fresh DATA_DIR; resolver calls, file-host requests and bytes (the Hub's
# counters), the catalog's headers and bytes_read, the header phase's time (its two log lines), the heap after GC.
# Results: bench/results/headers-<utc>.md. Scratch: bench/out/work/headers/. Holds /tmp/hf-mvn.lock while measuring.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=1; NS=(); AGAINST=""; PUBLISH_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0; shift ;;
    --publish-only) PUBLISH_ONLY=1; shift ;;
    --against) AGAINST=$2; shift 2 ;;
    *) NS+=("$1"); shift ;;
  esac
done
N=${NS[0]:-200000}
PACED=${NS[1]:-2000}
# the lifted run's time budget: at 200k the header phase is measured over the slice the budget leaves it
BUDGET=${NS[2]:-0.3}
# the publish phase's repos (0: no publish phase)
PUBLISH=${NS[3]:-0}
. bench/lib.sh
build_product "$BUILD"
OUT=bench/out
PRODUCT=$OUT/product-headers
snapshot_product "$PRODUCT"
compile_bench "$PRODUCT" "$OUT/classes-headers"
CP="$ROOT/$OUT/classes-headers:$ROOT/$PRODUCT/classes:$ROOT/$PRODUCT/lib/*"
AGAINST_PRODUCT=""
if [ -n "$AGAINST" ]; then
  AGAINST_PRODUCT=$OUT/product-headers-against
  WT=$ROOT/$OUT/headers-against-worktree
  git worktree remove --force "$WT" 2>/dev/null || rm -rf "$WT"
  git worktree add --detach "$WT" "$AGAINST" >/dev/null
  (cd "$WT" && build_product 1 && snapshot_product "$ROOT/$AGAINST_PRODUCT")
  git worktree remove --force "$WT"
fi
WORK=$OUT/work/headers
rm -rf "$WORK"; mkdir -p "$WORK"
STAMP=$(utc_stamp)
RESULT=bench/results/headers-$STAMP.md

# phase NAME N RESOLVER_CAP(empty: the default) TIMEOUT_HOURS [API_CAP(empty: the default; unset: 200000)] [PRODUCT_DIR]
# — one first sync against a fresh BenchHub of N repos; the header journal's lines are timed as they appear
# (reads.tsv), and each model's first published catalog file holding its header read (catalog.tsv)
phase() {
  local name=$1 n=$2 cap=$3 budget=$4 api=${5-200000} product=${6:-$PRODUCT} dir=$WORK/$1
  mkdir -p "$dir/data"
  java -Xmx6g -cp "$CP" io.hfsync.bench.BenchHub "$n" 42 > "$dir/hub.log" 2>&1 &
  local hub_pid=$!
  for _ in $(seq 1 600); do grep -q '^READY' "$dir/hub.log" 2>/dev/null && break; sleep 0.5; done
  local hub admin
  hub=$(sed -n 's/^HUB //p' "$dir/hub.log"); admin=$(sed -n 's/^ADMIN //p' "$dir/hub.log")
  echo "phase $name: N=$n, resolvers cap ${cap:-default}, hub $hub"
  local started=$SECONDS
  python3 -u - "$dir/data/gguf_models.headers.jsonl" > "$dir/reads.tsv" <<'POLL' &
import json, os, sys, time, datetime
path, offset, rest = sys.argv[1], 0, b""
while True:
    try:
        size = os.path.getsize(path)
    except OSError:
        size = -1
    if 0 <= size < offset:
        offset, rest = 0, b""  # a publish emptied the journal
    if size > offset:
        with open(path, "rb") as f:
            f.seek(offset)
            data = f.read(size - offset)
        offset = size
        now = datetime.datetime.now().strftime("%H:%M:%S.%f")[:12]
        *lines, rest = (rest + data).split(b"\n")
        for line in lines:
            if line.strip():
                print(now, json.loads(line).get("id"), sep="\t")
    time.sleep(0.2)
POLL
  local poller=$!
  python3 -u - "$dir/data/gguf_models.json" > "$dir/catalog.tsv" <<'POLL' &
import json, os, sys, time, datetime
path, seen, published = sys.argv[1], None, set()
while True:
    try:
        stat = os.stat(path)
        key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = None
    if key is not None and key != seen:
        now = datetime.datetime.now().strftime("%H:%M:%S.%f")[:12]
        try:
            with open(path, "rb") as f:
                models = json.load(f)["models"]
            seen = key
            for m in models:
                if m["id"] not in published and (m.get("gguf_header") or m.get("gguf_header_error")):
                    published.add(m["id"])
                    print(now, m["id"], sep="\t")
        except (OSError, ValueError):
            pass
    time.sleep(0.2)
POLL
  local catalog_poller=$!
  set +e
  (cd "$product" && env -i PATH="$PATH" HOME="$HOME" HF_ENDPOINT="$hub" DATA_DIR="$ROOT/$dir/data" \
      ${api:+HUB_MAX_REQUESTS_PER_MINUTE=$api} MAX_CONCURRENCY=4 TIMEOUT_HOURS="$budget" \
      ${cap:+HUB_MAX_RESOLVER_REQUESTS_PER_MINUTE=$cap} \
      /usr/bin/time -f '%e s wall, %M KB max RSS' java -Xmx256m -Xlog:gc:file="$ROOT/$dir/gc.log" \
      -jar hf-gguf-sync.jar --once > "$ROOT/$dir/product.log" 2>&1)
  local exit=$?
  set -e
  kill "$poller" "$catalog_poller" 2>/dev/null || true; wait "$poller" "$catalog_poller" 2>/dev/null || true
  head -1 "$product/VERSION" > "$dir/version"
  echo "$exit" > "$dir/exit"; echo $((SECONDS - started)) > "$dir/wall"
  curl -s "$admin/counters" > "$dir/counters.json"
  kill "$hub_pid" 2>/dev/null || true; wait "$hub_pid" 2>/dev/null || true
  echo "phase $name: exit $exit in $((SECONDS - started)) s"
}

PHASES=""
[ "$PUBLISH_ONLY" = 1 ] || PHASES="phase lifted $N 1000000 $BUDGET; phase paced $PACED '' 6;"
[ -n "$AGAINST_PRODUCT" ] && [ "$PUBLISH" -gt 0 ] && PHASES="$PHASES phase publish-before $PUBLISH '' 0.2 '' $ROOT/$AGAINST_PRODUCT;"
[ "$PUBLISH" -gt 0 ] && PHASES="$PHASES phase publish $PUBLISH '' 0.2 '';"
flock /tmp/hf-mvn.lock bash -c "$(declare -f phase); $(declare -p WORK PRODUCT CP ROOT); $PHASES"

python3 - "$WORK" "$N" "$PACED" "$RESULT" "$(head -1 "$PRODUCT/VERSION")" "$PUBLISH" <<'EOF'
import json, re, sys, datetime, sqlite3
import os
work, n, paced, result, version, publish = sys.argv[1:]

def stamp(line):
    t = datetime.datetime.strptime(line[:12], "%H:%M:%S.%f")
    return t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6

def phase(name):
    d = f"{work}/{name}"
    log = open(f"{d}/product.log", encoding="utf-8", errors="replace").read().splitlines()
    start = next((l for l in log if "GGUF headers: " in l and "to read" in l), None)
    # the last slice's end: a run publishes while it reads (sync.publish-interval-seconds), each slice logs its own
    end = next((l for l in reversed(log) if "GGUF headers: " in l and "resolver calls" in l), None)
    seconds = (stamp(end) - stamp(start)) % 86400 if start and end else None
    counters = json.load(open(f"{d}/counters.json"))
    metadata = json.load(open(f"{d}/data/last_sync_metadata.json"))
    db = sqlite3.connect(f"{d}/data/gguf_models.sqlite")
    models, headers, errors, read_bytes = db.execute(
        "SELECT count(*), count(gguf_header), count(gguf_header_error),"
        " coalesce(sum(json_extract(gguf_header, '$.bytes_read')), 0) FROM models").fetchone()
    db.close()
    heap = 0
    for line in open(f"{d}/gc.log"):
        m = re.search(r"(\d+)M->(\d+)M\((\d+)M\)", line)
        if m:
            heap = max(heap, int(m.group(2)))
    rss = next((l for l in log if "max RSS" in l), "")
    reads = metadata.get("headers_read") or 0
    return dict(name=name, exit=open(f"{d}/exit").read().strip(), wall=int(open(f"{d}/wall").read()),
                models=models, headers=headers, errors=errors, reads=reads,
                pending=metadata.get("headers_pending"), resolver=metadata.get("resolver_calls"),
                hub_resolve=counters.get("resolve"), file_requests=counters.get("file_requests"),
                file_bytes=counters.get("file_bytes"), read_bytes=read_bytes, seconds=seconds,
                heap=heap, rss=rss, start=start[:12] if start else None)

rows = [phase(p) for p in ("lifted", "paced") if os.path.exists(f"{work}/{p}/exit")]
out = [f"# GGUF header reads, {datetime.datetime.utcnow().strftime('%Y-%m-%d %H:%M')} UTC",
       "", f"Product: {version}. `bench/headers.sh {n} {paced}`: a first sync (auto -> full) of a fresh DATA_DIR "
       "against BenchHub (DemoSnapshot seed 42), `-Xmx256m`, `HUB_MAX_REQUESTS_PER_MINUTE=200000`, `MAX_CONCURRENCY=4`, "
       "`HUB_MAX_RESOLVER_CONCURRENCY` default (8); `lifted` sets `HUB_MAX_RESOLVER_REQUESTS_PER_MINUTE=1000000`, "
       "`paced` keeps the default (1,000 = the free tier). The lifted run's `TIMEOUT_HOURS` ends its header phase "
       "(what it read is measured; the rest stays pending).", "",
       "| phase | exit | wall s | models | headers | reasons | pending | resolver calls (product / Hub) | per repo read | "
       "file-host requests | file-host bytes / read | bytes_read / header | header phase s | reads/min | max heap after GC |",
       "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
for r in rows:
    per = r["hub_resolve"] / r["reads"] if r["reads"] else 0
    rate = r["reads"] / r["seconds"] * 60 if r["seconds"] else 0
    out.append(f"| {r['name']} | {r['exit']} | {r['wall']} | {r['models']:,} | {r['headers']:,} | {r['errors']:,} | "
               f"{r['pending']} | {r['resolver']:,} / {r['hub_resolve']:,} | {per:.3f} | {r['file_requests']:,} | "
               f"{r['file_bytes'] / max(r['reads'], 1) / 1024:.1f} KiB | {r['read_bytes'] / max(r['headers'], 1) / 1024:.1f} KiB | "
               f"{r['seconds']:.1f} | {rate:,.0f} | {r['heap']} MB |")
out.append("")
out.append("Max RSS: " + "; ".join(f"{r['name']} {r['rss']}" for r in rows))

def first_publish(name, top=1000):
    # seconds from the first publish (the listing's catalog) to the 1,000th header read and to the last of the most
    # downloaded 1,000 models' reads (a header or a reason), timed by the journal poller; the detail phase's end is the
    # second publish
    d = f"{work}/{name}"
    log = open(f"{d}/product.log", encoding="utf-8", errors="replace").read().splitlines()
    published = [stamp(l) for l in log if "Catalog published" in l]
    took = [float(re.search(r"Publish took ([0-9.]+) s", l).group(1)) for l in log if "Publish took" in l]
    in_catalog = {}
    if os.path.exists(f"{d}/catalog.tsv"):
        for line in open(f"{d}/catalog.tsv"):
            t, model = line.rstrip("\n").split("\t")
            in_catalog.setdefault(model, stamp(t))
    reads = {}
    order = []
    for line in open(f"{d}/reads.tsv"):
        t, model = line.rstrip("\n").split("\t")
        if model not in reads:
            reads[model] = stamp(t)
            order.append(reads[model])
    db = sqlite3.connect(f"{d}/data/gguf_models.sqlite")
    ranked = [row[0] for row in db.execute("SELECT id FROM models ORDER BY downloads DESC, id LIMIT ?", (top,))]
    detailed_top = db.execute("SELECT count(*) FROM (SELECT details_pending FROM models ORDER BY downloads DESC, id"
                              " LIMIT ?) WHERE details_pending = 0", (top,)).fetchone()[0]
    db.close()
    t0 = published[0] if published else None
    since = lambda t: (t - t0) % 86400 if t is not None and t0 is not None else None
    nth = since(sorted(order)[top - 1]) if len(order) >= top else None
    top_times = [reads.get(m) for m in ranked]
    last_top = since(max(top_times)) if top_times and None not in top_times else None
    within = sum(1 for t in top_times if t is not None and since(t) <= 600)
    shown = [in_catalog.get(m) for m in ranked]
    last_shown = since(max(shown)) if shown and None not in shown else None
    shown_within = sum(1 for t in shown if t is not None and since(t) <= 600)
    fmt = lambda v: "—" if v is None else f"{v:.1f}"
    version = open(f"{d}/version").read().strip()[:7] if os.path.exists(f"{d}/version") else "?"
    return [f"Phase `{name}` ({version}; default caps: 150 API, 1,000 resolver calls a minute; TIMEOUT_HOURS=0.2): "
            f"publishes at +{', +'.join(fmt(since(p)) for p in published)} s from the first "
            f"(each took {', '.join(f'{t:.1f}' for t in took)} s); "
            f"{len(order):,} reads journaled; the 1,000th read at +{fmt(nth)} s; the last of the top {top:,} by downloads "
            f"read at +{fmt(last_top)} s, **in the catalog file at +{fmt(last_shown)} s**; {within:,} of the top {top:,} "
            f"read and {shown_within:,} in the catalog file within 600 s of the first publish; "
            f"{detailed_top:,} of them with their sizes read when the run ended."]

if int(publish) > 0:
    for name in ("publish-before", "publish"):
        if os.path.exists(f"{work}/{name}/exit"):
            out.append("")
            out += first_publish(name)
open(result, "w").write("\n".join(out) + "\n")
print("\n".join(out))
EOF
echo "results: $RESULT"
