package io.hfsync;

import static io.hfsync.SyncHarness.T0;
import static io.hfsync.SyncHarness.repo;
import static io.hfsync.SyncHarness.touched;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hfsync.standin.HubRepo;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    void should_read_no_header_when_turned_off() {
        repos(2);
        assertEquals(0, app.sync("sync.gguf-headers=false"));
        assertEquals(0, app.hub.resolveRequests());
        assertTrue(app.model("owner/model-0-GGUF").get("gguf_header").isNull());
        assertEquals(0, app.metadata().get("headers_pending").asInt());
    }
}
