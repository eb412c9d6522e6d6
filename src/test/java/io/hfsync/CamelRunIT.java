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
import java.util.ArrayList;
import java.util.List;
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
        // a host loads every shipped route but the standalone trigger: a route file added later must join the command
        try (var routes = Files.list(Path.of("routes"))) {
            for (Path route : routes.filter(r -> r.toString().endsWith(".camel.yaml")).toList()) {
                String file = "routes/" + route.getFileName();
                assertEquals(!file.equals("routes/sync-trigger.camel.yaml"), readme.contains(file),
                        () -> "docs/camel-platforms.md camel run command and " + file);
            }
        }
        int webPort;
        try (ServerSocket free = new ServerSocket(0)) {
            webPort = free.getLocalPort();
        }
        try (StandInHub hub = StandInHub.start(snapshot)) {
            Path log = work.resolve("camel-run.log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CamelRun.class.getName(), "--download=false"));
            command.addAll(readme);
            // camel run's HTTP server, where routes/web.camel.yaml serves the catalog page, on a free port
            command.add("--port=" + webPort);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("HF_") || k.startsWith("SYNC_")
                    || k.startsWith("HUB_") || k.startsWith("CAMEL_") || k.equals("DATA_DIR") || k.startsWith("MANAGEMENT_"));
            builder.environment().put("HF_ENDPOINT", hub.baseUrl());
            builder.environment().put("DATA_DIR", work.resolve("data").toString());
            builder.environment().put("SYNC_CRON", "0/2 * * * * ?");
            builder.environment().put("HUB_MAX_REQUESTS_PER_MINUTE", "60000");
            Process camelRun = builder.start();
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
                // the host serves the catalog page's API too (SPEC §9), from the catalog its runs published
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
