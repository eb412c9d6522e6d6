package io.hfsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.catalog.GgufFile;
import io.hfsync.catalog.GgufFiles;
import io.hfsync.standin.DemoSnapshot;
import io.hfsync.standin.HubRepo;
import io.hfsync.standin.StandInHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/sync-modes.md against the packaged jar: a first sync killed with {@code kill -9} in its detail phase — after N detail
 * answers, while the detail journal grows (and with a torn last line), right after the catalog's first publish —
 * leaves a published, valid catalog every time (every listed model in it, {@code details_pending} exactly where
 * sizes are missing), and no later run asks the Hub again for a detail it already holds. Restarted with the
 * defaults (auto mode), as a user's pod would be, the runs together make barely more detail calls than there are
 * models, and the last one ends with every size equal to the Hub's.
 */
class ResumableKillIT {

    static final int MAX_CONCURRENCY = 4;
    static final String JOURNAL = "gguf_models.details.jsonl";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;
    @TempDir
    Path logDir;

    /** The Hub's sizes of every model the product should list: id → logical file name → size. */
    Map<String, Map<String, Long>> hubSizes;
    Map<String, String> hubShas;
    String hubUrl;
    int killedRuns;

    @Test
    void should_publish_and_lose_no_answer_when_killed_in_the_detail_phase() throws Exception {
        try (StandInHub hub = StandInHub.start(DemoSnapshot.generate(11, 1500, Instant.now()))) {
            hubUrl = hub.baseUrl();
            expectListing(hub);
            int models = hubSizes.size();
            // every answer waits a little: the detail phase lasts seconds, so each kill lands inside it
            hub.setPageDelay(Duration.ofMillis(12));

            List<KillPoint> killPoints = List.of(
                    new KillPoint("after 150 detail calls", () -> detailCalls(hub) >= 150, false),
                    new KillPoint("while the journal grows, then its last line torn", journalGrowsPast(hub, 100_000), true),
                    new KillPoint("right after the first publish", catalogReplaced(), false),
                    // detail calls start only after the first publish emptied the journal: its lines are this run's
                    new KillPoint("after 200 answers journaled", () -> detailCalls(hub) > 0 && journalLines() >= 200, false));

            int totalDetailCalls = 0;
            Durable durable = durableState(); // nothing yet
            for (KillPoint point : killPoints) {
                hub.resetCounters();
                point.arm();
                try (JarProcess run = start("kill-" + (killedRuns + 1))) {
                    waitFor(point.when, run.process, point.name);
                    run.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    killedRuns++;
                }
                waitForQuietHub(hub);
                if (point.tearLastLine) {
                    tearLastJournalLine();
                }
                List<String> asked = detailCallIds(hub);
                totalDetailCalls += asked.size();
                assertNothingAskedTwice(durable, asked, point.name);
                assertTrue(asked.size() <= durable.remaining(models),
                        point.name + ": " + asked.size() + " detail calls, but only " + durable.remaining(models)
                                + " details were missing");

                assertPublishedAndValid(point.name);
                int missingBefore = durable.remaining(models);
                durable = durableState();
                System.out.printf("ResumableKillIT: killed %s: %d detail calls (%d were missing), %d still missing%n",
                        point.name, asked.size(), missingBefore, durable.remaining(models));
                assertTrue(durable.remaining(models) > 0, point.name + ": the kill landed after the detail phase");
            }

            // the last run, undisturbed: exactly the details nothing durable holds, nothing more
            hub.resetCounters();
            hub.setPageDelay(Duration.ZERO);
            try (JarProcess last = start("last")) {
                assertTrue(last.process.waitFor(120, TimeUnit.SECONDS), "the last run ends");
                assertEquals(0, last.process.exitValue(), last.output());
            }
            List<String> asked = detailCallIds(hub);
            totalDetailCalls += asked.size();
            assertNothingAskedTwice(durable, asked, "last run");
            assertEquals(durable.remaining(models), asked.size(), "the last run asks for exactly what was missing");

            assertPublishedAndValid("last run");
            JsonNode catalog = SyncHarness.read(dataDir.resolve("gguf_models.json"));
            for (JsonNode model : catalog.get("models")) {
                assertFalse(model.path("details_pending").asBoolean(), model.get("id").asText());
            }
            JsonNode metadata = SyncHarness.read(dataDir.resolve("last_sync_metadata.json"));
            assertTrue(metadata.get("success").asBoolean(), metadata.toString());
            assertEquals(0, metadata.get("details_pending").asInt(), metadata.toString());
            assertEquals(0, catalog.get("metadata").get("details_pending").asInt());
            assertEquals(0, Files.size(dataDir.resolve(JOURNAL)), "a publish that holds every answer empties the journal");

            // lost per kill: at most the calls in flight (MAX_CONCURRENCY); plus the line this test tore
            int slack = killedRuns * MAX_CONCURRENCY + 1;
            System.out.printf("ResumableKillIT: last run %d detail calls; all runs %d for %d models%n", asked.size(),
                    totalDetailCalls, models);
            assertTrue(totalDetailCalls <= models + slack,
                    "detail calls over all runs: " + totalDetailCalls + " for " + models + " models (slack " + slack + ")");
        }
    }

