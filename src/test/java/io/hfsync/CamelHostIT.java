package io.hfsync;

import static io.hfsync.SyncHarness.repo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.config.SyncConfiguration;
import io.hfsync.standin.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 part 5 and issue 17 part 2: a plain Camel Main host — not hf-gguf-sync's own main class — configured only
 * by properties, as docs/camel-platforms.md ("Existing Camel Main / Spring Boot application") says: its own
 * {@code examples/camel-host/host.properties} (which names {@link SyncConfiguration} as a configuration class and
 * picks the shipped routes without the standalone trigger) before the shipped {@code application.properties}, and
 * a route of its own starting from the packaged Kamelet. Every emission carries its own run's result.
 */
class CamelHostIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    /** What the host's route received from the Kamelet: the body and the HfSync* headers. */
    record Emission(JsonNode body, Map<String, Object> headers) {
        boolean success() {
            return body.get("success").asBoolean();
        }

        int added() {
            return body.get("models_added").asInt();
        }
    }

    @Test
    void should_emit_each_runs_own_result_through_the_kamelet_in_a_plain_camel_main_host() throws Exception {
        Instant now = Instant.now();
        SyncHarness app = new SyncHarness(dataDir, now);
        for (int i = 0; i < 4; i++) {
            app.snapshot().put(repo("host/Model-" + i + "-GGUF", now.minus(Duration.ofDays(3 + i))));
        }

        List<Emission> emissions = new CopyOnWriteArrayList<>();
        List<Map<String, Object>> withoutBody = new CopyOnWriteArrayList<>();
        Main host = new Main();
        // the first location that defines a key wins: the host's own file goes first
        host.setPropertyPlaceholderLocations("file:examples/camel-host/host.properties,file:application.properties");
        host.addOverrideProperty("hub.url", app.hub.baseUrl());
        host.addOverrideProperty("sync.data-dir", dataDir.toString());
        host.addOverrideProperty("hub.max-requests-per-minute", "60000");
        host.addOverrideProperty("hub.max-resolver-requests-per-minute", "60000");
        host.addOverrideProperty("sync.cron", "0/1 * * * * ?");
        host.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport main) {
                main.getCamelContext().getManagementStrategy().addEventNotifier(new EmissionRecorder(emissions, withoutBody));
            }
        });
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

            // run 1: the full sync adds the four models
            await("a successful full sync was emitted").atMost(Duration.ofSeconds(30))
                    .failFast("an emission without a body", () -> !withoutBody.isEmpty())
                    .until(() -> emissions.stream().anyMatch(e -> e.success() && e.added() == 4));
            // a run that fails: the listing answers 400 once
            app.hub.enqueueFault(Fault.status("/api/models?", 400));
            await("a failed run was emitted").atMost(Duration.ofSeconds(30))
                    .failFast("an emission without a body", () -> !withoutBody.isEmpty())
                    .until(() -> emissions.stream().anyMatch(e -> !e.success()));
            // the run after the failure is a full one that finds the model added since
            app.snapshot().put(repo("host/New-GGUF", now.minus(Duration.ofHours(1))));
            await("a later successful sync was emitted").atMost(Duration.ofSeconds(30))
                    .failFast("an emission without a body", () -> !withoutBody.isEmpty())
                    .until(() -> emissions.stream().anyMatch(e -> e.success() && e.added() == 1));
        } finally {
            host.completed();
            thread.join(Duration.ofSeconds(30).toMillis());
        }

        assertTrue(withoutBody.isEmpty(), () -> "emissions without a body: " + withoutBody);
        assertTrue(emissions.size() >= 3, emissions::toString);
        for (Emission e : emissions) {
            // each body is its run's metadata, and the headers say the same
            assertEquals(e.body().get("success").asBoolean(), e.headers().get("HfSyncSuccess"), e::toString);
            assertEquals(e.body().get("models_added").asInt(), e.headers().get("HfSyncModelsAdded"), e::toString);
            assertEquals("application/json", e.headers().get("Content-Type"), e::toString);
            assertTrue(e.body().get("last_sync_time").isTextual(), e::toString);
        }
        Emission failed = emissions.stream().filter(e -> !e.success()).findFirst().orElseThrow();
        assertTrue(failed.body().get("error_message").asText().contains("400"), failed::toString);
        assertEquals(failed.body().get("error_message").asText(), failed.headers().get("HfSyncError"));
        assertEquals(0, failed.headers().get("HfSyncModelsAdded"));
        Emission first = emissions.get(0);
        assertEquals("full", first.headers().get("HfSyncMode"));
        assertFalse(first.headers().containsKey("HfSyncError"), first::toString);

        JsonNode catalog = SyncHarness.read(dataDir.resolve("gguf_models.json"));
        assertEquals(5, catalog.get("models").size());
    }

    /** Records what the host route's exchanges carried when they completed. */
    static final class EmissionRecorder extends EventNotifierSupport {

        private final List<Emission> emissions;
        private final List<Map<String, Object>> withoutBody;

        EmissionRecorder(List<Emission> emissions, List<Map<String, Object>> withoutBody) {
            this.emissions = emissions;
            this.withoutBody = withoutBody;
        }

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof ExchangeCompletedEvent;
        }

        @Override
        public void notify(CamelEvent event) throws Exception {
            Exchange exchange = ((ExchangeCompletedEvent) event).getExchange();
            if (!"host-hf-gguf-sync".equals(exchange.getFromRouteId())) {
                return;
            }
            String body = exchange.getMessage().getBody(String.class);
            if (body == null || body.isBlank()) {
                withoutBody.add(Map.copyOf(exchange.getMessage().getHeaders()));
                return;
            }
            emissions.add(new Emission(JSON.readTree(body), Map.copyOf(exchange.getMessage().getHeaders())));
        }
    }
}
