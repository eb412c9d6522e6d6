package io.hfsync.bench;

import io.hfsync.standin.*;
import java.nio.file.*;
import java.time.*;
import java.util.*;

/** Issue 3 note: the demo snapshot, a first full sync, then 5 repos updated and 1 added, and an incremental sync; the product runs as java -jar. */
public final class DemoIncrementalMeasure {
    public static void main(String[] a) throws Exception {
        Instant day = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        HubSnapshot snap = DemoSnapshot.generate(42, DemoSnapshot.DEMO_SIZE, day);
        try (StandInHub hub = StandInHub.start(snap)) {
            hub.setRateLimitQuota(Integer.MAX_VALUE);
            Path data = Files.createTempDirectory("measure");
            run(hub, data, "first (full)");
            List<HubRepo> all = snap.all();
            Instant now = Instant.now();
            for (int i = 0; i < 5; i++) {
                HubRepo r = all.get(100 + i * 300);
                snap.put(r.withUpdate(String.format("%040x", i + 1), now.minusSeconds(60 * i), r.files()));
            }
            HubRepo t = all.get(7);
            snap.put(new HubRepo("newcomer/Fresh-8B-GGUF", "newcomer", String.format("%040x", 99), now, now, false, 1L, 0L,
                List.of("gguf"), null, "gguf", "llama", 8192L, 8_000_000_000L, t.files(), false));
            run(hub, data, "incremental (5 updated, 1 added)");
        }
    }

    static void run(StandInHub hub, Path data, String label) throws Exception {
        hub.resetCounters();
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", "target/hf-gguf-sync.jar", "--once")
            .redirectOutput(data.resolve(label.charAt(0) + ".log").toFile()).redirectErrorStream(true);
        pb.environment().put("HF_ENDPOINT", hub.baseUrl());
        pb.environment().put("DATA_DIR", data.toString());
        pb.environment().put("HUB_MAX_REQUESTS_PER_MINUTE", "60000");
        int code = pb.start().waitFor();
        double wall = (System.nanoTime() - t0) / 1e9;
        String md = Files.readString(data.resolve("last_sync_metadata.json"));
        System.out.printf("%s: exit %d, wall %.1fs (JVM start included), listing calls %d, detail calls %d, total %d%n  %s%n",
            label, code, wall, hub.listingRequests(), hub.detailRequests(), hub.requests(),
            md.replaceAll("\\s+", " ").replaceAll(".*\"sync_mode\"", "\"sync_mode\"").replaceAll(", \"error_message.*", ""));
    }
}
