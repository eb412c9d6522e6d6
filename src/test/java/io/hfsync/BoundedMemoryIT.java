package io.hfsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.standin.DemoSnapshot;
import io.hfsync.standin.StandInHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, the memory bound, as a pass/fail check (the numbers are the benchmark's, bench/RESULTS.md): the packaged
 * jar syncs 40,000 models and merges them again with a 64 MB heap. With the catalog held in the heap (about 2 KB
 * per model, before the scratch file) this ran out of memory; sizes and headers are off so the check costs listing
 * calls only.
 */
class BoundedMemoryIT {

    private static final int REPOS = 40_000;

    @TempDir
    Path dir;

    @Test
    void should_sync_and_merge_40000_models_again_in_a_64_mb_heap() throws Exception {
        try (StandInHub hub = StandInHub.start(DemoSnapshot.generate(7, REPOS, Instant.now().minus(Duration.ofDays(3))))) {
            Map<String, String> env = Map.of(
                    "HF_ENDPOINT", hub.baseUrl(),
                    "DATA_DIR", dir.resolve("data").toString(),
                    "FETCH_FILE_SIZES", "false",
                    "GGUF_HEADERS", "false",
                    "SYNC_MODE", "full",
                    "JAVA_TOOL_OPTIONS", "-Xmx64m");

            JsonNode first = syncOnce(env, "first");
            int models = first.get("total_models").asInt();
            assertTrue(models > REPOS * 9 / 10, "nearly every generated repo is a GGUF repo: " + models);
            assertEquals(models, first.get("models_added").asInt());

            JsonNode second = syncOnce(env, "second");
            assertEquals(models, second.get("total_models").asInt());
            assertEquals(0, second.get("models_added").asInt() + second.get("models_updated").asInt()
                    + second.get("models_removed").asInt());
            JsonNode catalog = new ObjectMapper().readTree(dir.resolve("data/gguf_models.json").toFile());
            assertEquals(models, catalog.get("models").size());
        }
    }

    private JsonNode syncOnce(Map<String, String> env, String name) throws Exception {
        try (JarProcess run = JarProcess.start(name, dir, env, "--once")) {
            assertTrue(run.process.waitFor(5, TimeUnit.MINUTES), name + " run ends by itself");
            assertEquals(0, run.process.exitValue(), name + " run:\n" + tail(run.output()));
        }
        JsonNode metadata = new ObjectMapper().readTree(Files.readString(dir.resolve("data/last_sync_metadata.json")));
        assertTrue(metadata.get("success").asBoolean(), metadata.toString());
        return metadata;
    }

    private static String tail(String output) {
        return output.length() > 4000 ? output.substring(output.length() - 4000) : output;
    }
}
