package io.hfsync;

import static io.hfsync.SyncHarness.T0;
import static io.hfsync.SyncHarness.repo;
import static io.hfsync.SyncHarness.touched;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hfsync.standin.HubRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GGUF headers (docs/gguf-headers.md): the real application reads one header per repo revision from the stand-in
 * Hub's /resolve/ redirect and file host into the catalog, SQLite and the metadata, never sends the token to the file
 * host, and never reads a revision twice.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GgufHeadersIT extends SyncTestSupport {

    static final String TOKEN = "hf_headers_test_token";

    @BeforeEach
    void setUp() {
        app.withDefaults("hub.max-resolver-requests-per-minute=60000", "hub.max-retries=0");
    }

    private List<HubRepo> repos(int count) {
        List<HubRepo> repos = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant modified = T0.minus(Duration.ofDays(1 + i));
            HubRepo repo = repo("owner/model-" + i + "-GGUF", modified);
            app.snapshot().put(repo);
            repos.add(repo);
        }
        return repos;
    }

    @Test
    void should_read_each_header_once_into_the_catalog_and_sqlite_without_the_token_at_the_file_host() throws Exception {
        app.hub.grantToken(TOKEN, "someone");
        List<HubRepo> repos = repos(3);
        assertEquals(0, app.sync("hub.token=" + TOKEN));

        for (HubRepo repo : repos) {
            JsonNode model = app.model(repo.id());
            JsonNode header = model.get("gguf_header");
            assertNotNull(header, repo.id() + ": " + model);
            assertTrue(header.isObject(), repo.id() + ": " + model);
            assertEquals(repo.sha(), header.get("sha").asText());
            assertEquals("llama", header.get("architecture").asText());
            assertTrue(header.get("block_count").asInt() > 0, header.toString());
            assertTrue(header.get("bytes_read").asLong() <= 512 * 1024, header.toString());
            assertTrue(model.get("gguf_header_error").isNull(), model.toString());
        }
        JsonNode metadata = app.metadata();
        assertEquals(3, metadata.get("headers_read").asInt(), metadata.toString());
        assertEquals(0, metadata.get("headers_pending").asInt(), metadata.toString());
        assertEquals(3, metadata.get("resolver_calls").asInt(), metadata.toString());
        assertEquals(3, app.hub.resolveRequests());
        assertTrue(app.hub.fileHostRequests().size() >= 3);
        assertTrue(app.hub.fileHostRequests().stream().allMatch(r -> r.header("Authorization") == null),
                "the token never goes to the file host");
        assertTrue(app.hub.authorizationHeaders().stream().anyMatch(h -> h != null && h.contains(TOKEN)),
                "the token goes to the Hub");
        try (Connection db = CatalogTablesAssert.sqlite(dataDir.resolve("gguf_models.sqlite"))) {
            CatalogTablesAssert.assertSameAsCatalog(dataDir.resolve("gguf_models.json"), db);
        }

        // nothing read again: not by a second run, not when only the modification time moves
        app.hub.resetCounters();
        app.clock.advance(Duration.ofHours(1));
        assertEquals(0, app.sync("hub.token=" + TOKEN, "sync.mode=full"));
        assertEquals(0, app.hub.resolveRequests());
        assertEquals(0, app.metadata().get("headers_read").asInt());
        assertEquals(repos.get(0).sha(), app.model(repos.get(0).id()).get("gguf_header").get("sha").asText());

        // a new sha is read again
        HubRepo moved = touched(repos.get(1), T0.plus(Duration.ofMinutes(30)));
        app.snapshot().put(moved);
        app.clock.advance(Duration.ofHours(1));
        assertEquals(0, app.sync("hub.token=" + TOKEN));
        assertEquals(1, app.hub.resolveRequests());
        assertEquals(moved.sha(), app.model(moved.id()).get("gguf_header").get("sha").asText());
    }

    @Test
    void should_read_headers_alongside_the_detail_phase_not_after_it() {
        List<HubRepo> repos = repos(40);
        // detail calls 100 ms apart: the detail phase lasts about 4 s, headers are read as each model's sizes arrive
        assertEquals(0, app.sync("hub.max-requests-per-minute=600"));

        List<String> log = app.hub.requestLog();
        int firstRead = -1;
        int lastDetail = -1;
        for (int i = 0; i < log.size(); i++) {
            if (firstRead < 0 && log.get(i).contains("/resolve/")) {
                firstRead = i;
            }
            if (log.get(i).contains("blobs=true")) {
                lastDetail = i;
            }
        }
        assertTrue(firstRead >= 0 && lastDetail >= 0 && firstRead < lastDetail,
                "a header was read before the last detail call (first read at " + firstRead + ", last detail call at "
                        + lastDetail + "): " + log);
        // each read once, all of them published with the catalog
        assertEquals(repos.size(), app.hub.resolveRequests());
        JsonNode metadata = app.metadata();
        assertEquals(repos.size(), metadata.get("headers_read").asInt(), metadata.toString());
        assertEquals(0, metadata.get("headers_pending").asInt(), metadata.toString());
        for (HubRepo repo : repos) {
            assertTrue(app.model(repo.id()).get("gguf_header").isObject(), repo.id());
        }
    }

    @Test
    void should_publish_the_most_downloaded_headers_while_the_detail_phase_goes_on() throws Exception {
        // most downloaded first: model-0 has the most
        List<HubRepo> repos = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            HubRepo repo = repo("owner/model-" + i + "-GGUF", T0.minus(Duration.ofDays(1 + i)));
            repo = new HubRepo(repo.id(), repo.author(), repo.sha(), repo.lastModified(), repo.createdAt(), repo.gated(),
                    10_000L - 100L * i, repo.likes(), repo.tags(), repo.pipelineTag(), repo.libraryName(),
                    repo.architecture(), repo.contextLength(), repo.parameters(), repo.files(), repo.isPrivate(),
                    repo.chatTemplate());
            app.snapshot().put(repo);
            repos.add(repo);
        }
        List<String> top = repos.subList(0, 5).stream().map(HubRepo::id).toList();
        // detail calls 200 ms apart: the detail phase lasts about 12 s; the publish interval is the default 5 minutes
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> app.sync("hub.max-requests-per-minute=300"));
        await("the listing's publish, then the top models' headers read alongside the detail phase")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(dataDir.resolve("gguf_models.json")) && app.hub.resolveRequests() >= top.size());
        assertFalse(run.isDone(), "the detail phase is still going");
        JsonNode first = app.catalog();
        assertTrue(first.get("metadata").get("details_pending").asInt() > 0, first.get("metadata").toString());
        assertTrue(first.get("models").findValues("gguf_header").stream().allMatch(JsonNode::isNull),
                "the listing's publish holds no header");

        // five minutes pass on the run's clock: the next detail answer ends the slice, the run publishes
        app.clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        JsonNode published = await("a publish during the detail phase").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> headersIn(app.catalog(), top) && headersInSqlite(top) ? app.catalog() : null,
                        catalog -> catalog != null);
        int pending = published.get("metadata").get("details_pending").asInt();
        assertTrue(pending > 0, "published before the detail phase ended: " + published.get("metadata"));
        assertTrue(app.detailRequests() < repos.size(), "the detail phase goes on after it");
        assertFalse(run.isDone());

        assertEquals(0, run.get(60, TimeUnit.SECONDS));
        // nothing asked twice across the slices, everything in the end, in both files alike
        assertEquals(repos.size(), app.detailRequests());
        assertEquals(repos.size(), app.hub.resolveRequests());
        JsonNode metadata = app.metadata();
        assertEquals(0, metadata.get("details_pending").asInt(), metadata.toString());
        assertEquals(repos.size(), metadata.get("headers_read").asInt(), metadata.toString());
        assertEquals(0, metadata.get("headers_pending").asInt(), metadata.toString());
        assertEquals(1, app.changeLogs().size(), "one run, one change log");
        assertEquals(repos.size(), app.lastChangeLog().get("added").size());
        try (Connection db = CatalogTablesAssert.sqlite(dataDir.resolve("gguf_models.sqlite"))) {
            CatalogTablesAssert.assertSameAsCatalog(dataDir.resolve("gguf_models.json"), db);
        }
        assertEquals(0, Files.size(dataDir.resolve("gguf_models.details.jsonl")));
        assertEquals(0, Files.size(dataDir.resolve("gguf_models.headers.jsonl")));
    }

    private static boolean headersIn(JsonNode catalog, List<String> ids) {
        int found = 0;
        for (JsonNode model : catalog.get("models")) {
            if (ids.contains(model.get("id").asText()) && model.get("gguf_header").isObject()) {
                found++;
            }
        }
        return found == ids.size();
    }

    private boolean headersInSqlite(List<String> ids) throws Exception {
        Path file = dataDir.resolve("gguf_models.sqlite");
        if (!Files.exists(file)) {
            return false;
        }
        try (Connection db = CatalogTablesAssert.sqlite(file);
                PreparedStatement query = db.prepareStatement("SELECT gguf_header FROM models WHERE id = ?")) {
            for (String id : ids) {
                query.setString(1, id);
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next() || row.getString(1) == null) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    @Test
    void should_read_headers_when_file_sizes_are_not_fetched() {
        // FETCH_FILE_SIZES=false: no detail call, no size known, yet every repo has a complete weights file whose
        // header tells its KV cache; it is read, once, and no repo is marked as having none
        List<HubRepo> repos = repos(3);
        assertEquals(0, app.sync("sync.fetch-file-sizes=false"));
        assertFalse(app.hub.requestLog().stream().anyMatch(r -> r.contains("blobs=true")), app.hub.requestLog().toString());
        assertEquals(3, app.hub.resolveRequests());
        for (HubRepo repo : repos) {
            JsonNode model = app.model(repo.id());
            assertTrue(model.get("gguf_header").isObject(), model.toString());
            assertEquals(repo.sha(), model.get("gguf_header").get("sha").asText());
            assertTrue(model.get("gguf_header_error").isNull(), model.toString());
            assertTrue(model.get("files").get(0).get("size").isNull(), model.toString());
        }
        JsonNode metadata = app.metadata();
        assertEquals(3, metadata.get("headers_read").asInt(), metadata.toString());
        assertEquals(3, metadata.get("resolver_calls").asInt(), metadata.toString());
    }

    @Test
    void should_read_again_at_a_full_sync_what_an_earlier_version_said_had_no_complete_weights_file() throws Exception {
        // before 2026-12-06, FETCH_FILE_SIZES=false gave every repo "no complete weights file" as its header reason,
        // final for its sha: the catalog such a version left is read as it printed it, and a full sync reads them
        List<HubRepo> repos = repos(3);
        assertEquals(0, app.sync("sync.fetch-file-sizes=false"));
        Path catalog = dataDir.resolve("gguf_models.json");
        String earlier = java.util.regex.Pattern.compile("\"gguf_header\" : \\{[^{}]*\\},(\\s*)\"gguf_header_error\" : null")
                .matcher(Files.readString(catalog))
                .replaceAll("\"gguf_header\" : null,$1\"gguf_header_error\" : \"no complete weights file\"");
        assertEquals(3, earlier.split("no complete weights file", -1).length - 1, earlier);
        Files.writeString(catalog, earlier);

        app.hub.resetCounters();
        app.clock.advance(Duration.ofHours(1));
        // an incremental run reads only what it added or updated
        assertEquals(0, app.sync("sync.fetch-file-sizes=false"));
        assertEquals(0, app.hub.resolveRequests());
        assertEquals("no complete weights file", app.model(repos.get(0).id()).get("gguf_header_error").asText());

        app.clock.advance(Duration.ofHours(1));
        assertEquals(0, app.sync("sync.fetch-file-sizes=false", "sync.mode=full"));
        assertEquals(3, app.hub.resolveRequests());
        for (HubRepo repo : repos) {
            JsonNode model = app.model(repo.id());
            assertEquals(repo.sha(), model.get("gguf_header").get("sha").asText(), model.toString());
            assertTrue(model.get("gguf_header_error").isNull(), model.toString());
        }
        // read once: the next full sync reads none
        app.hub.resetCounters();
        app.clock.advance(Duration.ofHours(1));
        assertEquals(0, app.sync("sync.fetch-file-sizes=false", "sync.mode=full"));
        assertEquals(0, app.hub.resolveRequests());
    }

    @Test
    void should_read_no_header_when_turned_off() {
        repos(2);
        assertEquals(0, app.sync("sync.gguf-headers=false"));
        assertEquals(0, app.hub.resolveRequests());
        assertTrue(app.model("owner/model-0-GGUF").get("gguf_header").isNull());
        assertEquals(0, app.metadata().get("headers_pending").asInt());
    }
}
