package io.hfsync;

import static io.hfsync.SyncHarness.T0;
import static io.hfsync.SyncHarness.repo;
import static io.hfsync.SyncHarness.touched;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hfsync.standin.Fault;
import io.hfsync.standin.HubRepo;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/sync-modes.md, progress that survives: the catalog is published as soon as the listing completes, detail answers are
 * journaled and never asked for twice, the time budget ends the detail phase with a success, and pending details
 * are fetched most downloaded first. The real application against the stand-in Hub; the user's view: files, codes.
 */
@Timeout(value = 40, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ResumableProgressIT extends SyncTestSupport {

    static final int MODELS = 20;

    @BeforeEach
    void setUp() {
        // detail calls one at a time, so the order of answers is the order they were handed out
        app.withDefaults("hub.max-concurrency=1", "hub.max-retries=0");
        for (int i = 0; i < MODELS; i++) {
            // Model-00 is the most downloaded, Model-19 the least
            app.snapshot().put(repo(id(i), T0.minus(Duration.ofDays(10 + i))).withPopularity(10_000L - i * 100L, 1L));
        }
    }

    static String id(int i) {
        return "resume/Model-%02d-GGUF".formatted(i);
    }

    private List<String> detailCallIds() {
        List<String> ids = new ArrayList<>();
        for (String request : app.hub.requestLog()) {
            if (request.contains("blobs=true")) {
                ids.add(request.substring("GET /api/models/".length(), request.indexOf('?')));
            }
        }
        return ids;
    }

    private void assertSizesAreTheHubs() {
        for (JsonNode model : app.catalog().get("models")) {
            assertFalse(model.get("details_pending").asBoolean(), model.get("id").asText());
            JsonNode file = model.get("files").get(0);
            assertEquals(app.snapshot().get(model.get("id").asText()).files().get(1).size(), file.get("size").asLong(),
                    model.get("id").asText());
        }
    }

    @Test
    void should_publish_after_the_listing_and_keep_it_when_the_detail_phase_fails() throws Exception {
        app.hub.enqueueFault(Fault.status("/api/models/" + id(0), 500));

        assertEquals(1, app.sync(), "the Hub failed in the detail phase");

        JsonNode catalog = app.catalog();
        assertEquals(MODELS, catalog.get("models").size(), "every listed model is published");
        for (JsonNode model : catalog.get("models")) {
            assertTrue(model.get("details_pending").asBoolean());
            assertTrue(model.get("files").get(0).get("size").isNull(), "no size before the detail call");
            assertEquals("Q4_K_M", model.get("files").get(0).get("quantization").asText(), "files from the listing");
        }
        assertEquals(MODELS, catalog.get("metadata").get("details_pending").asInt());
        JsonNode metadata = app.metadata();
        assertFalse(metadata.get("success").asBoolean());
        assertEquals(MODELS, metadata.get("details_pending").asInt());
        assertEquals(MODELS, metadata.get("total_models").asInt());
        assertTrue(metadata.get("error_message").asText().contains("500"), metadata.toString());

        app.hub.resetCounters();
        app.clock.advance(Duration.ofHours(1));
        assertEquals(0, app.sync());

        assertEquals(MODELS, app.detailRequests());
        assertSizesAreTheHubs();
        assertEquals(0, app.metadata().get("details_pending").asInt());
        assertEquals(MODELS, app.metadata().get("details_fetched").asInt());
    }

    @Test
    void should_never_ask_again_for_a_detail_the_journal_holds() {
        // answers for Model-00..06 arrive, then the Hub fails on Model-07: the run fails after publishing
        app.hub.enqueueFault(Fault.status("/api/models/" + id(7), 500));
        assertEquals(1, app.sync());
        assertEquals(8, app.detailRequests());

        app.hub.resetCounters();
        app.clock.advance(Duration.ofHours(1));
        assertEquals(0, app.sync());

        List<String> second = detailCallIds();
        assertEquals(MODELS - 7, second.size(), "the 7 journaled answers are not asked for again: " + second);
        assertFalse(second.contains(id(0)));
        assertSizesAreTheHubs();
    }

    @Test
    void should_drop_a_journaled_answer_the_listing_contradicts() {
        app.hub.enqueueFault(Fault.status("/api/models/" + id(3), 500));
        assertEquals(1, app.sync());
        // Model-01 was answered for its old revision; it changes on the Hub before the next run
        HubRepo changed = touched(app.snapshot().get(id(1)), T0.plus(Duration.ofMinutes(30)));
        changed = changed.withUpdate(changed.sha(), changed.lastModified(), List.of(changed.files().get(0),
                new io.hfsync.standin.RepoFile("Model-01-GGUF.Q5_K_M.gguf", 5_555_555_555L)));
        app.snapshot().put(changed);

        app.hub.resetCounters();
        app.clock.advance(Duration.ofHours(1));
        assertEquals(0, app.sync());

        assertTrue(detailCallIds().contains(id(1)), "asked again: the journal's answer was for another sha");
        assertFalse(detailCallIds().contains(id(0)));
        JsonNode model = app.model(id(1));
        assertEquals(5_555_555_555L, model.get("files").get(0).get("size").asLong());
        assertEquals("Q5_K_M", model.get("files").get(0).get("quantization").asText());
        assertSizesAreTheHubs();
    }

    @Test
    void should_stop_at_the_time_budget_with_success_and_fetch_most_downloaded_first() {
        // every clock read moves time on 10 s: a budget of 0.05 h (180 s) runs out in the detail phase
        app.clock.stepPerRead(Duration.ofSeconds(10));

        assertEquals(0, app.sync("sync.timeout-hours=0.05"), "running out of time in the detail phase is a success");

        JsonNode metadata = app.metadata();
        assertTrue(metadata.get("success").asBoolean());
        int pending = metadata.get("details_pending").asInt();
        int fetched = metadata.get("details_fetched").asInt();
        assertTrue(pending > 0 && fetched > 0, metadata.toString());
        assertEquals(MODELS, pending + fetched);
        List<String> fetchedIds = detailCallIds();
        for (int i = 0; i < fetchedIds.size(); i++) {
            assertEquals(id(i), fetchedIds.get(i), "most downloaded first");
        }
        for (int i = 0; i < MODELS; i++) {
            assertEquals(i >= fetched, app.model(id(i)).get("details_pending").asBoolean(), id(i));
        }

        // later runs (incremental: a run with details pending counts as a success) work the backlog
        int totalDetailCalls = app.hub.requestLog().stream().mapToInt(r -> r.contains("blobs=true") ? 1 : 0).sum();
        for (int run = 0; run < 10 && app.metadata().get("details_pending").asInt() > 0; run++) {
            app.hub.resetCounters();
            app.clock.advance(Duration.ofHours(1));
            assertEquals(0, app.sync("sync.timeout-hours=0.05"));
            assertEquals("incremental", app.metadata().get("sync_mode").asText());
            totalDetailCalls += app.detailRequests();
        }
        assertEquals(0, app.metadata().get("details_pending").asInt());
        assertTrue(totalDetailCalls <= MODELS + 2, "detail calls over all runs: " + totalDetailCalls);
        assertSizesAreTheHubs();
    }

    @Test
    void should_fail_when_the_time_budget_runs_out_before_the_listing_completes() throws Exception {
        assertEquals(0, app.sync());
        byte[] before = Files.readAllBytes(dataDir.resolve("gguf_models.json"));
        app.clock.advance(Duration.ofHours(1));
        app.clock.stepPerRead(Duration.ofMinutes(10));

        assertEquals(1, app.sync("sync.timeout-hours=0.1", "hub.page-size=2"));

        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(dataDir.resolve("gguf_models.json"))));
        assertTrue(app.metadata().get("error_message").asText().contains("sync.timeout-hours=0.1"),
                app.metadata().get("error_message").asText());
    }

    @Test
    void should_fetch_a_model_updated_while_pending_once_for_its_newest_sha() {
        app.hub.enqueueFault(Fault.status("/api/models/" + id(0), 500));
        assertEquals(1, app.sync());
        HubRepo newer = touched(app.snapshot().get(id(5)), T0.plus(Duration.ofMinutes(20)));
        app.snapshot().put(newer);

        app.hub.resetCounters();
        app.clock.advance(Duration.ofHours(1));
        assertEquals(0, app.sync());

        assertEquals(1, detailCallIds().stream().filter(id(5)::equals).count());
        assertEquals(newer.sha(), app.model(id(5)).get("sha").asText());
        assertSizesAreTheHubs();
    }

    @Test
    void should_leave_nothing_pending_when_sizes_are_off() {
        app.hub.enqueueFault(Fault.status("/api/models/" + id(0), 500));
        assertEquals(1, app.sync());

        app.hub.resetCounters();
        app.clock.advance(Duration.ofHours(1));
        assertEquals(0, app.sync("sync.fetch-file-sizes=false"));

        assertEquals(0, app.detailRequests());
        assertEquals(0, app.metadata().get("details_pending").asInt());
        app.catalog().get("models").forEach(m -> assertFalse(m.get("details_pending").asBoolean(), m.toString()));
    }

    @Test
    void daemon_should_backfill_pending_details_between_syncs_and_give_way_to_a_sync() throws Exception {
        // a one-shot run out of time in its detail phase leaves most sizes pending
        app.clock.stepPerRead(Duration.ofSeconds(10));
        assertEquals(0, app.sync("sync.timeout-hours=0.05"));
        app.clock.stepPerRead(Duration.ZERO);
        int pendingAfterSync = app.metadata().get("details_pending").asInt();
        assertTrue(pendingAfterSync > 2, app.metadata().toString());
        String lastSyncTime = app.metadata().get("last_sync_time").asText();
        int callsSoFar = (int) app.detailRequests();

        // slow answers, so a sync can be asked for while the backfill is at work
        app.hub.setPageDelay(Duration.ofMillis(150));
        try (RunningDaemon daemon = new RunningDaemon(app, "sync.cron=" + RunningDaemon.NEVER,
                "sync.backfill-interval-seconds=1", "hub.max-concurrency=1", "hub.max-retries=0")) {
            org.awaitility.Awaitility.await("the backfill is fetching").atMost(Duration.ofSeconds(30))
                    .until(() -> app.detailRequests() >= callsSoFar + 2);

            app.clock.advance(Duration.ofHours(1));
            daemon.syncNow();
            assertTrue(app.metadata().get("last_sync_time").asText().compareTo(lastSyncTime) > 0,
                    "the sync ran (it waited for the backfill to give way instead of being skipped)");

            org.awaitility.Awaitility.await("backfill finished").atMost(Duration.ofSeconds(60))
                    .until(() -> app.metadata().get("details_pending").asInt() == 0);
            org.awaitility.Awaitility.await("gauge").atMost(Duration.ofSeconds(10))
                    .until(() -> daemon.get("/observe/metrics").body().contains("hf_sync_details_pending 0.0"));
        }
        assertSizesAreTheHubs();
        assertTrue(app.detailRequests() <= MODELS + 2, "detail calls over sync, backfill and sync: " + app.detailRequests());
    }
}
