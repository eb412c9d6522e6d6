package io.hfsync.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/files.md lineage and licence, on tag lists as real repos carry them. */
class LineageTest {

    /** Hobaks/gemma-3-27b-it-Q4_K_M-GGUF in ../shared/hub-samples (a gguf-my-repo quant). */
    private static final List<String> GGUF_MY_REPO = List.of("transformers", "gguf", "llama-cpp", "gguf-my-repo",
            "image-text-to-text", "base_model:google/gemma-3-27b-it", "base_model:quantized:google/gemma-3-27b-it",
            "license:gemma", "endpoints_compatible", "region:us", "conversational");

    @Test
    void should_take_the_base_model_from_the_quantized_tag() {
        assertEquals("google/gemma-3-27b-it", Lineage.baseModel(GGUF_MY_REPO));
    }

    @Test
    void should_prefer_the_quantized_tag_wherever_it_stands() {
        assertEquals("Qwen/Qwen3-8B", Lineage.baseModel(List.of("gguf", "base_model:someone/Qwen3-8B-finetune",
                "base_model:finetune:Qwen/Qwen3-8B-Base", "base_model:quantized:Qwen/Qwen3-8B")));
    }

    @Test
    void should_fall_back_to_the_plain_base_model_tag_and_never_to_another_relation() {
        assertEquals("someone/My-Merge-7B", Lineage.baseModel(List.of("gguf", "base_model:merge:a/A",
                "base_model:finetune:b/B", "base_model:someone/My-Merge-7B", "base_model:adapter:c/C")));
        assertNull(Lineage.baseModel(List.of("gguf", "base_model:finetune:b/B", "base_model:")));
    }

    @Test
    void should_read_the_licence_tag() {
        assertEquals("gemma", Lineage.license(GGUF_MY_REPO));
        assertEquals("apache-2.0", Lineage.license(List.of("license:apache-2.0", "license:mit")));
    }

    @Test
    void should_leave_both_null_when_no_tag_says() {
        assertNull(Lineage.baseModel(List.of("gguf", "region:us")));
        assertNull(Lineage.license(List.of("gguf", "license:")));
        assertNull(Lineage.baseModel(null));
        assertNull(Lineage.license(null));
    }
}
