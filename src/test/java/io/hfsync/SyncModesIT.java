package io.hfsync;

import static io.hfsync.SyncHarness.T0;
import static io.hfsync.SyncHarness.repo;
import static io.hfsync.SyncHarness.touched;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hfsync.standin.Fault;
import io.hfsync.standin.HubRepo;
import io.hfsync.standin.RepoFile;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docs/sync-modes.md, rule by rule: the real application (Camel Main, one-shot) against the stand-in Hub over loopback,
 * asserting on the files and exit codes a user sees. Time comes from the harness clock.
 */
class SyncModesIT extends SyncTestSupport {

    @BeforeEach
    void setUp() {
        app.withDefaults("hub.page-size=3");
    }

    @Test
    void should_run_full_on_first_run_and_write_all_three_files() {
        app.seedHub(10);

        assertEquals(0, app.sync());

        JsonNode metadata = app.metadata();
        assertEquals("full", metadata.get("sync_mode").asText());
        assertEquals("no previous sync metadata (first run)", metadata.get("mode_reason").asText());
        assertTrue(metadata.get("success").asBoolean());
        assertEquals("2026-11-20T02:00:00Z", metadata.get("last_sync_time").asText());
        assertEquals("2026-11-20T02:00:00Z", metadata.get("last_successful_sync_time").asText());
        assertEquals("2026-11-20T02:00:00Z", metadata.get("last_full_sync_time").asText());
        assertEquals(10, metadata.get("total_models").asInt());
        assertEquals(10, metadata.get("models_added").asInt());
        assertTrue(metadata.get("error_message").isNull());

        List<String> ids = app.catalogIds();
        assertEquals(10, ids.size());
        assertEquals(ids.stream().sorted().toList(), ids, "models sorted by id");
        JsonNode catalogMeta = app.catalog().get("metadata");
        assertEquals(1, catalogMeta.get("schema_version").asInt());
        assertEquals("full", catalogMeta.get("sync_mode").asText());
        assertEquals(10, catalogMeta.get("total_models").asInt());

        JsonNode log = app.lastChangeLog();
        assertEquals("20261120T020000Z.json", app.changeLogs().get(0).getFileName().toString());
        assertEquals(10, log.get("added").size());
        assertEquals(0, log.get("removed").size());
        // full listing in createdAt order, 3 per page: 4 pages by tag + 1 empty-ish page by name search
        assertTrue(app.hub.requestLog().stream().filter(r -> r.startsWith("GET /api/models?"))
                .allMatch(r -> r.contains("sort=createdAt")), app.hub.requestLog().toString());
        assertEquals(10, app.detailRequests(), "one detail call per added model");
    }

    @Test
    void should_run_incremental_next_day_and_fetch_details_only_for_changed_models() {
        List<HubRepo> repos = app.seedHub(10);
        assertEquals(0, app.sync());

        app.clock.advance(Duration.ofDays(1));
        Instant now = app.clock.instant();
        HubRepo changed = touched(repos.get(2), now.minus(Duration.ofHours(2)));
        app.snapshot().put(changed);
        HubRepo added = repo("newcomer/Fresh-7B-GGUF", now.minus(Duration.ofHours(1)));
        app.snapshot().put(added);
        app.hub.resetCounters();

        assertEquals(0, app.sync());

        JsonNode metadata = app.metadata();
        assertEquals("incremental", metadata.get("sync_mode").asText());
        assertTrue(metadata.get("mode_reason").asText().startsWith("last full sync 24.0h ago, within 168h"),
                metadata.get("mode_reason").asText());
        assertEquals(1, metadata.get("models_added").asInt());
        assertEquals(1, metadata.get("models_updated").asInt());
        assertEquals(11, metadata.get("total_models").asInt());
        assertEquals("2026-11-20T02:00:00Z", metadata.get("last_full_sync_time").asText(), "incremental keeps the last full time");
        assertEquals(2, app.detailRequests(), "details only for the added and the updated model");
        assertEquals(changed.sha(), app.model(changed.id()).get("sha").asText());
        JsonNode log = app.lastChangeLog();
        assertEquals(List.of(added.id()), texts(log.get("added")));
        assertEquals(List.of(changed.id()), texts(log.get("updated")));
        assertTrue(app.hub.requestLog().stream().filter(r -> r.startsWith("GET /api/models?"))
                .allMatch(r -> r.contains("sort=lastModified")));
        assertEquals(2, app.requestsTo("/api/models?"), "one newest-first page per strategy, then the cutoff stops paging");
    }

