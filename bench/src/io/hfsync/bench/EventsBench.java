package io.hfsync.bench;

import static io.hfsync.bench.BenchSupport.deleteTree;
import static io.hfsync.bench.BenchSupport.log;
import static io.hfsync.bench.BenchSupport.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Issue 18's benchmark: change events (docs/events.md) to the machine's Mosquitto (127.0.0.1:1883, QoS 1). Per N: one
 * {@link BenchHub}; the packaged product (java -Xmx256m, defaults otherwise, SYNC_EVENTS_URI to a fresh topic) runs
 * (a) a first full sync, whose N model.added events must fit the heap bound, then the Hub changes 0.5 % of N (90 %
 * updated, 10 % new) and (b) an incremental run, whose ~N/200 events must arrive within 10 s of the catalog being
 * published. A subscriber in this JVM counts what arrives and when. "Published" is the catalog file's modification
 * time (its temporary file's last write, just before the rename); the latency runs to the arrival of sync.completed,
 * the run's last event. Arguments: {@code --product DIR --classpath CP --out DIR --work DIR N...}.
 */
public final class EventsBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PHASE_TIMEOUT_MIN = 40;
    private static final Pattern GC_AFTER = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
    private static final Pattern EVENTS_LINE = Pattern.compile("Events: (\\d+) delivered in (\\d+) ms");

    private Path product;
    private String classpath;
    private Path out;
    private Path work;
    private final List<String> rows = new ArrayList<>();

    /** What the subscriber saw in one phase. */
    static final class Seen {
        final AtomicLong models = new AtomicLong();
        final AtomicLong added = new AtomicLong();
        final AtomicLong updated = new AtomicLong();
        final AtomicLong removed = new AtomicLong();
        final AtomicLong completed = new AtomicLong();
        volatile long firstAtMillis;
        volatile long completedAtMillis;
        volatile String completedJson;
    }

    private volatile Seen seen = new Seen();

    public static void main(String[] args) throws Exception {
        EventsBench b = new EventsBench();
        List<Integer> ns = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--product" -> b.product = Path.of(args[++i]).toAbsolutePath();
                case "--classpath" -> b.classpath = args[++i];
                case "--out" -> b.out = Path.of(args[++i]).toAbsolutePath();
                case "--work" -> b.work = Path.of(args[++i]).toAbsolutePath();
                default -> ns.add(Integer.parseInt(args[i]));
            }
        }
        Files.createDirectories(b.out);
        Path csv = BenchSupport.resultsCsv(b.out, "events");
        b.rows.add("n,phase,heap,exit,wall_s,mode,added,updated,removed,total_models,events_received,model_events,"
                + "completed_events,events_phase_ms,publish_to_completed_s,publish_to_first_s,gc_peak_after_mb,"
                + "gc_heap_max_mb");
        for (int n : ns) {
            b.runN(n);
            Files.write(csv, b.rows);
        }
        Files.write(csv, b.rows);
        System.out.println("results: " + csv);
    }

    private void runN(int n) throws Exception {
        Path dir = work.resolve("events-n" + n);
        deleteTree(dir);
        Files.createDirectories(dir);
        String topic = "hf-gguf-sync-bench/" + UUID.randomUUID();
        MqttClient subscriber = subscribe("tcp://127.0.0.1:1883", topic);
        try (BenchSupport.Hub hub = BenchSupport.startHub(dir, classpath, n, "-1")) {
            String hubUrl = hub.url();
            String admin = hub.admin();
            Path data = dir.resolve("data");
            String uri = "paho-mqtt5:" + topic + "?brokerUrl=tcp://127.0.0.1:1883&qos=1";
            phase(n, "a first full sync", data, hubUrl, admin, dir, uri);
            int changed = (int) Math.ceil(n * 0.005);
            int added = Math.max(1, changed / 10);
            log("hub mutate: " + post(admin + "/mutate?updated=" + (changed - added) + "&added=" + added + "&seed=7"));
            phase(n, "b incremental, 0.5% changed", data, hubUrl, admin, dir, uri);
        } finally {
            subscriber.disconnect();
            subscriber.close(true);
        }
    }

    private void phase(int n, String phase, Path data, String hubUrl, String admin, Path dir, String uri)
            throws Exception {
        post(admin + "/reset");
        Seen now = new Seen();
        seen = now;
        String tag = phase.substring(0, 1);
        Path outLog = dir.resolve("product-" + tag + ".log");
        Path gcLog = dir.resolve("gc-" + tag + ".log");
        log("N=" + n + " " + phase);
        long t0 = System.nanoTime();
        // events, not GGUF headers: the bench Hub serves them (StandInHub's file host), but 193,910 header reads at the
        // default resolvers cap (1,000 a minute, the free tier) keep a first full sync busy for 3.2 h (bench/headers.sh)
        Process p = BenchSupport.startProduct(product, outLog, Map.of("HF_ENDPOINT", hubUrl,
                "DATA_DIR", data.toString(), "HUB_MAX_REQUESTS_PER_MINUTE", "200000", "MAX_CONCURRENCY", "4",
                "SYNC_EVENTS_URI", uri, "GGUF_HEADERS", "false"), List.of("-Xmx256m", "-Xlog:gc:file=" + gcLog), "--once");
        String exit = BenchSupport.exitOf(p, PHASE_TIMEOUT_MIN);
        double wall = (System.nanoTime() - t0) / 1e9;
        // the product has sent (QoS 1, each acknowledged by the broker) before it exits; let the subscriber drain
        long deadline = System.currentTimeMillis() + 60_000;
        while (now.completed.get() == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        JsonNode m = Files.exists(data.resolve("last_sync_metadata.json"))
                ? JSON.readTree(data.resolve("last_sync_metadata.json").toFile()) : JSON.createObjectNode();
        long publishedAt = Files.getLastModifiedTime(data.resolve("gguf_models.json")).toMillis();
        String eventsMs = "";
        Matcher events = EVENTS_LINE.matcher(Files.readString(outLog));
        while (events.find()) {
            eventsMs = events.group(2);
        }
        long peakAfter = 0;
        long heapMax = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher g = GC_AFTER.matcher(line);
            if (g.find()) {
                peakAfter = Math.max(peakAfter, Long.parseLong(g.group(2)));
                heapMax = Math.max(heapMax, Long.parseLong(g.group(3)));
            }
        }
        long received = now.models.get() + now.completed.get();
        String row = String.join(",", List.of(Integer.toString(n), phase, "-Xmx256m", exit,
                String.format(Locale.ROOT, "%.1f", wall), m.path("sync_mode").asText(""),
                m.path("models_added").asText(""), m.path("models_updated").asText(""),
                m.path("models_removed").asText(""), m.path("total_models").asText(""), Long.toString(received),
                Long.toString(now.models.get()), Long.toString(now.completed.get()), eventsMs,
                now.completedAtMillis == 0 ? "" : String.format(Locale.ROOT, "%.2f", (now.completedAtMillis - publishedAt) / 1e3),
                now.firstAtMillis == 0 ? "" : String.format(Locale.ROOT, "%.2f", (now.firstAtMillis - publishedAt) / 1e3),
                Long.toString(peakAfter), Long.toString(heapMax)));
        rows.add(row);
        log(row);
        log("added/updated/removed events: " + now.added + "/" + now.updated + "/" + now.removed + "; completed: "
                + now.completedJson);
    }

    private MqttClient subscribe(String broker, String topic) throws MqttException {
        MqttClient client = new MqttClient(broker, "hf-bench-" + UUID.randomUUID(), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String t, MqttMessage message) {
                long at = System.currentTimeMillis();
                Seen s = seen;
                if (s.firstAtMillis == 0) {
                    s.firstAtMillis = at;
                }
                String body = new String(message.getPayload(), StandardCharsets.UTF_8);
                if (body.startsWith("{\"type\":\"model.")) {
                    s.models.incrementAndGet();
                    (body.startsWith("{\"type\":\"model.added\"") ? s.added
                            : body.startsWith("{\"type\":\"model.updated\"") ? s.updated : s.removed).incrementAndGet();
                } else if (body.startsWith("{\"type\":\"sync.completed\"")) {
                    s.completedJson = body;
                    s.completedAtMillis = at;
                    s.completed.incrementAndGet();
                }
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
                log("subscriber disconnected: " + response);
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                log("subscriber error: " + exception);
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
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setReceiveMaximum(65535);
        client.connect(options);
        client.subscribe(topic, 1);
        return client;
    }
}
