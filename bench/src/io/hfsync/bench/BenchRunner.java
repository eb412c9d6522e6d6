package io.hfsync.bench;

import static io.hfsync.bench.BenchSupport.deleteTree;
import static io.hfsync.bench.BenchSupport.get;
import static io.hfsync.bench.BenchSupport.log;
import static io.hfsync.bench.BenchSupport.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives the benchmark: per N, a BenchHub process, then the packaged product as separate processes for each
 * phase, then the seed's way on the same Hub. Writes one CSV row per phase and a Markdown table.
 *
 * <p>Arguments: {@code --product DIR} (jar, lib/, application.properties, routes/; the product runs with this
 * as its working directory), {@code --classpath CP} (for the hub JVM), {@code --out DIR} (results),
 * {@code --work DIR} (scratch), {@code --rate-n N} (the N that gets the rate-limit phase, 0 for none),
 * {@code --rate-changed K}, {@code --jfr-n N} (record JFR during that N's first full sync), then the N list.
 */
public final class BenchRunner {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
    private static final long PHASE_TIMEOUT_MIN = 25;

    private Path product;
    private String hubClasspath;
    private Path out;
    private Path work;
    private int rateN;
    private int rateChanged = 1000;
    private int jfrN;
    private final List<Integer> ns = new ArrayList<>();
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private String stamp;
    private boolean strict;
    /** Off for the smoke: it checks that every phase succeeds and measures nothing, so it needs no quiet machine. */
    private boolean waitForQuiet = true;
    /** Only the first full sync and the 600 calls/min phase (at --rate-n). */
    private boolean rateOnly;
    /** "No limit" for the phases that measure the product, not the budget. Camel's TotalRequestsThrottler
     *  allocates one permit object per allowed call (24 B each): 10,000,000 alone fills a 256 MB heap. */
    private int highRpm = 200_000;

    public static void main(String[] args) throws Exception {
        BenchRunner r = new BenchRunner();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--product" -> r.product = Path.of(args[++i]).toAbsolutePath();
                case "--classpath" -> r.hubClasspath = args[++i];
                case "--out" -> r.out = Path.of(args[++i]).toAbsolutePath();
                case "--work" -> r.work = Path.of(args[++i]).toAbsolutePath();
                case "--rate-n" -> r.rateN = Integer.parseInt(args[++i]);
                case "--rate-changed" -> r.rateChanged = Integer.parseInt(args[++i]);
                case "--jfr-n" -> r.jfrN = Integer.parseInt(args[++i]);
                case "--strict" -> r.strict = true;
                case "--no-wait" -> r.waitForQuiet = false;
                case "--rate-only" -> r.rateOnly = true;
                case "--high-rpm" -> r.highRpm = Integer.parseInt(args[++i]);
                default -> r.ns.add(Integer.parseInt(args[i]));
            }
        }
        r.run();
    }

    private void run() throws Exception {
        stamp = BenchSupport.stamp();
        Files.createDirectories(out);
        Files.createDirectories(work);
        for (int n : ns) {
            runN(n);
        }
        Path version = product.resolve("VERSION");
        if (Files.exists(version)) Files.copy(version, out.resolve("bench-" + stamp + ".product-version.txt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        log("results: " + out.resolve("bench-" + stamp + ".csv") + " and .md");
        boolean failed = rows.stream().anyMatch(r -> !"0".equals(String.valueOf(r.get("exit"))));
        if (strict && failed) {
            log("FAILED: a phase did not exit 0 (--strict)");
            System.exit(1);
        }
    }

    private void runN(int n) throws Exception {
        log("=== N = " + n + " ===");
        Path dir = work.resolve("n" + n);
        deleteTree(dir);
        Files.createDirectories(dir);
        try (BenchSupport.Hub hub = BenchSupport.startHub(dir, hubClasspath, n)) {
            phases(n, dir, hub.url(), hub.admin());
        }
    }

    private void phases(int n, Path dir, String hubUrl, String admin) throws Exception {
        int changed = (int) Math.ceil(n * 0.005);
        int added = Math.max(1, changed / 10);
        int updated = changed - added;
        String heap = "256m";
        Path data = dir.resolve("data-" + heap);

        Map<String, Object> a = product(n, "a first full sync", heap, data, hubUrl, admin, Map.of(), dir, n == jfrN);
        if (!"0".equals(String.valueOf(a.get("exit")))) {
            notes.add("N=" + n + ": first full sync at -Xmx256m failed (" + a.get("note") + "); repeated with -Xmx2g");
            heap = "2g";
            data = dir.resolve("data-" + heap);
            a = product(n, "a first full sync", heap, data, hubUrl, admin, Map.of(), dir, false);
            if (!"0".equals(String.valueOf(a.get("exit")))) {
                notes.add("N=" + n + ": first full sync at -Xmx2g failed (" + a.get("note") + "); repeated with -Xmx8g");
                heap = "8g";
                data = dir.resolve("data-" + heap);
                a = product(n, "a first full sync", heap, data, hubUrl, admin, Map.of(), dir, false);
            }
            if (!"0".equals(String.valueOf(a.get("exit")))) {
                notes.add("N=" + n + ": first full sync failed at -Xmx8g too; later phases skipped");
                seed(n, hubUrl, admin);
                return;
            }
        }
        if (rateOnly) {
            ratePhase(n, dir, hubUrl, admin, heap, data);
            return;
        }
        String m = post(admin + "/mutate?updated=" + updated + "&added=" + added + "&seed=" + (n + 1));
        log("mutated: " + m);
        product(n, "b incremental, 0.5% changed", heap, data, hubUrl, admin, Map.of(), dir, false);
        product(n, "c full re-sync, nothing changed", heap, data, hubUrl, admin, Map.of("SYNC_MODE", "full"), dir, false);
        seed(n, hubUrl, admin);
        if (n == rateN) {
            ratePhase(n, dir, hubUrl, admin, heap, data);
        }
    }

    private void ratePhase(int n, Path dir, String hubUrl, String admin, String heap, Path data) throws Exception {
        {
            String mr = post(admin + "/mutate?updated=" + rateChanged + "&added=0&seed=" + (n + 2));
            log("mutated for the rate phase: " + mr);
            Map<String, String> env = new HashMap<>();
            env.put("SYNC_MODE", "incremental");
            env.put("HUB_MAX_REQUESTS_PER_MINUTE", "600");
            Map<String, Object> r = product(n, "r incremental at 600 calls/min", heap, data, hubUrl, admin, env, dir, false);
            String timeline = get(admin + "/timeline-ms");
            Path tl = out.resolve("rate-timeline-n" + n + ".csv");
            Files.writeString(tl, timeline);
            long exact = maxWindowMillis(timeline, 60_000);
            long[] w = maxWindow(get(admin + "/timeline"));
            r.put("max_calls_60s", exact);
            r.put("note", "max calls in any 60.00 s sliding window (10 ms samples): " + exact + " (limit 600); "
                    + "busiest second: " + w[1] + "; samples " + out.relativize(tl));
            writeResults();
        }
    }

    private Map<String, Object> product(int n, String phase, String heap, Path data, String hubUrl, String admin,
            Map<String, String> extraEnv, Path dir, boolean jfr) throws Exception {
        waitForNoBuild();
        post(admin + "/reset");
        JsonNode before = JSON.readTree(get(admin + "/counters"));
        String tag = phase.substring(0, 1) + "-" + heap;
        Path gcLog = dir.resolve("gc-" + tag + ".log");
        Path outLog = dir.resolve("product-" + tag + ".log");
        Path timeOut = dir.resolve("time-" + tag + ".txt");
        Files.deleteIfExists(gcLog);
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/time"))) {
            // GNU time gives the max RSS; without it (a machine without Debian's time package) RSS is left empty
            cmd.addAll(List.of("/usr/bin/time", "-f", "%M %e", "-o", timeOut.toString()));
        }
        cmd.addAll(List.of("java", "-Xmx" + heap, "-Xlog:gc:file=" + gcLog));
        if (jfr) {
            cmd.add("-XX:StartFlightRecording=filename=" + dir.resolve("product-" + tag + ".jfr") + ",settings=profile");
        }
        cmd.addAll(List.of("-jar", "hf-gguf-sync.jar", "--once"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(product.toFile())
                .redirectErrorStream(true).redirectOutput(outLog.toFile());
        pb.environment().put("HF_ENDPOINT", hubUrl);
        pb.environment().put("DATA_DIR", data.toString());
        pb.environment().put("HUB_MAX_REQUESTS_PER_MINUTE", Integer.toString(highRpm));
        // the GGUF header reads have a budget of their own (bench/headers.sh measures them): lifted like the API's,
        // or a first sync of 1,000 repos spends a minute pacing them at the free tier's 1,000 a minute
        pb.environment().put("HUB_MAX_RESOLVER_REQUESTS_PER_MINUTE", Integer.toString(highRpm));
        pb.environment().put("MAX_CONCURRENCY", "4");
        pb.environment().putAll(extraEnv);
        log("N=" + n + " phase " + phase + " -Xmx" + heap + " " + extraEnv);
        long t0 = System.nanoTime();
        Process p = pb.start();
        boolean done = p.waitFor(PHASE_TIMEOUT_MIN, TimeUnit.MINUTES);
        String exit;
        String note = "";
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(70, TimeUnit.SECONDS);
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            exit = "timeout";
            note = "stopped after " + PHASE_TIMEOUT_MIN + " min";
        } else {
            exit = Integer.toString(p.exitValue());
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        boolean buildDuring = !buildLockFree();
        JsonNode after = JSON.readTree(get(admin + "/counters"));
        String logText = Files.exists(outLog) ? Files.readString(outLog) : "";
        String oom = firstLine(logText, "OutOfMemoryError");
        if (oom != null) note = (note.isEmpty() ? "" : note + "; ") + oom.trim();
        else if (!"0".equals(exit)) {
            String err = firstLine(logText, "ERROR");
            if (err != null) note = (note.isEmpty() ? "" : note + "; ") + err.trim();
        }
        double[] gc = gc(gcLog);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("n", n);
        row.put("phase", phase);
        row.put("heap", "-Xmx" + heap);
        row.put("exit", exit);
        row.put("wall_s", round(wall));
        row.put("listing_calls", after.get("listing").asLong());
        row.put("detail_calls", after.get("detail").asLong());
        row.put("total_calls", after.get("total").asLong());
        row.put("peak_heap_used_mb", round(gc[0]));
        row.put("max_live_after_gc_mb", round(gc[1]));
        row.put("gc_count", (long) gc[2]);
        row.put("max_rss_mb", round(rssKb(timeOut) / 1024.0));
        Path catalog = data.resolve("gguf_models.json");
        row.put("catalog_bytes", Files.exists(catalog) ? Files.size(catalog) : 0);
        JsonNode meta = readJson(data.resolve("last_sync_metadata.json"));
        row.put("sync_mode", meta == null ? "" : meta.path("sync_mode").asText());
        row.put("catalog_models", meta == null ? "" : meta.path("total_models").asText());
        row.put("added", meta == null ? "" : meta.path("models_added").asText());
        row.put("updated", meta == null ? "" : meta.path("models_updated").asText());
        row.put("removed", meta == null ? "" : meta.path("models_removed").asText());
        long[] w = maxWindow(get(admin + "/timeline"));
        row.put("max_calls_60s", w[0]);
        row.put("hub_cpu_s", round((after.get("cpu_ms").asLong() - before.get("cpu_ms").asLong()) / 1000.0));
        row.put("build_lock_held_at_end", buildDuring);
        row.put("note", note);
        rows.add(row);
        log("  -> " + row);
        writeResults();
        return row;
    }

    private void seed(int n, String hubUrl, String admin) throws Exception {
        waitForNoBuild();
        post(admin + "/reset");
        JsonNode before = JSON.readTree(get(admin + "/counters"));
        log("N=" + n + " seed's way (every page, every repo's details, 4 in flight)");
        SeedClient.Result s = SeedClient.run(hubUrl, 4);
        JsonNode after = JSON.readTree(get(admin + "/counters"));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("n", n);
        row.put("phase", "seed's way (every page + every repo)");
        row.put("heap", "n/a");
        row.put("exit", s.failures() == 0 ? "0" : "failures=" + s.failures());
        row.put("wall_s", round(s.wallSeconds()));
        row.put("listing_calls", after.get("listing").asLong());
        row.put("detail_calls", after.get("detail").asLong());
        row.put("total_calls", after.get("total").asLong());
        for (String k : List.of("peak_heap_used_mb", "max_live_after_gc_mb", "gc_count", "max_rss_mb", "catalog_bytes",
                "sync_mode")) {
            row.put(k, "");
        }
        row.put("catalog_models", s.repos());
        for (String k : List.of("added", "updated", "removed")) {
            row.put(k, "");
        }
        row.put("max_calls_60s", maxWindow(get(admin + "/timeline"))[0]);
        row.put("hub_cpu_s", round((after.get("cpu_ms").asLong() - before.get("cpu_ms").asLong()) / 1000.0));
        row.put("build_lock_held_at_end", !buildLockFree());
        row.put("note", "client-side counts: " + s.listingCalls() + " listing, " + s.detailCalls() + " detail");
        rows.add(row);
        log("  -> " + row);
        writeResults();
    }

    // ---- results ----

    private void writeResults() throws IOException {
        if (rows.isEmpty()) return;
        StringBuilder csv = new StringBuilder(String.join(",", rows.get(0).keySet())).append('\n');
        for (Map<String, Object> r : rows) {
            List<String> cells = new ArrayList<>();
            for (Object v : r.values()) {
                String s = String.valueOf(v);
                cells.add(s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
            }
            csv.append(String.join(",", cells)).append('\n');
        }
        Files.writeString(out.resolve("bench-" + stamp + ".csv"), csv);
        StringBuilder md = new StringBuilder("| N | phase | heap | exit | wall s | listing calls | detail calls | "
                + "peak heap MB (max before GC) | max live MB (after GC) | RSS MB | catalog MB | mode | +added ~updated -removed | max calls in 60 s | hub CPU s |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : rows) {
            Object bytes = r.get("catalog_bytes");
            String mb = bytes instanceof Long l && l > 0 ? String.format(Locale.ROOT, "%.1f", l / 1048576.0) : "";
            String changes = String.valueOf(r.get("added")).isEmpty() ? "" : "+" + r.get("added") + " ~" + r.get("updated") + " -" + r.get("removed");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    r.get("n"), r.get("phase"), r.get("heap"), r.get("exit"), r.get("wall_s"), r.get("listing_calls"),
                    r.get("detail_calls"), r.get("peak_heap_used_mb"), r.get("max_live_after_gc_mb"), r.get("max_rss_mb"),
                    mb, r.get("sync_mode"), changes, r.get("max_calls_60s"), r.get("hub_cpu_s")));
        }
        for (Map<String, Object> r : rows) {
            if (!String.valueOf(r.get("note")).isEmpty()) md.append("\n- N=").append(r.get("n")).append(", ")
                    .append(r.get("phase")).append(" (").append(r.get("heap")).append("): ").append(r.get("note"));
        }
        for (String note : notes) md.append("\n- ").append(note);
        md.append('\n');
        Files.writeString(out.resolve("bench-" + stamp + ".md"), md);
    }

    /** Per-second buckets -> {max calls in any 60 consecutive seconds, max in one second}. */
    static long[] maxWindow(String timeline) {
        TreeMapHolder h = new TreeMapHolder();
        timeline.lines().skip(1).filter(l -> !l.isBlank()).forEach(l -> {
            String[] c = l.split(",");
            h.m.put(Long.parseLong(c[0]), Long.parseLong(c[1]) + Long.parseLong(c[2]));
        });
        long best = 0, bestSecond = 0;
        for (long start : h.m.keySet()) {
            long sum = h.m.subMap(start, true, start + 59, true).values().stream().mapToLong(Long::longValue).sum();
            best = Math.max(best, sum);
        }
        for (long v : h.m.values()) bestSecond = Math.max(bestSecond, v);
        return new long[] {best, bestSecond};
    }

    /** Max calls in any sliding window of {@code windowMs}, from "millis,listing,detail" samples. */
    static long maxWindowMillis(String samples, long windowMs) {
        List<long[]> pts = new ArrayList<>();
        samples.lines().skip(1).filter(l -> !l.isBlank()).forEach(l -> {
            String[] c = l.split(",");
            pts.add(new long[] {Long.parseLong(c[0]), Long.parseLong(c[1]) + Long.parseLong(c[2])});
        });
        long best = 0, sum = 0;
        int lo = 0;
        for (int hi = 0; hi < pts.size(); hi++) {
            sum += pts.get(hi)[1];
            while (pts.get(hi)[0] - pts.get(lo)[0] >= windowMs) {
                sum -= pts.get(lo++)[1];
            }
            best = Math.max(best, sum);
        }
        return best;
    }

    private static final class TreeMapHolder {
        final java.util.TreeMap<Long, Long> m = new java.util.TreeMap<>();
    }

    /** {peak used before any GC, max after GC, GC count}, in MB, from -Xlog:gc. */
    static double[] gc(Path log) throws IOException {
        double peak = 0, live = 0, count = 0;
        if (!Files.exists(log)) return new double[] {0, 0, 0};
        for (String line : Files.readAllLines(log)) {
            Matcher m = GC_LINE.matcher(line);
            if (m.find()) {
                peak = Math.max(peak, mb(m.group(1), m.group(2)));
                live = Math.max(live, mb(m.group(3), m.group(4)));
                count++;
            }
        }
        return new double[] {peak, live, count};
    }

    private static double mb(String v, String unit) {
        double d = Double.parseDouble(v);
        return switch (unit) { case "K" -> d / 1024; case "G" -> d * 1024; default -> d; };
    }

    private static double rssKb(Path timeOut) {
        try {
            String[] parts = Files.readString(timeOut).trim().split("\\s+");
            for (int i = parts.length - 2; i >= 0; i--) {
                if (parts[i].matches("\\d+")) return Double.parseDouble(parts[i]);
            }
        } catch (IOException | RuntimeException ignored) {
        }
        return 0;
    }

    // ---- helpers ----

    /** Waits (at most 10 min, so a caller that itself holds the lock cannot hang it) for other builds to end. */
    private void waitForNoBuild() throws Exception {
        if (!waitForQuiet) {
            return;
        }
        boolean said = false;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
        while (!buildLockFree() && System.nanoTime() < deadline) {
            if (!said) log("a Maven build holds /tmp/hf-mvn.lock; waiting before the next phase (at most 10 min)");
            said = true;
            Thread.sleep(5000);
        }
    }

    private static boolean buildLockFree() {
        try {
            return new ProcessBuilder("flock", "-n", "/tmp/hf-mvn.lock", "true").start().waitFor() == 0;
        } catch (Exception e) {
            return true;
        }
    }

    private static String firstLine(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).findFirst().map(l -> l.length() > 300 ? l.substring(0, 300) : l).orElse(null);
    }

    private static JsonNode readJson(Path p) {
        try {
            return Files.exists(p) ? JSON.readTree(p.toFile()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static double round(double d) {
        return Math.round(d * 10) / 10.0;
    }
}
