package io.hfsync;

import static org.awaitility.Awaitility.await;

import io.hfsync.app.SyncMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;

/**
 * hf-gguf-sync in daemon mode inside the test JVM (Camel Main on a background thread, as {@code java -jar} runs it
 * without {@code --once}), with the management server and the catalog page on loopback and ports the OS picks, so
 * tests never collide.
 */
public final class RunningDaemon implements AutoCloseable {

    /** A cron that does not fire during a test: the test triggers runs itself. */
    public static final String NEVER = "0 0 0 1 1 ? 2099";

    private final SyncMain main = new SyncMain();
    private final Thread thread;
    private final AtomicReference<Throwable> crash = new AtomicReference<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int managementPort;
    private final int webPort;

    /** Starts against the harness's stand-in Hub, data directory and clock; {@code properties} are key=value. */
    public RunningDaemon(SyncHarness app, String... properties) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("sync.data-dir", app.dataDir.toString());
        overrides.put("hub.url", app.hub.baseUrl());
        overrides.put("hub.max-requests-per-minute", "60000");
        overrides.put("hub.max-resolver-requests-per-minute", "60000");
        overrides.put("camel.management.host", "127.0.0.1");
        overrides.put("camel.management.port", "0");
        overrides.put("web.host", "127.0.0.1");
        overrides.put("web.port", "0");
        for (String property : properties) {
            int eq = property.indexOf('=');
            overrides.put(property.substring(0, eq), property.substring(eq + 1));
        }
        main.bind("clock", app.clock);
        overrides.forEach(main::addOverrideProperty);
        thread = new Thread(() -> {
            try {
                main.run(new String[0]);
            } catch (Throwable t) {
                crash.set(t);
            }
        }, "hf-gguf-sync-daemon");
        thread.start();
        await("daemon started").atMost(Duration.ofSeconds(30)).until(() -> {
            if (crash.get() != null) {
                throw new IllegalStateException("daemon did not start", crash.get());
            }
            CamelContext context = main.getCamelContext();
            return context != null && context.isStarted();
        });
        CamelContext context = main.getCamelContext();
        managementPort = context.hasService(ManagementHttpServer.class).getRouter().getServer().getPort();
        MainHttpServer web = context.hasService(MainHttpServer.class);
        webPort = web == null ? -1 : web.getRouter().getServer().getPort();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** One sync now, through the same route the Quartz trigger calls; returns when the run has been reported. */
    public void syncNow() {
        context().createProducerTemplate().sendBody("direct:sync", null);
    }

    /** A GET on the management server ({@code /observe/...}). */
    public HttpResponse<String> get(String path) {
        return get(managementPort, path);
    }

    /** The catalog page's port (docs/browser.md), or -1 when it is not served. */
    public int webPort() {
        return webPort;
    }

    /** A GET on the catalog page's server ({@code /api/...}). */
    public HttpResponse<String> getWeb(String path) {
        return get(webPort, path);
    }

    private HttpResponse<String> get(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        main.completed();
        thread.join(Duration.ofSeconds(60).toMillis());
    }
}
