package io.hfsync.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hfsync.standin.DemoSnapshot;
import io.hfsync.standin.HubRepo;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RepoIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"TheBloke/Llama-2-7B-GGUF", "unsloth/Qwen3-30B-A3B-Instruct-2507-GGUF", "bartowski/gemma_2.b",
            "a/b", "_x/y_", "mradermacher/Qwen3.8-27B-abliterated-GGUF"})
    void should_accept_what_the_hub_names_a_repo(String id) {
        assertTrue(RepoIds.isValid(id), id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"odd/Sp ace", "odd/Pipe|x", "odd/{x}", "odd/a;b", "odd/$(x)", "odd/\u202Eexe", "odd/..",
            "../etc", "odd/a--b", "odd/a..b", "no-owner", "o/n.git", "o/-n", "o/n.", "o//n", "o/n/x", "o/ñ", "",
            "o/nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"})
    void should_refuse_anything_else(String id) {
        assertFalse(RepoIds.isValid(id), id);
    }

    @Test
    void should_accept_every_id_of_the_demo_snapshot() {
        List<String> refused = DemoSnapshot.generate(42, 2000, Instant.parse("2026-11-20T00:00:00Z")).all().stream()
                .map(HubRepo::id).filter(id -> !RepoIds.isValid(id)).toList();

        assertEquals(List.of(), refused);
    }

    @Test
    void should_percent_encode_each_segment_of_a_detail_url() {
        assertEquals("http://h/api/models/o/Model%203%7Cx?blobs=true", HubUrls.detail("http://h", "o/Model 3|x"));
        assertEquals("http://h/api/models/o/%2E%2E?blobs=true", HubUrls.detail("http://h", "o/.."));
        assertEquals("http://h/api/models/TheBloke/Llama-2-7B-GGUF?blobs=true",
                HubUrls.detail("http://h", "TheBloke/Llama-2-7B-GGUF"));
    }

    @Test
    void should_take_only_relative_repo_paths_as_files() {
        assertTrue(RepoIds.isRepoPath("sub/dir/m.Q4_K_M.gguf"));
        for (String path : List.of("../m.gguf", "a/../../m.gguf", "/abs.gguf", "a//b.gguf", "./m.gguf", "m\n.gguf", "")) {
            assertFalse(RepoIds.isRepoPath(path), path);
        }
    }
}
