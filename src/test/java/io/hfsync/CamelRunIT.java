package io.hfsync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.standin.HubSnapshot;
import io.hfsync.standin.StandInHub;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 part 1: the {@code camel run} command of docs/camel-platforms.md, word for word, in the runtime {@code camel run} uses
 * ({@link CamelRun} hands it to Camel's KameletMain as Camel JBang does) as a separate process, configured only
 * through the environment, against the stand-in Hub: two scheduled runs, the catalog, and both emissions with
 * their own results. Nothing is overridden; the only addition is {@code --download=false} (no network here: every
 * dependency is on the test classpath already).
 */
class CamelRunIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern EMISSION = Pattern.compile("hf-gguf-sync run finished \\(success=(\\w+), mode=(\\w*), "
            + "added=(-?\\d*)\\): (.*)");

    @TempDir
    Path work;

    @Test
    void should_sync_on_schedule_and_emit_every_runs_result_when_started_as_the_readme_says() throws Exception {
        HubSnapshot snapshot = new HubSnapshot();
        Instant now = Instant.now();
        for (int i = 0; i < 3; i++) {
            snapshot.put(SyncHarness.repo("jbang/Model-" + i + "-GGUF", now.minus(Duration.ofDays(i + 2))));
        }
        List<String> readme = readmeCamelRunArguments();
        assertTrue(readme.contains("application.properties"), readme::toString);
        // a host loads every route of the sync (routes/*.camel.yaml: a route file added later must join the command)
        // and the daemon's backfill tick, never a standalone mode's trigger (the Kamelet is the host's)
        try (var routes = Files.walk(Path.of("routes"))) {
            for (Path route : routes.filter(r -> r.toString().endsWith(".camel.yaml")).toList()) {
                String file = route.toString().replace('\\', '/');
                boolean sync = route.getParent().equals(Path.of("routes"));
                assertEquals(sync || file.equals("routes/daemon/backfill.camel.yaml"), readme.contains(file),
                        () -> "docs/camel-platforms.md camel run command and " + file);
            }
        }
        // camel run's HTTP server, where routes/web.camel.yaml serves the catalog page, on a free port
        int webPort = freePort();
        try (StandInHub hub = StandInHub.start(snapshot)) {
            Path log = work.resolve("camel-run.log");
            Process camelRun = startCamelRun(hub, log, readme, webPort, Map.of());
            try {
                await("the first scheduled run was emitted").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(200))
                        .failFast(() -> !camelRun.isAlive())
                        .until(() -> !emissions(log).isEmpty());
                // a model appears on the Hub: a later run adds it, and its emission says so
                snapshot.put(SyncHarness.repo("jbang/New-GGUF", now.minus(Duration.ofHours(1))));
                await("a later run that added the new model was emitted").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .failFast(() -> !camelRun.isAlive())
                        .until(() -> emissions(log).stream().anyMatch(e -> e.get("models_added").asInt() == 1));
                // the host serves the catalog page's API too (docs/browser.md), from the catalog its runs published
                HttpResponse<String> models = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + webPort + "/api/models?q=jbang")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, models.statusCode(), models.body());
                assertEquals(4, JSON.readTree(models.body()).get("total").asInt(), models.body());
            } catch (RuntimeException e) {
                throw new AssertionError("camel run log:\n" + Files.readString(log), e);
            } finally {
                camelRun.destroy();
                camelRun.waitFor();
            }

            String output = Files.readString(log);
            assertFalse(output.contains("NullPointerException"), output);
            List<JsonNode> emissions = emissions(log);
            assertTrue(emissions.size() >= 2, output);
            JsonNode first = emissions.get(0);
            assertEquals("full", first.get("sync_mode").asText(), output);
            assertEquals(3, first.get("models_added").asInt(), output);
            for (JsonNode emission : emissions) {
                assertTrue(emission.get("success").asBoolean(), output);
            }
            JsonNode catalog = SyncHarness.read(work.resolve("data").resolve("gguf_models.json"));
            assertEquals(4, catalog.get("models").size());
        }
    }

    /**
     * Issue 29: under {@code camel run} the health and metrics {@code --prop}s of docs/camel-platforms.md work, a run
     * that overruns a 2 s schedule is not followed by Quartz's catch-up fires (they came 0.1 s apart, ten in a row),
     * and a sync running at SIGTERM gets camel.main.shutdown-timeout (60 s), not the dev profile's 10 s.
     */
    @Test
    void should_serve_health_skip_missed_fires_and_let_a_running_sync_finish_on_sigterm() throws Exception {
        HubSnapshot snapshot = new HubSnapshot();
        Instant now = Instant.now();
        for (int i = 0; i < 3; i++) {
            snapshot.put(SyncHarness.repo("jbang/Model-" + i + "-GGUF", now.minus(Duration.ofDays(i + 2))));
        }
        int webPort = freePort();
        int managementPort = freePort();
        List<String> arguments = new ArrayList<>(readmeCamelRunArguments());
        Matcher prop = Pattern.compile("--prop=camel\\.(management|metrics)\\.[^\\s\\\\]+")
                .matcher(Files.readString(Path.of("docs", "camel-platforms.md")));
        List<String> props = new ArrayList<>();
        while (prop.find()) {
            props.add(prop.group().replace("camel.management.port=9876", "camel.management.port=" + managementPort));
        }
        assertEquals(6, props.size(), props::toString);
        arguments.addAll(props);
        try (StandInHub hub = StandInHub.start(snapshot)) {
            Path log = work.resolve("camel-run.log");
            // the first run takes 10 s or more (two listing calls and three detail calls of 2 s, one at a time): four or
            // more 2 s fires are due while it runs, so catch-up fires would come back to back (under 1 s apart) after it
            hub.setPageDelay(Duration.ofSeconds(2));
            // every model of a run needs its detail call, made one at a time
            Process camelRun = startCamelRun(hub, log, arguments, webPort,
                    Map.of("SIZES_FROM_LISTING", "false", "MAX_CONCURRENCY", "1"));
            try {
                await("the slow first run was emitted").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(200)).failFast(() -> !camelRun.isAlive())
                        .until(() -> !emissions(log).isEmpty());
                hub.setPageDelay(Duration.ZERO);
                await("three more runs").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .failFast(() -> !camelRun.isAlive()).until(() -> runStarts(log).size() >= 4);
                List<LocalTime> starts = runStarts(log);
                for (int i = 1; i < starts.size(); i++) {
                    long gap = Duration.between(starts.get(i - 1), starts.get(i)).toMillis();
                    assertTrue(gap >= 1000, "runs " + gap + " ms apart: a catch-up fire, " + starts);
                }
                assertTrue(Files.readString(log).contains("Skipping the scheduled sync due at"), "the missed fires");

                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + managementPort + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ready.statusCode(), ready.body());
                HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + managementPort + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString());
                assertTrue(metrics.body().contains("hf_sync_runs_total"), metrics.body());

                // every repo changes, each detail call takes 5 s, one at a time: SIGTERM arrives at the first of them,
                // 15 s or more before the run's end, 5 s past the dev profile's 10 s (a listing under way would be
                // stopped: docs/operations.md)
                hub.setPageDelay(Duration.ofSeconds(5));
                hub.resetCounters();
                Instant changed = Instant.now();
                hub.snapshot().all().forEach(repo -> hub.snapshot().put(SyncHarness.touched(repo, changed)));
                await("a run is fetching details").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> hub.detailRequests() >= 1);
                int emitted = emissions(log).size();
                long sentAt = System.nanoTime();
                camelRun.destroy();
                assertTrue(camelRun.waitFor(90, java.util.concurrent.TimeUnit.SECONDS), "camel run ended");
                Duration took = Duration.ofNanos(System.nanoTime() - sentAt);
                List<JsonNode> all = emissions(log);
                assertEquals(emitted + 1, all.size(), "the run under way at SIGTERM finished (after " + took + ")");
                assertTrue(all.get(all.size() - 1).get("success").asBoolean(), all.get(all.size() - 1).toString());
                assertEquals(3, all.get(all.size() - 1).get("models_updated").asInt(), all.get(all.size() - 1).toString());
                assertTrue(took.compareTo(Duration.ofSeconds(10)) > 0, "it needed longer than the dev profile's 10 s: "
                        + took);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("camel run log:\n" + Files.readString(log), e);
            } finally {
                camelRun.destroy();
                camelRun.waitFor();
            }
        }
    }

    /** The runtime of {@code camel run} with {@code arguments}, configured only through the environment. */
    private Process startCamelRun(StandInHub hub, Path log, List<String> arguments, int webPort,
            Map<String, String> env) throws IOException {
        List<String> command = JarProcess.java(env);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CamelRun.class.getName(), "--download=false"));
        command.addAll(arguments);
        command.add("--port=" + webPort);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("HF_") || k.startsWith("SYNC_")
                || k.startsWith("HUB_") || k.startsWith("CAMEL_") || k.equals("DATA_DIR") || k.startsWith("MANAGEMENT_"));
        builder.environment().put("HF_ENDPOINT", hub.baseUrl());
        builder.environment().put("DATA_DIR", work.resolve("data").toString());
        builder.environment().put("SYNC_CRON", "0/2 * * * * ?");
        builder.environment().put("HUB_MAX_REQUESTS_PER_MINUTE", "60000");
        builder.environment().put("HUB_MAX_RESOLVER_REQUESTS_PER_MINUTE", "60000");
        builder.environment().putAll(env);
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    /** When each sync started (its mode decision), from the log's time stamps. */
    static List<LocalTime> runStarts(Path log) throws IOException {
        List<LocalTime> starts = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.contains(" RunStart ") && line.contains("Sync mode: ")) {
                starts.add(LocalTime.parse(line.substring(0, 12)));
            }
        }
        return starts;
    }

    /** Each run's result as the host route logged it, checked against the headers logged beside it. */
    static List<JsonNode> emissions(Path log) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher m = EMISSION.matcher(line);
            if (m.find()) {
                JsonNode body = JSON.readTree(m.group(4));
                assertEquals(body.get("success").asText(), m.group(1), line);
                assertEquals(body.get("sync_mode").asText(), m.group(2), line);
                assertEquals(body.get("models_added").asText(), m.group(3), line);
                found.add(body);
            }
        }
        return found;
    }

    /** The arguments of the {@code camel run} command in docs/camel-platforms.md (the indented block, with its line continuations). */
    static List<String> readmeCamelRunArguments() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("docs", "camel-platforms.md"), StandardCharsets.UTF_8);
        StringBuilder command = null;
        for (String line : lines) {
            if (command == null && line.startsWith("    camel run ")) {
                command = new StringBuilder();
            }
            if (command != null) {
                String text = line.strip();
                boolean continued = text.endsWith("\\");
                command.append(' ').append(continued ? text.substring(0, text.length() - 1) : text);
                if (!continued) {
                    break;
                }
            }
        }
        if (command == null) {
            throw new AssertionError("docs/camel-platforms.md has no indented `camel run` command");
        }
        List<String> args = new ArrayList<>(List.of(command.toString().strip().split("\\s+")));
        assertEquals(List.of("camel", "run"), args.subList(0, 2));
        return args.subList(2, args.size());
    }
}
