package io.hfsync;

import static io.hfsync.SyncHarness.T0;
import static io.hfsync.SyncHarness.repo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hfsync.app.SyncMain;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 29 item 3 and the server that cannot bind: what a client can hold on the page's and the management server's
 * ports (half-sent requests on loopback), and a port that is taken.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpServerBoundsIT extends SyncTestSupport {

    static final int CAP = 20;
    private final List<Socket> clients = new ArrayList<>();

    @BeforeEach
    void setUp() {
        for (int i = 0; i < 5; i++) {
            app.snapshot().put(repo("bounds/Model-" + i + "-GGUF", T0.minus(Duration.ofDays(10 + i))));
        }
    }

    @AfterEach
    void closeClients() throws IOException {
        for (Socket client : clients) {
            client.close();
        }
    }

    @Test
    void should_close_half_sent_requests_beyond_the_cap_at_once_and_the_rest_when_idle() throws Exception {
        try (RunningDaemon daemon = new RunningDaemon(app, "sync.cron=" + RunningDaemon.NEVER,
                "web.max-connections=" + CAP, "web.idle-timeout-seconds=3")) {
            // five times the cap of half-sent requests, as the 560 that used up the process's file descriptors
            for (int i = 0; i < 5 * CAP; i++) {
                clients.add(halfSentRequest(daemon.webPort()));
            }
            await("every connection beyond the cap closed at once").atMost(Duration.ofSeconds(2))
                    .until(() -> closedByServer() >= 4 * CAP);
            assertEquals(4 * CAP, closedByServer(), "the cap's worth stays open until it idles out");

            await("the idle ones closed after web.idle-timeout-seconds").atMost(Duration.ofSeconds(10))
                    .until(() -> closedByServer() == 5 * CAP);

            // the page answers again, and a sync opens its own files (lock, catalog, journal) as usual
            daemon.syncNow();
            assertTrue(app.metadata().get("success").asBoolean(), app.metadata().toString());
            assertEquals(200, daemon.getWeb("/api/models").statusCode());
        }
    }

    @Test
    void should_bound_the_management_server_the_same_way() throws Exception {
        try (RunningDaemon daemon = new RunningDaemon(app, "sync.cron=" + RunningDaemon.NEVER,
                "web.max-connections=" + CAP, "web.idle-timeout-seconds=3")) {
            int port = managementPort(daemon);
            for (int i = 0; i < 2 * CAP; i++) {
                clients.add(halfSentRequest(port));
            }
            await("every connection beyond the cap closed at once").atMost(Duration.ofSeconds(2))
                    .until(() -> closedByServer() >= CAP);
            await("the idle ones closed too").atMost(Duration.ofSeconds(10))
                    .until(() -> closedByServer() == 2 * CAP);
            assertEquals(200, daemon.get("/observe/health/live").statusCode());
        }
    }

    @Test
    void should_record_a_run_that_cannot_open_its_lock_as_failed() throws Exception {
        try (RunningDaemon daemon = new RunningDaemon(app, "sync.cron=" + RunningDaemon.NEVER)) {
            daemon.syncNow();
            byte[] catalog = java.nio.file.Files.readAllBytes(dataDir.resolve("gguf_models.json"));
            // the lock cannot be opened (as with no file descriptor left): a directory in its place
            java.nio.file.Files.deleteIfExists(dataDir.resolve(".lock"));
            java.nio.file.Files.createDirectory(dataDir.resolve(".lock"));

            daemon.syncNow();

            assertEquals(false, app.metadata().get("success").asBoolean(), app.metadata().toString());
            assertTrue(app.metadata().get("error_message").asText().contains(".lock"), app.metadata().toString());
            var health = daemon.get("/observe/health");
            assertEquals(503, health.statusCode(), health.body());
            assertTrue(health.body().contains("last-sync") && health.body().contains(".lock"), health.body());
            HealthAndMetricsIT.Metrics metrics = HealthAndMetricsIT.Metrics.scrape(daemon);
            // failed before it could decide its mode
            assertEquals(1.0, metrics.value("hf_sync_runs_total", "mode", "undecided", "outcome", "failure"),
                    metrics.text());
            org.junit.jupiter.api.Assertions.assertArrayEquals(catalog,
                    java.nio.file.Files.readAllBytes(dataDir.resolve("gguf_models.json")), "catalog untouched");
        }
    }

    @Test
    void should_exit_2_when_the_pages_port_is_taken() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int code = SyncMain.launch(new String[] {"--serve"}, Map.of("sync.data-dir", dataDir.toString(),
                    "web.host", "127.0.0.1", "web.port", String.valueOf(taken.getLocalPort()),
                    "camel.management.host", "127.0.0.1", "camel.management.port", "0"), Map.of());
            assertEquals(SyncMain.EXIT_BAD_CONFIGURATION, code);
        }
    }

    @Test
    void should_exit_2_when_the_management_port_is_taken() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int code = SyncMain.launch(new String[] {"--serve"}, Map.of("sync.data-dir", dataDir.toString(),
                    "web.host", "127.0.0.1", "web.port", "0", "camel.management.host", "127.0.0.1",
                    "camel.management.port", String.valueOf(taken.getLocalPort())), Map.of());
            assertEquals(SyncMain.EXIT_BAD_CONFIGURATION, code);
        }
    }

    private static int managementPort(RunningDaemon daemon) {
        return daemon.context().hasService(org.apache.camel.component.platform.http.main.ManagementHttpServer.class)
                .getRouter().getServer().getPort();
    }

    /** A request whose headers never end (no blank line), as a slow or hostile client leaves it. */
    private static Socket halfSentRequest(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(1);
        OutputStream out = socket.getOutputStream();
        out.write("GET /api/models HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** How many of the clients' connections the server has closed (a read ends, or the connection was reset). */
    private long closedByServer() {
        long closed = 0;
        for (Socket client : clients) {
            try {
                InputStream in = client.getInputStream();
                if (in.read() == -1) {
                    closed++;
                }
            } catch (SocketTimeoutException stillOpen) {
                // nothing to read yet: the server holds it open
            } catch (IOException reset) {
                closed++;
            }
        }
        return closed;
    }
}
