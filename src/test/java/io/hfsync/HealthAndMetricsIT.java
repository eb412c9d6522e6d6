package io.hfsync;

import static io.hfsync.SyncHarness.T0;
import static io.hfsync.SyncHarness.repo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.app.SyncMain;
import io.hfsync.standin.Fault;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 5 part 2: the daemon's management HTTP server, read the way a load balancer, Kubernetes and Prometheus read
 * it: {@code /observe/health} follows the last sync (readiness does not), {@code /observe/metrics} counts runs, changes and Hub calls.
 */
class HealthAndMetricsIT extends SyncTestSupport {

    static final int MODELS = 5;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void setUp() {
        for (int i = 0; i < MODELS; i++) {
            app.snapshot().put(repo("observe/Model-" + i + "-GGUF", T0.minus(Duration.ofDays(10 + i))));
        }
    }

    @Test
    void should_be_ready_and_count_a_full_sync_fired_by_the_schedule() throws Exception {
        try (RunningDaemon daemon = new RunningDaemon(app, "sync.cron=0/1 * * * * ?")) {
            await("first scheduled sync").atMost(Duration.ofSeconds(30))
                    .until(() -> value(daemon, "hf_sync_runs_total", "mode", "full", "outcome", "success") == 1.0);

            HttpResponse<String> ready = daemon.get("/observe/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("UP", JSON.readTree(ready.body()).get("status").asText());

            // later fires are incremental and change nothing; stop them so every counter holds still
            daemon.context().getRouteController().stopRoute("hf-sync-schedule");
            Metrics metrics = Metrics.scrape(daemon);
            assertEquals(1.0, metrics.value("hf_sync_runs_total", "mode", "full", "outcome", "success"));
            assertEquals(0.0, metrics.value("hf_sync_runs_total", "mode", "full", "outcome", "failure"));
            assertEquals(0.0, metrics.value("hf_sync_runs_total", "mode", "incremental", "outcome", "failure"));
            assertEquals(1.0, metrics.value("hf_sync_duration_seconds_count", "mode", "full", "outcome", "success"));
            assertEquals(MODELS, metrics.value("hf_sync_models_total"));
            assertEquals(MODELS, metrics.value("hf_sync_models_changed_total", "change", "added"));
            assertEquals(0.0, metrics.value("hf_sync_models_changed_total", "change", "updated"));
            assertEquals(0.0, metrics.value("hf_sync_models_changed_total", "change", "removed"));
            assertEquals(app.hub.requests() - app.hub.resolveRequests(), metrics.value("hf_sync_hub_requests_total"),
                    "every API call, all runs");
            assertEquals(MODELS, app.hub.resolveRequests(), "one header read per model");
            assertEquals(app.hub.resolveRequests(), metrics.value("hf_sync_resolver_calls_total"), "every file read");
            assertEquals(MODELS, metrics.value("hf_sync_headers_read_total"));
            assertEquals(0.0, metrics.value("hf_sync_headers_pending"));
            assertEquals(0.0, metrics.value("hf_sync_hub_retries_total"));
            assertEquals(0.0, metrics.value("hf_sync_size_mismatches_total"));
            assertEquals(T0.getEpochSecond(), metrics.value("hf_sync_last_success_timestamp_seconds"));
            assertTrue(metrics.text().contains("camel_exchanges_total"), "Camel's own metrics are served beside ours");
        }
    }

    @Test
    void should_count_listing_sizes_the_sample_found_wrong() throws Exception {
        try (RunningDaemon daemon = new RunningDaemon(app, "sync.cron=" + RunningDaemon.NEVER,
                "sync.sizes-from-listing=true")) {
            app.hub.setListedFileSizeError(1);
            daemon.syncNow();

            assertEquals(MODELS, app.metadata().get("size_mismatches").asInt(), "a sample of 5 of the 5 single-file repos");
            assertEquals(MODELS, Metrics.scrape(daemon).value("hf_sync_size_mismatches_total"));
        }
    }

    @Test
    void should_report_the_failed_last_sync_on_health_with_the_reason_and_stay_ready() throws Exception {
        try (RunningDaemon daemon = new RunningDaemon(app, "sync.cron=" + RunningDaemon.NEVER, "hub.max-retries=0")) {
            assertEquals(200, daemon.get("/observe/health/ready").statusCode(), "ready before the first run");

            app.hub.enqueueFault(Fault.status("/api/models?", 500));
            daemon.syncNow();

            String reason = app.metadata().get("error_message").asText();
            assertTrue(reason.contains("500"), reason);
            HttpResponse<String> all = daemon.get("/observe/health");
            assertEquals(503, all.statusCode(), all.body());
            JsonNode health = JSON.readTree(all.body());
            assertEquals("DOWN", health.get("status").asText());
            JsonNode lastSync = check(health, "last-sync");
            assertEquals("DOWN", lastSync.get("status").asText());
            assertEquals("last sync failed: " + reason, unescape(lastSync.get("message").asText()));
            // ready: this replica can run the next sync (Kubernetes takes only Ready pods into the leader election)
            HttpResponse<String> ready = daemon.get("/observe/health/ready");
            assertEquals(200, ready.statusCode(), "a failed sync leaves the replica ready: " + ready.body());
            HttpResponse<String> live = daemon.get("/observe/health/live");
            assertEquals(200, live.statusCode(), "a failed sync is no reason to restart the process: " + live.body());

            Metrics failed = Metrics.scrape(daemon);
            assertEquals(1.0, failed.value("hf_sync_runs_total", "mode", "full", "outcome", "failure"));
            assertEquals(0.0, failed.value("hf_sync_runs_total", "mode", "full", "outcome", "success"));
            assertEquals(app.metadata().get("hub_requests").asDouble(), failed.value("hf_sync_hub_requests_total"));
            assertEquals(0.0, failed.value("hf_sync_models_changed_total", "change", "added"), "nothing was written");
            assertEquals(0.0, failed.value("hf_sync_models_total"));
            assertEquals(0.0, failed.value("hf_sync_last_success_timestamp_seconds"), "never succeeded");

            daemon.syncNow();

            HttpResponse<String> healthyAgain = daemon.get("/observe/health");
            assertEquals(200, healthyAgain.statusCode(), healthyAgain.body());
            Metrics recovered = Metrics.scrape(daemon);
            assertEquals(1.0, recovered.value("hf_sync_runs_total", "mode", "full", "outcome", "success"));
            assertEquals(1.0, recovered.value("hf_sync_runs_total", "mode", "full", "outcome", "failure"));
            assertEquals(MODELS, recovered.value("hf_sync_models_total"));
            assertEquals(MODELS, recovered.value("hf_sync_models_changed_total", "change", "added"));
            assertEquals(T0.getEpochSecond(), recovered.value("hf_sync_last_success_timestamp_seconds"));
            assertEquals(app.hub.requests() - app.hub.resolveRequests(), recovered.value("hf_sync_hub_requests_total"));
            assertEquals(app.hub.resolveRequests(), recovered.value("hf_sync_resolver_calls_total"));
        }
    }

    @Test
    void should_start_with_last_sync_down_when_the_stored_metadata_says_it_failed() throws Exception {
        Files.writeString(dataDir.resolve("last_sync_metadata.json"), """
                {"schema_version": 1, "last_sync_time": "2026-11-19T02:00:00Z",
                 "last_successful_sync_time": "2026-11-18T02:00:00Z", "last_full_sync_time": "2026-11-18T02:00:00Z",
                 "sync_mode": "incremental", "total_models": 42, "success": false,
                 "error_message": "Hub answered HTTP 503 for /api/models?limit=500"}
                """);

        try (RunningDaemon daemon = new RunningDaemon(app, "sync.cron=" + RunningDaemon.NEVER)) {
            HttpResponse<String> health = daemon.get("/observe/health");
            assertEquals(503, health.statusCode(), health.body());
            assertEquals("last sync failed: Hub answered HTTP 503 for /api/models?limit=500",
                    unescape(check(JSON.readTree(health.body()), "last-sync").get("message").asText()));
            assertEquals(200, daemon.get("/observe/health/ready").statusCode());

            Metrics metrics = Metrics.scrape(daemon);
            assertEquals(42.0, metrics.value("hf_sync_models_total"), "the catalog the failed run left untouched");
            assertEquals(Instant.parse("2026-11-18T02:00:00Z").getEpochSecond(),
                    metrics.value("hf_sync_last_success_timestamp_seconds"));
        }
    }

    @Test
    void should_keep_the_management_server_off_in_one_shot_mode() throws Exception {
        SyncMain main = new SyncMain();
        AtomicReference<Object> managementServer = new AtomicReference<>("not started");
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport started) {
                managementServer.set(started.getCamelContext().hasService(ManagementHttpServer.class));
            }
        });
        main.bind("clock", app.clock);
        Map<String, String> overrides = new HashMap<>(Map.of("sync.data-dir", dataDir.toString(),
                "hub.url", app.hub.baseUrl(), "sync.once", "yes"));
        overrides.forEach(main::addOverrideProperty);

        assertEquals(0, main.run(new String[0]));
        assertNull(managementServer.get(), "no management server, so no port to clash with a daemon");
    }

    private static double value(RunningDaemon daemon, String name, String... labels) {
        return Metrics.scrape(daemon).value(name, labels);
    }

    private static JsonNode check(JsonNode health, String id) {
        for (JsonNode check : health.path("checks")) {
            if (id.equals(check.get("name").asText())) {
                return check;
            }
        }
        throw new AssertionError("no check " + id + " in " + health);
    }

    /** Camel JSON-escapes a check's message before it encodes the document, so the message arrives escaped twice. */
    private static String unescape(String message) throws Exception {
        return JSON.readValue("\"" + message + "\"", String.class);
    }

    /** One scrape of {@code /observe/metrics}, in Prometheus text format. */
    record Metrics(String text) {

        private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

        static Metrics scrape(RunningDaemon daemon) {
            HttpResponse<String> response = daemon.get("/observe/metrics");
            assertEquals(200, response.statusCode(), response.body());
            return new Metrics(response.body());
        }

        /** The sample with this name and these label values (others may be present); NaN when there is none. */
        double value(String name, String... labels) {
            Map<String, String> wanted = new HashMap<>();
            for (int i = 0; i < labels.length; i += 2) {
                wanted.put(labels[i], labels[i + 1]);
            }
            for (String line : text.lines().toList()) {
                Matcher sample = SAMPLE.matcher(line);
                if (!sample.matches() || !sample.group(1).equals(name)) {
                    continue;
                }
                Map<String, String> present = new HashMap<>();
                Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
                while (label.find()) {
                    present.put(label.group(1), label.group(2));
                }
                if (present.entrySet().containsAll(wanted.entrySet())) {
                    return Double.parseDouble(sample.group(3));
                }
            }
            return Double.NaN;
        }
    }
}
