package io.hfsync;

import static io.hfsync.SyncHarness.T0;
import static io.hfsync.SyncHarness.repo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hfsync.standin.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docs/files.md and docs/faults.md under faults: the real application against the stand-in Hub misbehaving on purpose. Every test
 * asserts what the user sees: exit code, the catalog (byte-identical after a failure), the metadata.
 */
class FaultHandlingIT extends SyncTestSupport {

    static final String LISTING = "/api/models?filter=gguf";

    @BeforeEach
    void setUp() {
        for (int i = 0; i < 5; i++) {
            app.snapshot().put(repo("faults/Model-" + i + "-GGUF", T0.minus(Duration.ofDays(10 + i))));
        }
    }

    private byte[] catalogBytes() throws Exception {
        return Files.readAllBytes(dataDir.resolve("gguf_models.json"));
    }

    private long listingCalls() {
        return app.requestsTo(LISTING);
    }

    @Test
    void should_wait_retry_after_seconds_on_429_and_succeed() {
        app.hub.enqueueFault(new Fault(LISTING, 429, Map.of("Retry-After", "1"), "{\"error\":\"rate limited\"}", false));

        assertEquals(0, app.sync());

        assertEquals(2, listingCalls(), "the 429 was retried once");
        assertEquals(5, app.catalogIds().size());
    }

    @Test
    void should_wait_until_an_http_date_retry_after() {
        String inOneSecond = DateTimeFormatter.RFC_1123_DATE_TIME.format(T0.plusSeconds(1).atOffset(ZoneOffset.UTC));
        app.hub.enqueueFault(new Fault(LISTING, 429, Map.of("Retry-After", inOneSecond), "{}", false));

        assertEquals(0, app.sync());

        assertEquals(2, listingCalls());
    }

    @Test
    void should_wait_for_the_window_reset_when_ratelimit_says_nothing_remains() {
        app.hub.enqueueFault(new Fault(LISTING, 429, Map.of("RateLimit", "\"api\";r=0;t=0", "Retry-After", "3600"), "{}", false));

        assertEquals(0, app.sync(), "r=0 waits t+1 = 1s, the official client's rule, not the long Retry-After");

        assertEquals(2, listingCalls());
    }

    @Test
    void should_fail_at_once_when_the_hub_asks_for_a_longer_wait_than_allowed() throws Exception {
        assertEquals(0, app.sync());
        byte[] before = catalogBytes();
        app.clock.advance(Duration.ofHours(1));
        app.hub.resetCounters();
        app.hub.enqueueFault(new Fault("/api/models?", 429, Map.of("Retry-After", "3600"), "{}", false));

        assertEquals(1, app.sync("hub.max-retry-wait-seconds=300"));

        assertArrayEquals(before, catalogBytes());
        String error = app.metadata().get("error_message").asText();
        assertTrue(error.contains("asks to wait 3600s, more than hub.max-retry-wait-seconds=300"), error);
        assertEquals(1, app.hub.requests(), "no retry, no waiting");
    }

    @Test
    void should_retry_5xx_with_backoff_then_succeed() {
        app.hub.enqueueFault(Fault.status(LISTING, 503));

        assertEquals(0, app.sync());

        assertEquals(2, listingCalls());
    }

    @Test
    void should_fail_the_run_when_retries_run_out() throws Exception {
        assertEquals(0, app.sync());
        byte[] before = catalogBytes();
        app.clock.advance(Duration.ofHours(1));
        app.hub.resetCounters();
        app.hub.enqueueFault(Fault.status("/api/models?", 502));
        app.hub.enqueueFault(Fault.status("/api/models?", 502));

        assertEquals(1, app.sync("hub.max-retries=1"));

        assertArrayEquals(before, catalogBytes());
        JsonNode metadata = app.metadata();
        assertFalse(metadata.get("success").asBoolean());
        assertTrue(metadata.get("error_message").asText().contains("HTTP 502 after 1 retries"),
                metadata.get("error_message").asText());
        assertEquals(1, app.changeLogs().size(), "no change log for the failed run");
        assertFalse(Files.exists(dataDir.resolve(".gguf_models.spool")), "the failed run's scratch file is gone");
    }

