package io.hfsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hfsync.standin.HubSnapshot;
import io.hfsync.standin.StandInHub;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code target/hf-gguf-sync.jar} started with {@code java -jar} from the repository root, configured
 * only through the environment variables of README.md#configuration, as cron or a container starts it.
 */
class PackagedJarIT {

    static StandInHub hub;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startHub() {
        hub = SyncHarness.startHub("jar", 7);
    }

    @AfterAll
    static void stopHub() {
        hub.close();
    }

    private JarProcess.Ended run(Map<String, String> env, String... args) throws Exception {
        return JarProcess.run(dataDir.getParent(), null, List.of(), env, args);
    }

    @Test
    void should_sync_once_configured_by_environment_variables_and_exit_0() throws Exception {
        JarProcess.Ended run = run(Map.of("HF_ENDPOINT", hub.baseUrl(), "DATA_DIR", dataDir.toString(), "SYNC_ONCE", "true",
                "HF_TOKEN", "hf_secretTokenValue123", "HUB_PAGE_SIZE", "3"));

        assertEquals(0, run.exitCode(), run.stdout());
        JsonNode catalog = SyncHarness.read(dataDir.resolve("gguf_models.json"));
        assertEquals(7, catalog.get("models").size());
        assertTrue(run.stdout().contains("=== SYNC MODE REPORT ==="));
        assertFalse(run.stdout().contains("hf_secretTokenValue123"), "the token is never logged");
        for (Path file : Files.walk(dataDir).filter(Files::isRegularFile).toList()) {
            // read as bytes: the SQLite catalog is a binary file
            assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains("hf_secretTokenValue123"),
                    "token written to " + file);
        }
        assertTrue(hub.authorizationHeaders().contains("Bearer hf_secretTokenValue123"), "the token goes to the Hub");
    }

    @Test
    void should_accept_the_seed_token_variable() throws Exception {
        hub.resetCounters();
        JarProcess.Ended run = run(Map.of("HF_ENDPOINT", hub.baseUrl(), "DATA_DIR", dataDir.toString(),
                "HUGGINGFACE_TOKEN", "hf_seedToken"), "--once");

        assertEquals(0, run.exitCode(), run.stdout());
        assertTrue(hub.authorizationHeaders().stream().allMatch("Bearer hf_seedToken"::equals));
    }

    @Test
    void should_exit_2_with_one_line_on_a_bad_environment_value() throws Exception {
        JarProcess.Ended run = run(Map.of("HF_ENDPOINT", hub.baseUrl(), "DATA_DIR", dataDir.toString(), "SYNC_MODE", "sometimes"),
                "--once");

        assertEquals(2, run.exitCode());
        assertEquals("hf-gguf-sync: invalid configuration: sync.mode='sometimes' (expected auto, full or incremental)",
                run.stderr().strip());
        assertFalse(Files.exists(dataDir.resolve("last_sync_metadata.json")));
    }

    @Test
    void should_exit_3_when_another_sync_holds_the_lock() throws Exception {
        try (FileChannel channel = FileChannel.open(dataDir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = channel.tryLock()) {
            assertNotNull(held);
            hub.resetCounters();

            JarProcess.Ended run = run(Map.of("HF_ENDPOINT", hub.baseUrl(), "DATA_DIR", dataDir.toString()), "--once");

            assertEquals(3, run.exitCode(), run.stdout());
            assertTrue(run.stderr().strip().startsWith("hf-gguf-sync: another sync holds "), run.stderr());
            assertEquals(1, run.stderr().strip().lines().count());
            assertEquals(0, hub.requests(), "no Hub call");
            try (Stream<Path> files = Files.list(dataDir)) {
                assertEquals(List.of(".lock"), files.map(p -> p.getFileName().toString()).toList(), "nothing written");
            }
        }
    }

    @Test
    void should_keep_the_token_out_of_logs_and_files_when_the_run_fails() throws Exception {
        hub.enqueueFault(io.hfsync.standin.Fault.status("/api/models?", 500));

        JarProcess.Ended run = run(Map.of("HF_ENDPOINT", hub.baseUrl(), "DATA_DIR", dataDir.toString(), "HF_TOKEN",
                "hf_failingRunToken", "HUB_MAX_RETRIES", "0"), "--once");

        assertEquals(1, run.exitCode(), run.stdout());
        assertFalse(run.stdout().contains("hf_failingRunToken"));
        assertFalse(run.stderr().contains("hf_failingRunToken"));
        assertFalse(Files.readString(dataDir.resolve("last_sync_metadata.json")).contains("hf_failingRunToken"));
    }

    @Test
    void should_run_the_demo_twice_without_network_full_then_incremental() throws Exception {
        JarProcess.Ended first = run(Map.of("DATA_DIR", dataDir.toString()), "--demo", "--once");
        assertEquals(0, first.exitCode(), first.stdout());
        JsonNode metadata = SyncHarness.read(dataDir.resolve("last_sync_metadata.json"));
        assertEquals("full", metadata.get("sync_mode").asText());
        assertTrue(metadata.get("total_models").asInt() > 1800, metadata.toString());
        int headers = metadata.get("headers_read").asInt();
        assertTrue(headers > 1800, metadata.toString());
        // the report says what the header reads did: one file read per model, nothing left
        assertTrue(first.stdout().contains("GGUF headers: read " + headers + ", pending 0 (file reads: " + headers + ")"),
                first.stdout());

        JarProcess.Ended second = run(Map.of("DATA_DIR", dataDir.toString(), "HF_ENDPOINT", "demo", "SYNC_ONCE", "yes"));
        assertEquals(0, second.exitCode(), second.stdout());
        metadata = SyncHarness.read(dataDir.resolve("last_sync_metadata.json"));
        assertEquals("incremental", metadata.get("sync_mode").asText());
        assertTrue(metadata.get("hub_requests").asInt() <= 4, metadata.toString());
    }

    @Test
    void should_run_from_any_directory_with_the_defaults_inside_the_jar() throws Exception {
        Path elsewhere = Files.createDirectories(dataDir.getParent().resolve("elsewhere"));
        // the working directory's application.properties overrides the jar's key by key: here only DATA_DIR's key
        Files.writeString(elsewhere.resolve("application.properties"), "sync.data-dir = catalog-here\n");
        JarProcess.Ended run = JarProcess.run(elsewhere, elsewhere, List.of(), Map.of(), "--demo", "--once");
        assertEquals(0, run.exitCode(), run.stdout());
        assertFalse(Files.exists(elsewhere.resolve("routes")), "the routes came from the jar");
        // every other key (the Hub, the modes, the budget) came from the jar's copy of application.properties
        JsonNode metadata = SyncHarness.read(elsewhere.resolve("catalog-here").resolve("last_sync_metadata.json"));
        assertTrue(metadata.get("success").asBoolean(), metadata.toString());
        assertTrue(metadata.get("total_models").asInt() > 1800, metadata.toString());
    }
}