    @Test
    void should_refresh_listing_fields_of_unchanged_models_without_counting_them() {
        List<HubRepo> repos = app.seedHub(3);
        assertEquals(0, app.sync());
        app.clock.advance(Duration.ofHours(6));
        app.snapshot().put(repos.get(0).withPopularity(999L, 42L));

        JsonNode modelsBefore = app.catalog().get("models");

        assertEquals(0, app.sync("sync.mode=full"));

        assertEquals(999, app.model(repos.get(0).id()).get("downloads").asInt());
        assertEquals(42, app.model(repos.get(0).id()).get("likes").asInt());
        assertEquals(0, app.metadata().get("models_updated").asInt());
        assertEquals(3, app.detailRequests() , "no detail call for an unchanged sha (3 came from the first run)");
        JsonNode modelsAfter = app.catalog().get("models");
        for (int i = 0; i < 3; i++) {
            assertEquals(modelsBefore.get(i).get("files"), modelsAfter.get(i).get("files"), "sizes kept from the old catalog");
        }
        assertEquals(modelsBefore.get(1), modelsAfter.get(1));
        assertEquals(modelsBefore.get(2), modelsAfter.get(2));
        assertFalse(Files.exists(dataDir.resolve(".gguf_models.spool")), "the run's scratch file is gone");
    }

    @Test
    void should_force_full_when_force_full_sync_is_set() {
        app.seedHub(4);
        assertEquals(0, app.sync());
        app.clock.advance(Duration.ofHours(3));

        assertEquals(0, app.sync("sync.force-full=yes", "sync.mode=incremental"));

        assertEquals("full", app.metadata().get("sync_mode").asText());
        assertEquals("FORCE_FULL_SYNC is set", app.metadata().get("mode_reason").asText());
    }

    @Test
    void should_honour_forced_modes() {
        app.seedHub(4);
        assertEquals(0, app.sync("sync.mode=incremental"));
        assertEquals("incremental", app.metadata().get("sync_mode").asText());
        assertEquals("SYNC_MODE=incremental (forced)", app.metadata().get("mode_reason").asText());

        app.clock.advance(Duration.ofHours(1));
        assertEquals(0, app.sync("sync.mode=full"));
        assertEquals("full", app.metadata().get("sync_mode").asText());
        assertEquals("SYNC_MODE=full (forced)", app.metadata().get("mode_reason").asText());
    }

    @Test
    void should_run_full_when_last_full_sync_is_older_than_the_threshold() {
        app.seedHub(4);
        assertEquals(0, app.sync());
        app.clock.advance(Duration.ofHours(169));

        assertEquals(0, app.sync());

        assertEquals("full", app.metadata().get("sync_mode").asText());
        assertEquals("last full sync 169.0h ago, older than 168h", app.metadata().get("mode_reason").asText());
    }

    @Test
    void should_keep_the_catalog_after_a_failed_run_and_recover_with_a_full_sync() throws Exception {
        app.seedHub(6);
        assertEquals(0, app.sync());
        byte[] catalogBefore = Files.readAllBytes(dataDir.resolve("gguf_models.json"));
        app.clock.advance(Duration.ofHours(2));
        app.hub.enqueueFault(Fault.status("/api/models?", 500));

        assertEquals(1, app.sync("hub.max-retries=0"));

        assertArrayEquals(catalogBefore, Files.readAllBytes(dataDir.resolve("gguf_models.json")), "catalog byte-identical");
        assertEquals(1, app.changeLogs().size(), "no change log for a failed run");
        JsonNode failed = app.metadata();
        assertFalse(failed.get("success").asBoolean());
        assertTrue(failed.get("error_message").asText().contains("HTTP 500"), failed.get("error_message").asText());
        assertEquals("2026-11-20T02:00:00Z", failed.get("last_successful_sync_time").asText());

        app.clock.advance(Duration.ofHours(1));
        assertEquals(0, app.sync());
        assertEquals("full", app.metadata().get("sync_mode").asText());
        assertTrue(app.metadata().get("mode_reason").asText().startsWith("last sync at 2026-11-20T04:00:00Z failed"),
                app.metadata().get("mode_reason").asText());
    }

