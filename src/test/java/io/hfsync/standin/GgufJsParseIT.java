package io.hfsync.standin;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.HostProgram;
import io.hfsync.NeedsHostProgram;
import io.hfsync.gguf.GgufHeader;
import io.hfsync.hub.BearerToken;
import io.hfsync.hub.HeaderFetch;
import io.hfsync.hub.HubHttpClient;
import io.hfsync.hub.HubUrls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in's files are real GGUF (docs/gguf-headers.md), proven by Hugging Face's own parser: the npm package
 * {@code @huggingface/gguf} reads demo headers over HTTP through the stand-in's {@code /resolve/} redirect and its file
 * host (each family, one with the hyper-parameters after the tokenizer, the largest vocabulary), and finds what the
 * product's reader finds over the same URLs: architecture, layers, head counts, context, vocabulary. The package is
 * installed by .ci/run into src/test/node (skipped with one line without it, failed under {@code CI=true}).
 */
@NeedsHostProgram(HostProgram.NODE)
class GgufJsParseIT {

    static final Path NODE_DIR = Path.of("src/test/node");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void should_parse_the_demo_headers_over_http_as_huggingface_gguf_does() throws Exception {
        requirePackage();
        HubSnapshot snapshot = DemoSnapshot.generate(42, DemoSnapshot.DEMO_SIZE, Instant.now());
        Map<String, Pick> picks = picks(snapshot);
        try (StandInHub hub = StandInHub.start(snapshot);
                HeaderFetch fetch = new HeaderFetch(hub.baseUrl(), new HubHttpClient(new BearerToken(hub.baseUrl(), ""),
                        Long.MAX_VALUE), Duration.ofSeconds(10), Duration.ofSeconds(60), 2)) {
            List<Map<String, String>> cases = new ArrayList<>();
            Map<String, GgufHeader> ours = new LinkedHashMap<>();
            for (Map.Entry<String, Pick> pick : picks.entrySet()) {
                HubRepo repo = pick.getValue().repo();
                String path = pick.getValue().file().path();
                cases.add(Map.of("name", pick.getKey(), "url", HubUrls.resolve(hub.baseUrl(), repo.id(), repo.sha(), path)));
                HeaderFetch.Outcome outcome = fetch.read(repo.id(), repo.sha(), path, new HeaderFetch.Resolvers() {
                    @Override
                    public void beforeCall() {
                    }

                    @Override
                    public void answered(String rateLimit, String warning) {
                    }
                });
                assertEquals(null, outcome.error(), pick.getKey());
                ours.put(pick.getKey(), outcome.header());
            }
            Map<String, JsonNode> theirs = parseWithHuggingFace(cases);

            List<Executable> checks = new ArrayList<>();
            for (Map.Entry<String, GgufHeader> entry : ours.entrySet()) {
                String name = entry.getKey();
                GgufHeader header = entry.getValue();
                JsonNode js = theirs.get(name);
                checks.add(() -> assertTrue(js != null && !js.has("error"), name + ": " + js));
                if (js == null || js.has("error")) {
                    continue;
                }
                checks.add(() -> assertEquals(header.architecture(), js.get("architecture").asText(), name));
                checks.add(() -> same(header.blockCount(), js, "block_count", name + " block_count"));
                checks.add(() -> same(header.contextLength(), js, "context_length", name + " context_length"));
                checks.add(() -> same(header.embeddingLength(), js, "embedding_length", name + " embedding_length"));
                checks.add(() -> same(header.headCount(), js, "head_count", name + " head_count"));
                // the catalog holds a list: one item for a number in the file, one per layer for a list
                Object kv = header.headCountKv() != null && header.headCountKv().size() == 1 && js.path("head_count_kv").isNumber()
                        ? header.headCountKv().get(0) : header.headCountKv();
                checks.add(() -> same(kv, js, "head_count_kv", name + " head_count_kv"));
                checks.add(() -> same(header.keyLength(), js, "key_length", name + " key_length"));
                checks.add(() -> same(header.slidingWindow(), js, "sliding_window", name + " sliding_window"));
                checks.add(() -> same(header.expertCount(), js, "expert_count", name + " expert_count"));
                checks.add(() -> same(header.kvLoraRank(), js, "kv_lora_rank", name + " kv_lora_rank"));
                checks.add(() -> same(header.ssmStateSize(), js, "ssm_state_size", name + " ssm_state_size"));
                checks.add(() -> same(header.vocabSize(), js, "vocab_size", name + " vocab_size"));
            }
            // the cases were worth making: several MB of tokenizer, a header the reader had to read on past it in
            // further ranges, while a header written in llama.cpp's order is read within the first range
            checks.add(() -> assertTrue(ours.get("largest-vocabulary").vocabSize() >= 150_000, ours.get("largest-vocabulary").toString()));
            checks.add(() -> assertTrue(ours.get("after-tokenizer").bytesRead() > HeaderFetch.FIRST_RANGE,
                    ours.get("after-tokenizer").toString()));
            checks.add(() -> assertTrue(ours.get("llama").bytesRead() <= HeaderFetch.FIRST_RANGE, ours.get("llama").toString()));
            assertAll(checks);
        }
    }

