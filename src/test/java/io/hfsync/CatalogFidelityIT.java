package io.hfsync;

import static io.hfsync.SyncHarness.T0;
import static io.hfsync.SyncHarness.repo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hfsync.app.SyncMain;
import io.hfsync.standin.HubRepo;
import io.hfsync.standin.RepoFile;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * docs/files.md end to end: the real application syncs the stand-in Hub over HTTP and {@code gguf_models.json} tells
 * file roles, split completeness, lineage, licence and capabilities, all from the listing.
 */
class CatalogFidelityIT extends SyncTestSupport {

    static final String PLAIN_TEMPLATE = "{{ bos_token }}{% for message in messages %}{{ message['content'] }}{% endfor %}";
    static final String QWEN3_TEMPLATE = "{%- if tools %}{{- '<tools>' }}{%- for tool in tools %}{{- tool | tojson }}"
            + "{%- endfor %}{%- endif %}{{- '<think>\\n\\n</think>\\n\\n' }}";
    static final String R1_TEMPLATE = "{% if add_generation_prompt %}{{'<｜Assistant｜><think>\\n'}}{% endif %}";

    /** A vision repo as ggml-org publishes one: weights, a projector, an imatrix stored as GGUF. */
    private HubRepo gemma() {
        return withTags(repo("ggml-org/gemma-3-4b-it-GGUF", T0.minus(Duration.ofDays(20)), T0.minus(Duration.ofDays(90)),
                        new RepoFile("README.md", 3_000), new RepoFile("gemma-3-4b-it-Q4_K_M.gguf", 2_489_757_856L),
                        new RepoFile("gemma-3-4b-it.imatrix.gguf", 4_200_000L),
                        new RepoFile("mmproj-model-f16.gguf", 851_251_104L)),
                List.of("gguf", "base_model:google/gemma-3-4b-it", "base_model:quantized:google/gemma-3-4b-it",
                        "license:gemma", "image-text-to-text", "conversational"))
                .withChatTemplate(PLAIN_TEMPLATE);
    }

    /** A reasoning model whose template handles tool calls. */
    private HubRepo qwen3() {
        return withTags(repo("Qwen/Qwen3-8B-GGUF", T0.minus(Duration.ofDays(15))),
                List.of("gguf", "base_model:Qwen/Qwen3-8B", "license:apache-2.0", "text-generation"))
                .withChatTemplate(QWEN3_TEMPLATE);
    }

    /** A 70B i1 repo mid-upload, whose GGUF header the Hub could not read (no gguf block). */
    private HubRepo bigUpload() {
        HubRepo repo = repo("mradermacher/Big-70B-i1-GGUF", T0.minus(Duration.ofDays(10)), T0.minus(Duration.ofDays(11)),
                new RepoFile("Big-70B.i1-Q4_K_M.gguf", 42_000_000_000L),
                new RepoFile("Big-70B.i1-Q6_K.gguf.part1of2", 30_000_000_000L),
                new RepoFile("Big-70B.i1-Q6_K.gguf.part2of2", 27_000_000_000L),
                new RepoFile("Q8_0/Big-70B-i1-Q8_0-00001-of-00003.gguf", 30_000_000_000L),
                new RepoFile("Q8_0/Big-70B-i1-Q8_0-00003-of-00003.gguf", 15_000_000_000L),
                new RepoFile("UD-Q2_K_XL/Big-70B-UD-Q2_K_XL-00001-of-00002.gguf", 20_000_000_000L),
                new RepoFile("UD-Q2_K_XL/Big-70B-UD-Q2_K_XL-00002-of-00002.gguf", 6_000_000_000L));
        return new HubRepo(repo.id(), repo.author(), repo.sha(), repo.lastModified(), repo.createdAt(), false, 10L, 0L,
                List.of("gguf", "imatrix"), null, "gguf", null, null, null, repo.files(), false);
    }

