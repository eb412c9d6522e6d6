#!/usr/bin/env bash
# Hub calls and wall time of a first full sync and a following incremental sync with 6 changed repos, on the
# demo snapshot (issue 3's note). Packages the product first when target/ has no jar.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
package_if_missing
compile_against_target bench/src/io/hfsync/bench/DemoIncrementalMeasure.java
exec java -cp "bench/out/classes:target/classes:target/lib/*" io.hfsync.bench.DemoIncrementalMeasure
