#!/usr/bin/env python3
"""One GET every 100 ms for SECONDS on a keep-alive connection of its own; writes epoch_ms,latency_ms,status per
request to OUT. Used beside wrk (bench/daemon-web.sh), which counts timeouts but does not say when they happened.
   bench/latency-probe.py URL SECONDS OUT"""
import http.client
import sys
import time
import urllib.parse

url, seconds, out = urllib.parse.urlsplit(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
path = url.path + ("?" + url.query if url.query else "")
end = time.time() + seconds
conn = None
with open(out, "w") as f:
    f.write("epoch_ms,latency_ms,status\n")
    while time.time() < end:
        start = time.time()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            status = response.status
        except Exception as e:  # a reset or a timeout: recorded, and a new connection next time
            status = type(e).__name__
            conn = None
        latency = (time.time() - start) * 1000
        f.write("%d,%.1f,%s\n" % (start * 1000, latency, status))
        f.flush()
        time.sleep(max(0.0, 0.1 - (time.time() - start)))