    @Test
    void should_retry_a_read_timeout_and_fail_when_the_hub_stays_too_slow() {
        app.hub.setPageDelay(Duration.ofMillis(1500));
        int code;
        try {
            code = app.sync("camel.component.http.response-timeout=300", "hub.max-retries=1");
        } finally {
            app.hub.setPageDelay(Duration.ZERO);
        }

        assertEquals(1, code);
        String error = app.metadata().get("error_message").asText();
        assertTrue(error.contains("SocketTimeoutException after 1 retries"), error);
        assertEquals(2, app.hub.requests(), "the first call and one retry");
    }

    @Test
    void should_fail_at_once_on_a_client_error() {
        app.hub.enqueueFault(Fault.status("/api/models?", 400));

        assertEquals(1, app.sync());

        assertEquals(1, app.hub.requests(), "a 400 is not retried");
        assertTrue(app.metadata().get("error_message").asText().startsWith("Hub answered HTTP 400 for /api/models?"));
        assertFalse(Files.exists(dataDir.resolve("gguf_models.json")), "no catalog from a failed first run");
    }

    @Test
    void should_retry_a_connection_cut_mid_page() {
        app.hub.enqueueFault(Fault.truncated(LISTING));

        assertEquals(0, app.sync());

        assertEquals(2, listingCalls());
        assertEquals(5, app.catalogIds().size());
    }

    @Test
    void should_fail_when_truncation_persists() throws Exception {
        app.hub.enqueueFault(Fault.truncated(LISTING));

        assertEquals(1, app.sync("hub.max-retries=0"));

        assertFalse(Files.exists(dataDir.resolve("gguf_models.json")));
        assertFalse(app.metadata().get("success").asBoolean());
    }

    @Test
    void should_fail_on_a_page_that_is_not_json() throws Exception {
        assertEquals(0, app.sync());
        byte[] before = catalogBytes();
        app.clock.advance(Duration.ofHours(1));
        app.hub.enqueueFault(Fault.body("/api/models?", 200, "<html>Service temporarily unavailable</html>"));

        assertEquals(1, app.sync());

        assertArrayEquals(before, catalogBytes());
    }

    @Test
    void should_fail_on_a_page_that_is_not_an_array() throws Exception {
        assertEquals(0, app.sync());
        byte[] before = catalogBytes();
        app.clock.advance(Duration.ofHours(1));
        app.hub.enqueueFault(Fault.body("/api/models?", 200, "{\"error\":\"not a list\"}"));

        assertEquals(1, app.sync());

        assertArrayEquals(before, catalogBytes());
    }

    @Test
    void should_skip_items_without_an_id() {
        app.hub.enqueueFault(Fault.body(LISTING, 200, "[{\"_id\":\"abc\",\"likes\":1},{\"id\":null}]"));

        assertEquals(0, app.sync());

        assertEquals(5, app.catalogIds().size(), "the name search still found the real repos; the id-less items are gone");
    }

    @Test
    void should_refuse_to_follow_a_next_link_to_another_host() {
        app.hub.enqueueFault(new Fault(LISTING, 200,
                Map.of("Link", "<http://203.0.113.7/api/models?filter=gguf&cursor=abc>; rel=\"next\""), "[]", false));

        assertEquals(1, app.sync("hub.token=hf_secret"));

        assertTrue(app.metadata().get("error_message").asText().contains("another origin"),
                app.metadata().get("error_message").asText());
    }

    @Test
    void should_send_the_token_to_the_hub() {
        assertEquals(0, app.sync("hub.token=hf_secret"));

        assertTrue(app.hub.authorizationHeaders().stream().allMatch("Bearer hf_secret"::equals));
    }

