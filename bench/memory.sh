#!/usr/bin/env bash
# The memory estimate's error against llama.cpp per family and context (docs/memory.md): KV cache, compute buffer
# and total (the file + KV cache + compute against every buffer llama.cpp allocated). Runs the memory proof
# (MemoryProofIT: tiny zero-weight models loaded in llama.cpp through node-llama-cpp's CPU binary) and commits its
# table as bench/results/memory-<utc>.csv with the commit it measured.
# Needs node and (cd src/test/node && npm install --omit=optional --no-save). Takes the build lock itself.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
export CI=true
flock /tmp/hf-mvn.lock mvn -B -q verify -Dit.test=MemoryProofIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dfailsafe.failIfNoSpecifiedTests=false
stamp=$(utc_stamp)
out="bench/results/memory-$stamp.csv"
cp target/memory-proof.csv "$out"
cp target/memory-proof-llama.log "bench/results/memory-$stamp.llama.jsonl"  # llama.cpp's own lines behind the table
# the CPU backend ggml chose for this machine (llama-memory.mjs prints it with every case): its repacked buffers differ
backend=$(grep -o '"backend":"[^"]*"' target/memory-proof-llama.log | head -1 | cut -d'"' -f4)
echo "# measured at $(git rev-parse --short HEAD), llama.cpp of node-llama-cpp 3.22.1 (CPU backend ${backend:-unknown}, flash attention, micro-batch 512)" \
    > "bench/results/memory-$stamp.product-version.txt"
column -s, -t < "$out"
echo "written: $out"