    /** A file to read and the repo it is in. */
    private record Pick(HubRepo repo, RepoFile file) {
    }

    /** Per architecture the first repo by id, one whose hyper-parameters follow its tokenizer, the largest vocabulary. */
    private static Map<String, Pick> picks(HubSnapshot snapshot) {
        DemoHeaders headers = new DemoHeaders();
        Map<String, Pick> picks = new LinkedHashMap<>();
        Pick largest = null;
        long largestHeader = 0;
        List<HubRepo> repos = new ArrayList<>(snapshot.all());
        repos.sort(Comparator.comparing(HubRepo::id));
        for (HubRepo repo : repos) {
            RepoFile file = repo.files().stream().filter(f -> f.isGguf() && !f.path().contains("mmproj")
                            && !f.path().contains("imatrix") && !f.path().contains("part") && !f.path().matches(".*-000\\d\\d-of-.*"))
                    .min(Comparator.comparingLong(RepoFile::size)).orElse(null);
            // gated and private repos answer 401 to an anonymous read, on the Hub as here
            boolean open = !repo.isPrivate() && (repo.gated() == null || Boolean.FALSE.equals(repo.gated()));
            if (file == null || repo.architecture() == null || !open) {
                continue;
            }
            Pick pick = new Pick(repo, file);
            picks.putIfAbsent(repo.architecture(), pick);
            if (DemoShapes.hyperParametersLast(repo)) {
                picks.putIfAbsent("after-tokenizer", pick);
            }
            long size = headers.body(repo, repo.sha(), file).prefixLength();
            if (size > largestHeader) {
                largestHeader = size;
                largest = pick;
            }
        }
        picks.put("largest-vocabulary", Objects.requireNonNull(largest));
        assertTrue(picks.keySet().containsAll(List.of("llama", "qwen3", "gemma3", "qwen3moe", "deepseek2", "lfm2",
                "qwen3next", "after-tokenizer")), picks.keySet().toString());
        return picks;
    }

    private Map<String, JsonNode> parseWithHuggingFace(List<Map<String, String>> cases) throws Exception {
        Path casesFile = dir.resolve("cases.json");
        JSON.writeValue(casesFile.toFile(), cases);
        Path out = dir.resolve("gguf-headers.out");
        Process node = new ProcessBuilder("node", "gguf-headers.mjs", casesFile.toAbsolutePath().toString())
                .directory(NODE_DIR.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!node.waitFor(120, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            Assertions.fail("node gguf-headers.mjs took over 120 s: " + Files.readString(out, StandardCharsets.UTF_8));
        }
        Map<String, JsonNode> parsed = new LinkedHashMap<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (line.startsWith("{")) {
                JsonNode json = JSON.readTree(line);
                parsed.put(json.get("name").asText(), json);
            }
        }
        assertEquals(0, node.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        return parsed;
    }

    /** The reader's value and the package's, as JSON text (a number, a list per layer, or null when absent). */
    private static void same(Object ours, JsonNode theirs, String key, String what) throws Exception {
        assertEquals(JSON.writeValueAsString(ours), theirs.path(key).isMissingNode() ? "missing" : theirs.get(key).toString(), what);
    }

    /** Skips with one line without the package, fails under CI=true (.ci/run installs it). */
    private static void requirePackage() {
        if (Files.isDirectory(NODE_DIR.resolve("node_modules/@huggingface/gguf"))) {
            return;
        }
        String missing = "@huggingface/gguf is not installed; run: (cd src/test/node && npm install --omit=optional --no-save)";
        System.out.println("GGUF parse proof: " + missing);
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(missing);
        }
        Assumptions.abort(missing);
    }
}
