package io.hfsync.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.catalog.CatalogEntry;
import io.hfsync.catalog.FileMemory;
import io.hfsync.catalog.FileRole;
import io.hfsync.catalog.GgufFile;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogEntriesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A listing item as HUB_API.md shows it (wire names, camelCase). */
    private static final String LISTING_ITEM = """
            {"_id": "6a89b39c39eb84b2b2421a0d", "id": "mradermacher/Qwen3.8-27B-abliterated-GGUF",
             "author": "mradermacher", "sha": "b4e04e128f421c93a5f1e34ac4d7ca9b0af47b80",
             "lastModified": "2023-10-14T09:56:54.000Z", "createdAt": "2023-09-04T16:38:41.000Z",
             "private": false, "gated": "manual", "downloads": 1795, "likes": 3,
             "tags": ["gguf", "conversational"], "pipeline_tag": "text-generation", "library_name": "transformers",
             "siblings": [{"rfilename": ".gitattributes"}, {"rfilename": "Qwen3.8-27B-Abliterated.Q4_K_M.gguf"}],
             "gguf": {"total": 999885952, "architecture": "gemma3", "context_length": 32768, "totalFileSize": 2006573568},
             "usedStorage": 3881938176}
            """;

    @Test
    void should_map_every_listing_field() {
        CatalogEntry e = CatalogEntries.from(model(LISTING_ITEM));

        assertEquals(new CatalogEntry("mradermacher/Qwen3.8-27B-abliterated-GGUF", "mradermacher",
                "b4e04e128f421c93a5f1e34ac4d7ca9b0af47b80", "2023-10-14T09:56:54Z", "2023-09-04T16:38:41Z", 1795L, 3L,
                "text-generation", List.of("gguf", "conversational"), "manual", "gemma3", 32768L, 999885952L, null, null,
                List.of(), List.of(GgufFile.single("Qwen3.8-27B-Abliterated.Q4_K_M.gguf", null))), e);
    }

    @Test
    void should_leave_fields_the_hub_did_not_send_null() {
        CatalogEntry e = CatalogEntries.from(model("{\"id\": \"owner/name\", \"siblings\": []}"));

        assertEquals(new CatalogEntry("owner/name", "owner", null, null, null, null, null, null, null, null, null,
                null, null, null, null, List.of(), List.of()), e);
    }

    @Test
    void should_leave_gguf_metadata_fields_null_when_the_hub_sends_some_of_them() {
        CatalogEntry e = CatalogEntries.from(model("{\"id\": \"o/n\", \"gguf\": {\"architecture\": \"llama\"}}"));

        assertEquals("llama", e.architecture());
        assertNull(e.contextLength());
        assertNull(e.parameters());
    }

    @Test
    void should_take_the_author_from_the_repo_id_when_the_listing_leaves_it_out() {
        assertEquals("TheBloke", CatalogEntries.from(model("{\"id\": \"TheBloke/Llama-2-7B-GGUF\"}")).author());
        assertEquals("someone", CatalogEntries.from(model("{\"id\": \"x/y\", \"author\": \"someone\"}")).author());
    }

    @Test
    void should_leave_the_author_null_for_a_legacy_id_without_owner() {
        assertNull(CatalogEntries.from(model("{\"id\": \"gpt2\"}")).author());
    }

    @Test
    void should_normalise_hub_dates_to_whole_seconds_with_z() {
        CatalogEntry e = CatalogEntries.from(model(
                "{\"id\": \"o/n\", \"lastModified\": \"2023-10-14T09:56:54.000Z\", \"createdAt\": \"2022-03-02T23:29:04.000Z\"}"));

        assertEquals("2023-10-14T09:56:54Z", e.lastModified());
        assertEquals("2022-03-02T23:29:04Z", e.createdAt());
    }

    @Test
    void should_size_files_from_lfs_size_else_blob_size() {
        CatalogEntry e = CatalogEntries.from(model("""
                {"id": "o/n", "siblings": [
                  {"rfilename": "n.Q8_0.gguf", "size": 134, "lfs": {"size": 4920000000, "sha256": "ab", "pointerSize": 134}},
                  {"rfilename": "n.F16.gguf", "size": 700},
                  {"rfilename": "n.Q2_K.gguf", "size": 55, "lfs": {"sha256": "ab"}},
                  {"rfilename": "n.Q4_0.gguf"}]}
                """));

        assertEquals(FileMemory.withMemory(List.of(GgufFile.single("n.Q8_0.gguf", 4_920_000_000L),
                GgufFile.single("n.F16.gguf", 700L), GgufFile.single("n.Q2_K.gguf", 55L),
                GgufFile.single("n.Q4_0.gguf", null)), null), e.files());
    }

    @Test
    void should_merge_split_parts_of_a_detail_answer_into_one_sized_file() {
        CatalogEntry e = CatalogEntries.from(model("""
                {"id": "o/n", "siblings": [
                  {"rfilename": "README.md", "size": 10},
                  {"rfilename": "Q4_K_M/n-Q4_K_M-00001-of-00002.gguf", "size": 134, "lfs": {"size": 3000}},
                  {"rfilename": "Q4_K_M/n-Q4_K_M-00002-of-00002.gguf", "size": 134, "lfs": {"size": 2000}}]}
                """));

        assertEquals(FileMemory.withMemory(List.of(new GgufFile("Q4_K_M/n-Q4_K_M-00001-of-00002.gguf", "Q4_K_M",
                5000L, FileRole.WEIGHTS, 2, true)), null), e.files());
    }

    @Test
    void should_read_lineage_licence_and_capabilities_from_the_listing_item() {
        CatalogEntry e = CatalogEntries.from(model("""
                {"id": "ggml-org/gemma-3-4b-it-GGUF",
                 "tags": ["gguf", "base_model:google/gemma-3-4b-it", "base_model:quantized:google/gemma-3-4b-it",
                          "license:gemma", "image-text-to-text"],
                 "siblings": [{"rfilename": "gemma-3-4b-it-Q4_K_M.gguf"}, {"rfilename": "mmproj-model-f16.gguf"},
                              {"rfilename": "gemma-3-4b-it.imatrix.gguf"}],
                 "gguf": {"total": 3880263168, "architecture": "gemma3", "context_length": 131072,
                          "chat_template": "{% if tools %}{{ tools }}{% endif %}<think>", "bos_token": "<bos>"}}
                """));

        assertEquals("google/gemma-3-4b-it", e.baseModel());
        assertEquals("gemma", e.license());
        assertEquals(List.of("thinking", "tools", "vision"), e.capabilities());
        assertEquals(List.of(FileRole.WEIGHTS, FileRole.MMPROJ, FileRole.IMATRIX),
                e.files().stream().map(GgufFile::role).toList());
    }

    @Test
    void should_guess_nothing_from_the_name_when_the_listing_has_no_gguf_block() {
        CatalogEntry e = CatalogEntries.from(model("""
                {"id": "someone/Qwen3-8B-128K-GGUF", "tags": ["gguf"],
                 "siblings": [{"rfilename": "Qwen3-8B-128K-Q4_K_M.gguf"}]}
                """));

        assertNull(e.architecture());
        assertNull(e.contextLength());
        assertNull(e.parameters());
        assertNull(e.baseModel());
        assertNull(e.license());
        assertEquals(List.of(), e.capabilities());
    }

    @Test
    void should_never_carry_a_gate_that_is_not_a_boolean_or_a_kind_into_the_catalog() {
        CatalogEntry e = CatalogEntries.from(model("{\"id\": \"o/n\", \"gated\": [[[[]]]]}"));

        assertNull(e.gated());
        assertEquals("auto", CatalogEntries.from(model("{\"id\": \"o/n\", \"gated\": \"auto\"}")).gated());
    }

    @Test
    void should_not_fail_on_a_chat_template_that_is_not_text() {
        CatalogEntry e = CatalogEntries.from(model("""
                {"id": "o/n", "gguf": {"chat_template": [{"name": "tool_use", "template": "{{ tools }}"}]}}
                """));

        assertEquals(List.of("tools"), e.capabilities());
    }

    @Test
    void should_keep_gated_as_the_hub_sends_it() {
        assertEquals(false, CatalogEntries.from(model("{\"id\": \"o/n\", \"gated\": false}")).gated());
        assertEquals("auto", CatalogEntries.from(model("{\"id\": \"o/n\", \"gated\": \"auto\"}")).gated());
    }

    private static HubModel model(String json) {
        try {
            return JSON.readValue(json, HubModel.class);
        } catch (Exception e) {
            throw new IllegalArgumentException("bad test JSON: " + json, e);
        }
    }
}