    @Test
    void should_switch_to_full_in_the_same_run_on_a_significant_change() {
        app.seedHub(10);
        assertEquals(0, app.sync());
        app.clock.advance(Duration.ofHours(12));
        Instant now = app.clock.instant();
        app.snapshot().put(repo("burst/A-GGUF", now.minusSeconds(60)));
        app.snapshot().put(repo("burst/B-GGUF", now.minusSeconds(120)));
        app.hub.resetCounters();

        assertEquals(0, app.sync());

        JsonNode metadata = app.metadata();
        assertEquals("full", metadata.get("sync_mode").asText());
        assertTrue(metadata.get("mode_reason").asText()
                .startsWith("Significant change detected: 20.0% change in model count (10 → 12)"), metadata.get("mode_reason").asText());
        assertEquals(2, metadata.get("models_added").asInt());
        assertEquals("2026-11-20T14:00:00Z", metadata.get("last_full_sync_time").asText());
        assertTrue(app.hub.requestLog().stream().anyMatch(r -> r.contains("sort=createdAt")), "full listing in the same run");
        assertEquals(2, app.detailRequests(), "the switch does not repeat detail calls");
    }

    @Test
    void should_never_switch_a_forced_incremental_run() {
        app.seedHub(10);
        assertEquals(0, app.sync());
        app.clock.advance(Duration.ofHours(12));
        app.snapshot().put(repo("burst/A-GGUF", app.clock.instant().minusSeconds(60)));
        app.snapshot().put(repo("burst/B-GGUF", app.clock.instant().minusSeconds(60)));

        assertEquals(0, app.sync("sync.mode=incremental"));

        assertEquals("incremental", app.metadata().get("sync_mode").asText());
        assertEquals(12, app.metadata().get("total_models").asInt());
    }

    @Test
    void should_reach_back_to_the_last_success_after_several_missed_days() {
        app.seedHub(10);
        assertEquals(0, app.sync());
        // five days without a run, window 48h: the cutoff is last success - 1h, not now - 48h
        app.clock.advance(Duration.ofDays(5));
        Instant now = app.clock.instant();
        HubRepo fourDaysAgo = repo("late/Four-Days-GGUF", now.minus(Duration.ofDays(4)));
        HubRepo oneDayAgo = repo("late/One-Day-GGUF", now.minus(Duration.ofDays(1)));
        app.snapshot().put(fourDaysAgo);
        app.snapshot().put(oneDayAgo);

        assertEquals(0, app.sync("sync.significant-change-threshold=1"));

        JsonNode metadata = app.metadata();
        assertEquals("incremental", metadata.get("sync_mode").asText());
        assertEquals(List.of(fourDaysAgo.id(), oneDayAgo.id()), texts(app.lastChangeLog().get("added")));
        assertNotNull(app.model(fourDaysAgo.id()));
    }

    @Test
    void should_include_models_without_a_modification_date_in_an_incremental_run() {
        // all dated repos inside the window, so paging reaches the undated one, which the Hub sorts last
        for (int i = 0; i < 4; i++) {
            app.snapshot().put(repo("recent/Model-" + i + "-GGUF", T0.minus(Duration.ofHours(i + 1))));
        }
        assertEquals(0, app.sync());
        app.clock.advance(Duration.ofHours(6));
        HubRepo undated = new HubRepo("nodate/Undated-GGUF", "nodate", SyncHarness.sha("undated"), null, null, null,
                null, null, List.of("gguf"), null, null, null, null, null,
                List.of(new RepoFile("undated.Q5_K_M.gguf", 5_000_000_000L)), false);
        app.snapshot().put(undated);

        assertEquals(0, app.sync("sync.significant-change-threshold=1"));

        assertEquals("incremental", app.metadata().get("sync_mode").asText());
        JsonNode model = app.model("nodate/Undated-GGUF");
        assertNotNull(model, "a model without a date is included");
        assertTrue(model.get("last_modified").isNull());
        assertTrue(model.get("created_at").isNull());
        assertTrue(model.get("downloads").isNull(), "unknown stays null");
        assertTrue(model.get("architecture").isNull());
    }

    @Test
    void should_remove_only_after_a_completed_full_listing() throws Exception {
        List<HubRepo> repos = app.seedHub(10);
        assertEquals(0, app.sync());
        app.snapshot().remove(repos.get(4).id());

        app.clock.advance(Duration.ofHours(2));
        assertEquals(0, app.sync());
        assertEquals("incremental", app.metadata().get("sync_mode").asText());
        assertNotNull(app.model(repos.get(4).id()), "an incremental sync never removes");

        app.clock.advance(Duration.ofHours(2));
        byte[] before = Files.readAllBytes(dataDir.resolve("gguf_models.json"));
        app.hub.enqueueFault(Fault.status("/api/models?search=gguf", 503));
        assertEquals(1, app.sync("sync.mode=full", "hub.max-retries=0"));
        assertArrayEquals(before, Files.readAllBytes(dataDir.resolve("gguf_models.json")),
                "a listing that did not complete removes nothing");

        app.clock.advance(Duration.ofHours(2));
        assertEquals(0, app.sync("sync.mode=full"));
        assertNull(app.model(repos.get(4).id()));
        assertEquals(List.of(repos.get(4).id()), texts(app.lastChangeLog().get("removed")));
        assertEquals(1, app.metadata().get("models_removed").asInt());
    }

