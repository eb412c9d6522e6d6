#!/usr/bin/env bash
# Issue 16 benchmark: detail calls with sizes from the listing (SPEC §7) against today's count, same run, same Hub.
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
if [ "$BUILD" = 1 ]; then
  echo "building the product (flock /tmp/hf-mvn.lock mvn -B -q package -DskipTests)"
  flock /tmp/hf-mvn.lock mvn -B -q package -DskipTests
fi
OUT=bench/out
PRODUCT=$OUT/product-sizes
rm -rf "$PRODUCT"; mkdir -p "$PRODUCT"
cp -r target/hf-gguf-sync.jar target/lib application.properties routes "$PRODUCT"/
cp -r target/classes "$PRODUCT"/classes
{ git rev-parse HEAD 2>/dev/null || echo unknown; git status --short -- src routes application.properties pom.xml 2>/dev/null | sed 's/^/dirty: /'; } > "$PRODUCT/VERSION"
mkdir -p "$OUT/classes-sizes"
javac -d "$OUT/classes-sizes" -cp "$PRODUCT/classes:$PRODUCT/lib/*" $(find bench/src -name '*.java')
CP="$ROOT/$OUT/classes-sizes:$ROOT/$PRODUCT/classes:$ROOT/$PRODUCT/lib/*"
LABEL=$( [ "$SHARE" = "-1" ] && echo generator-mix || echo "share${SHARE}" )
echo "product: $(head -1 "$PRODUCT/VERSION") $(grep -c dirty "$PRODUCT/VERSION" || true) locally modified file(s)"
# one version file per invocation, stamped like the CSV SizesBench writes (a minute apart at most)
cp "$PRODUCT/VERSION" "bench/results/sizes-$LABEL-$(date -u +%Y%m%dT%H%M%SZ).product-version.txt"
exec java -Xmx512m -cp "$CP" io.hfsync.bench.SizesBench --product "$PRODUCT" --classpath "$CP" \
  --out bench/results --work "$OUT/work" --share "$SHARE" --label "$LABEL" "${NS[@]}"
