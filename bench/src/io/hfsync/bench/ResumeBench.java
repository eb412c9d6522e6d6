package io.hfsync.bench;

import static io.hfsync.bench.BenchSupport.deleteTree;
import static io.hfsync.bench.BenchSupport.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.standin.DemoSnapshot;
import io.hfsync.standin.HubRepo;
import io.hfsync.standin.HubSnapshot;
import io.hfsync.standin.StandInHub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Issue 10's benchmark: a first sync of N repos under a stand-in quota shaped like the Hub's free tier but
 * time-scaled (QUOTA calls per WINDOW seconds instead of per 300 s), killed with {@code kill -9} in its detail phase
 * KILLS times and restarted with the defaults (auto mode), then left to finish. The product is the packaged jar,
 * started as a user starts it; the stand-in Hub runs in this JVM so that every request is attributed exactly.
 *
 * <p>Per run: seconds until the catalog is first published, listing / detail calls, 429 answers, and at each kill the
 * share of the 1,000 most downloaded models whose sizes are published (and durable: catalog plus journal). Over all
 * runs: wasted detail calls (the same model fetched twice with a 200), of which "asked again although on disk" must
 * be 0; total calls against the minimum (one complete listing + one detail per listed model).
 *
 * <p>The product runs with {@code SIZES_FROM_LISTING=false}: every listed model then needs its detail call, the
 * worst case for resuming, and the minimum below (one detail per listed model) holds. With the shortcut of docs/sync-modes.md
 * "Sizes the listing already proves", single-file repos are sized in the first publish and never pending;
 * bench/sizes.sh measures that.
 *
 * <p>Arguments: {@code --product DIR --out DIR --work DIR [--kills 3] [--quota 1000] [--window-seconds 5]
 * [--rpm 9000] N}.
 */
