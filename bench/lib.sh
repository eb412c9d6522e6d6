# Sourced by the benchmark scripts: the steps they share, in one place.
# Expects the working directory to be the project root.

# utc_stamp — now, as every result file's name carries it: UTC, date with dashes, time without colons
# (2026-11-25T125608Z). The Java benches take it as -Dbench.stamp so their files and the scripts' share one stamp.
utc_stamp() {
  date -u +%Y-%m-%dT%H%M%SZ
}

# build_product 1|0 — 1: package the product (under the build lock, so no other build shares the 2 cores);
# either way the jar must be there afterwards.
build_product() {
  if [ "$1" = 1 ]; then
    echo "building the product (flock /tmp/hf-mvn.lock mvn -B -q package -DskipTests)"
    flock /tmp/hf-mvn.lock mvn -B -q package -DskipTests
  fi
  [ -f target/hf-gguf-sync.jar ] || { echo "target/hf-gguf-sync.jar missing: build first or drop --no-build"; exit 2; }
}

# snapshot_product DIR — the product as the Dockerfile lays it out (jar, lib/, application.properties, routes/ in one
# working directory) plus target/classes (the stand-in Hub, for the bench JVMs), copied so that a rebuild by someone
# else during a long run cannot change what is measured; DIR/VERSION names the commit and any locally modified file.
snapshot_product() {
  rm -rf "$1"; mkdir -p "$1"
  cp -r target/hf-gguf-sync.jar target/lib application.properties routes "$1"/
  cp -r target/classes "$1"/classes
  { git rev-parse HEAD 2>/dev/null || echo unknown
    git status --short -- src routes application.properties pom.xml 2>/dev/null | sed 's/^/dirty: /'; } > "$1/VERSION"
  echo "product: $(head -1 "$1/VERSION") $(grep -c dirty "$1/VERSION" || true) locally modified file(s)"
}

# compile_bench PRODUCT_DIR CLASSES_DIR — every benchmark class, against the snapshot's classes and libraries
compile_bench() {
  mkdir -p "$2"
  javac -d "$2" -cp "$1/classes:$1/lib/*" $(find bench/src -name '*.java')
}

# The short measurements (merge.sh, sqlite.sh, demo-measure.sh) run against target/ as it is, no snapshot:
# package_if_missing — the jar (and target/classes, target/lib), built under the build lock when absent
package_if_missing() {
  [ -f target/hf-gguf-sync.jar ] || flock /tmp/hf-mvn.lock mvn -B -q package -DskipTests
}

# compile_against_target FILE... — these benchmark sources into bench/out/classes, against target/classes and lib/
compile_against_target() {
  mkdir -p bench/out/classes
  javac -d bench/out/classes -cp "target/classes:target/lib/*" "$@"
}
