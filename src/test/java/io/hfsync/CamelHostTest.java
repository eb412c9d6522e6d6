package io.hfsync;

import static io.hfsync.SyncHarness.repo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.apache.camel.builder.Builder.body;

import com.fasterxml.jackson.databind.JsonNode;
import io.hfsync.config.SyncConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 part 5: a plain Camel Main host — not hf-gguf-sync's own main class — configured only by properties, as
 * the README's "Existing Camel Main / Spring Boot application" section says: its own
 * {@code examples/camel-host/host.properties} (which names {@link SyncConfiguration} as a configuration class and
 * picks the shipped routes without the standalone trigger) before the shipped {@code application.properties}, and
 * a route of its own starting from the packaged Kamelet.
 */
class CamelHostTest {

    @TempDir
    Path dataDir;

    @Test
    void should_sync_from_the_stand_in_hub_through_the_kamelet_in_a_plain_camel_main_host() throws Exception {
        Instant now = Instant.now();
        SyncHarness app = new SyncHarness(dataDir, now);
        for (int i = 0; i < 4; i++) {
            app.snapshot().put(repo("host/Model-" + i + "-GGUF", now.minus(Duration.ofDays(3 + i))));
        }

        Main host = new Main();
        // the first location that defines a key wins: the host's own file goes first
        host.setPropertyPlaceholderLocations("file:examples/camel-host/host.properties,file:application.properties");
        host.addOverrideProperty("hub.url", app.hub.baseUrl());
        host.addOverrideProperty("sync.data-dir", dataDir.toString());
        host.addOverrideProperty("hub.max-requests-per-minute", "60000");
        host.addOverrideProperty("sync.cron", "0/1 * * * * ?");
        host.addOverrideProperty("camel.management.host", "127.0.0.1");
        host.addOverrideProperty("camel.management.port", "0");
        AtomicReference<Throwable> crash = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                host.run(new String[0]);
            } catch (Throwable t) {
                crash.set(t);
            }
        }, "camel-host");
        thread.start();
        try {
            await("host started").atMost(Duration.ofSeconds(30)).until(() -> {
                if (crash.get() != null) {
                    throw new IllegalStateException("host did not start", crash.get());
                }
                CamelContext context = host.getCamelContext();
                return context != null && context.isStarted();
            });
            CamelContext context = host.getCamelContext();
            assertNull(context.getRoute("hf-sync-schedule"), "the standalone trigger is not part of a host");
            // the host's route receives each run's metadata from the Kamelet (a later fire if the first was missed)
            NotifyBuilder emitted = new NotifyBuilder(context).fromRoute("host-hf-gguf-sync")
                    .whenAnyDoneMatches(body().contains("\"success\" : true")).create();
            assertTrue(emitted.matches(30, TimeUnit.SECONDS), "the Kamelet emitted a successful run's metadata");
        } finally {
            host.completed();
            thread.join(Duration.ofSeconds(30).toMillis());
        }

        JsonNode catalog = SyncHarness.read(dataDir.resolve("gguf_models.json"));
        assertEquals(4, catalog.get("models").size());
        // a fire that starts while the host shuts down fails cleanly (its listing is cut short), so the stored
        // metadata may describe that run; the successful full sync is what it still records
        JsonNode metadata = SyncHarness.read(dataDir.resolve("last_sync_metadata.json"));
        assertTrue(metadata.get("last_successful_sync_time").isTextual(), metadata.toString());
        assertTrue(metadata.get("last_full_sync_time").isTextual(), metadata.toString());
    }
}
