package io.hfsync;

import static io.hfsync.SyncHarness.T0;
import static io.hfsync.SyncHarness.repo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import io.hfsync.standin.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12's findings, each reproduced against the real application and the stand-in Hub. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HardeningIT extends SyncTestSupport {

    static final String TOKEN = "hf_ownerToken123";

    @BeforeEach
    void setUp() {
        for (int i = 0; i < 5; i++) {
            app.snapshot().put(repo("public/Model-" + i + "-GGUF", T0.minus(Duration.ofDays(10 + i))));
        }
    }

    @Test
    void should_never_write_a_private_repo_listed_to_its_owners_token() throws Exception {
        app.snapshot().put(repo("owner/Secret-GGUF", T0.minus(Duration.ofDays(3))).withPrivate(true));
        app.hub.grantToken(TOKEN, "owner");

        assertEquals(0, app.sync("hub.token=" + TOKEN));

        assertTrue(app.hub.requestLog().size() > 0);
        assertEquals(5, app.catalogIds().size(), "only the public repos");
        assertFalse(app.catalogIds().contains("owner/Secret-GGUF"));
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                // read as bytes: the SQLite catalog is a binary file (its text is stored as UTF-8 all the same)
                assertFalse(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)
                        .contains("Secret-GGUF"), "private repo named in " + file);
            }
        }
        assertEquals(5, app.metadata().get("total_models").asInt());
    }

    @Test
    void stand_in_lists_private_repos_to_their_owners_token_only() throws Exception {
        app.snapshot().put(repo("owner/Secret-GGUF", T0.minus(Duration.ofDays(3))).withPrivate(true));
        app.hub.grantToken(TOKEN, "owner");
        var client = java.net.http.HttpClient.newHttpClient();
        var url = java.net.URI.create(app.hub.baseUrl() + "/api/models?filter=gguf&expand=private");
        String anonymous = client.send(java.net.http.HttpRequest.newBuilder(url).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        String owner = client.send(java.net.http.HttpRequest.newBuilder(url).header("Authorization", "Bearer " + TOKEN).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertFalse(anonymous.contains("Secret-GGUF"));
        assertTrue(owner.contains("Secret-GGUF"));
        assertTrue(owner.contains("\"private\":true"), owner);
    }

    @Test
    void should_fail_and_leave_the_catalog_in_place_when_the_scratch_file_cannot_be_made() throws Exception {
        assertEquals(0, app.sync());
        byte[] before = Files.readAllBytes(dataDir.resolve("gguf_models.json"));
        Files.createDirectory(dataDir.resolve(".gguf_models.spool"));
        app.clock.advance(Duration.ofHours(1));

        assertEquals(1, app.sync());

        assertArrayEquals(before, Files.readAllBytes(dataDir.resolve("gguf_models.json")), "catalog untouched");
        try (Stream<Path> files = Files.list(dataDir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".corrupt-")), "nothing moved aside");
        }
        assertFalse(app.metadata().get("success").asBoolean());
    }

    @Test
    void should_fail_a_forced_incremental_over_a_corrupt_catalog_and_keep_the_file() throws Exception {
        assertEquals(0, app.sync());
        String corrupt = "{\"metadata\": {}, \"models\": [ {\"id\": \"x";
        Files.writeString(dataDir.resolve("gguf_models.json"), corrupt);
        app.clock.advance(Duration.ofHours(1));

        assertEquals(1, app.sync("sync.mode=incremental"));

        assertEquals(corrupt, Files.readString(dataDir.resolve("gguf_models.json")), "never replaced by a partial one");
        assertTrue(app.metadata().get("error_message").asText().contains("SYNC_MODE=incremental cannot rebuild it"),
                app.metadata().get("error_message").asText());
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 400, 403, 410})
    void should_keep_the_previous_entry_when_a_detail_call_is_refused(int status) {
        assertEquals(0, app.sync());
        String id = "public/Model-2-GGUF";
        long sizeBefore = app.model(id).get("files").get(0).get("size").asLong();
        app.snapshot().put(SyncHarness.touched(app.snapshot().get(id), T0.plus(Duration.ofMinutes(30))));
        app.hub.enqueueFault(Fault.status("/api/models/" + id, status));
        app.clock.advance(Duration.ofHours(1));

        assertEquals(0, app.sync(), "one refused detail call does not sink the run");

        assertEquals(sizeBefore, app.model(id).get("files").get(0).get("size").asLong(), "previous entry kept");
        assertEquals(5, app.catalogIds().size());
    }

    @Test
    void should_keep_the_previous_entry_when_a_detail_answer_is_not_json() {
        assertEquals(0, app.sync());
        String id = "public/Model-3-GGUF";
        app.snapshot().put(SyncHarness.touched(app.snapshot().get(id), T0.plus(Duration.ofMinutes(30))));
        app.hub.enqueueFault(Fault.body("/api/models/" + id, 200, "<html>maintenance</html>"));
        app.clock.advance(Duration.ofHours(1));

        assertEquals(0, app.sync());

        assertEquals(5, app.catalogIds().size());
        assertTrue(app.metadata().get("success").asBoolean());
    }

    @Test
    void should_fail_not_hang_when_a_detail_call_keeps_failing_with_5xx() throws Exception {
        assertEquals(0, app.sync());
        String id = "public/Model-1-GGUF";
        app.snapshot().put(SyncHarness.touched(app.snapshot().get(id), T0.plus(Duration.ofMinutes(30))));
        app.hub.enqueueFault(Fault.status("/api/models/" + id, 503));
        app.clock.advance(Duration.ofHours(1));

        assertEquals(1, app.sync("hub.max-retries=0"));

        assertTrue(app.metadata().get("error_message").asText().contains("503"), app.metadata().toString());
    }

    @Test
    void should_fail_at_the_first_repeated_cursor_instead_of_paging_for_ever() throws Exception {
        assertEquals(0, app.sync());
        byte[] before = Files.readAllBytes(dataDir.resolve("gguf_models.json"));
        // the first page says "next: ?cursor=loop" (a relative link, RFC 8288), and that page says the same again
        String loop = "</api/models?filter=gguf&cursor=loop>; rel=\"next\"";
        app.hub.enqueueFault(new Fault("/api/models?filter=gguf", 200, java.util.Map.of("Link", loop), "[]", false));
        app.hub.enqueueFault(new Fault("/api/models?filter=gguf", 200, java.util.Map.of("Link", loop), "[]", false));
        app.hub.resetCounters();
        app.clock.advance(Duration.ofHours(1));

        assertEquals(1, app.sync("sync.mode=full"));

        assertEquals(2, app.requestsTo("/api/models?filter=gguf"), "the relative link was followed once, not again");
        assertTrue(app.metadata().get("error_message").asText().contains("already read"), app.metadata().toString());
        assertArrayEquals(before, Files.readAllBytes(dataDir.resolve("gguf_models.json")));
    }

    @Test
    void should_fail_a_listing_longer_than_hub_max_pages() {
        assertEquals(1, app.sync("hub.page-size=1", "hub.max-pages=3"));

        assertTrue(app.metadata().get("error_message").asText().contains("hub.max-pages"), app.metadata().toString());
        assertEquals(3, app.requestsTo("/api/models?filter=gguf"));
    }

    @Test
    void should_not_trust_metadata_from_the_future() throws Exception {
        assertEquals(0, app.sync());
        String metadata = Files.readString(dataDir.resolve("last_sync_metadata.json"))
                .replaceAll("\"last_full_sync_time\" : \"[^\"]+\"", "\"last_full_sync_time\" : \"2099-01-01T00:00:00Z\"");
        Files.writeString(dataDir.resolve("last_sync_metadata.json"), metadata);
        app.clock.advance(Duration.ofHours(1));

        assertEquals(0, app.sync());

        assertEquals("full", app.metadata().get("sync_mode").asText(), "not incremental until 2099");
        assertTrue(app.metadata().get("mode_reason").asText().contains("later than now"), app.metadata().toString());
        for (String key : List.of("last_sync_time", "last_successful_sync_time", "last_full_sync_time")) {
            assertFalse(app.metadata().get(key).asText().startsWith("2099"), key + " not carried forward");
        }
    }

    @Test
    void should_keep_httpclients_header_and_wire_logs_off_even_when_everything_else_logs_at_trace() {
        org.apache.logging.log4j.Level before = org.apache.logging.log4j.LogManager.getRootLogger().getLevel();
        org.apache.logging.log4j.core.config.Configurator.setRootLevel(org.apache.logging.log4j.Level.TRACE);
        try {
            assertTrue(org.slf4j.LoggerFactory.getLogger("org.apache.hc.client5.http.impl.classic").isTraceEnabled(),
                    "the rest of HttpClient follows the root level");
            // these two would print the Authorization header (the token) and the raw bytes of every call
            assertFalse(org.slf4j.LoggerFactory.getLogger("org.apache.hc.client5.http.headers").isErrorEnabled());
            assertFalse(org.slf4j.LoggerFactory.getLogger("org.apache.hc.client5.http.wire").isErrorEnabled());
        } finally {
            org.apache.logging.log4j.core.config.Configurator.setRootLevel(before);
        }
    }

    @Test
    void should_report_a_failed_run_in_health_and_metrics_when_its_metadata_cannot_be_written() throws Exception {
        try (RunningDaemon daemon = new RunningDaemon(app, "sync.cron=" + RunningDaemon.NEVER, "hub.max-retries=0")) {
            daemon.syncNow();
            byte[] catalog = Files.readAllBytes(dataDir.resolve("gguf_models.json"));
            // the metadata cannot be renamed into place (as on a full or read-only disk, the write fails)
            Files.delete(dataDir.resolve("last_sync_metadata.json"));
            Files.createDirectory(dataDir.resolve("last_sync_metadata.json"));
            app.hub.enqueueFault(Fault.status("/api/models?", 500));

            daemon.syncNow();

            var health = daemon.get("/observe/health");
            assertEquals(503, health.statusCode(), health.body());
            assertTrue(health.body().contains("500") && health.body().contains("could not be written"), health.body());
            HealthAndMetricsIT.Metrics metrics = HealthAndMetricsIT.Metrics.scrape(daemon);
            assertEquals(1.0, metrics.value("hf_sync_runs_total", "outcome", "failure"), metrics.text());
            assertFalse(Files.exists(dataDir.resolve(".last_sync_metadata.json.tmp")), "the temporary file is removed");
            assertArrayEquals(catalog, Files.readAllBytes(dataDir.resolve("gguf_models.json")), "catalog untouched");
        }
    }

    @Test
    void should_exit_1_when_a_failed_runs_metadata_cannot_be_written() throws Exception {
        Files.createDirectory(dataDir.resolve("last_sync_metadata.json"));
        app.hub.enqueueFault(Fault.status("/api/models?", 500));

        assertEquals(1, app.sync("hub.max-retries=0"));

        assertFalse(Files.exists(dataDir.resolve(".last_sync_metadata.json.tmp")));
    }

    @Test
    void should_read_around_malformed_listing_items_count_them_and_log_each_once() throws Exception {
        java.io.ByteArrayOutputStream page = new java.io.ByteArrayOutputStream();
        page.writeBytes(("[{\"id\":\"odd/Date-GGUF\",\"lastModified\":\"2026-13-45T00:00:00.000Z\",\"downloads\":5,"
                + "\"siblings\":[{\"rfilename\":\"a.Q4_K_M.gguf\"}]},"
                + "{\"id\":\"odd/Huge-GGUF\",\"downloads\":123456789012345678901234567890,\"likes\":\"many\",\"tags\":{\"a\":1},"
                + "\"siblings\":[null,{\"rfilename\":\"b.Q4_K_M.gguf\",\"size\":99999999999999999999999}]},"
                + "null,"
                + "{\"id\":\"odd/Bytes-GGUF\",\"siblings\":[{\"rfilename\":\"c.Q4_K_M.gguf\"}],\"pipeline_tag\":\"text-").getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        page.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe});
        page.writeBytes(("\"},{\"id\":\"odd/").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        page.writeBytes(new byte[] {(byte) 0xc3, (byte) 0x28});
        page.writeBytes(("-GGUF\",\"siblings\":[{\"rfilename\":\"e.Q4_K_M.gguf\"}]},"
                + "{\"id\":\"odd/Ctl\\u001b[31m\\nERROR forged-GGUF\",\"private\":\"maybe\",\"siblings\":[{\"rfilename\":\"f.Q4_K_M.gguf\"}]},"
                + "{\"id\":\"odd/Plain-GGUF\",\"siblings\":[{\"rfilename\":\"d.Q4_K_M.gguf\"}]}]").getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        // the same page for both discovery passes: each malformed item is logged once all the same
        app.hub.enqueueFault(Fault.bytes("/api/models?filter=gguf", 200, page.toByteArray()));
        app.hub.enqueueFault(Fault.bytes("/api/models?search=gguf", 200, page.toByteArray()));

        int exit;
        List<String> log;
        try (LogCapture capture = new LogCapture()) {
            exit = app.sync("sync.fetch-file-sizes=false");
            log = capture.lines();
        }

        assertEquals(0, exit, String.join("\n", log));
        List<String> ids = app.catalogIds();
        for (String kept : List.of("odd/Date-GGUF", "odd/Huge-GGUF", "odd/Bytes-GGUF", "odd/Plain-GGUF")) {
            assertTrue(ids.contains(kept), kept + " in " + ids);
        }
        // both passes got only this page; the items without a usable id or privacy flag are left out
        assertEquals(4, ids.size(), ids.toString());
        var date = app.model("odd/Date-GGUF");
        assertTrue(absent(date, "last_modified"), date.toString());
        assertEquals(5, date.get("downloads").asInt(), "the rest of the item is kept");
        var huge = app.model("odd/Huge-GGUF");
        assertTrue(absent(huge, "downloads") && absent(huge, "likes") && absent(huge, "tags"), huge.toString());
        assertTrue(absent(app.model("odd/Bytes-GGUF"), "pipeline_tag"));

        List<String> malformed = log.stream().filter(l -> l.startsWith("WARN Listing item ")).toList();
        assertEquals(6, malformed.size(), String.join("\n", malformed));
        assertTrue(malformed.stream().anyMatch(l -> l.contains("odd/Ctl?[31m?ERROR forged-GGUF") && l.contains("left out")),
                String.join("\n", malformed));
        assertTrue(malformed.stream().noneMatch(l -> l.chars().anyMatch(c -> c < 0x20)), "no control characters");
        assertTrue(log.stream().anyMatch(l -> l.contains("malformed listing items")), "counted at the end of the listing");
    }

    @Test
    void should_still_fail_on_a_listing_page_that_is_not_an_array_of_items() throws Exception {
        assertEquals(0, app.sync());
        byte[] before = Files.readAllBytes(dataDir.resolve("gguf_models.json"));
        app.hub.enqueueFault(Fault.body("/api/models?", 200, "{\"models\": []}"));
        app.clock.advance(Duration.ofHours(1));

        assertEquals(1, app.sync());

        assertTrue(app.metadata().get("error_message").asText().contains("not a JSON array"), app.metadata().toString());
        assertArrayEquals(before, Files.readAllBytes(dataDir.resolve("gguf_models.json")));
    }

    @Test
    void should_fail_at_once_when_a_200_says_no_calls_remain_for_longer_than_the_allowed_wait() throws Exception {
        assertEquals(0, app.sync());
        byte[] before = Files.readAllBytes(dataDir.resolve("gguf_models.json"));
        app.hub.enqueueFault(new Fault("/api/models?", 200, java.util.Map.of("RateLimit", "\"api\";r=0;t=7200"), "[]", false));
        app.clock.advance(Duration.ofHours(1));
        long started = System.nanoTime();

        assertEquals(1, app.sync("sync.mode=full"), "instead of sleeping 7,201 s");

        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 30);
        String error = app.metadata().get("error_message").asText();
        assertTrue(error.contains("7201s") && error.contains("hub.max-retry-wait-seconds=300"), error);
        assertArrayEquals(before, Files.readAllBytes(dataDir.resolve("gguf_models.json")));
    }

    @Test
    void should_wait_out_a_short_reset_and_read_a_ratelimit_beyond_long_as_plenty() {
        app.hub.enqueueFault(new Fault("/api/models?filter=gguf", 200,
                java.util.Map.of("RateLimit", "\"api\";r=99999999999999999999999;t=99999999999999999999999"), "[]", false));

        assertEquals(0, app.sync(), app.metadata().toString());

        assertEquals(5, app.catalogIds().size());
    }

    @Test
    void should_abandon_a_trickling_listing_call_when_the_time_budget_runs_out() throws Exception {
        assertEquals(0, app.sync());
        byte[] before = Files.readAllBytes(dataDir.resolve("gguf_models.json"));
        // one byte every 2 s: never silent long enough for the 60 s read timeout, done in hours
        app.hub.enqueueFault(Fault.trickling("/api/models?filter=gguf", Duration.ofSeconds(2)));
        app.clock.advance(Duration.ofHours(1));
        long started = System.nanoTime();

        // 0.002 h = 7.2 s on the wall clock (the test's clock stands still: only real time can end this run)
        assertEquals(1, app.sync("sync.mode=full", "sync.timeout-hours=0.002"));

        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        assertTrue(seconds < 20, "abandoned at the budget, not after the body: " + seconds + " s");
        String error = app.metadata().get("error_message").asText();
        assertTrue(error.contains("sync.timeout-hours=0.002") && error.contains("abandoned"), error);
        assertArrayEquals(before, Files.readAllBytes(dataDir.resolve("gguf_models.json")), "catalog untouched");
    }

    @Test
    void should_publish_and_succeed_when_the_budget_runs_out_during_a_trickling_detail_call() throws Exception {
        assertEquals(0, app.sync());
        String id = "public/Model-2-GGUF";
        app.snapshot().put(SyncHarness.touched(app.snapshot().get(id), T0.plus(Duration.ofMinutes(30))));
        app.hub.enqueueFault(Fault.trickling("/api/models/" + id, Duration.ofSeconds(2)));
        app.clock.advance(Duration.ofHours(1));
        long started = System.nanoTime();

        assertEquals(0, app.sync("sync.timeout-hours=0.002"), "docs/sync-modes.md: out of time in the detail phase is a success");

        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        assertTrue(seconds < 20, "abandoned at the budget: " + seconds + " s");
        assertTrue(app.metadata().get("success").asBoolean());
        assertEquals(1, app.metadata().get("details_pending").asInt(), app.metadata().toString());
        assertTrue(app.model(id).get("details_pending").asBoolean(), "the new revision waits for the next run");
        assertEquals(5, app.catalogIds().size());
    }

    @Test
    void should_not_follow_links_in_the_data_dir_that_lead_outside_it(@TempDir Path elsewhere) throws Exception {
        assertEquals(0, app.sync());
        Path precious = Files.writeString(elsewhere.resolve("precious.txt"), "not hf-gguf-sync's to truncate");
        Path foreignCatalog = Files.write(elsewhere.resolve("catalog.json"), Files.readAllBytes(dataDir.resolve("gguf_models.json")));
        // the scratch file is opened for writing with truncation, the catalog is read: neither may reach these files
        Files.createSymbolicLink(dataDir.resolve(".gguf_models.spool"), precious);
        Files.delete(dataDir.resolve("gguf_models.json"));
        Files.createSymbolicLink(dataDir.resolve("gguf_models.json"), foreignCatalog);
        byte[] catalogBefore = Files.readAllBytes(foreignCatalog);
        app.clock.advance(Duration.ofHours(1));

        assertEquals(1, app.sync());

        assertEquals("not hf-gguf-sync's to truncate", Files.readString(precious));
        assertArrayEquals(catalogBefore, Files.readAllBytes(foreignCatalog));
        String error = app.metadata().get("error_message").asText();
        assertTrue(error.contains(".gguf_models.spool") && error.contains("gguf_models.json ->") && error.contains("not followed"), error);
    }

    @Test
    void should_keep_the_previous_entry_when_a_detail_answer_has_an_impossible_date() {
        assertEquals(0, app.sync());
        String id = "public/Model-4-GGUF";
        app.snapshot().put(SyncHarness.touched(app.snapshot().get(id), T0.plus(Duration.ofMinutes(30))));
        app.hub.enqueueFault(Fault.body("/api/models/" + id, 200, "{\"id\":\"" + id
                + "\",\"lastModified\":\"2026-13-45T00:00:00.000Z\",\"siblings\":[{\"rfilename\":\"x.Q4_K_M.gguf\",\"size\":1}]}"));
        app.clock.advance(Duration.ofHours(1));

        assertEquals(0, app.sync(), app.metadata().toString());

        assertEquals(5, app.catalogIds().size());
        assertTrue(app.metadata().get("success").asBoolean());
    }

    private static boolean absent(com.fasterxml.jackson.databind.JsonNode model, String field) {
        return model.path(field).isNull() || model.path(field).isMissingNode();
    }
}