    @Test
    void should_refuse_a_full_sync_that_would_remove_too_much_unless_allowed() throws Exception {
        assertEquals(0, app.sync());
        byte[] before = catalogBytes();
        app.snapshot().remove("faults/Model-0-GGUF");
        app.snapshot().remove("faults/Model-1-GGUF");
        app.clock.advance(Duration.ofHours(1));

        assertEquals(1, app.sync("sync.mode=full"));
        assertArrayEquals(before, catalogBytes(), "40% > 20%: nothing removed");
        assertTrue(app.metadata().get("error_message").asText()
                .startsWith("full sync would remove 2 of 5 models (40.0% > 20.0%)"), app.metadata().get("error_message").asText());

        app.clock.advance(Duration.ofHours(1));
        assertEquals(0, app.sync("sync.mode=full", "sync.allow-mass-removal=true"));
        assertEquals(3, app.catalogIds().size());
        assertEquals(2, app.metadata().get("models_removed").asInt());
    }

    @Test
    void should_fail_cleanly_when_the_run_exceeds_its_time_limit() {
        app.clock.stepPerRead(Duration.ofMinutes(40));

        assertEquals(1, app.sync("sync.timeout-hours=1"));

        assertTrue(app.metadata().get("error_message").asText().contains("longer than sync.timeout-hours=1"),
                app.metadata().get("error_message").asText());
        assertFalse(Files.exists(dataDir.resolve("gguf_models.json")));
    }

    @Test
    void should_move_corrupt_metadata_aside_and_run_full() throws Exception {
        assertEquals(0, app.sync());
        Files.writeString(dataDir.resolve("last_sync_metadata.json"), "{\"last_sync_time\": \"2026-11-");
        app.clock.advance(Duration.ofHours(1));

        assertEquals(0, app.sync());

        assertEquals("full", app.metadata().get("sync_mode").asText());
        assertTrue(app.metadata().get("mode_reason").asText().startsWith("sync metadata unreadable"));
        assertTrue(Files.exists(dataDir.resolve("last_sync_metadata.json.corrupt-20261120T030000Z")));
    }

    @Test
    void should_rebuild_a_corrupt_catalog_with_a_full_sync() throws Exception {
        assertEquals(0, app.sync());
        Files.writeString(dataDir.resolve("gguf_models.json"), "{\"metadata\": {}, \"models\": [ {\"id\": \"x");
        app.clock.advance(Duration.ofHours(1));

        assertEquals(0, app.sync());

        assertEquals("full", app.metadata().get("sync_mode").asText());
        assertTrue(app.metadata().get("mode_reason").asText().startsWith("catalog unreadable"),
                app.metadata().get("mode_reason").asText());
        assertEquals(5, app.catalogIds().size());
        try (Stream<Path> files = Files.list(dataDir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("gguf_models.json.corrupt-")));
        }
    }

    @Test
    void should_ignore_leftover_temp_files_from_a_killed_run() throws Exception {
        assertEquals(0, app.sync());
        Files.writeString(dataDir.resolve(".gguf_models.json.tmp"), "{\"half\": ");
        Files.writeString(dataDir.resolve(".last_sync_metadata.json.tmp"), "garbage");
        Files.writeString(dataDir.resolve(".gguf_models.spool"), "scratch of a killed run");
        app.clock.advance(Duration.ofHours(1));

        assertEquals(0, app.sync());

        assertEquals("incremental", app.metadata().get("sync_mode").asText());
        assertEquals(5, app.catalogIds().size());
        assertNotNull(SyncHarness.read(dataDir.resolve("gguf_models.json")));
        assertFalse(Files.exists(dataDir.resolve(".gguf_models.json.tmp")), "renamed into place by the new run");
        assertFalse(Files.exists(dataDir.resolve(".gguf_models.spool")), "emptied, used and deleted by the new run");
    }

    @Test
    void should_not_send_quartz_or_previous_response_headers_to_the_hub() {
        assertEquals(0, app.sync());

        // Camel's HTTP producer turns stray headers into query parameters: the API calls carry only their own, and
        // the header reads (GET /{id}/resolve/{rev}/{file}) none at all
        List<String> requests = List.copyOf(app.hub.requestLog());
        assertTrue(requests.stream().allMatch(r -> r.startsWith("GET /api/models")
                || r.matches("GET /[^?]+/resolve/[^/?]+/[^?]+\\.gguf")), requests.toString());
        assertTrue(requests.stream().anyMatch(r -> r.contains("/resolve/")), "header reads ran: " + requests);
    }
}
