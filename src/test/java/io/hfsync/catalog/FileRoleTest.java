package io.hfsync.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** docs/files.md file roles, on names real repos use. */
class FileRoleTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // quantisations, whatever the naming scheme
            "llama-2-7b.Q4_K_M.gguf, WEIGHTS",
            "Qwen3-30B-A3B-UD-Q4_K_XL.gguf, WEIGHTS",
            "UD-Q2_K_XL/Qwen3-235B-A22B-UD-Q2_K_XL-00001-of-00002.gguf, WEIGHTS",
            "Meta-Llama-3.1-8B-Instruct.i1-IQ4_NL.gguf, WEIGHTS",
            "gpt-oss-120b-mxfp4-00001-of-00003.gguf, WEIGHTS",
            "gemma-2-9b-it-simpo-iq4_nl-imat.gguf, WEIGHTS",
            "Mistral-7B-Instruct-v0.3-IQ4_XS-imatrix.gguf, WEIGHTS",
            "Llama-3-8B-LoRA-merged-Q4_K_M.gguf, WEIGHTS",
            "model.gguf, WEIGHTS",
            "Floral-7B.Q4_K_M.gguf, WEIGHTS",
            // vision projectors
            "mmproj-F16.gguf, MMPROJ",
            "mmproj-gemma-3-4b-it-f16.gguf, MMPROJ",
            "Qwen2.5-VL-7B-Instruct.mmproj-Q8_0.gguf, MMPROJ",
            "MMPROJ/Model-MMPROJ-BF16.GGUF, MMPROJ",
            // importance matrices stored as GGUF
            "imatrix.gguf, IMATRIX",
            "Meta-Llama-3.1-8B-Instruct.imatrix.gguf, IMATRIX",
            "Qwen3.8-27B-imatrix.gguf, IMATRIX",
            "imatrix_unsloth.gguf, IMATRIX",
            "imatrix-Kimi-K2-Instruct-Q8_0.gguf, IMATRIX",
            // other GGUFs that are not a model
            "ggml-vocab-llama-bpe.gguf, OTHER",
            "Llama-3-8B-Instruct-LoRA-F16.gguf, OTHER",
            "ggml-adapter-model.gguf, OTHER",
            "control_vector-happy.gguf, OTHER",
    })
    void should_tell_what_a_gguf_file_is_from_its_name(String name, FileRole expected) {
        assertEquals(expected, FileRole.of(name));
    }

    @ParameterizedTest
    @CsvSource({"weights, WEIGHTS", "mmproj, MMPROJ", "imatrix, IMATRIX", "other, OTHER"})
    void should_print_and_read_the_lower_case_names_of_spec_10(String wire, FileRole role) {
        assertEquals(wire, role.wireName());
        assertEquals(role, FileRole.fromWireName(wire));
    }

    @ParameterizedTest
    @CsvSource({"draft", "WEIGHTS"})
    void should_read_a_role_it_does_not_know_as_unknown(String wire) {
        assertNull(FileRole.fromWireName(wire));
    }
}