    /** What a killed run left on disk: models with sizes in the catalog, and usable answers in the journal. */
    record Durable(Set<String> ids) {
        int remaining(int models) {
            return models - ids.size();
        }
    }

    private Durable durableState() {
        Set<String> ids = new HashSet<>();
        Path catalogFile = dataDir.resolve("gguf_models.json");
        if (Files.exists(catalogFile)) {
            for (JsonNode model : SyncHarness.read(catalogFile).get("models")) {
                if (!model.path("details_pending").asBoolean()) {
                    ids.add(model.get("id").asText());
                }
            }
        }
        for (JsonNode answer : journalAnswers()) {
            // an answer counts only for the revision the Hub still shows
            if (Objects.equals(hubShas.get(answer.get("id").asText()), answer.path("sha").asText(null))) {
                ids.add(answer.get("id").asText());
            }
        }
        return new Durable(ids);
    }

    private static void assertNothingAskedTwice(Durable durable, List<String> asked, String when) {
        List<String> again = asked.stream().filter(durable.ids()::contains).toList();
        assertTrue(again.isEmpty(), when + ": asked again for details already on disk: " + again);
        assertEquals(asked.size(), new HashSet<>(asked).size(), when + ": the same detail asked twice in one run");
    }

    /** The catalog a user finds after the kill: whole, every listed model, pending exactly where sizes are missing. */
    private void assertPublishedAndValid(String when) {
        Path catalogFile = dataDir.resolve("gguf_models.json");
        assertTrue(Files.exists(catalogFile), when + ": no catalog published");
        JsonNode catalog = SyncHarness.read(catalogFile);
        JsonNode models = catalog.get("models");
        assertEquals(catalog.get("metadata").get("total_models").asInt(), models.size(), when + ": the catalog is whole");
        Set<String> ids = new HashSet<>();
        int pending = 0;
        for (JsonNode model : models) {
            String id = model.get("id").asText();
            ids.add(id);
            Map<String, Long> expected = hubSizes.get(id);
            assertNotNull(expected, when + ": " + id + " is not listed by the Hub");
            assertEquals(hubShas.get(id), model.get("sha").asText(), when + ": " + id);
            Map<String, Long> sizes = new HashMap<>();
            model.get("files").forEach(f -> sizes.put(f.get("name").asText(), f.get("size").isNull() ? null : f.get("size").asLong()));
            assertEquals(expected.keySet(), sizes.keySet(), when + ": files of " + id);
            if (model.path("details_pending").asBoolean()) {
                pending++;
                assertTrue(sizes.values().stream().allMatch(Objects::isNull), when + ": " + id + " pending yet sized " + sizes);
            } else {
                assertEquals(expected, sizes, when + ": sizes of " + id + " are the Hub's");
            }
        }
        assertEquals(hubSizes.keySet(), ids, when + ": every listed model is in the catalog");
        assertEquals(pending, catalog.get("metadata").get("details_pending").asInt(), when + ": metadata's details_pending");
    }

    private void expectListing(StandInHub hub) {
        hubSizes = new HashMap<>();
        hubShas = new HashMap<>();
        for (HubRepo repo : hub.snapshot().all()) {
            boolean listed = !repo.isPrivate()
                    && (repo.hasTag("gguf") || (repo.id().toLowerCase().contains("gguf") && repo.hasGgufFile()));
            if (!listed) {
                continue;
            }
            List<GgufFiles.RepoFile> files = repo.files().stream()
                    .map(f -> new GgufFiles.RepoFile(f.path(), f.size())).toList();
            Map<String, Long> sizes = new HashMap<>();
            for (GgufFile file : GgufFiles.logicalFiles(files)) {
                sizes.put(file.name(), file.size());
            }
            hubSizes.put(repo.id(), sizes);
            hubShas.put(repo.id(), repo.sha());
        }
    }

