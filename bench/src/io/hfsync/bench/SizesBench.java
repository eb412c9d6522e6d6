package io.hfsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issue 16's benchmark: detail calls of a first full sync and of a 0.5 % incremental day with sizes from the listing
 * (SPEC §7) against today's count (SIZES_FROM_LISTING=false), both measured in the same run on the same stand-in Hub.
 * Per N: one {@link BenchHub} with the given single-file share; the packaged product runs (a) today, (a) listing
 * sizes, each into its own DATA_DIR; then the Hub changes 0.5 % of N (90 % updated, 10 % new) and (b) runs auto
 * (incremental) for both. Arguments: {@code --product DIR --classpath CP --out DIR --work DIR --share S --label L N...}.
 */
public final class SizesBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long PHASE_TIMEOUT_MIN = 30;

    private Path product;
    private String classpath;
    private Path out;
    private Path work;
    private String share = "-1";
    private String label = "run";
    private final List<String> rows = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        SizesBench b = new SizesBench();
        List<Integer> ns = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--product" -> b.product = Path.of(args[++i]).toAbsolutePath();
                case "--classpath" -> b.classpath = args[++i];
                case "--out" -> b.out = Path.of(args[++i]).toAbsolutePath();
                case "--work" -> b.work = Path.of(args[++i]).toAbsolutePath();
                case "--share" -> b.share = args[++i];
                case "--label" -> b.label = args[++i];
                default -> ns.add(Integer.parseInt(args[i]));
            }
        }
        Files.createDirectories(b.out);
        String stamp = Instant.now().toString().replaceAll("[-:]", "").replaceAll("\\.\\d+", "");
        Path csv = b.out.resolve("sizes-" + b.label + "-" + stamp + ".csv");
        b.rows.add("n,share_target,eligible,listed,phase,sizes_from_listing_setting,exit,wall_s,listing_calls,detail_calls,"
                + "mode,added,updated,sizes_from_listing,details_pending,listing_sizes,expected_detail_calls");
        for (int n : ns) {
            b.runN(n);
            Files.write(csv, b.rows);
        }
        Files.write(csv, b.rows);
        System.out.println("results: " + csv);
    }

    private void runN(int n) throws Exception {
        Path dir = work.resolve("sizes-" + label + "-n" + n);
        deleteTree(dir);
        Files.createDirectories(dir);
        Path hubOut = dir.resolve("hub.out");
        Process hub = new ProcessBuilder("java", "-Xmx6g", "-XX:+UseParallelGC", "-cp", classpath,
                "io.hfsync.bench.BenchHub", Integer.toString(n), "42", share)
                .redirectErrorStream(true).redirectOutput(hubOut.toFile()).start();
        try {
            String hubUrl = null;
            String admin = null;
            int eligible = 0;
            int listed = 0;
            for (int i = 0; i < 1200 && hub.isAlive() && admin == null; i++) {
                List<String> lines = Files.readAllLines(hubOut);
                if (lines.contains("READY")) {
                    for (String line : lines) {
                        log("hub: " + line);
                        String[] p = line.split(" ");
                        switch (p[0]) {
                            case "HUB" -> hubUrl = p[1];
                            case "ADMIN" -> admin = p[1];
                            case "SINGLE_FILE" -> {
                                eligible = Integer.parseInt(p[1]);
                                listed = Integer.parseInt(p[2]);
                            }
                            default -> { }
                        }
                    }
                }
                Thread.sleep(500);
            }
            if (admin == null) {
                throw new IllegalStateException("hub did not start, see " + hubOut);
            }
            Path today = dir.resolve("data-today");
            Path shortcut = dir.resolve("data-listing");
            int sample = Math.max(5, (int) Math.ceil(eligible * 0.01));
            phase(n, eligible, listed, "a first full sync", "false", today, hubUrl, admin, dir, listed);
            phase(n, eligible, listed, "a first full sync", "true", shortcut, hubUrl, admin, dir,
                    listed - eligible + Math.min(sample, eligible));
            int changed = (int) Math.ceil(n * 0.005);
            int added = Math.max(1, changed / 10);
            String mutated = post(admin + "/mutate?updated=" + (changed - added) + "&added=" + added + "&seed=7");
            log("hub mutate: " + mutated);
            phase(n, eligible, listed, "b incremental 0.5% changed", "false", today, hubUrl, admin, dir, -1);
            phase(n, eligible, listed, "b incremental 0.5% changed", "true", shortcut, hubUrl, admin, dir, -1);
        } finally {
            hub.destroy();
            hub.waitFor(10, TimeUnit.SECONDS);
            hub.destroyForcibly();
        }
    }

    private void phase(int n, int eligible, int listed, String phase, String setting, Path data, String hubUrl,
            String admin, Path dir, long expected) throws Exception {
        post(admin + "/reset");
        String tag = (phase.startsWith("a") ? "a" : "b") + "-" + ("true".equals(setting) ? "listing" : "today");
        Path outLog = dir.resolve("product-" + tag + ".log");
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx256m", "-jar", "hf-gguf-sync.jar", "--once")
                .directory(product.toFile()).redirectErrorStream(true).redirectOutput(outLog.toFile());
        pb.environment().putAll(Map.of("HF_ENDPOINT", hubUrl, "DATA_DIR", data.toString(),
                "HUB_MAX_REQUESTS_PER_MINUTE", "200000", "MAX_CONCURRENCY", "4", "SIZES_FROM_LISTING", setting,
                "CATALOG_SQLITE", "false"));
        log("N=" + n + " " + phase + " SIZES_FROM_LISTING=" + setting);
        long t0 = System.nanoTime();
        Process p = pb.start();
        String exit;
        if (!p.waitFor(PHASE_TIMEOUT_MIN, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            exit = "timeout";
        } else {
            exit = Integer.toString(p.exitValue());
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        JsonNode counters = JSON.readTree(get(admin + "/counters"));
        JsonNode m = Files.exists(data.resolve("last_sync_metadata.json"))
                ? JSON.readTree(data.resolve("last_sync_metadata.json").toFile()) : JSON.createObjectNode();
        String row = String.join(",", List.of(Integer.toString(n), share, Integer.toString(eligible),
                Integer.toString(listed), phase, setting, exit, String.format(Locale.ROOT, "%.1f", wall),
                counters.path("listing").asText(), counters.path("detail").asText(), m.path("sync_mode").asText(""),
                m.path("models_added").asText(""), m.path("models_updated").asText(""),
                m.path("sizes_from_listing").asText(""), m.path("details_pending").asText(""),
                m.path("listing_sizes").asText(""), expected < 0 ? "" : Long.toString(expected)));
        rows.add(row);
        log(row);
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String post(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void log(String s) {
        System.out.println(Instant.now() + " " + s);
        System.out.flush();
    }
}
