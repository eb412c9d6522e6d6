package io.hfsync;

import static io.hfsync.SyncHarness.T0;
import static io.hfsync.SyncHarness.repo;
import static io.hfsync.SyncHarness.touched;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hfsync.standin.Fault;
import io.hfsync.standin.HubRepo;
import io.hfsync.standin.RepoFile;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/sync-modes.md, "Sizes the listing already proves": a single-file repo takes its size from the listing's
 * {@code gguf.totalFileSize}; a full sync verifies a sample with detail calls first; a lying listing is caught and no
 * size it stated is published; the verdict survives across runs. The real application against the stand-in Hub.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ListingSizesIT extends SyncTestSupport {

    static final int SINGLE = 30;
    /** Repos that keep their detail call: two quantisations, a projector, a split set, a sub-folder, no gguf. */
    static final List<String> OTHERS = List.of("other/two-quants-GGUF", "other/vision-GGUF", "other/split-GGUF",
            "other/folder-GGUF", "other/no-metadata-GGUF");

    @BeforeEach
    void setUp() {
        app.withDefaults("sync.sizes-from-listing=true", "hub.max-retries=0");
        for (int i = 0; i < SINGLE; i++) {
            Instant modified = T0.minus(Duration.ofDays(10 + i));
            app.snapshot().put(repo(single(i), modified, modified.minus(Duration.ofDays(1)), new RepoFile("README.md", 10),
                    new RepoFile("model-" + i + "-q4_k_m.gguf", 1_000_000_000L + i * 7_919L)));
        }
        Instant modified = T0.minus(Duration.ofDays(50));
        Instant created = modified.minus(Duration.ofDays(1));
        app.snapshot().put(repo(OTHERS.get(0), modified, created, new RepoFile("m.Q4_K_M.gguf", 4_000L),
                new RepoFile("m.Q8_0.gguf", 8_000L)));
        app.snapshot().put(repo(OTHERS.get(1), modified, created, new RepoFile("gemma-3-4b-it-Q4_K_M.gguf", 2_500L),
                new RepoFile("mmproj-model-f16.gguf", 800L)));
        app.snapshot().put(repo(OTHERS.get(2), modified, created, new RepoFile("big-Q8_0-00001-of-00002.gguf", 5_000L),
                new RepoFile("big-Q8_0-00002-of-00002.gguf", 3_000L)));
        app.snapshot().put(repo(OTHERS.get(3), modified, created, new RepoFile("Q4_K_M/deep-Q4_K_M.gguf", 6_000L)));
        HubRepo plain = repo(OTHERS.get(4), modified, created, new RepoFile("plain.Q5_K_M.gguf", 7_000L));
        app.snapshot().put(new HubRepo(plain.id(), plain.author(), plain.sha(), plain.lastModified(), plain.createdAt(),
                plain.gated(), plain.downloads(), plain.likes(), plain.tags(), plain.pipelineTag(), plain.libraryName(),
                null, null, null, plain.files(), false));
    }

    static String single(int i) {
        return "single/Model-%02d-Q4_K_M-GGUF".formatted(i);
    }

    /** Every file's size is the Hub's own (a split set's parts summed) and no model waits for a detail call. */
    private void assertEverySizeIsTheHubs() {
        for (JsonNode model : app.catalog().get("models")) {
            String id = model.get("id").asText();
            assertFalse(model.get("details_pending").asBoolean(), id);
            HubRepo repo = app.snapshot().get(id);
            for (JsonNode file : model.get("files")) {
                String name = file.get("name").asText();
                long expected = repo.files().stream()
                        .filter(f -> f.path().equals(name) || name.contains("-00001-of-") && f.path().contains("-of-"))
                        .mapToLong(RepoFile::size).sum();
                assertEquals(expected, file.get("size").asLong(), id + " " + name);
            }
        }
    }

    private List<String> sourced(String source) {
        List<String> ids = new ArrayList<>();
        for (JsonNode model : app.catalog().get("models")) {
            for (JsonNode file : model.get("files")) {
                if (source.equals(file.get("size_source").asText(null))) {
                    ids.add(model.get("id").asText());
                }
            }
        }
        return ids;
    }

    private void later(int hours) {
        app.hub.resetCounters();
        app.clock.advance(Duration.ofHours(hours));
    }

    @Test
    void should_make_detail_calls_only_for_the_other_repos_and_the_sample() throws Exception {
        assertEquals(0, app.sync());

        assertEquals(OTHERS.size() + 5, app.detailRequests(), "the 5 others + a sample of max(5, 1 % of 30)");
        assertEverySizeIsTheHubs();
        List<String> fromListing = sourced("listing");
        assertEquals(SINGLE - 5, fromListing.size());
        assertTrue(fromListing.stream().allMatch(id -> id.startsWith("single/")), fromListing.toString());
        assertEquals(OTHERS.size() + 5, sourced("blobs").stream().distinct().count());
        JsonNode metadata = app.metadata();
        assertEquals(SINGLE - 5, metadata.get("sizes_from_listing").asInt());
        assertEquals(0, metadata.get("size_mismatches").asInt());
        assertEquals("verified", metadata.get("listing_sizes").asText());
        assertEquals(OTHERS.size() + 5, metadata.get("details_fetched").asInt());
        try (Connection db = CatalogTablesAssert.sqlite(dataDir.resolve("gguf_models.sqlite"))) {
            CatalogTablesAssert.assertSameAsCatalog(dataDir.resolve("gguf_models.json"), db);
            assertEquals(SINGLE - 5, CatalogTablesAssert.count(db, "SELECT count(*) FROM files WHERE size_source = 'listing'"));
            assertEquals(0, CatalogTablesAssert.count(db,
                    "SELECT size_mismatches FROM sync_runs ORDER BY last_sync_time DESC LIMIT 1"));
        }

        // the next day: three single-file repos and one other change; the incremental run trusts the last sample
        later(24);
        for (int i = 0; i < 3; i++) {
            app.snapshot().put(touched(app.snapshot().get(single(i)), app.clock.instant().minusSeconds(600)));
        }
        app.snapshot().put(touched(app.snapshot().get(OTHERS.get(0)), app.clock.instant().minusSeconds(600)));
        assertEquals(0, app.sync());

        assertEquals("incremental", app.metadata().get("sync_mode").asText());
        assertEquals(1, app.detailRequests(), "only the repo with two GGUF files");
        assertEquals(3, app.metadata().get("sizes_from_listing").asInt());
        assertEquals("verified", app.metadata().get("listing_sizes").asText());
        assertEverySizeIsTheHubs();
    }

    @Test
    void should_catch_a_lying_listing_with_the_sample_and_publish_only_true_sizes() {
        app.hub.setListedFileSizeError(4_096);

        assertEquals(0, app.sync());

        assertEquals(SINGLE + OTHERS.size(), app.detailRequests(), "after the mismatch every repo gets its call");
        assertEverySizeIsTheHubs();
        assertEquals(List.of(), sourced("listing"));
        JsonNode metadata = app.metadata();
        assertEquals(5, metadata.get("size_mismatches").asInt(), "the whole sample lied");
        assertEquals("mismatch", metadata.get("listing_sizes").asText());
        assertEquals(0, metadata.get("sizes_from_listing").asInt());

        // the listing tells the truth again, but no full sync has checked it since: incremental runs stay off
        app.hub.setListedFileSizeError(0);
        later(24);
        for (int i = 0; i < 3; i++) {
            app.snapshot().put(touched(app.snapshot().get(single(i)), app.clock.instant().minusSeconds(600)));
        }
        assertEquals(0, app.sync());
        assertEquals("incremental", app.metadata().get("sync_mode").asText());
        assertEquals(3, app.detailRequests());
        assertEquals("mismatch", app.metadata().get("listing_sizes").asText(), "a failed-over state survives runs");
        assertEquals(0, app.metadata().get("size_mismatches").asInt());

        // a full sync with nothing to take from the listing checks nothing and calls nothing
        later(24);
        assertEquals(0, app.sync("sync.mode=full"));
        assertEquals(0, app.detailRequests());
        assertEquals("mismatch", app.metadata().get("listing_sizes").asText());

        // a full sync whose sample matches turns the shortcut back on
        later(24);
        for (int i = 10; i < 20; i++) {
            app.snapshot().put(touched(app.snapshot().get(single(i)), app.clock.instant().minusSeconds(600)));
        }
        assertEquals(0, app.sync("sync.mode=full"));
        assertEquals(5, app.detailRequests(), "a sample of 5 of the 10 changed single-file repos");
        assertEquals("verified", app.metadata().get("listing_sizes").asText());
        assertEquals(5, sourced("listing").size());
        assertEverySizeIsTheHubs();
    }

    @Test
    void should_read_again_every_size_earlier_runs_took_from_the_listing_once_one_is_wrong() {
        assertEquals(0, app.sync());
        assertEquals(SINGLE - 5, sourced("listing").size());

        later(24);
        app.hub.setListedFileSizeError(-1);
        for (int i = 0; i < 10; i++) {
            app.snapshot().put(touched(app.snapshot().get(single(i)), app.clock.instant().minusSeconds(600)));
        }
        assertEquals(0, app.sync("sync.mode=full"));

        assertEquals(List.of(), sourced("listing"), "no listing size stays once the listing lied");
        assertEverySizeIsTheHubs();
        assertTrue(app.metadata().get("size_mismatches").asInt() >= 1);
        assertEquals("mismatch", app.metadata().get("listing_sizes").asText());
    }

    @Test
    void should_make_every_detail_call_when_turned_off() {
        assertEquals(0, app.sync("sync.sizes-from-listing=false"));

        assertEquals(SINGLE + OTHERS.size(), app.detailRequests());
        assertEquals(List.of(), sourced("listing"));
        assertEquals(SINGLE + OTHERS.size(), sourced("blobs").stream().distinct().count());
        assertEverySizeIsTheHubs();
        assertEquals(0, app.metadata().get("sizes_from_listing").asInt());
    }

    @Test
    void should_leave_no_single_file_repo_pending_once_the_listing_is_published() {
        // the Hub fails on a repo that needs its detail call, after the sample matched and the catalog was published
        app.hub.enqueueFault(Fault.status("/api/models/" + OTHERS.get(4), 500));

        assertEquals(1, app.sync());

        JsonNode metadata = app.metadata();
        assertFalse(metadata.get("success").asBoolean());
        for (JsonNode model : app.catalog().get("models")) {
            String id = model.get("id").asText();
            JsonNode file = model.get("files").get(0);
            if (id.startsWith("single/")) {
                assertFalse(model.get("details_pending").asBoolean(), id);
                assertNotNull(file.get("size").numberValue(), id);
            }
        }
        assertTrue(metadata.get("details_pending").asInt() <= OTHERS.size(), metadata.toString());
        assertEquals("verified", metadata.get("listing_sizes").asText());

        later(1);
        assertEquals(0, app.sync());
        assertTrue(app.detailRequests() <= OTHERS.size(), "only what was still pending: " + app.detailRequests());
        assertEverySizeIsTheHubs();
    }

    @Test
    void should_publish_the_listing_when_the_hub_fails_during_the_sample() {
        // every single-file repo's detail call fails once: whichever the sample picks, the Hub fails during it
        for (int i = 0; i < SINGLE; i++) {
            app.hub.enqueueFault(Fault.status("/api/models/" + single(i), 503));
        }

        assertEquals(1, app.sync());

        JsonNode catalog = app.catalog();
        assertEquals(SINGLE + OTHERS.size(), catalog.get("models").size(), "published after the listing");
        assertEquals(List.of(), sourced("listing"), "nothing taken from an unverified listing");
        assertFalse(app.metadata().get("success").asBoolean());
        assertTrue(app.metadata().get("error_message").asText().contains("503"), app.metadata().toString());
        assertTrue(app.metadata().get("listing_sizes").isNull());
    }
}
