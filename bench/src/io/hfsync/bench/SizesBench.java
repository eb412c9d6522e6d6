package io.hfsync.bench;

import static io.hfsync.bench.BenchSupport.deleteTree;
import static io.hfsync.bench.BenchSupport.get;
import static io.hfsync.bench.BenchSupport.log;
import static io.hfsync.bench.BenchSupport.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 16's benchmark: detail calls of a first full sync and of a 0.5 % incremental day with sizes from the listing
 * (docs/sync-modes.md) against today's count (SIZES_FROM_LISTING=false), both measured in the same run on the same stand-in Hub.
 * Per N: one {@link BenchHub} with the given single-file share; the packaged product runs (a) today, (a) listing
 * sizes, each into its own DATA_DIR; then the Hub changes 0.5 % of N (90 % updated, 10 % new) and (b) runs auto
 * (incremental) for both. Arguments: {@code --product DIR --classpath CP --out DIR --work DIR --share S --label L N...}.
 */
public final class SizesBench {

    private static final ObjectMapper JSON = new ObjectMapper();
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
        Path csv = BenchSupport.resultsCsv(b.out, "sizes-" + b.label);
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
        try (BenchSupport.Hub hub = BenchSupport.startHub(dir, classpath, n, share)) {
            String hubUrl = hub.url();
            String admin = hub.admin();
            String[] single = hub.lines().get("SINGLE_FILE").split(" ");
            int eligible = Integer.parseInt(single[0]);
            int listed = Integer.parseInt(single[1]);
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
        }
    }

    private void phase(int n, int eligible, int listed, String phase, String setting, Path data, String hubUrl,
            String admin, Path dir, long expected) throws Exception {
        post(admin + "/reset");
        String tag = (phase.startsWith("a") ? "a" : "b") + "-" + ("true".equals(setting) ? "listing" : "today");
        Path outLog = dir.resolve("product-" + tag + ".log");
        log("N=" + n + " " + phase + " SIZES_FROM_LISTING=" + setting);
        long t0 = System.nanoTime();
        Process p = BenchSupport.startProduct(product, outLog, Map.of("HF_ENDPOINT", hubUrl,
                "DATA_DIR", data.toString(), "HUB_MAX_REQUESTS_PER_MINUTE", "200000", "MAX_CONCURRENCY", "4",
                "SIZES_FROM_LISTING", setting, "CATALOG_SQLITE", "false"), List.of("-Xmx256m"), "--once");
        String exit = BenchSupport.exitOf(p, PHASE_TIMEOUT_MIN);
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
}
