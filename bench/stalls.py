#!/usr/bin/env python3
"""The probe's slow answers (bench/latency-probe.py, over 500 ms) with what happened meanwhile: GC pauses and
safepoints over 100 ms (-Xlog:gc,safepoint with time decorations) and the daemon's log lines in the same window.
   bench/stalls.py PROBE_CSV GC_LOG DAEMON_LOG"""
import csv
import datetime
import re
import sys

probe_csv, gc_log, daemon_log = sys.argv[1:4]
slow = []
with open(probe_csv) as f:
    for row in csv.DictReader(f):
        if float(row["latency_ms"]) > 500:
            slow.append((int(row["epoch_ms"]), float(row["latency_ms"]), row["status"]))

pauses = []  # (end epoch ms, ms, text)
stamp = re.compile(r"^\[(\d{4}-\d\d-\d\dT[\d:.]+)([+-]\d{4})\]")
for line in open(gc_log, errors="replace"):
    m = stamp.match(line)
    if not m:
        continue
    at = datetime.datetime.strptime(m.group(1) + m.group(2), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() * 1000
    ms = None
    g = re.search(r"\) ([\d.]+)ms$", line.strip())
    if g and "Pause" in line:
        ms = float(g.group(1))
    s = re.search(r"Total: (\d+) ns", line)
    if s:
        ms = int(s.group(1)) / 1e6
    if ms is not None and ms > 100:
        pauses.append((at, ms, line.strip()[m.end():].strip()))

log = []
today = None
for line in open(daemon_log, errors="replace"):
    m = re.match(r"^(\d\d):(\d\d):(\d\d)\.(\d\d\d) ", line)
    if m:
        log.append(((int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3))) * 1000 + int(m.group(4)),
                    line.rstrip()))

def utc_ms_of_day(epoch_ms):
    return int(epoch_ms) % 86_400_000

print("%d of the probe's answers took over 500 ms" % len(slow))
for start, latency, status in slow:
    end = start + latency
    t = datetime.datetime.utcfromtimestamp(start / 1000).strftime("%H:%M:%S.%f")[:-3]
    print("\n%s UTC: %.0f ms (%s)" % (t, latency, status))
    for at, ms, text in pauses:
        if start - 200 <= at <= end + 200:
            print("   GC/safepoint %.0f ms ending %s: %s" % (ms,
                  datetime.datetime.utcfromtimestamp(at / 1000).strftime("%H:%M:%S.%f")[:-3], text[:150]))
    lo, hi = utc_ms_of_day(start) - 2000, utc_ms_of_day(end) + 500
    for at, text in log:
        if lo <= at <= hi:
            print("   log " + text[:170])
