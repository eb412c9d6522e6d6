package io.hfsync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hfsync.standin.HubSnapshot;
import io.hfsync.standin.StandInHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 part 1: the packaged jar as a daemon gets SIGTERM ({@link Process#destroy()}) while a sync is running
 * against a slow Hub. It finishes the run or fails it cleanly, exits within {@code camel.main.shutdown-timeout}, and
 * leaves valid catalog and metadata files that never claim a success the catalog does not hold.
 */
class DaemonShutdownIT {

    static final int MODELS = 24;
    /** application.properties: camel.main.shutdown-timeout */
    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private static StandInHub slowHub() {
        HubSnapshot snapshot = new HubSnapshot();
        Instant now = Instant.now();
        for (int i = 0; i < MODELS; i++) {
            snapshot.put(SyncHarness.repo("slow/Model-" + i + "-GGUF", now.minus(Duration.ofDays(i + 1))));
        }
        StandInHub hub = StandInHub.start(snapshot);
        hub.setPageDelay(Duration.ofMillis(120));
        return hub;
    }

    private Map<String, String> daemonEnv(StandInHub hub, String... more) {
        Map<String, String> env = new HashMap<>(Map.of(
                "HF_ENDPOINT", hub.baseUrl(),
                "DATA_DIR", work.resolve("data").toString(),
                "SYNC_CRON", "0/2 * * * * ?",
                "HUB_MAX_REQUESTS_PER_MINUTE", "100000"));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    /** SIGTERM now; returns how long the process took to exit. */
    private static Duration terminate(JarProcess daemon) throws InterruptedException {
        long sentAt = System.nanoTime();
        daemon.process.destroy();
        assertTrue(daemon.process.waitFor(SHUTDOWN_TIMEOUT.toSeconds() + 15, TimeUnit.SECONDS),
                "exits within the shutdown timeout");
        Duration took = Duration.ofNanos(System.nanoTime() - sentAt);
        assertTrue(took.compareTo(SHUTDOWN_TIMEOUT) < 0, "took " + took);
        return took;
    }

    @Test
    void should_finish_a_running_sync_on_sigterm_and_exit_within_the_shutdown_timeout() throws Exception {
        try (StandInHub hub = slowHub()) {
            // one detail call at a time, 120 ms each: the run is busy for about 3 s after the listing
            try (JarProcess daemon = JarProcess.start("daemon", work, daemonEnv(hub, "MAX_CONCURRENCY", "1"))) {
                await("a scheduled sync is fetching details").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> hub.detailRequests() >= 3 || !daemon.process.isAlive());
                assertEquals(0, daemon.reports(), "SIGTERM arrives during the run");

                Duration took = terminate(daemon);

                System.out.printf("SIGTERM during a sync: exited after %.1f s, %d detail calls made%n",
                        took.toMillis() / 1000.0, hub.detailRequests());
                assertEquals(1, daemon.reports(), daemon.output());
                JsonNode metadata = SyncHarness.read(work.resolve("data").resolve("last_sync_metadata.json"));
                assertTrue(metadata.get("success").asBoolean(), metadata.toString());
                JsonNode catalog = SyncHarness.read(work.resolve("data").resolve("gguf_models.json"));
                assertEquals(MODELS, catalog.get("models").size());
                catalog.get("models").forEach(m -> assertTrue(m.get("files").get(0).get("size").isNumber(), m.toString()));
            }
        }
    }

    @Test
    void should_exit_when_a_short_shutdown_timeout_expires_and_keep_the_previous_catalog() throws Exception {
        try (StandInHub hub = slowHub()) {
            Map<String, String> once = daemonEnv(hub, "SYNC_ONCE", "true", "FETCH_FILE_SIZES", "false", "GGUF_HEADERS", "false");
            try (JarProcess first = JarProcess.start("first", work, once)) {
                assertTrue(first.process.waitFor(120, TimeUnit.SECONDS));
                assertEquals(0, first.process.exitValue(), first.output());
            }
            String catalogBefore = Files.readString(work.resolve("data").resolve("gguf_models.json"));
            // every repo changes: the next run makes 24 detail calls of 120 ms one at a time (about 3 s), against a
            // 1 s shutdown timeout
            Instant changed = Instant.now();
            hub.snapshot().all().forEach(repo -> hub.snapshot().put(SyncHarness.touched(repo, changed)));
            hub.resetCounters();
            try (JarProcess daemon = JarProcess.start("daemon", work, daemonEnv(hub, "MAX_CONCURRENCY", "1",
                    "CAMEL_MAIN_SHUTDOWN_TIMEOUT", "1"))) {
                await("a scheduled sync is fetching details").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> hub.detailRequests() >= 3 || !daemon.process.isAlive());

                Duration took = terminate(daemon);

                System.out.printf("SIGTERM with a 1 s shutdown timeout: exited after %.1f s, %d of %d detail calls%n",
                        took.toMillis() / 1000.0, hub.detailRequests(), MODELS);
                assertTrue(took.compareTo(Duration.ofSeconds(1 + 5)) < 0, "exits soon after the 1 s timeout: " + took);
                JsonNode metadata = SyncHarness.read(work.resolve("data").resolve("last_sync_metadata.json"));
                String catalogAfter = Files.readString(work.resolve("data").resolve("gguf_models.json"));
                assertTrue(hub.detailRequests() < MODELS, "the run was cut off by the shutdown timeout");
                // docs/sync-modes.md: the catalog was published when the listing completed, before the detail phase was cut
                assertNotEquals(catalogBefore, catalogAfter, "published after the listing");
                JsonNode catalog = SyncHarness.read(work.resolve("data").resolve("gguf_models.json"));
                assertEquals(MODELS, catalog.get("models").size());
                assertTrue(metadata.get("success").asBoolean(), "the metadata describes the published catalog");
                assertEquals(MODELS, metadata.get("details_pending").asInt(), "no sizes read before the cut");
                // the answers that did arrive are journaled, for the next run
                long journaled = Files.readAllLines(work.resolve("data").resolve("gguf_models.details.jsonl")).stream()
                        .filter(line -> !line.isBlank()).count();
                assertTrue(journaled >= 1 && journaled <= hub.detailRequests(), "journaled " + journaled);
            }
        }
    }

    @Test
    void should_not_record_a_partial_full_listing_as_a_success_on_sigterm() throws Exception {
        try (StandInHub hub = slowHub()) {
            Map<String, String> once = daemonEnv(hub, "SYNC_ONCE", "true", "HUB_PAGE_SIZE", "3", "FETCH_FILE_SIZES", "false",
                    "GGUF_HEADERS", "false");
            try (JarProcess first = JarProcess.start("first", work, once)) {
                assertTrue(first.process.waitFor(120, TimeUnit.SECONDS));
                assertEquals(0, first.process.exitValue(), first.output());
            }
            hub.resetCounters();
            // 8 pages per pass: SIGTERM late in the first pass, when a truncated listing would remove 1 in 8 models
            try (JarProcess daemon = JarProcess.start("daemon", work, daemonEnv(hub, "SYNC_MODE", "full",
                    "HUB_PAGE_SIZE", "3", "FETCH_FILE_SIZES", "false", "GGUF_HEADERS", "false"))) {
                await("a scheduled full sync is listing").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                        .until(() -> hub.listingRequests() >= 7 || !daemon.process.isAlive());

                terminate(daemon);

                JsonNode metadata = SyncHarness.read(work.resolve("data").resolve("last_sync_metadata.json"));
                JsonNode catalog = SyncHarness.read(work.resolve("data").resolve("gguf_models.json"));
                assertEquals(MODELS, catalog.get("models").size(),
                        "nothing removed by an unfinished listing; metadata: " + metadata);
            }
        }
    }
}