    @Test
    void should_write_file_roles_split_completeness_lineage_licence_and_capabilities() {
        app.snapshot().put(gemma());
        app.snapshot().put(qwen3());
        app.snapshot().put(bigUpload());

        assertEquals(0, app.sync());

        JsonNode gemma = app.model("ggml-org/gemma-3-4b-it-GGUF");
        assertEquals("google/gemma-3-4b-it", gemma.get("base_model").asText());
        assertEquals("gemma", gemma.get("license").asText());
        assertEquals(List.of("vision"), texts(gemma.get("capabilities")));
        assertFile(gemma.get("files").get(0), "gemma-3-4b-it-Q4_K_M.gguf", "Q4_K_M", 2_489_757_856L, "weights", 1, true);
        assertFile(gemma.get("files").get(1), "gemma-3-4b-it.imatrix.gguf", null, 4_200_000L, "imatrix", 1, true);
        assertFile(gemma.get("files").get(2), "mmproj-model-f16.gguf", "F16", 851_251_104L, "mmproj", 1, true);

        JsonNode qwen = app.model("Qwen/Qwen3-8B-GGUF");
        assertEquals("Qwen/Qwen3-8B", qwen.get("base_model").asText());
        assertEquals("apache-2.0", qwen.get("license").asText());
        assertEquals(List.of("thinking", "tools"), texts(qwen.get("capabilities")));

        JsonNode big = app.model("mradermacher/Big-70B-i1-GGUF");
        assertTrue(big.get("architecture").isNull() && big.get("context_length").isNull()
                && big.get("parameters").isNull(), "no gguf block: nothing guessed from the name 70B");
        assertTrue(big.get("base_model").isNull() && big.get("license").isNull(), big.toString());
        assertEquals(List.of(), texts(big.get("capabilities")));
        JsonNode files = big.get("files");
        assertEquals(4, files.size(), files.toString());
        assertFile(files.get(0), "Big-70B.i1-Q4_K_M.gguf", "Q4_K_M", 42_000_000_000L, "weights", 1, true);
        assertFile(files.get(1), "Big-70B.i1-Q6_K.gguf.part1of2", "Q6_K", 57_000_000_000L, "weights", 2, true);
        assertFile(files.get(2), "Q8_0/Big-70B-i1-Q8_0-00001-of-00003.gguf", "Q8_0", null, "weights", 3, false);
        assertFile(files.get(3), "UD-Q2_K_XL/Big-70B-UD-Q2_K_XL-00001-of-00002.gguf", "Q2_K_XL", 26_000_000_000L,
                "weights", 2, true);
    }

    @Test
    void should_give_a_catalog_of_the_previous_version_the_new_fields_without_detail_calls() throws Exception {
        app.snapshot().put(gemma());
        app.snapshot().put(qwen3());
        app.snapshot().put(bigUpload());
        assertEquals(0, app.sync());
        JsonNode current = app.catalog();
        writeAsThePreviousVersion(current);
        app.hub.resetCounters();

        app.clock.set(T0.plus(Duration.ofDays(1)));
        assertEquals(0, app.sync());

        assertEquals("incremental", app.metadata().get("sync_mode").asText());
        assertEquals(0, app.detailRequests(), "nothing fetched again");
        assertEquals(withWhatWaitsForTheListing(current.get("models")), app.catalog().get("models"),
                "every field back, sizes kept");

        app.clock.set(T0.plus(Duration.ofDays(2)));
        assertEquals(0, app.sync("sync.mode=full"));

        assertEquals(0, app.detailRequests(), "nothing fetched again");
        assertEquals(current.get("models"), app.catalog().get("models"));
    }

