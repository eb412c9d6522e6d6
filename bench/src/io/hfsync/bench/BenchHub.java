package io.hfsync.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hfsync.hub.HubModel;
import io.hfsync.hub.ListingSize;
import io.hfsync.standin.DemoSnapshot;
import io.hfsync.standin.HubRepo;
import io.hfsync.standin.HubSnapshot;
import io.hfsync.standin.RepoFile;
import io.hfsync.standin.StandInHub;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/**
 * The benchmark's Hub, run in its own JVM so that its memory never shows in the product's heap numbers.
 * Serves {@code DemoSnapshot.generate(seed, count, now - 3 days)} through the project's {@link StandInHub}
 * (same wire format as the tests and demo) on 127.0.0.1, plus a small admin server on 127.0.0.1:
 *
 * <pre>
 *   GET  /counters          {"listing":L,"detail":D,"total":T,"cpu_ms":C,"repos":R,"resolve":V,"file_requests":F,
 *                            "file_bytes":B}   (resolve: /resolve/ calls; file_*: the file host's requests, body bytes)
 *   POST /reset             zero the counters and the per-second timeline
 *   POST /mutate?updated=U&added=A&seed=S
 *                           U listed repos get a new sha and lastModified=now; A brand-new repos appear
 *   GET  /timeline          "second,listing,detail" per wall-clock second since the last reset
 *   GET  /timeline-ms       "millis,listing,detail" per 10 ms sample that saw requests (for exact 60 s windows)
 * </pre>
 *
 * The generated commit times end 3 days before now, so a 48 h incremental window holds only what /mutate
 * touched: the benchmark then measures exactly "0.5 % changed". The timeline samples the Hub's counters every
 * 10 ms into per-second buckets (public StandInHub API only; a request lands in the second it was counted).
 * Arguments: {@code count seed [single-file-share]}. With a share (bench/sizes.sh, issue 16), repos are turned into
 * one-GGUF-file repos ("GGUF my repo" shape) until that fraction of the listed repos proves its size in the listing
 * (docs/sync-modes.md); the same goes for repos {@code /mutate} adds. Prints {@code SINGLE_FILE eligible listed}, {@code HUB <url>},
 * {@code ADMIN <url>}, then {@code READY}.
 */
public final class BenchHub {

    private final StandInHub hub;
    private final HubSnapshot snapshot;
    private final Object timelineLock = new Object();
    private final TreeMap<Long, long[]> timeline = new TreeMap<>();
    /** Every 10 ms sample that saw requests: wall-clock ms -> {listing, detail} counted since the previous sample. */
    private final TreeMap<Long, long[]> samples = new TreeMap<>();
    private long lastListing;
    private long lastDetail;
    /** Target share of listed repos whose listing proves their one file's size; negative: the generator's own mix. */
    private double singleFileShare = -1;

    private BenchHub(HubSnapshot snapshot) {
        this.snapshot = snapshot;
        this.hub = StandInHub.start(snapshot);
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        long seed = Long.parseLong(args[1]);
        long t0 = System.nanoTime();
        HubSnapshot snapshot = DemoSnapshot.generate(seed, count, Instant.now().minus(Duration.ofDays(3)));
        double share = args.length > 2 ? Double.parseDouble(args[2]) : -1;
        if (share >= 0) {
            toSingleFile(snapshot, share, new Random(seed + 16));
        }
        long genMs = (System.nanoTime() - t0) / 1_000_000;
        BenchHub bench = new BenchHub(snapshot);
        bench.singleFileShare = share;
        int[] single = singleFileCount(snapshot);
        System.out.println("SINGLE_FILE " + single[0] + " " + single[1]);
        HttpServer admin = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        admin.createContext("/", bench::admin);
        admin.setExecutor(Executors.newSingleThreadExecutor());
        admin.start();
        Thread sampler = new Thread(bench::sample, "bench-hub-sampler");
        sampler.setDaemon(true);
        sampler.start();
        System.out.println("GENERATED " + snapshot.size() + " repos in " + genMs + " ms");
        System.out.println("HUB " + bench.hub.baseUrl());
        System.out.println("ADMIN http://127.0.0.1:" + admin.getAddress().getPort());
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join(); // until the runner destroys the process
    }