public final class ResumeBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TOP = 1000;

    private final Path product;
    private final Path dataDir;
    private final Path logDir;
    private final int rpm;
    private StandInHub hub;
    private Map<String, String> shas;
    private List<String> top;

    private ResumeBench(Path product, Path work, int rpm) {
        this.product = product;
        this.dataDir = work.resolve("data");
        this.logDir = work;
        this.rpm = rpm;
    }

    public static void main(String[] args) throws Exception {
        Path product = null;
        Path out = null;
        Path work = null;
        int kills = 3;
        int quota = 1000;
        int windowSeconds = 5;
        int rpm = 9000;
        int n = 50_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--product" -> product = Path.of(args[++i]).toAbsolutePath();
                case "--out" -> out = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]).toAbsolutePath();
                case "--kills" -> kills = Integer.parseInt(args[++i]);
                case "--quota" -> quota = Integer.parseInt(args[++i]);
                case "--window-seconds" -> windowSeconds = Integer.parseInt(args[++i]);
                case "--rpm" -> rpm = Integer.parseInt(args[++i]);
                default -> n = Integer.parseInt(args[i]);
            }
        }
        Objects.requireNonNull(product, "--product");
        Objects.requireNonNull(out, "--out");
        Objects.requireNonNull(work, "--work");
        Files.createDirectories(out);
        deleteTree(work);
        Files.createDirectories(work.resolve("data"));
        new ResumeBench(product, work, rpm).run(n, kills, quota, windowSeconds, out);
    }

    private record Run(int number, boolean killed, int exit, double wallSeconds, double firstPublishSeconds,
            int listing, int detail, int rateLimited, int topPublished, int topDurable, int pendingAfter,
            int askedAgainDurable) {
    }

    private void run(int n, int kills, int quota, int windowSeconds, Path out) throws Exception {
        Instant started = Instant.now();
        HubSnapshot snapshot = DemoSnapshot.generate(42, n, Instant.now().minus(Duration.ofDays(3)));
        shas = new HashMap<>();
        List<HubRepo> listed = new ArrayList<>();
        for (HubRepo r : snapshot.all()) {
            if (!r.isPrivate() && (r.hasTag("gguf")
                    || (r.id().toLowerCase(Locale.ROOT).contains("gguf") && r.hasGgufFile()))) {
                listed.add(r);
                shas.put(r.id(), r.sha());
            }
        }
        listed.sort(Comparator.comparingLong((HubRepo r) -> r.downloads() == null ? -1 : r.downloads()).reversed()
                .thenComparing(HubRepo::id));
        top = listed.subList(0, Math.min(TOP, listed.size())).stream().map(HubRepo::id).toList();
        int models = listed.size();
        log("hub: " + n + " repos, " + models + " listed; quota " + quota + " calls per " + windowSeconds
                + " s; product budget HUB_MAX_REQUESTS_PER_MINUTE=" + rpm);

        List<Run> runs = new ArrayList<>();
        Set<String> durable = Set.of();
        int killAfter = models / (kills + 1);
        try (StandInHub h = StandInHub.start(snapshot)) {
            hub = h;
            hub.setRateLimitQuota(quota);
            hub.setRateLimitWindow(Duration.ofSeconds(windowSeconds));
            hub.resetCounters();
            for (int number = 1; number <= kills + 1; number++) {
                boolean kill = number <= kills;
                int listing0 = hub.listingRequests();
                int detail0 = hub.detailRequests();
                int limited0 = hub.rateLimitedRequests();
                int log0 = hub.requestLog().size();
                Object catalogBefore = fileKey(dataDir.resolve("gguf_models.json"));
                long t0 = System.nanoTime();
                Process process = start(number);
                double firstPublish = -1;
                int exit = -1;
                while (true) {
                    if (firstPublish < 0) {
                        Object key = fileKey(dataDir.resolve("gguf_models.json"));
                        if (key != null && !key.equals(catalogBefore)) {
                            firstPublish = seconds(t0);
                            log("run " + number + ": catalog published after " + fmt(firstPublish) + " s");
                        }
                    }
                    if (kill && hub.detailRequests() - detail0 >= killAfter) {
                        process.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
                        break;
                    }
                    if (process.waitFor(20, TimeUnit.MILLISECONDS)) {
                        exit = process.exitValue();
                        break;
                    }
                }
                double wall = seconds(t0);
                waitForQuietHub();
                List<String> lines = hub.requestLog();
                Set<String> askedNow = new HashSet<>(detailIds(lines.subList(log0, lines.size())));
                int askedAgain = (int) askedNow.stream().filter(durable::contains).count();
                Set<String> published = sizedInCatalog();
                Set<String> nowDurable = new HashSet<>(published);
                nowDurable.addAll(journaled());
                durable = nowDurable;
                Run run = new Run(number, kill, exit, wall, firstPublish, hub.listingRequests() - listing0,
                        hub.detailRequests() - detail0, hub.rateLimitedRequests() - limited0,
                        (int) top.stream().filter(published::contains).count(),
                        (int) top.stream().filter(durable::contains).count(), models - durable.size(), askedAgain);
                runs.add(run);
                log("run " + number + (kill ? " killed" : " exit " + exit) + ": " + run);
            }
            List<String> allDetailIds = detailIds(hub.requestLog());
            int distinct = new HashSet<>(allDetailIds).size();
            int detail429 = hub.rateLimitedDetailRequests();
            int wasted = allDetailIds.size() - detail429 - distinct;
            int totalCalls = hub.requests();
            int listingPages = runs.get(0).listing();
            report(out, started, n, models, kills, quota, windowSeconds, runs, wasted, detail429, totalCalls,
                    listingPages, distinct);
        }
    }

    private void report(Path out, Instant started, int n, int models, int kills, int quota, int windowSeconds,
            List<Run> runs, int wasted, int detail429, int totalCalls, int listingPages, int distinct)
            throws IOException {
        String stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(started);
        int askedAgain = runs.stream().mapToInt(Run::askedAgainDurable).sum();
        int minimum = listingPages + models;
        int allRateLimited = runs.stream().mapToInt(Run::rateLimited).sum();
        double totalWall = runs.stream().mapToDouble(Run::wallSeconds).sum();
        int allDetail = runs.stream().mapToInt(Run::detail).sum();
        StringBuilder csv = new StringBuilder("run,killed,exit,wall_s,first_publish_s,listing_calls,detail_calls,"
                + "rate_limited,top1000_published,top1000_durable,pending_after,asked_again_durable\n");
        StringBuilder md = new StringBuilder();
        md.append("# Resume benchmark ").append(stamp).append("\n\n");
        md.append("`bench/resume.sh ").append(n).append("`: ").append(n).append(" repos (").append(models)
                .append(" listed), stand-in quota ").append(quota).append(" calls per ").append(windowSeconds)
                .append(" s (the free tier's 1,000 per 300 s, time-scaled ×").append(300 / windowSeconds)
                .append("), product `HUB_MAX_REQUESTS_PER_MINUTE=").append(rpm).append("` (the default 150/min ×")
                .append(300 / windowSeconds).append("), `MAX_CONCURRENCY=4`, `SIZES_FROM_LISTING=false` (every listed model needs its detail call: ")
                .append("the worst case for resuming), auto mode; `kill -9` after each run's ")
                .append(models / (kills + 1)).append(" detail calls, ").append(kills).append(" times, then a run to the end.\n\n");
        md.append("| run | ended | wall s | catalog published after s | listing calls | detail calls | 429 | top 1,000 sized: published | top 1,000 sized: durable (catalog + journal) | pending after | asked again though on disk |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            csv.append(String.join(",", List.of(Integer.toString(r.number()), Boolean.toString(r.killed()),
                    Integer.toString(r.exit()), fmt(r.wallSeconds()), fmt(r.firstPublishSeconds()),
                    Integer.toString(r.listing()), Integer.toString(r.detail()), Integer.toString(r.rateLimited()),
                    Integer.toString(r.topPublished()), Integer.toString(r.topDurable()),
                    Integer.toString(r.pendingAfter()), Integer.toString(r.askedAgainDurable())))).append('\n');
            md.append("| ").append(r.number()).append(" | ").append(r.killed() ? "kill -9" : "exit " + r.exit())
                    .append(" | ").append(fmt(r.wallSeconds())).append(" | ").append(fmt(r.firstPublishSeconds()))
                    .append(" | ").append(r.listing()).append(" | ").append(r.detail()).append(" | ")
                    .append(r.rateLimited()).append(" | ").append(pct(r.topPublished(), top.size())).append(" | ")
                    .append(pct(r.topDurable(), top.size())).append(" | ").append(r.pendingAfter()).append(" | ")
                    .append(r.askedAgainDurable()).append(" |\n");
        }
        md.append("\n- Wasted detail calls (a model answered 200 more than once, over all runs): **").append(wasted)
                .append("**; of them asked again although the catalog or journal held the answer: **")
                .append(askedAgain).append("** (the rest were in flight when a run was killed).\n");
        md.append("- Detail calls: ").append(allDetail).append(" for ").append(models).append(" models (")
                .append(distinct).append(" distinct; ").append(detail429).append(" answered 429 and retried).\n");
        md.append("- Total calls over all runs (429s included): **").append(totalCalls).append("** against the minimum ")
                .append(minimum).append(" (one complete listing = ").append(listingPages).append(" pages + ")
                .append(models).append(" details) = **").append(String.format(Locale.ROOT, "%.4f", totalCalls / (double) minimum))
                .append("×**; 429 answers: ").append(allRateLimited).append(".\n");
        md.append("- Wall time of all runs: ").append(fmt(totalWall)).append(" s (JVM starts included).\n");
        Files.writeString(out.resolve("resume-" + stamp + ".csv"), csv.toString(), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("resume-" + stamp + ".md"), md.toString(), StandardCharsets.UTF_8);
        System.out.println(md);
        log("results: " + out.resolve("resume-" + stamp + ".md"));
    }

    private Process start(int number) throws IOException {
        return BenchSupport.startProduct(product, logDir.resolve("run-" + number + ".log"), Map.of(
                "HF_ENDPOINT", hub.baseUrl(), "DATA_DIR", dataDir.toString(),
                "HUB_MAX_REQUESTS_PER_MINUTE", Integer.toString(rpm), "MAX_CONCURRENCY", "4",
                "SIZES_FROM_LISTING", "false"), List.of("-Xmx512m"), "--once");
    }

    /** Models whose sizes the published catalog holds (not pending), streamed: the catalog is tens of MB. */
    private Set<String> sizedInCatalog() throws IOException {
        Set<String> ids = new HashSet<>();
        Path catalog = dataDir.resolve("gguf_models.json");
        if (!Files.exists(catalog)) {
            return ids;
        }
        try (InputStream in = Files.newInputStream(catalog); JsonParser p = new JsonFactory().createParser(in)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!"models".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    String id = null;
                    boolean pending = false;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken value = p.nextToken();
                        if ("id".equals(name)) {
                            id = p.getText();
                        } else if ("details_pending".equals(name)) {
                            pending = value == JsonToken.VALUE_TRUE;
                        } else {
                            p.skipChildren();
                        }
                    }
                    if (id != null && !pending) {
                        ids.add(id);
                    }
                }
            }
        }
        return ids;
    }

    /** Answers in the detail journal for the revision the Hub shows (what the next run may use). */
    private Set<String> journaled() throws IOException {
        Set<String> ids = new HashSet<>();
        Path journal = dataDir.resolve("gguf_models.details.jsonl");
        if (!Files.exists(journal)) {
            return ids;
        }
        for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
            try {
                JsonNode answer = line.isBlank() ? null : JSON.readTree(line);
                if (answer != null && answer.hasNonNull("id")
                        && Objects.equals(shas.get(answer.get("id").asText()), answer.path("sha").asText(null))) {
                    ids.add(answer.get("id").asText());
                }
            } catch (IOException torn) {
                // a torn last line is no answer
            }
        }
        return ids;
    }

    private static List<String> detailIds(List<String> requestLines) {
        List<String> ids = new ArrayList<>();
        for (String line : requestLines) {
            if (line.contains("blobs=true")) {
                ids.add(line.substring("GET /api/models/".length(), line.indexOf('?')));
            }
        }
        return ids;
    }

    private void waitForQuietHub() throws InterruptedException {
        int seen = -1;
        long stableSince = System.nanoTime();
        while (true) {
            int now = hub.requests();
            if (now != seen) {
                seen = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > TimeUnit.MILLISECONDS.toNanos(500)) {
                return;
            }
            Thread.sleep(20);
        }
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException missing) {
            return null;
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String pct(int part, int whole) {
        return String.format(Locale.ROOT, "%.1f%%", whole == 0 ? 0 : 100.0 * part / whole);
    }

}
