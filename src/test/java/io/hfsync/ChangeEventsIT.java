package io.hfsync;

import static io.hfsync.SyncHarness.T0;
import static io.hfsync.SyncHarness.repo;
import static io.hfsync.SyncHarness.touched;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.hfsync.standin.Fault;
import io.hfsync.standin.HubRepo;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/events.md against the machine's real brokers on loopback (Mosquitto 127.0.0.1:1883, NATS 127.0.0.1:4222; .ci/run
 * starts them; without Mosquitto an embedded broker, without NATS its test is skipped: MachineServices), an MQTT broker
 * of the test's own that it stops and starts, and a webhook receiver on loopback: the
 * application runs as a user runs it (Camel Main, one-shot, and a daemon for the metric) against the stand-in Hub.
 */
class ChangeEventsIT extends SyncTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    final List<AutoCloseable> closeAfter = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
    }

    @Test
    void should_publish_a_first_sync_an_incremental_day_and_a_removal_in_order_over_mqtt() throws Exception {
        String topic = "hf-gguf-sync-test/" + UUID.randomUUID();
        String broker = MachineServices.mqttBrokerUrl();
        Receiver mqtt = mqttSubscriber(broker, topic);
        runScenario("paho-mqtt5:" + topic + "?brokerUrl=" + broker + "&qos=1", mqtt);
    }

    @Test
    @NeedsHostProgram(HostProgram.NATS_SERVER)
    void should_publish_the_same_events_over_nats() throws Exception {
        String subject = "hf-gguf-sync-test." + UUID.randomUUID();
        Receiver nats = natsSubscriber(subject);
        runScenario("nats:" + subject + "?servers=127.0.0.1:" + MachineServices.natsPort(), nats);
    }

    @Test
    void should_post_the_same_events_to_a_webhook_as_json_without_the_run_headers() throws Exception {
        Webhook hook = webhook();
        runScenario(hook.uri(), hook);
        assertTrue(hook.contentTypes.stream().allMatch(t -> t.startsWith("application/json")), hook.contentTypes.toString());
        assertTrue(hook.headerNames.stream().noneMatch(h -> h.toLowerCase().startsWith("camel")),
                "no exchange header leaks into the request: " + hook.headerNames);
    }

    /** Run 1 full (6 added), run 2 a day later (1 added, 2 updated), run 3 full with one repo gone (1 removed). */
    private void runScenario(String uri, Receiver receiver) throws Exception {
        List<HubRepo> repos = seedHub();
        assertEquals(0, app.sync("sync.events-uri=" + uri));
        List<String> expected = new ArrayList<>(modelEvents("model.added", repos));
        expected.add("sync.completed full +6 ~0 -0 =6");
        receiver.awaitCount(expected.size());
        assertEquals(expected, receiver.keys());
        assertEventsMatchCatalog(receiver.events());

        app.clock.advance(Duration.ofDays(1));
        Instant now = app.clock.instant();
        HubRepo changedB = touched(repos.get(1), now.minus(Duration.ofHours(3)));
        HubRepo changedE = touched(repos.get(4), now.minus(Duration.ofHours(2)));
        HubRepo added = repo("beta/Fresh-GGUF", now.minus(Duration.ofHours(1)));
        app.snapshot().put(changedB);
        app.snapshot().put(changedE);
        app.snapshot().put(added);
        assertEquals(0, app.sync("sync.events-uri=" + uri, "sync.significant-change-threshold=1"));
        // one event per model in the catalog's id order, then the run's
        expected.add("model.updated " + changedB.id() + " " + changedB.sha());
        expected.add("model.added " + added.id() + " " + added.sha());
        expected.add("model.updated " + changedE.id() + " " + changedE.sha());
        expected.add("sync.completed incremental +1 ~2 -0 =7");
        receiver.awaitCount(expected.size());
        assertEquals(expected, receiver.keys());

        app.clock.advance(Duration.ofHours(2));
        HubRepo gone = app.snapshot().remove(repos.get(2).id());
        assertEquals(0, app.sync("sync.events-uri=" + uri, "sync.mode=full"));
        expected.add("model.removed " + gone.id() + " " + gone.sha());
        expected.add("sync.completed full +0 ~0 -1 =6");
        receiver.awaitCount(expected.size());
        assertEquals(expected, receiver.keys());
        JsonNode removal = receiver.events().get(expected.size() - 2);
        assertEquals(gone.lastModified().toString(), removal.get("last_modified").asText());
        assertTrue(removal.get("files") == null, "a removal carries no files");
        JsonNode completed = receiver.events().get(expected.size() - 1);
        assertEquals(app.metadata().get("last_sync_time").asText(), completed.get("sync_time").asText());
        assertEquals(app.metadata().get("mode_reason").asText(), completed.get("mode_reason").asText());
        assertEquals(0, completed.get("details_pending").asInt());
    }

    @Test
    void should_deliver_what_a_stopped_broker_missed_first_on_the_next_run_once_per_key() throws Exception {
        EmbeddedMqttBroker broker = EmbeddedMqttBroker.start();
        closeAfter.add(broker);
        String topic = "hf-gguf-sync-test/" + UUID.randomUUID();
        String uri = "paho-mqtt5:" + topic + "?brokerUrl=" + broker.url() + "&qos=1";
        List<HubRepo> repos = seedHub();
        Receiver first = mqttSubscriber(broker.url(), topic);
        assertEquals(0, app.sync("sync.events-uri=" + uri));
        first.awaitCount(7);

        broker.stop();
        app.clock.advance(Duration.ofDays(1));
        Instant now = app.clock.instant();
        HubRepo changed = touched(repos.get(0), now.minus(Duration.ofHours(2)));
        HubRepo added = repo("gamma/While-Down-GGUF", now.minus(Duration.ofHours(1)));
        app.snapshot().put(changed);
        app.snapshot().put(added);
        assertEquals(0, app.sync("sync.events-uri=" + uri, "sync.significant-change-threshold=1"),
                "a broker that is down never fails the run");
        assertTrue(app.metadata().get("success").asBoolean());
        assertNotNull(app.model(added.id()), "the catalog is published all the same");

        broker.restart();
        Receiver later = mqttSubscriber(broker.url(), topic);
        app.clock.advance(Duration.ofHours(1));
        HubRepo addedLater = repo("delta/After-GGUF", app.clock.instant().minus(Duration.ofMinutes(10)));
        app.snapshot().put(addedLater);
        assertEquals(0, app.sync("sync.events-uri=" + uri, "sync.significant-change-threshold=1"));

        List<String> missed = List.of(
                "model.updated " + changed.id() + " " + changed.sha(),
                "model.added " + added.id() + " " + added.sha(),
                "sync.completed incremental +1 ~1 -0 =7");
        List<String> own = List.of(
                "model.added " + addedLater.id() + " " + addedLater.sha(),
                "sync.completed incremental +1 ~0 -0 =8");
        List<String> all = new ArrayList<>(missed);
        all.addAll(own);
        later.awaitCount(all.size());
        assertEquals(all, later.keys(), "the missed run's events first, in order, then this run's");
        assertEquals(all, dedupe(later.events()), "exactly once per (id, sha, type) after dedupe");
    }

    @Test
    void should_resume_in_the_middle_of_a_run_where_the_webhook_stopped_taking_events() throws Exception {
        List<HubRepo> repos = seedHub();
        Webhook hook = webhook();
        hook.failFrom.set(4);
        assertEquals(0, app.sync("sync.events-uri=" + hook.uri()));
        assertEquals(3, hook.events().size(), "delivery stops at the first refused event");

        hook.failFrom.set(Integer.MAX_VALUE);
        app.clock.advance(Duration.ofHours(1));
        assertEquals(0, app.sync("sync.events-uri=" + hook.uri()));
        List<String> expected = new ArrayList<>(modelEvents("model.added", repos));
        expected.add("sync.completed full +6 ~0 -0 =6");
        expected.add("sync.completed incremental +0 ~0 -0 =6");
        // the refused event is the one at-least-once repeats; everything else arrives once
        assertEquals(expected, dedupe(hook.events()));
        assertEquals(expected.size(), hook.events().size());
    }

    @Test
    void should_try_a_refused_event_again_within_the_run() throws Exception {
        List<HubRepo> repos = seedHub();
        Webhook hook = webhook();
        hook.failOnly.set(2);
        assertEquals(0, app.sync("sync.events-uri=" + hook.uri()));
        List<String> expected = new ArrayList<>(modelEvents("model.added", repos));
        expected.add("sync.completed full +6 ~0 -0 =6");
        assertEquals(expected, hook.keys(), "one 503 is retried: every event, in order, in this run");
        assertEquals(expected.size() + 1, hook.requests.get());
    }

    @Test
    void should_send_only_sync_failed_for_a_failed_run() throws Exception {
        seedHub();
        Webhook hook = webhook();
        app.hub.enqueueFault(Fault.status("/api/models?", 503));
        assertEquals(1, app.sync("sync.events-uri=" + hook.uri(), "hub.max-retries=0"));
        List<JsonNode> events = hook.events();
        assertEquals(1, events.size(), events.toString());
        JsonNode failed = events.get(0);
        assertEquals("sync.failed", failed.get("type").asText());
        assertEquals("2026-11-20T02:00:00Z", failed.get("sync_time").asText());
        assertEquals(app.metadata().get("error_message").asText(), failed.get("error_message").asText());
        assertEquals(List.of("type", "sync_time", "error_message"), fieldNames(failed));

        // the next (successful) run sends its own events only: a failed run before publishing has no change log
        app.clock.advance(Duration.ofHours(1));
        assertEquals(0, app.sync("sync.events-uri=" + hook.uri()));
        assertEquals("sync.completed full +6 ~0 -0 =6", key(hook.events().get(hook.events().size() - 1)));
        assertEquals(8, hook.events().size());
    }

    @Test
    void should_count_failed_deliveries_and_stay_ready_in_a_daemon() throws Exception {
        seedHub();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (RunningDaemon daemon = new RunningDaemon(app, "sync.cron=" + RunningDaemon.NEVER,
                "sync.events-uri=http://127.0.0.1:" + closedPort + "/hook")) {
            daemon.syncNow();
            HealthAndMetricsIT.Metrics metrics = HealthAndMetricsIT.Metrics.scrape(daemon);
            assertEquals(1.0, metrics.value("hf_sync_events_failed_total"));
            assertEquals(0.0, metrics.value("hf_sync_events_sent_total"));
            assertEquals(1.0, metrics.value("hf_sync_runs_total", "mode", "full", "outcome", "success"));
            assertEquals(200, daemon.get("/observe/health/ready").statusCode());
        }
    }

    @Test
    void should_refuse_an_events_uri_whose_component_is_not_on_the_classpath() {
        assertEquals(2, app.sync("sync.events-uri=kafka:hf-gguf-events?brokers=127.0.0.1:9092"));
    }

    // --- scenario --------------------------------------------------------------------------------------

    private List<HubRepo> seedHub() {
        List<HubRepo> repos = new ArrayList<>();
        String[] ids = {"alpha/One-GGUF", "alpha/Two-GGUF", "beta/Three-GGUF", "carol/Four-GGUF", "dave/Five-GGUF",
                "erin/Six-GGUF"};
        for (int i = 0; i < ids.length; i++) {
            HubRepo r = repo(ids[i], T0.minus(Duration.ofDays(20 - i)));
            app.snapshot().put(r);
            repos.add(r);
        }
        return repos;
    }

    private static List<String> modelEvents(String type, List<HubRepo> repos) {
        return repos.stream().sorted((a, b) -> a.id().compareTo(b.id()))
                .map(r -> type + " " + r.id() + " " + r.sha()).toList();
    }

    /** Each model event says what the catalog says: sha, last_modified and the files with their sizes. */
    private void assertEventsMatchCatalog(List<JsonNode> events) {
        for (JsonNode event : events) {
            if (!event.get("type").asText().startsWith("model.")) {
                continue;
            }
            JsonNode model = app.model(event.get("id").asText());
            assertEquals(model.get("sha"), event.get("sha"));
            assertEquals(model.get("last_modified"), event.get("last_modified"));
            assertEquals(model.get("files").size(), event.get("files").size());
            for (int i = 0; i < model.get("files").size(); i++) {
                JsonNode file = event.get("files").get(i);
                assertEquals(List.of("name", "quantization", "size", "memory"), fieldNames(file));
                assertEquals(model.get("files").get(i).get("size"), file.get("size"));
                assertEquals(model.get("files").get(i).get("memory"), file.get("memory"));
            }
            assertEquals(List.of("type", "id", "sha", "last_modified", "sync_time", "files", "mmproj_bytes"),
                    fieldNames(event));
            assertEquals(model.get("mmproj_bytes"), event.get("mmproj_bytes"));
        }
    }

    /** What a consumer keeps after deduplicating on (id, sha, type); run events on (type, sync_time). */
    private static List<String> dedupe(List<JsonNode> events) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> kept = new ArrayList<>();
        for (JsonNode event : events) {
            String dedupeKey = event.has("id") ? event.get("id").asText() + "|" + event.get("sha").asText() + "|"
                    + event.get("type").asText() : event.get("type").asText() + "|" + event.get("sync_time").asText();
            if (seen.add(dedupeKey)) {
                kept.add(key(event));
            }
        }
        return kept;
    }

    static String key(JsonNode e) {
        String type = e.get("type").asText();
        if (type.startsWith("model.")) {
            return type + " " + e.get("id").asText() + " " + e.get("sha").asText();
        }
        if (type.equals("sync.completed")) {
            return type + " " + e.get("sync_mode").asText() + " +" + e.get("models_added").asInt() + " ~"
                    + e.get("models_updated").asInt() + " -" + e.get("models_removed").asInt() + " ="
                    + e.get("total_models").asInt();
        }
        return type;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // --- receivers -------------------------------------------------------------------------------------

    /** Whatever gets the events, in arrival order. */
    static class Receiver {
        final List<String> bodies = new CopyOnWriteArrayList<>();

        void awaitCount(int count) {
            await("events").atMost(Duration.ofSeconds(20)).until(() -> bodies.size() >= count);
        }

        List<JsonNode> events() {
            List<JsonNode> events = new ArrayList<>();
            for (String body : bodies) {
                try {
                    events.add(JSON.readTree(body));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return events;
        }

        List<String> keys() {
            return events().stream().map(ChangeEventsIT::key).toList();
        }
    }

    private Receiver mqttSubscriber(String brokerUrl, String topic) throws Exception {
        Receiver receiver = new Receiver();
        MqttClient client = new MqttClient(brokerUrl, "hf-test-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        // (paho 1.2.5's subscribe with a per-subscription listener recurses for ever: a client callback instead)
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String t, MqttMessage message) {
                receiver.bodies.add(new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        client.connect(options);
        client.subscribe(topic, 1);
        closeAfter.add(() -> {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close(true);
        });
        return receiver;
    }

    private Receiver natsSubscriber(String subject) throws Exception {
        Receiver receiver = new Receiver();
        Connection connection = Nats.connect("nats://127.0.0.1:" + MachineServices.natsPort());
        Dispatcher dispatcher = connection.createDispatcher(
                message -> receiver.bodies.add(new String(message.getData(), StandardCharsets.UTF_8)));
        dispatcher.subscribe(subject);
        connection.flush(Duration.ofSeconds(5));
        closeAfter.add(connection::close);
        return receiver;
    }

    /** A webhook receiver on loopback; from the failFrom-th request on (1-based) it answers 503. */
    static final class Webhook extends Receiver {
        final HttpServer server;
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger failFrom = new AtomicInteger(Integer.MAX_VALUE);
        /** This request (1-based) alone is answered 503. */
        final AtomicInteger failOnly = new AtomicInteger(-1);
        final List<String> contentTypes = new CopyOnWriteArrayList<>();
        final Set<String> headerNames = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Webhook() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hook", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                int n = requests.incrementAndGet();
                int status = n >= failFrom.get() || n == failOnly.get() ? 503 : 204;
                if (status == 204) {
                    bodies.add(new String(body, StandardCharsets.UTF_8));
                    contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
                    headerNames.addAll(exchange.getRequestHeaders().keySet());
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
        }

        String uri() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }
    }

    private Webhook webhook() throws IOException {
        Webhook hook = new Webhook();
        closeAfter.add(() -> hook.server.stop(0));
        return hook;
    }
}
