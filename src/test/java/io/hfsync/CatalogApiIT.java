package io.hfsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hfsync.app.SyncMain;
import io.hfsync.standin.HubRepo;
import io.hfsync.standin.RepoFile;
import io.hfsync.web.BadParameterException;
import io.hfsync.web.ModelQuery;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * docs/browser.md: the JSON API of the catalog page, served by a daemon (Camel Main, platform-http) from the SQLite catalog a
 * real sync of the stand-in Hub wrote: every parameter, every 400, one model, the runs, the page's files, and a new
 * catalog published under a running server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogApiIT {

    private static final Instant T0 = Instant.parse("2026-11-20T02:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long GB = 1_000_000_000L;

    @TempDir
    static Path dataDir;
    SyncHarness app;
    RunningDaemon daemon;

    @BeforeAll
    void sync_a_small_catalog_and_serve_it() {
        app = new SyncHarness(dataDir, T0);
        app.snapshot().put(model("acme/Qwen3-8B-GGUF", "qwen3", false, 5_000, 50, 3,
                new RepoFile("Qwen3-8B-Q4_K_M.gguf", 5 * GB), new RepoFile("Qwen3-8B-Q8_0.gguf", 8_700_000_000L),
                new RepoFile("mmproj-Qwen3-8B-F16.gguf", 600_000_000L)));
        app.snapshot().put(model("acme/Qwen3-Coder-30B-GGUF", "qwen3moe", "auto", 9_000, 10, 5,
                new RepoFile("Qwen3-Coder-30B-Q4_K_M.gguf", 18 * GB), new RepoFile("Qwen3-Coder-30B-Q2_K.gguf", 11 * GB)));
        app.snapshot().put(model("bob/Llama-3.1-8B-Instruct-GGUF", "llama", false, 20_000, 5, 10,
                new RepoFile("Llama-3.1-8B-Instruct-Q4_K_M.gguf", 4_900_000_000L),
                new RepoFile("Llama-3.1-8B-Instruct-F16.gguf", 16 * GB)));
        app.snapshot().put(model("bob/Tiny-Llama-GGUF", "llama", false, 100, 300, 1,
                new RepoFile("tiny-llama.Q8_0.gguf", 1_200_000_000L)));
        app.snapshot().put(model("carol/Mistral-7B-GGUF", "mistral", "manual", 700, 70, 20,
                new RepoFile("Mistral-7B-IQ3_XS.gguf", 3 * GB)));
        assertEquals(0, app.sync());
        daemon = new RunningDaemon(app, "sync.cron=" + RunningDaemon.NEVER);
    }

    @AfterAll
    void stop() throws InterruptedException {
        daemon.close();
    }

    private static HubRepo model(String id, String architecture, Object gated, long downloads, long likes,
            int daysAgo, RepoFile... files) {
        Instant modified = T0.minus(Duration.ofDays(daysAgo));
        return new HubRepo(id, id.substring(0, id.indexOf('/')), SyncHarness.sha(id + modified), modified,
                modified.minus(Duration.ofDays(30)), gated, downloads, likes,
                List.of("gguf", architecture, "text-generation", "license:apache-2.0"), "text-generation", "gguf",
                architecture, 32_768L, 8_000_000_000L, List.of(files), false);
    }

    // --- GET /api/models ------------------------------------------------------------------------------

    @Test
    void should_list_catalog_entries_most_downloaded_first() throws Exception {
        JsonNode page = ok("/api/models");
        assertEquals(5, page.get("total").asInt());
        assertEquals(1, page.get("page").asInt());
        assertEquals(List.of("bob/Llama-3.1-8B-Instruct-GGUF", "acme/Qwen3-Coder-30B-GGUF", "acme/Qwen3-8B-GGUF",
                "carol/Mistral-7B-GGUF", "bob/Tiny-Llama-GGUF"), ids(page));
        assertEquals(List.of("total", "page", "models"), fieldNames(page));
        for (JsonNode entry : page.get("models")) {
            assertEquals(app.model(entry.get("id").asText()), entry, "the API's entry is the catalog's entry");
        }
        assertEquals(ok("/api/models"), ok("/api/models?q=&quantization=&architecture=&max_size_gb=&gated=&sort=&page=&page_size="),
                "an empty parameter is no parameter (SPEC's URL template)");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // full text over id, author, architecture and tags; every word must match; case and punctuation do not matter
        "q=qwen3 | acme/Qwen3-Coder-30B-GGUF, acme/Qwen3-8B-GGUF",
        "q=Qwen3-Coder | acme/Qwen3-Coder-30B-GGUF",
        "q=bob | bob/Llama-3.1-8B-Instruct-GGUF, bob/Tiny-Llama-GGUF",
        "q=%22llama%22+* | bob/Llama-3.1-8B-Instruct-GGUF, bob/Tiny-Llama-GGUF",
        "q=llama+AND+qwen3 | ''",
        "q=nothing-like-this | ''",
        // a weights file of that quantization (a vision projector's F16 is not one)
        "quantization=Q8_0 | acme/Qwen3-8B-GGUF, bob/Tiny-Llama-GGUF",
        "quantization=q4_k_m | bob/Llama-3.1-8B-Instruct-GGUF, acme/Qwen3-Coder-30B-GGUF, acme/Qwen3-8B-GGUF",
        "quantization=F16 | bob/Llama-3.1-8B-Instruct-GGUF",
        "architecture=llama | bob/Llama-3.1-8B-Instruct-GGUF, bob/Tiny-Llama-GGUF",
        // a weights file of at most that many GB (10^9 bytes)
        "max_size_gb=5 | bob/Llama-3.1-8B-Instruct-GGUF, acme/Qwen3-8B-GGUF, carol/Mistral-7B-GGUF, bob/Tiny-Llama-GGUF",
        "max_size_gb=4.95 | bob/Llama-3.1-8B-Instruct-GGUF, carol/Mistral-7B-GGUF, bob/Tiny-Llama-GGUF",
        "max_size_gb=5&quantization=Q8_0 | bob/Tiny-Llama-GGUF",
        "gated=true | acme/Qwen3-Coder-30B-GGUF, carol/Mistral-7B-GGUF",
        "gated=false | bob/Llama-3.1-8B-Instruct-GGUF, acme/Qwen3-8B-GGUF, bob/Tiny-Llama-GGUF",
        "gated=manual | carol/Mistral-7B-GGUF",
        "q=qwen3&gated=false&architecture=qwen3&quantization=Q4_K_M&max_size_gb=6 | acme/Qwen3-8B-GGUF",
        // sort: always descending
        "sort=downloads | bob/Llama-3.1-8B-Instruct-GGUF, acme/Qwen3-Coder-30B-GGUF, acme/Qwen3-8B-GGUF, carol/Mistral-7B-GGUF, bob/Tiny-Llama-GGUF",
        "sort=likes | bob/Tiny-Llama-GGUF, carol/Mistral-7B-GGUF, acme/Qwen3-8B-GGUF, acme/Qwen3-Coder-30B-GGUF, bob/Llama-3.1-8B-Instruct-GGUF",
        "sort=last_modified | bob/Tiny-Llama-GGUF, acme/Qwen3-8B-GGUF, acme/Qwen3-Coder-30B-GGUF, bob/Llama-3.1-8B-Instruct-GGUF, carol/Mistral-7B-GGUF",
        // by the largest weights file, among those the filters keep
        "sort=size | acme/Qwen3-Coder-30B-GGUF, bob/Llama-3.1-8B-Instruct-GGUF, acme/Qwen3-8B-GGUF, carol/Mistral-7B-GGUF, bob/Tiny-Llama-GGUF",
        "sort=size&max_size_gb=5 | acme/Qwen3-8B-GGUF, bob/Llama-3.1-8B-Instruct-GGUF, carol/Mistral-7B-GGUF, bob/Tiny-Llama-GGUF",
        "sort=size&quantization=Q4_K_M | acme/Qwen3-Coder-30B-GGUF, acme/Qwen3-8B-GGUF, bob/Llama-3.1-8B-Instruct-GGUF",
    })
    void should_filter_search_and_sort(String query, String expected) throws Exception {
        JsonNode page = ok("/api/models?" + query);
        List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(",\\s*"));
        assertEquals(want, ids(page));
        assertEquals(want.size(), page.get("total").asInt());
    }

    @Test
    void should_page_through_the_list() throws Exception {
        JsonNode second = ok("/api/models?page_size=2&page=2");
        assertEquals(5, second.get("total").asInt());
        assertEquals(2, second.get("page").asInt());
        assertEquals(List.of("acme/Qwen3-8B-GGUF", "carol/Mistral-7B-GGUF"), ids(second));
        assertEquals(List.of("bob/Tiny-Llama-GGUF"), ids(ok("/api/models?page_size=2&page=3")));
        JsonNode beyond = ok("/api/models?page_size=2&page=4");
        assertEquals(List.of(), ids(beyond));
        assertEquals(5, beyond.get("total").asInt());
        assertEquals(5, ok("/api/models?page_size=200").get("models").size());
        assertEquals(2, ok("/api/models?q=qwen3&page_size=1").get("total").asInt(), "total counts all pages");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "q=%2B%2B%2B | q",
        "q=%22%22 | q",
        "page=0 | page",
        "page=-1 | page",
        "page=x | page",
        "page=1.5 | page",
        "page=100001 | page",
        "page=99999999999 | page",
        "page_size=0 | page_size",
        "page_size=201 | page_size",
        "page_size=ten | page_size",
        "quantization=Q4-K-M | quantization",
        "quantization=Q4_K_M%27%20OR%20%271%27%3D%271 | quantization",
        "architecture=llama;DROP%20TABLE%20models | architecture",
        "max_size_gb=abc | max_size_gb",
        "max_size_gb=0 | max_size_gb",
        "max_size_gb=-4 | max_size_gb",
        "max_size_gb=1e400 | max_size_gb",
        "max_size_gb=NaN | max_size_gb",
        "gated=maybe | gated",
        "sort=name | sort",
        "sort=downloads%20DESC | sort",
        "limit=10 | limit",
        "page=1&page=2 | page",
        // the message is the answer's text, never an expression Camel evaluates on the way out
        "%24%7Bbean%3AcatalogApi%3Fmethod%3Druns%7D=1 | '${bean:catalogApi?method=runs}'",
    })
    void should_answer_400_with_an_error_naming_the_bad_parameter(String query, String parameter) throws Exception {
        HttpResponse<String> response = daemon.getWeb("/api/models?" + query);
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode body = JSON.readTree(response.body());
        assertEquals(List.of("error"), fieldNames(body));
        assertTrue(body.get("error").asText().contains(parameter), body.toString());
    }

    @Test
    void should_refuse_malformed_percent_encoding() {
        // java.net.URI will not send it: the parser is checked on its own
        BadParameterException bad = assertThrows(BadParameterException.class, () -> ModelQuery.parse("q=%zz"));
        assertTrue(bad.getMessage().startsWith("q:"), bad.getMessage());
    }

    @Test
    void should_answer_400_for_a_search_too_long() throws Exception {
        assertEquals(400, daemon.getWeb("/api/models?q=" + "a".repeat(201)).statusCode());
        assertEquals(400, daemon.getWeb("/api/models?q=" + "a+".repeat(17)).statusCode());
        assertEquals(200, daemon.getWeb("/api/models?q=" + "a".repeat(200)).statusCode());
    }

    @Test
    void should_treat_what_a_user_types_as_words_never_as_sql_or_fts_syntax() throws Exception {
        for (String q : List.of("x%27%20OR%201%3D1%20--", "NEAR(qwen3)", "qwen3%20OR%20llama", "id%3Aacme", "%5E%2A")) {
            HttpResponse<String> response = daemon.getWeb("/api/models?q=" + q);
            assertTrue(response.statusCode() == 200 || response.statusCode() == 400, q + " -> " + response.statusCode());
            if (response.statusCode() == 200) {
                assertTrue(JSON.readTree(response.body()).get("total").asInt() <= 1, q);
            }
        }
        assertEquals(5, ok("/api/models").get("total").asInt(), "nothing was changed");
    }

    // --- one model, the runs ---------------------------------------------------------------------------

    @Test
    void should_answer_one_catalog_entry_or_404() throws Exception {
        assertEquals(app.model("carol/Mistral-7B-GGUF"), ok("/api/models/carol/Mistral-7B-GGUF"));
        HttpResponse<String> missing = daemon.getWeb("/api/models/carol/No-Such-Model");
        assertEquals(404, missing.statusCode());
        assertEquals("no model carol/No-Such-Model in the catalog", JSON.readTree(missing.body()).get("error").asText());
        assertEquals(404, daemon.getWeb("/api/models/carol%27%20OR%20%271/x").statusCode());
    }

    @Test
    void should_answer_the_runs_newest_first() throws Exception {
        JsonNode runs = ok("/api/runs");
        assertTrue(runs.isArray());
        assertEquals(1, runs.size());
        JsonNode run = runs.get(0);
        JsonNode metadata = app.metadata();
        for (String key : List.of("last_sync_time", "sync_mode", "mode_reason", "total_models", "models_added",
                "models_updated", "models_removed", "hub_requests", "success", "details_pending")) {
            assertEquals(metadata.get(key), run.get(key), key);
        }
    }

    @Test
    void should_serve_the_page_and_its_files_and_nothing_else() throws Exception {
        HttpResponse<String> page = daemon.getWeb("/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
        assertTrue(page.body().contains("<script src=\"/static/app.js\">"));
        assertTrue(!page.body().contains("src=\"http") && !page.body().contains("href=\"http"),
                "no resource from another host: the page works with no network");
        assertEquals(200, daemon.getWeb("/static/app.js").statusCode());
        assertEquals(200, daemon.getWeb("/static/style.css").statusCode());
        for (String path : List.of("/static/nothing.js", "/static/..%2Fapplication.properties", "/application.properties",
                "/static/app.js.map", "/pom.xml")) {
            assertEquals(404, daemon.getWeb(path).statusCode(), path);
        }
    }

    @Test
    void should_send_headers_that_forbid_sniffing_framing_and_foreign_resources() throws Exception {
        for (String path : List.of("/", "/static/app.js", "/api/models", "/api/models/carol/No-Such-Model", "/api/runs")) {
            HttpResponse<String> response = daemon.getWeb(path);
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""), path);
            String policy = response.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(policy.contains("default-src 'self'") && policy.contains("frame-ancestors 'none'"), path + ": " + policy);
        }
    }

    @Test
    void should_send_back_nothing_of_the_request_and_always_say_what_the_answer_is() throws Exception {
        // a request's headers and query parameters are message headers in Camel: none of them is an answer's header,
        // and neither its Accept nor its Content-Type changes the answer's type
        HttpClient http = HttpClient.newHttpClient();
        Map<String, String> types = Map.of("/api/models?q=qwen3&page_size=1", "application/json",
                "/api/models?page=0", "application/json", "/api/models/carol/No-Such-Model", "application/json",
                "/api/runs", "application/json", "/static/app.js", "text/javascript; charset=utf-8",
                "/static/nothing.js", "application/json");
        for (Map.Entry<String, String> type : types.entrySet()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + daemon.webPort() + type.getKey()))
                    .header("X-Echo", "leak").header("Accept", "application/xml").header("Content-Type", "text/plain")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(type.getValue(), response.headers().firstValue("Content-Type").orElse(""), type.getKey());
            assertEquals(List.of("content-length", "content-security-policy", "content-type", "referrer-policy",
                    "x-content-type-options", "x-frame-options"), response.headers().map().keySet().stream()
                    .map(name -> name.toLowerCase(java.util.Locale.ROOT)).sorted().toList(), type.getKey());
        }
    }

    @Test
    void should_offer_the_filters_of_this_catalog() throws Exception {
        JsonNode filters = ok("/api/filters");
        assertEquals(5, filters.get("total_models").asInt());
        assertEquals(app.hub.baseUrl(), filters.get("hub_url").asText());
        assertEquals("Q4_K_M", filters.get("quantizations").get(0).get("name").asText());
        assertEquals(3, filters.get("quantizations").get(0).get("models").asInt());
        assertEquals("llama", filters.get("architectures").get(0).get("name").asText());
    }

    @Test
    void should_be_read_only() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            for (String path : List.of("/api/models", "/api/runs", "/api/models/bob/Tiny-Llama-GGUF", "/")) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + daemon.webPort() + path))
                        .method(method, HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(405, response.statusCode(), method + " " + path);
            }
        }
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void should_answer_from_the_new_catalog_once_a_run_publishes_it() throws Exception {
        assertEquals(5, ok("/api/models").get("total").asInt());
        app.snapshot().put(model("dave/Gemma-3-4B-GGUF", "gemma3", false, 50_000, 1, 0,
                new RepoFile("gemma-3-4b-Q4_K_M.gguf", 2_500_000_000L)));
        app.clock.advance(Duration.ofHours(24));
        try (LogCapture log = new LogCapture()) {
            daemon.syncNow();
            // the run reads the new file's page index before it reports: no question waits for it, and none asked
            // after the report is answered from the file the run replaced
            assertTrue(log.lines().stream().anyMatch(
                    line -> line.contains("Catalog page index of") && line.contains(": 6 models")), "read by the run");
        }

        JsonNode page = ok("/api/models?page_size=1");
        assertEquals(6, page.get("total").asInt());
        assertEquals(List.of("dave/Gemma-3-4B-GGUF"), ids(page));
        JsonNode runs = ok("/api/runs");
        assertEquals(2, runs.size());
        assertEquals(app.metadata().get("last_sync_time"), runs.get(0).get("last_sync_time"), "newest first");
        assertTrue(runs.get(0).get("last_sync_time").asText().compareTo(runs.get(1).get("last_sync_time").asText()) > 0);
        assertEquals(6, ok("/api/filters").get("total_models").asInt());
    }

    // --- a file an older version wrote ------------------------------------------------------------------

    @Test
    void should_serve_a_catalog_file_an_older_version_wrote(@TempDir Path older) throws Exception {
        Path file = older.resolve("gguf_models.sqlite");
        Files.copy(dataDir.resolve("gguf_models.sqlite"), file);
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file); Statement sql = db.createStatement()) {
            // the shape before sizes from the listing (3122f77) and before a day wrote only what changed (16a76a8):
            // no listing columns in sync_runs, no size_source in files, no hashes in models, and full-text rows
            // that do not share their model's rowid
            for (String column : List.of("sync_runs.sizes_from_listing", "sync_runs.listing_sizes",
                    "files.size_source", "models.entry_hash", "models.files_hash")) {
                String[] parts = column.split("\\.");
                sql.execute("ALTER TABLE " + parts[0] + " DROP COLUMN " + parts[1]);
            }
            sql.execute("CREATE TEMP TABLE fts AS SELECT rowid AS r, id, author, architecture, tags FROM models_fts");
            sql.execute("DELETE FROM models_fts");
            sql.execute("INSERT INTO models_fts (rowid, id, author, architecture, tags) "
                    + "SELECT 1000 - r, id, author, architecture, tags FROM temp.fts");
        }
        try (RunningDaemon served = new RunningDaemon(app, "sync.data-dir=" + older, "sync.serve=true")) {
            JsonNode runs = okFrom(served, "/api/runs");
            assertEquals(1, runs.size());
            JsonNode run = runs.get(0);
            assertTrue(run.has("sizes_from_listing") && run.get("sizes_from_listing").isNull(), run.toString());
            assertTrue(run.has("listing_sizes") && run.get("listing_sizes").isNull(), run.toString());
            for (String key : List.of("last_sync_time", "sync_mode", "total_models", "models_added", "success",
                    "details_pending")) {
                assertEquals(app.metadata().get(key), run.get(key), key);
            }

            JsonNode all = okFrom(served, "/api/models");
            assertEquals(ok("/api/models").get("total"), all.get("total"));
            assertEquals(ids(ok("/api/models")), ids(all));
            for (JsonNode entry : all.get("models")) {
                JsonNode expected = app.model(entry.get("id").asText()).deepCopy();
                expected.get("files").forEach(f -> ((ObjectNode) f).remove("size_source"));
                assertEquals(expected, entry, "the entry without what the older file does not hold");
            }
            assertEquals(List.of("acme/Qwen3-Coder-30B-GGUF", "acme/Qwen3-8B-GGUF"),
                    ids(okFrom(served, "/api/models?q=qwen3")), "the search, by id when rowids differ");
            assertEquals(List.of("acme/Qwen3-8B-GGUF"),
                    ids(okFrom(served, "/api/models?q=qwen3&quantization=Q4_K_M&max_size_gb=6&sort=size")));
            assertEquals(app.model("carol/Mistral-7B-GGUF").get("id"),
                    okFrom(served, "/api/models/carol/Mistral-7B-GGUF").get("id"));
            assertEquals(5, okFrom(served, "/api/filters").get("total_models").asInt());
        }
    }

    // --- no catalog, one-shot --------------------------------------------------------------------------

    @Test
    void should_answer_503_until_a_catalog_is_published(@TempDir Path empty) throws Exception {
        try (RunningDaemon idle = new RunningDaemon(app, "sync.data-dir=" + empty, "sync.cron=" + RunningDaemon.NEVER)) {
            for (String path : List.of("/api/models", "/api/runs", "/api/filters", "/api/models/a/b")) {
                HttpResponse<String> response = idle.getWeb(path);
                assertEquals(503, response.statusCode(), path);
                assertEquals("no catalog yet: the first sync has not published one",
                        JSON.readTree(response.body()).get("error").asText());
            }
            assertEquals(200, idle.getWeb("/").statusCode(), "the page itself says it is waiting");
        }
        assertTrue(Files.exists(dataDir.resolve("gguf_models.sqlite")));
    }

    @Test
    void should_not_serve_in_one_shot_mode(@TempDir Path other) throws Exception {
        SyncMain main = new SyncMain();
        AtomicReference<Object> webServer = new AtomicReference<>("not started");
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport started) {
                webServer.set(started.getCamelContext().hasService(MainHttpServer.class));
            }
        });
        Map<String, String> overrides = new HashMap<>(Map.of("sync.data-dir", other.toString(),
                "hub.url", app.hub.baseUrl(), "sync.once", "yes", "hub.max-requests-per-minute", "60000",
                "hub.max-resolver-requests-per-minute", "60000"));
        overrides.forEach(main::addOverrideProperty);
        main.bind("clock", app.clock);
        assertEquals(0, main.run(new String[0]));
        assertNull(webServer.get(), "a run of seconds opens no port");
    }

    // --- helpers -----------------------------------------------------------------------------------------

    private JsonNode ok(String path) throws Exception {
        return okFrom(daemon, path);
    }

    private static JsonNode okFrom(RunningDaemon daemon, String path) throws Exception {
        HttpResponse<String> response = daemon.getWeb(path);
        assertEquals(200, response.statusCode(), path + " -> " + response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return JSON.readTree(response.body());
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("models").forEach(m -> ids.add(m.get("id").asText()));
        return ids;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