    @Test
    void should_sync_the_demo_hub_with_every_kind_of_file_and_model() throws Exception {
        int exit = SyncMain.launch(new String[] {"--demo", "--once"}, Map.of("sync.data-dir", dataDir.toString()),
                Map.of());

        assertEquals(0, exit);
        List<JsonNode> models = new ArrayList<>();
        SyncHarness.read(dataDir.resolve("gguf_models.json")).get("models").forEach(models::add);
        List<JsonNode> files = models.stream().flatMap(m -> StreamSupport.stream(m.get("files").spliterator(), false)).toList();
        for (String role : List.of("weights", "mmproj", "imatrix")) {
            assertTrue(files.stream().anyMatch(f -> f.get("role").asText().equals(role)), role);
        }
        assertTrue(files.stream().allMatch(f -> f.get("parts").asInt() >= 1 && f.get("complete").isBoolean()));
        assertTrue(files.stream().anyMatch(f -> f.get("parts").asInt() > 1 && f.get("complete").asBoolean()
                && f.get("size").asLong() > 50_000_000_000L), "a complete split set, summed past the Hub's file limit");
        assertTrue(files.stream().filter(f -> !f.get("complete").asBoolean()).count() >= 2, "sets still uploading");
        assertTrue(files.stream().filter(f -> !f.get("complete").asBoolean()).allMatch(f -> f.get("size").isNull()));
        assertTrue(files.stream().anyMatch(f -> f.get("name").asText().endsWith(".gguf.part1of2")), "byte pieces");
        for (List<String> capabilities : List.<List<String>>of(List.of(), List.of("tools"), List.of("thinking"),
                List.of("thinking", "tools"), List.of("vision"), List.of("tools", "vision"))) {
            assertTrue(models.stream().anyMatch(m -> texts(m.get("capabilities")).equals(capabilities)),
                    "a model with " + capabilities);
        }
        assertTrue(count(models, m -> !m.get("base_model").isNull()) > models.size() / 2);
        assertTrue(count(models, m -> !m.get("license").isNull()) > models.size() / 2);
        assertTrue(count(models, m -> m.get("architecture").isNull() && m.get("context_length").isNull()
                && m.get("parameters").isNull()) > 20, "repos without a gguf block");
    }

    /** The catalog as the version before docs/sync-modes.md, docs/files.md printed it: the same but for the fields it did not have. */
    private void writeAsThePreviousVersion(JsonNode catalog) throws Exception {
        JsonNode earlier = catalog.deepCopy();
        ((ObjectNode) earlier.get("metadata")).remove(List.of("details_pending", "details_fetched"));
        for (JsonNode model : earlier.get("models")) {
            ((ObjectNode) model).remove(List.of("base_model", "license", "capabilities", "details_pending"));
            for (JsonNode file : model.get("files")) {
                ((ObjectNode) file).remove(List.of("role", "parts", "complete"));
            }
        }
        Files.write(dataDir.resolve("gguf_models.json"),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(earlier));
    }

    /**
     * What a model the incremental run did not list cannot know from the earlier catalog: what its template says
     * (Qwen3's tools and thinking), and whether an unsized split set has its other parts (the Q8_0 set).
     */
    private static JsonNode withWhatWaitsForTheListing(JsonNode models) {
        JsonNode expected = models.deepCopy();
        for (JsonNode model : expected) {
            if (model.get("id").asText().equals("Qwen/Qwen3-8B-GGUF")) {
                ((ObjectNode) model).putArray("capabilities");
            }
            for (JsonNode file : model.get("files")) {
                if (file.get("name").asText().startsWith("Q8_0/")) {
                    ((ObjectNode) file).putNull("complete");
                }
            }
        }
        return expected;
    }

    private static HubRepo withTags(HubRepo repo, List<String> tags) {
        return new HubRepo(repo.id(), repo.author(), repo.sha(), repo.lastModified(), repo.createdAt(), repo.gated(),
                repo.downloads(), repo.likes(), tags, repo.pipelineTag(), repo.libraryName(), repo.architecture(),
                repo.contextLength(), repo.parameters(), repo.files(), repo.isPrivate());
    }

    private static void assertFile(JsonNode file, String name, String quantization, Long size, String role, int parts,
            boolean complete) {
        assertEquals(name, file.get("name").asText(), file.toString());
        assertEquals(quantization, file.get("quantization").isNull() ? null : file.get("quantization").asText(), name);
        assertEquals(size, file.get("size").isNull() ? null : file.get("size").asLong(), name);
        assertEquals(role, file.get("role").asText(), name);
        assertEquals(parts, file.get("parts").asInt(), name);
        assertEquals(complete, file.get("complete").asBoolean(), name);
        assertFalse(file.get("complete").isNull(), name);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(value -> texts.add(value.asText()));
        return texts;
    }

    private static long count(List<JsonNode> models, Predicate<JsonNode> predicate) {
        return models.stream().filter(predicate).count();
    }
}
