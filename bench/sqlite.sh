#!/usr/bin/env bash
# The catalog databases on their own (issue 14): bench/sqlite.sh [N=50000] [rounds=3] [with|without|both=both]
# Generates a demo-shaped catalog of N models, writes it as a run writes it (the JSON write phase of this catalog, timed,
# and what hashing each model as it is printed adds), times the SQLite file built from nothing and brought level after a
# 0.5 % day at -Xmx256m (the product's bound), some catalog-page queries, then, when PostgreSQL answers on 127.0.0.1:5432, the first load of a fresh database and a
# day with 0.5 % of the models changed (rows written, counted by the product).
# The third argument: the catalog with the GGUF headers the stand-in's files carry (every weights file with its memory
# per context, docs/memory.md), without them (weights alone), or both, one after the other in this run (default): the
# memory columns' cost side by side. Everything printed is kept in bench/results/sqlite-<utc>-n<N>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-50000}
ROUNDS=${2:-3}
VARIANTS=${3:-both}
[ "$VARIANTS" = both ] && VARIANTS="without with"
STAMP=$(utc_stamp)
OUT=bench/results/sqlite-$STAMP-n$N.txt
exec > >(tee "$OUT") 2>&1
echo "bench/sqlite.sh $N $ROUNDS ${3:-both} at $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src routes bench/src || echo ' + local changes')"
. bench/lib.sh
package_if_missing
compile_against_target bench/src/io/hfsync/bench/SqliteRefreshBench.java bench/src/io/hfsync/catalog/IndexCost.java \
    bench/src/io/hfsync/bench/MergeWriteBench.java
CP="bench/out/classes:target/classes:target/lib/*"
PG=
if pg_isready -q -h 127.0.0.1 -p 5432; then
  DB=hfsync_bench_$$
  PG="jdbc:postgresql://127.0.0.1:5432/$DB"
  trap 'psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"' EXIT
fi
for variant in $VARIANTS; do
  echo
  echo "=== catalog $variant GGUF headers ($([ "$variant" = with ] && echo 'memory per context on every weights file' || echo 'memory: the weights alone'))"
  export BENCH_HEADERS=$([ "$variant" = with ] && echo true || echo false)
  DIR=bench/out/work/sqlite-$N-$variant
  rm -rf "$DIR"
  if [ -n "$PG" ]; then
    psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
    psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE DATABASE $DB"
  fi
  # day 0: the first sync's files (SQLite built from nothing, PostgreSQL's first load)
  java -Xmx4g -cp "$CP" io.hfsync.bench.SqliteRefreshBench generate "$DIR" "$N"
  java -Xmx256m -cp "$CP" io.hfsync.bench.SqliteRefreshBench sqlite "$DIR" "$ROUNDS" build
  [ -z "$PG" ] || java -Xmx256m -cp "$CP" io.hfsync.bench.SqliteRefreshBench postgres "$DIR" "$PG"
  # day 1: 0.5 % of the models changed (SQLite: a copy of day 0's file brought level; PostgreSQL: the difference)
  java -Xmx4g -cp "$CP" io.hfsync.bench.SqliteRefreshBench generate "$DIR" "$N" 0.005 1
  java -Xmx256m -cp "$CP" io.hfsync.bench.SqliteRefreshBench sqlite "$DIR" "$ROUNDS" update
  [ -z "$PG" ] || java -Xmx256m -cp "$CP" io.hfsync.bench.SqliteRefreshBench postgres "$DIR" "$PG"
done
# the JSON write phase it is measured against, in the same run: merge + catalog write of N models (0.5 % changed)
java -Xmx2g -cp "$CP" io.hfsync.bench.MergeWriteBench "$N" "$ROUNDS"
echo "results: $OUT"