    private void sample() {
        while (true) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (timelineLock) {
                long listing = hub.listingRequests();
                long detail = hub.detailRequests();
                long dl = listing - lastListing;
                long dd = detail - lastDetail;
                if (dl > 0 || dd > 0) {
                    long nowMs = System.currentTimeMillis();
                    samples.put(nowMs, new long[] {dl, dd});
                    long[] bucket = timeline.computeIfAbsent(nowMs / 1000, s -> new long[2]);
                    bucket[0] += dl;
                    bucket[1] += dd;
                }
                lastListing = listing;
                lastDetail = detail;
            }
        }
    }

    private void admin(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
        String body;
        int status = 200;
        try {
            switch (path) {
                case "/counters" -> body = String.format(Locale.ROOT,
                        "{\"listing\":%d,\"detail\":%d,\"total\":%d,\"cpu_ms\":%d,\"repos\":%d,\"resolve\":%d,"
                                + "\"file_requests\":%d,\"file_bytes\":%d}",
                        hub.listingRequests(), hub.detailRequests(), hub.requests(), cpuMs(), snapshot.size(),
                        hub.resolveRequests(), hub.fileHostRequests().size(), hub.fileHostBytesSent());
                case "/reset" -> {
                    synchronized (timelineLock) {
                        hub.resetCounters();
                        timeline.clear();
                        samples.clear();
                        lastListing = 0;
                        lastDetail = 0;
                    }
                    body = "{\"reset\":true}";
                }
                case "/mutate" -> body = mutate(Integer.parseInt(q.getOrDefault("updated", "0")),
                        Integer.parseInt(q.getOrDefault("added", "0")), Long.parseLong(q.getOrDefault("seed", "1")));
                case "/timeline" -> {
                    StringBuilder sb = new StringBuilder("second,listing,detail\n");
                    synchronized (timelineLock) {
                        timeline.forEach((s, b) -> sb.append(s).append(',').append(b[0]).append(',').append(b[1]).append('\n'));
                    }
                    body = sb.toString();
                }
                case "/timeline-ms" -> {
                    StringBuilder sb = new StringBuilder("millis,listing,detail\n");
                    synchronized (timelineLock) {
                        samples.forEach((ms, b) -> sb.append(ms).append(',').append(b[0]).append(',').append(b[1]).append('\n'));
                    }
                    body = sb.toString();
                }
                default -> {
                    status = 404;
                    body = "{\"error\":\"not found\"}";
                }
            }
        } catch (RuntimeException e) {
            status = 500;
            body = "{\"error\":\"" + e + "\"}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** What the product lists: public repos with the gguf tag, or named *gguf* with a .gguf file. */
    private static boolean listed(HubRepo r) {
        return !r.isPrivate() && (r.hasTag("gguf")
                || (r.id().toLowerCase(Locale.ROOT).contains("gguf") && r.hasGgufFile()));
    }

    private String mutate(int updated, int added, long seed) {
        Random random = new Random(seed);
        Instant now = Instant.now();
        HexFormat hex = HexFormat.of();
        List<HubRepo> candidates = new ArrayList<>();
        for (HubRepo r : snapshot.all()) {
            if (listed(r)) {
                candidates.add(r);
            }
        }
        int changed = 0;
        for (int i = 0; i < updated && !candidates.isEmpty(); i++) {
            HubRepo r = candidates.remove(random.nextInt(candidates.size()));
            byte[] sha = new byte[20];
            random.nextBytes(sha);
            snapshot.put(r.withUpdate(hex.formatHex(sha), now, r.files()));
            changed++;
        }
        // brand-new repos: shaped by the same generator (another seed), committed and created now
        int made = 0;
        if (added > 0) {
            HubSnapshot fresh = DemoSnapshot.generate(seed * 31 + 7, added * 4 + 20, now);
            if (singleFileShare >= 0) {
                toSingleFile(fresh, singleFileShare, new Random(seed));
            }
            for (HubRepo r : fresh.all()) {
                if (made == added) {
                    break;
                }
                if (!listed(r) || snapshot.get(r.id()) != null) {
                    continue;
                }
                byte[] sha = new byte[20];
                random.nextBytes(sha);
                snapshot.put(new HubRepo(r.id(), r.author(), hex.formatHex(sha), now, now, r.gated(), r.downloads(),
                        r.likes(), r.tags(), r.pipelineTag(), r.libraryName(), r.architecture(), r.contextLength(),
                        r.parameters(), r.files(), false));
                made++;
            }
        }
        return "{\"updated\":" + changed + ",\"added\":" + made + ",\"repos\":" + snapshot.size() + "}";
    }

    /** Whether the product would take this repo's size from its listing item (the product's own rule). */
    static boolean provesItsSize(HubRepo r) {
        List<HubModel.Sibling> siblings = new ArrayList<>();
        r.files().forEach(f -> siblings.add(new HubModel.Sibling(f.path(), null, null)));
        // the stand-in sends gguf (with totalFileSize for a top-level single file) when architecture or size is known
        HubModel.Gguf gguf = r.architecture() == null && r.parameters() == null ? null
                : new HubModel.Gguf(r.parameters(), r.architecture(), r.contextLength(), null, 1L);
        return ListingSize.provenBy(new HubModel(r.id(), r.author(), r.sha(), null, null, false, r.gated(), r.downloads(),
                r.likes(), r.tags(), r.pipelineTag(), r.libraryName(), siblings, gguf)) != null;
    }

    /** {eligible, listed} over the repos the product lists. */
    static int[] singleFileCount(HubSnapshot snapshot) {
        int eligible = 0;
        int listed = 0;
        for (HubRepo r : snapshot.all()) {
            if (listed(r)) {
                listed++;
                if (provesItsSize(r)) {
                    eligible++;
                }
            }
        }
        return new int[] {eligible, listed};
    }

    /**
     * Turns random listed repos that carry GGUF metadata into one-file repos (their other files kept, every GGUF file
     * replaced by one top-level quantisation) until {@code share} of the listed repos prove their size.
     */
    static void toSingleFile(HubSnapshot snapshot, double share, Random random) {
        List<HubRepo> convertible = new ArrayList<>();
        int listed = 0;
        int eligible = 0;
        for (HubRepo r : snapshot.all()) {
            if (!listed(r)) {
                continue;
            }
            listed++;
            if (provesItsSize(r)) {
                eligible++;
            } else {
                convertible.add(r);
            }
        }
        java.util.Collections.shuffle(convertible, random);
        // repos the Hub parsed (a gguf block) first; one without is converted only when the share needs it, and then
        // gets the block a conversion would have (architecture, parameter count)
        convertible.sort(java.util.Comparator.comparing((HubRepo r) -> r.architecture() == null && r.parameters() == null));
        int wanted = (int) Math.round(share * listed);
        for (HubRepo r : convertible) {
            if (eligible >= wanted) {
                break;
            }
            List<RepoFile> files = new ArrayList<>();
            long size = 0;
            for (RepoFile f : r.files()) {
                if (f.isGguf() || f.path().toLowerCase(Locale.ROOT).contains(".gguf.part")) {
                    size = Math.max(size, f.size());
                } else {
                    files.add(f);
                }
            }
            files.add(new RepoFile(r.name().toLowerCase(Locale.ROOT) + "-q4_k_m.gguf", size > 0 ? size : 4_368_439_584L));
            HubRepo converted = r.withUpdate(r.sha(), r.lastModified(), files);
            if (r.architecture() == null && r.parameters() == null) {
                converted = new HubRepo(r.id(), r.author(), r.sha(), r.lastModified(), r.createdAt(), r.gated(),
                        r.downloads(), r.likes(), r.tags(), r.pipelineTag(), r.libraryName(), "llama", 4096L,
                        7_000_000_000L, files, r.isPrivate(), r.chatTemplate());
            }
            snapshot.put(converted);
            eligible++;
        }
    }

    private static long cpuMs() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1_000_000;
        }
        return -1;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String part : raw.split("&")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    out.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
        }
        return out;
    }
}