    @Test
    void should_find_repos_by_name_search_only_when_they_hold_a_gguf_file() {
        app.seedHub(3);
        HubRepo untagged = new HubRepo("someone/llama-gguf-export", "someone", SyncHarness.sha("u"), T0.minusSeconds(3600),
                T0.minusSeconds(7200), Boolean.FALSE, 5L, 0L, List.of("transformers"), null, "transformers", null, null,
                null, List.of(new RepoFile("llama.IQ4_XS.gguf", 3_000_000_000L)), false);
        HubRepo noGgufFile = new HubRepo("someone/notes-about-gguf", "someone", SyncHarness.sha("n"), T0.minusSeconds(3600),
                T0.minusSeconds(7200), Boolean.FALSE, 5L, 0L, List.of("text"), null, null, null, null, null,
                List.of(new RepoFile("README.md", 100)), false);
        app.snapshot().put(untagged);
        app.snapshot().put(noGgufFile);

        assertEquals(0, app.sync());

        assertNotNull(app.model(untagged.id()), "found only by the name search, has a .gguf file");
        assertEquals("IQ4_XS", app.model(untagged.id()).get("files").get(0).get("quantization").asText());
        assertNull(app.model(noGgufFile.id()), "name matches but no .gguf file");
        assertEquals(4, app.metadata().get("total_models").asInt());
    }

    @Test
    void should_parse_quantisations_and_merge_split_files_with_summed_sizes() {
        HubRepo big = repo("bartowski/Big-70B-GGUF", T0.minusSeconds(600), T0.minusSeconds(86_400),
                new RepoFile("README.md", 5_000),
                new RepoFile("Big-70B-Q4_K_M.gguf", 42_000_000_000L),
                new RepoFile("Q8_0/Big-70B-Q8_0-00001-of-00003.gguf", 30_000_000_000L),
                new RepoFile("Q8_0/Big-70B-Q8_0-00002-of-00003.gguf", 30_000_000_000L),
                new RepoFile("Q8_0/Big-70B-Q8_0-00003-of-00003.gguf", 15_000_000_000L),
                new RepoFile("big-70b-bf16.gguf", 140_000_000_000L),
                new RepoFile("mmproj-big-f16.gguf", 600_000_000L));
        app.snapshot().put(big);

        assertEquals(0, app.sync());

        JsonNode files = app.model(big.id()).get("files");
        assertEquals(4, files.size(), files.toString());
        assertFile(files.get(0), "Big-70B-Q4_K_M.gguf", "Q4_K_M", 42_000_000_000L);
        assertFile(files.get(1), "Q8_0/Big-70B-Q8_0-00001-of-00003.gguf", "Q8_0", 75_000_000_000L);
        assertFile(files.get(2), "big-70b-bf16.gguf", "BF16", 140_000_000_000L);
        assertFile(files.get(3), "mmproj-big-f16.gguf", "F16", 600_000_000L);
        assertEquals("llama", app.model(big.id()).get("architecture").asText());
    }

    @Test
    void should_leave_out_a_repo_that_vanished_between_listing_and_detail() {
        app.seedHub(3);
        HubRepo ghost = repo("ghost/Gone-GGUF", T0.minusSeconds(600));
        app.snapshot().put(ghost);
        app.hub.enqueueFault(Fault.status("/api/models/ghost/Gone-GGUF", 404));

        assertEquals(0, app.sync());

        assertNull(app.model(ghost.id()));
        assertEquals(3, app.metadata().get("total_models").asInt());
        assertEquals(3, app.metadata().get("models_added").asInt());
    }

    @Test
    void should_write_null_file_sizes_and_make_no_detail_calls_when_sizes_are_off() {
        app.seedHub(4);

        assertEquals(0, app.sync("sync.fetch-file-sizes=false"));

        assertEquals(0, app.detailRequests());
        app.catalog().get("models").forEach(m -> assertTrue(m.get("files").get(0).get("size").isNull()));
        assertEquals("Q4_K_M", app.catalog().get("models").get(0).get("files").get(0).get("quantization").asText());
    }

    private static void assertFile(JsonNode file, String name, String quantization, long size) {
        assertEquals(name, file.get("name").asText());
        assertEquals(quantization, file.get("quantization").asText());
        assertEquals(size, file.get("size").asLong());
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
