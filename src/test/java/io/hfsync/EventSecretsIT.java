package io.hfsync;

import static io.hfsync.SyncHarness.T0;
import static io.hfsync.SyncHarness.repo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 29 item 4: credentials in {@code SYNC_EVENTS_URI}, one test per form, appear in no log line (Camel's property
 * summary at start-up, the product's "Change events" line, the failed delivery's warning that names the URL it
 * called) and in no metric of the unauthenticated {@code /observe/metrics}.
 */
class EventSecretsIT extends SyncTestSupport {

    HttpServer webhook;

    @BeforeEach
    void setUp() throws Exception {
        app.snapshot().put(repo("public/Model-0-GGUF", T0.minus(Duration.ofDays(3))));
        // a webhook that refuses every event: the warning then names the URL it called
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        webhook.start();
    }

    @AfterEach
    void tearDown() {
        webhook.stop(0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "user:password | http://alice:S3cretPw11@127.0.0.1:PORT/hook | S3cretPw11",
            "authPassword | http://127.0.0.1:PORT/hook?authPassword=AuthPw2233 | AuthPw2233",
            "apiKey | http://127.0.0.1:PORT/hook?apiKey=ApiKey3344 | ApiKey3344",
            "token | http://127.0.0.1:PORT/hook?token=Tok5566abc | Tok5566abc",
            "signature | http://127.0.0.1:PORT/hook?signature=Sig7788xyz | Sig7788xyz",
            "token in the path | http://127.0.0.1:PORT/services/T0AAA1111/XyZ0123456789abcdefghijk | XyZ0123456789abcdefghijk"})
    void should_mask_a_credential_of_the_events_uri_in_every_log_line_and_metric(String form, String uri, String secret)
            throws Exception {
        String events = uri.replace("PORT", String.valueOf(webhook.getAddress().getPort()));
        List<String> log;
        String metrics;
        try (LogCapture capture = new LogCapture();
                RunningDaemon daemon = new RunningDaemon(app, "sync.cron=" + RunningDaemon.NEVER,
                        "sync.events-uri=" + events)) {
            daemon.syncNow();
            metrics = daemon.get("/observe/metrics").body();
            log = capture.lines();
        }

        assertTrue(log.stream().anyMatch(l -> l.startsWith("INFO Change events: http://")), String.join("\n", log));
        assertTrue(log.stream().anyMatch(l -> l.startsWith("WARN Events: ") && l.contains("the endpoint failed (")),
                String.join("\n", log));
        assertTrue(metrics.contains("hf_sync_events_failed_total"), metrics);
        for (String line : log) {
            assertFalse(line.contains(secret), form + " in the log: " + line);
        }
        assertEquals(List.of(), metrics.lines().filter(l -> l.contains(secret)).toList(), form + " in /observe/metrics");
    }
}
