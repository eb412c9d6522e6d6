package io.hfsync.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/sync-modes.md, which listing items prove their file's size: exactly one top-level {@code .gguf}, not a split part, not a
 * projector, and {@code gguf.totalFileSize} present. Names are real repos' (HUB_API.md, ../shared/hub-samples).
 */
class ListingSizeTest {

    private static final long SIZE = 2_006_573_568L;

    private static HubModel item(Long totalFileSize, String... files) {
        List<HubModel.Sibling> siblings = new ArrayList<>();
        for (String file : files) {
            siblings.add(new HubModel.Sibling(file, null, null));
        }
        HubModel.Gguf gguf = totalFileSize == null ? null
                : new HubModel.Gguf(999_885_952L, "gemma3", 32_768L, null, totalFileSize);
        return new HubModel("a/b-GGUF", "a", null, null, null, false, false, 1L, 0L, List.of("gguf"), null, null,
                siblings, gguf);
    }

    @Test
    void should_take_the_size_of_the_one_gguf_file() {
        // itlwas/Hermes-3-Llama-3.2-3B-Q4_K_M-GGUF, a "GGUF my repo" conversion
        assertEquals(SIZE, ListingSize.provenBy(item(SIZE, ".gitattributes", "README.md",
                "hermes-3-llama-3.2-3b-q4_k_m.gguf")));
        assertEquals(SIZE, ListingSize.provenBy(item(SIZE, "Qwen3.8-27B-Abliterated.Q4_K_M.gguf", "imatrix.dat")));
    }

    @Test
    void should_not_take_a_size_when_a_projector_sits_beside_the_model() {
        assertNull(ListingSize.provenBy(item(SIZE, "gemma-3-4b-it-Q4_K_M.gguf", "mmproj-model-f16.gguf")));
        assertNull(ListingSize.provenBy(item(SIZE, "mmproj-model-f16.gguf")), "a projector alone is not the model");
    }

    @Test
    void should_not_take_a_size_for_split_sets_or_byte_pieces() {
        assertNull(ListingSize.provenBy(item(SIZE, "Qwen3-235B-A22B-Q4_K_M-00001-of-00003.gguf",
                "Qwen3-235B-A22B-Q4_K_M-00002-of-00003.gguf", "Qwen3-235B-A22B-Q4_K_M-00003-of-00003.gguf")));
        assertNull(ListingSize.provenBy(item(SIZE, "Model-Q8_0-00001-of-00001.gguf")), "a set of one is still a set");
        assertNull(ListingSize.provenBy(item(SIZE, "Llama-3.1-405B.Q8_0.gguf.part1of2", "Llama-3.1-405B.Q8_0.gguf.part2of2")));
        assertNull(ListingSize.provenBy(item(SIZE, "Model.Q2_K.gguf", "Model.Q8_0.gguf.part1of2",
                "Model.Q8_0.gguf.part2of2")), "byte pieces are a second GGUF file");
    }

    @Test
    void should_not_take_a_size_for_a_file_in_a_sub_folder() {
        assertNull(ListingSize.provenBy(item(SIZE, "Q4_K_M/DeepSeek-R1-Q4_K_M.gguf")));
    }

    @Test
    void should_not_take_a_size_for_several_files_or_without_gguf_metadata() {
        // NikolayKozloff/falcon-7b-GGUF
        assertNull(ListingSize.provenBy(item(SIZE, "falcon-7b-Q4_0-GGUF.gguf", "falcon-7b-Q8_0-GGUF.gguf")));
        assertNull(ListingSize.provenBy(item(null, "hermes-3-llama-3.2-3b-q4_k_m.gguf")), "no gguf");
        assertNull(ListingSize.provenBy(item(0L, "hermes-3-llama-3.2-3b-q4_k_m.gguf")), "a size that means nothing");
        assertNull(ListingSize.provenBy(item(SIZE, "README.md")), "no GGUF file");
        HubModel noSiblings = new HubModel("a/b", "a", null, null, null, false, false, 1L, 0L, null, null, null, null,
                new HubModel.Gguf(1L, "llama", 1L, null, SIZE));
        assertNull(ListingSize.provenBy(noSiblings), "files unknown");
    }

    @Test
    void should_find_the_single_file_share_of_the_real_repo_list() throws Exception {
        Path list = Path.of("../shared/hub-samples/gguf-list/collections.json");
        assumeTrue(Files.isRegularFile(list), "the real repo list is not beside the project");
        Map<String, JsonNode> repos = new HashMap<>();
        for (JsonNode collection : new ObjectMapper().readTree(list.toFile())) {
            collection.get("items").forEach(item -> repos.put(item.get("id").asText(), item));
        }
        int eligible = 0;
        for (JsonNode repo : repos.values()) {
            List<String> files = new ArrayList<>();
            repo.get("files").forEach(f -> files.add(f.get("rfilename").asText()));
            // the collection items carry no gguf block: every GGUF repo has one on the Hub
            if (ListingSize.provenBy(item(SIZE, files.toArray(String[]::new))) != null) {
                eligible++;
            }
        }
        assertEquals(1_854, repos.size());
        assertEquals(1_808, eligible, "the share issue 16 states (97.5 %)");
    }
}
