package io.hfsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.app.SyncMain;
import io.hfsync.standin.DemoSnapshot;
import io.hfsync.standin.HubRepo;
import io.hfsync.standin.HubSnapshot;
import io.hfsync.standin.RepoFile;
import io.hfsync.standin.StandInHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs hf-gguf-sync as a user does (Camel Main, one-shot, exit code) against the stand-in Hub shared by all
 * integration tests, with the test's data directory and clock. Each test sets up the Hub scenario it needs.
 */
public final class SyncHarness {

    /** Where the integration tests' clock starts. */
    public static final Instant T0 = Instant.parse("2026-11-20T02:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static StandInHub sharedHub;

    public final Path dataDir;
    public final MutableClock clock;
    public final StandInHub hub;
    private final List<String> defaults = new ArrayList<>();

    public SyncHarness(Path dataDir, Instant now) {
        this.dataDir = dataDir;
        this.clock = new MutableClock(now);
        this.hub = sharedHub();
        for (HubRepo repo : hub.snapshot().all()) {
            hub.snapshot().remove(repo.id());
        }
        hub.resetCounters();
        hub.clearFaults();
        hub.setListedFileSizeError(0);
        hub.setPageDelay(Duration.ZERO);
    }

    /** The embedded demo data ({@link DemoSnapshot}): {@code count} repos from {@code seed}, as of the clock's now. */
    public SyncHarness seedDemo(long seed, int count) {
        DemoSnapshot.generate(seed, count, clock.instant()).all().forEach(snapshot()::put);
        return this;
    }

    static synchronized StandInHub sharedHub() {
        if (sharedHub == null) {
            sharedHub = StandInHub.start(new HubSnapshot());
        }
        return sharedHub;
    }

    public HubSnapshot snapshot() {
        return hub.snapshot();
    }

    /** Properties every {@link #sync} of this harness starts with; the ones a test passes come after and win. */
    public SyncHarness withDefaults(String... properties) {
        defaults.addAll(List.of(properties));
        return this;
    }

    /** A stand-in Hub of a test's own, holding {@code count} repos {@code owner/Model-<i>-GGUF} modified a day apart. */
    public static StandInHub startHub(String owner, int count) {
        HubSnapshot snapshot = new HubSnapshot();
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            snapshot.put(repo(owner + "/Model-" + i + "-GGUF", now.minus(Duration.ofDays(i))));
        }
        return StandInHub.start(snapshot);
    }

    /** {@code count} repos of three owners, last modified two days apart from 30 days before {@link #T0} on. */
    public List<HubRepo> seedHub(int count) {
        List<HubRepo> repos = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HubRepo r = repo(String.format("owner%d/Model-%02d-GGUF", i % 3, i), T0.minus(Duration.ofDays(30 - 2L * i)));
            snapshot().put(r);
            repos.add(r);
        }
        return repos;
    }

    /** One {@code --once} run; {@code properties} are key=value overrides, as {@code -Dkey=value} would be. */
    public int sync(String... properties) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("sync.data-dir", dataDir.toString());
        overrides.put("hub.url", hub.baseUrl());
        // the stand-in has no limit; the product's even pacing at the default 150/min (and its header reads' at the
        // resolvers' 1,000/min, 60 ms apart) would only slow tests down: a test of the pacing sets its own
        overrides.put("hub.max-requests-per-minute", "60000");
        overrides.put("hub.max-resolver-requests-per-minute", "60000");
        // the harness's repos hold one GGUF file each: tests of the detail phase want every model to need its call, so
        // sizes from the listing (docs/sync-modes.md) are off unless a test turns them on (ListingSizesIT)
        overrides.put("sync.sizes-from-listing", "false");
        for (String property : Stream.concat(defaults.stream(), Stream.of(properties)).toList()) {
            int eq = property.indexOf('=');
            overrides.put(property.substring(0, eq), property.substring(eq + 1));
        }
        try {
            return SyncMain.launch(new String[] {"--once"}, overrides, Map.of("clock", clock));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public JsonNode catalog() {
        return read(dataDir.resolve("gguf_models.json"));
    }

    public JsonNode metadata() {
        return read(dataDir.resolve("last_sync_metadata.json"));
    }

    public List<String> catalogIds() {
        List<String> ids = new ArrayList<>();
        catalog().get("models").forEach(m -> ids.add(m.get("id").asText()));
        return ids;
    }

    public JsonNode model(String id) {
        for (JsonNode m : catalog().get("models")) {
            if (m.get("id").asText().equals(id)) {
                return m;
            }
        }
        return null;
    }

    public List<Path> changeLogs() {
        Path dir = dataDir.resolve("changes");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode lastChangeLog() {
        List<Path> logs = changeLogs();
        return read(logs.get(logs.size() - 1));
    }

    public static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Listing requests made since the last reset, by path prefix. */
    public long requestsTo(String prefix) {
        return hub.requestLog().stream().filter(r -> r.startsWith("GET " + prefix)).count();
    }

    public long detailRequests() {
        return hub.requestLog().stream().filter(r -> r.contains("blobs=true")).count();
    }

    // --- building Hub repos --------------------------------------------------------------------------

    public static HubRepo repo(String id, Instant modified, Instant created, RepoFile... files) {
        return new HubRepo(id, id.substring(0, id.indexOf('/')), sha(id + modified), modified, created, Boolean.FALSE,
                100L, 1L, List.of("gguf", "text-generation"), "text-generation", "gguf", "llama", 4096L, 7_000_000_000L,
                List.of(files), false);
    }

    public static HubRepo repo(String id, Instant modified) {
        return repo(id, modified, modified.minusSeconds(86_400), new RepoFile("README.md", 10),
                new RepoFile(id.substring(id.indexOf('/') + 1) + ".Q4_K_M.gguf", 4_000_000_000L));
    }

    public static HubRepo touched(HubRepo repo, Instant modified) {
        return repo.withUpdate(sha(repo.id() + modified), modified, repo.files());
    }

    public static String sha(String seed) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                    .digest(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
