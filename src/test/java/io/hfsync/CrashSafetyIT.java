package io.hfsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hfsync.standin.DemoSnapshot;
import io.hfsync.standin.HubRepo;
import io.hfsync.standin.StandInHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the packaged jar at many moments of a run — during listing, during detail calls, while the
 * files are written — never leaves a half catalog or half metadata, never lets the metadata claim a success the
 * catalog does not hold, and never confuses the next run.
 */
class CrashSafetyIT {

    @TempDir
    Path dataDir;
    long roundStartMillis;

    /** A temp file this round wrote (a killed earlier round may have left an old one behind). */
    private boolean writtenSinceRoundStart(String name) {
        try {
            Path file = dataDir.resolve(name);
            return Files.exists(file) && Files.getLastModifiedTime(file).toMillis() >= roundStartMillis;
        } catch (java.io.IOException vanishedMeanwhile) {
            return false;
        }
    }

    private Process start(StandInHub hub) throws Exception {
        return JarProcess.start("crash-" + System.nanoTime(), dataDir.getParent(), Map.of("HF_ENDPOINT", hub.baseUrl(),
                "DATA_DIR", dataDir.toString(), "SYNC_MODE", "full", "HUB_PAGE_SIZE", "50", "MAX_REMOVED_FRACTION", "1",
                "HUB_MAX_REQUESTS_PER_MINUTE", "100000"), "--once").process;
    }

    @Test
    void should_keep_valid_files_when_killed_at_any_moment() throws Exception {
        Instant now = Instant.now();
        try (StandInHub hub = StandInHub.start(DemoSnapshot.generate(7, 300, now))) {
            hub.setPageDelay(Duration.ofMillis(3));
            Process first = start(hub);
            assertTrue(first.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, first.exitValue());
            assertValidAndConsistent();

            // kill points: after N Hub requests (listing, then detail calls), and as soon as a temp file appears
            List<BooleanSupplier> killPoints = new ArrayList<>();
            for (int requests : new int[] {1, 4, 8, 40, 120, 250}) {
                killPoints.add(() -> hub.requests() >= requests);
            }
            killPoints.add(() -> writtenSinceRoundStart(".gguf_models.json.tmp"));
            killPoints.add(() -> writtenSinceRoundStart(".last_sync_metadata.json.tmp"));
            int round = 0;
            for (BooleanSupplier killPoint : killPoints) {
                touchSomeRepos(hub, round++);
                hub.resetCounters();
                roundStartMillis = System.currentTimeMillis();
                Process run = start(hub);
                waitFor(() -> killPoint.getAsBoolean() || !run.isAlive());
                run.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                assertValidAndConsistent();
            }

            hub.setPageDelay(Duration.ZERO);
            Process last = start(hub);
            assertTrue(last.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, last.exitValue(), "a run after all those kills succeeds");
            JsonNode catalog = SyncHarness.read(dataDir.resolve("gguf_models.json"));
            assertEquals(hub.snapshot().all().stream().filter(r -> !r.isPrivate()
                            && (r.hasTag("gguf") || (r.id().toLowerCase().contains("gguf") && r.hasGgufFile()))).count(),
                    catalog.get("models").size());
        }
    }

    private static void touchSomeRepos(StandInHub hub, int round) {
        List<HubRepo> all = hub.snapshot().all();
        for (int i = round; i < all.size(); i += 37) {
            HubRepo r = all.get(i);
            hub.snapshot().put(r.withUpdate(SyncHarness.sha(r.id() + round), Instant.now(), r.files()));
        }
    }

    private void assertValidAndConsistent() {
        Path catalogFile = dataDir.resolve("gguf_models.json");
        Path metadataFile = dataDir.resolve("last_sync_metadata.json");
        JsonNode metadata = SyncHarness.read(metadataFile);
        JsonNode catalog = SyncHarness.read(catalogFile);
        assertEquals(catalog.get("metadata").get("total_models").asInt(), catalog.get("models").size(),
                "the catalog is whole");
        if (metadata.get("success").asBoolean()) {
            // catalog is written before metadata: a recorded success is never newer than the catalog
            assertTrue(metadata.get("last_sync_time").asText()
                    .compareTo(catalog.get("metadata").get("last_sync_time").asText()) <= 0, metadata.toString());
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached in time");
            Thread.sleep(2);
        }
    }
}
