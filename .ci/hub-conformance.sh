#!/usr/bin/env bash
# Checks the stand-in Hub with the official Hugging Face JS client (../shared/tools/hub-conformance), so the
# tests cannot drift into a Hub only this product understands. Needs node/npm and target/ from a build.
set -euo pipefail
cd "$(dirname "$0")/.."
tool=../shared/tools/hub-conformance
if [ ! -f "$tool/check.mjs" ] || ! command -v npm >/dev/null; then
  echo "hub-conformance: skipped ($tool or npm not available)"
  exit 0
fi
work=$(mktemp -d)
trap 'kill "${hub_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
cp "$tool/package.json" "$tool/check.mjs" "$work/"
(cd "$work" && npm install --no-audit --no-fund --silent)
java -cp "target/classes:target/lib/*" io.hfsync.standin.StandInHub 0 2000 > "$work/hub.out" &
hub_pid=$!
for _ in $(seq 1 100); do grep -q '^http://127.0.0.1:' "$work/hub.out" 2>/dev/null && break; sleep 0.2; done
url=$(grep '^http://127.0.0.1:' "$work/hub.out")
count=$(sed -n 's/.* \([0-9]*\) listed with tag gguf (e.g. \(.*\))/\1/p' "$work/hub.out")
sample=$(sed -n 's/.* listed with tag gguf (e.g. \(.*\))/\1/p' "$work/hub.out")
(cd "$work" && node check.mjs "$url" "$count" "$sample")