    private JarProcess start(String name) throws IOException {
        // the defaults a user runs with (auto mode): the first run is full, later ones incremental
        return JarProcess.start(name, logDir, Map.of(
                "HF_ENDPOINT", hubUrl,
                "DATA_DIR", dataDir.toString(),
                "HUB_PAGE_SIZE", "100",
                "MAX_CONCURRENCY", Integer.toString(MAX_CONCURRENCY),
                "SYNC_ONCE", "true"), "--once");
    }

    private static List<String> detailCallIds(StandInHub hub) {
        List<String> ids = new ArrayList<>();
        for (String request : hub.requestLog()) {
            if (request.contains("blobs=true")) {
                ids.add(request.substring("GET /api/models/".length(), request.indexOf('?')));
            }
        }
        return ids;
    }

    private static int detailCalls(StandInHub hub) {
        return hub.detailRequests();
    }

    private List<JsonNode> journalAnswers() {
        Path journal = dataDir.resolve(JOURNAL);
        List<JsonNode> answers = new ArrayList<>();
        if (!Files.exists(journal)) {
            return answers;
        }
        try {
            for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                try {
                    JsonNode answer = line.isBlank() ? null : JSON.readTree(line);
                    if (answer != null && answer.hasNonNull("id")) {
                        answers.add(answer);
                    }
                } catch (IOException torn) {
                    // the torn tail of a killed run: not an answer
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return answers;
    }

    private int journalLines() {
        return journalAnswers().size();
    }

    private long journalSize() {
        try {
            return Files.size(dataDir.resolve(JOURNAL));
        } catch (IOException missing) {
            return 0;
        }
    }

    /** True at the first moment this run's journal is seen growing once it holds more than {@code bytes}. */
    private BooleanSupplier journalGrowsPast(StandInHub hub, long bytes) {
        long[] seen = {-1};
        return () -> {
            if (detailCalls(hub) == 0) {
                return false; // the journal may still hold the last run's answers
            }
            long size = journalSize();
            boolean grew = seen[0] > bytes && size > seen[0];
            seen[0] = size;
            return grew;
        };
    }

    /** True once the catalog file was replaced (a new inode: the atomic rename of a publish) since arming. */
    private BooleanSupplier catalogReplaced() {
        Object[] before = {null};
        boolean[] armed = {false};
        return () -> {
            Object key = catalogFileKey();
            if (!armed[0]) {
                armed[0] = true;
                before[0] = key;
                return false;
            }
            return key != null && !key.equals(before[0]);
        };
    }

    private Object catalogFileKey() {
        try {
            return Files.readAttributes(dataDir.resolve("gguf_models.json"), BasicFileAttributes.class).fileKey();
        } catch (IOException missing) {
            return null;
        }
    }

    /** A kill mid-write leaves half a line: cut the journal's last answer in half, as such a kill would. */
    private void tearLastJournalLine() throws IOException {
        Path journal = dataDir.resolve(JOURNAL);
        byte[] bytes = Files.readAllBytes(journal);
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\n') {
            end--;
        }
        int start = end;
        while (start > 0 && bytes[start - 1] != '\n') {
            start--;
        }
        assertTrue(end - start > 10, "the journal has a last answer to tear");
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            channel.truncate(start + (end - start) / 2);
        }
    }

    private static void waitFor(BooleanSupplier condition, Process run, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (!run.isAlive()) {
                fail(what + ": the run ended before the kill point (exit " + run.exitValue() + ")");
            }
            assertTrue(System.nanoTime() < deadline, what + ": kill point not reached in time");
            Thread.sleep(1);
        }
    }

    /** A request the killed run sent just before it died may still be logged: wait until the Hub's log stands still. */
    private static void waitForQuietHub(StandInHub hub) throws InterruptedException {
        int seen = -1;
        long stableSince = System.nanoTime();
        while (true) {
            int now = hub.requests();
            if (now != seen) {
                seen = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > TimeUnit.MILLISECONDS.toNanos(300)) {
                return;
            }
            Thread.sleep(5);
        }
    }

    private final class KillPoint {
        final String name;
        final BooleanSupplier when;
        final boolean tearLastLine;

        KillPoint(String name, BooleanSupplier when, boolean tearLastLine) {
            this.name = name;
            this.when = when;
            this.tearLastLine = tearLastLine;
        }

        /** Conditions that compare with the moment the run starts read that moment now. */
        void arm() {
            when.getAsBoolean();
        }
    }
}
