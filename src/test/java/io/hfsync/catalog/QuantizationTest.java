package io.hfsync.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantizationTest {

    /** llama.cpp's file types as they appear in GGUF file names (including unsloth's _XL / _L K-quant variants). */
    private static final Pattern KNOWN_GGML_TYPE = Pattern.compile(
            "Q[2-8]_K(_(S|M|L|XL))?|Q4_0(_[48]_[48])?|Q4_1|Q5_0|Q5_1|Q8_0"
                    + "|IQ1_(S|M)|IQ2_(XXS|XS|S|M)|IQ3_(XXS|XS|S|M)|IQ4_(NL|XS)"
                    + "|TQ1_0|TQ2_0|MXFP4(_MOE)?|F16|BF16|F32");

    private static final Path SAMPLES = Path.of("..", "shared", "hub-samples");
    private static final Path COLLECTIONS = SAMPLES.resolve("gguf-list").resolve("collections.json");
    private static final Path LOCALLLMFINDER = SAMPLES.resolve("localllmfinder");
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "llama-2-7b.Q4_K_M.gguf, Q4_K_M",
            "Meta-Llama-3-8B-Instruct-IQ2_XXS.gguf, IQ2_XXS",
            "gemma-2-9b-it-BF16.gguf, BF16",
            "model-bf16.gguf, BF16",
            "Llama-2-7b-chat.F16.gguf, F16",
            "phi-2.fp16.gguf, F16",
            "model-f32.gguf, F32",
            "mistral-7b.Q8_0.gguf, Q8_0",
            "qwen2-0.5b-q4_0_4_4.gguf, Q4_0_4_4",
            "bitnet-b1.58-TQ1_0.gguf, TQ1_0",
            "gpt-oss-20b-MXFP4.gguf, MXFP4",
            "model-q4_k_m.gguf, Q4_K_M",
            "hermes-3-llama-3.2-3b-q4_k_m.gguf, Q4_K_M",
            "Qwen2.5-7B.i1-IQ3_M.gguf, IQ3_M",
            "Qwen3-30B-A3B-UD-Q4_K_XL.gguf, Q4_K_XL",
            "Llama-3.2-1B-Instruct-IQ4_NL.gguf, IQ4_NL",
            "model_Q5_K_S.gguf, Q5_K_S",
            "model.Q2_K.gguf, Q2_K",
            // the big quantisers' schemes: unsloth UD- (also in sub-folders), mradermacher i1-, gpt-oss, BitNet,
            // bartowski's ARM repacks and _L/_XL, ubergarm's ik_llama.cpp types, upper and lower case
            "Qwen3-235B-A22B-UD-Q2_K_XL/Qwen3-235B-A22B-UD-Q2_K_XL-00001-of-00002.gguf, Q2_K_XL",
            "DeepSeek-R1-0528-UD-IQ1_S-00001-of-00004.gguf, IQ1_S",
            "UD-TQ1_0/Kimi-K2-Instruct-UD-TQ1_0.gguf, TQ1_0",
            "bitnet_b1_58-large-TQ2_0.gguf, TQ2_0",
            "Meta-Llama-3.1-70B-Instruct.i1-Q6_K.gguf.part1of2, Q6_K",
            "Meta-Llama-3.1-8B-Instruct.i1-IQ4_NL.gguf, IQ4_NL",
            "gpt-oss-120b-mxfp4-00001-of-00003.gguf, MXFP4",
            "Qwen3-30B-A3B-Instruct-2507-MXFP4_MOE.gguf, MXFP4_MOE",
            "Qwen_Qwen3-8B-Q4_0_4_8.gguf, Q4_0_4_8",
            "Qwen_Qwen3-8B-Q6_K_L.gguf, Q6_K_L",
            "Qwen3-8B-BF16/Qwen_Qwen3-8B-bf16-00001-of-00002.gguf, BF16",
            "qwen3-8b-iq2_xxs.gguf, IQ2_XXS",
            "DeepSeek-V3-0324-IQ2_K_R4-00001-of-00005.gguf, IQ2_K_R4",
            "Kimi-K2-Instruct-IQ4_KS.gguf, IQ4_KS",
            "q4_k_m/model-00001-of-00002.gguf, Q4_K_M",
            "gemma-3-27b-it-qat-Q4_0.gguf, Q4_0",
            "Qwen3-14B-Q5_1.gguf, Q5_1",
    })
    void should_read_the_quantization_type_from_the_file_name(String path, String expected) {
        assertEquals(expected, Quantization.of(path));
    }

    @Test
    void should_read_bf16_as_bf16_and_not_as_f16() {
        assertEquals("BF16", Quantization.of("Mistral-Nemo-Instruct-2407.BF16.gguf"));
    }

    @Test
    void should_prefer_the_file_name_over_the_folder_name() {
        assertEquals("Q8_0", Quantization.of("Q8_0/Model-Q8_0-00001-of-00003.gguf"));
        assertEquals("Q6_K", Quantization.of("Q8_0/Model-Q6_K.gguf"));
    }

    @Test
    void should_fall_back_to_the_folder_name_when_the_file_name_has_no_type() {
        assertEquals("Q4_K_M", Quantization.of("Q4_K_M/Model-00001-of-00002.gguf"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mmproj-model.gguf", "model.gguf", "Llama-3-8B.imatrix", "imatrix.dat", "README.md",
            "models/llama.gguf", "q4km.gguf", "Meta-Llama-3.1-8B-Instruct.imatrix.gguf", "Phi-3-mini-4k-instruct-q4.gguf"})
    void should_return_null_when_the_name_carries_no_type(String path) {
        assertNull(Quantization.of(path));
    }

    @Test
    void should_recognise_almost_every_real_hub_gguf_file_name() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(COLLECTIONS), "hub samples not present: " + COLLECTIONS.toAbsolutePath());
        List<String> names = ggufFileNames(COLLECTIONS);
        names.addAll(localLlmFinderFileNames());
        assertTrue(names.size() > 100, "expected a real sample, got " + names.size() + " names");

        Map<String, String> types = new TreeMap<>();
        List<String> unrecognised = new ArrayList<>();
        for (String name : names) {
            String type = Quantization.of(name);
            if (type == null) {
                unrecognised.add(name);
            } else {
                types.put(name, type);
            }
        }

        double recognised = (names.size() - unrecognised.size()) / (double) names.size();
        assertTrue(recognised >= 0.95, String.format("only %.1f%% of %d names have a quantization; null for: %s",
                recognised * 100, names.size(), unrecognised));
        List<String> unknownTypes = types.entrySet().stream()
                .filter(e -> !KNOWN_GGML_TYPE.matcher(e.getValue()).matches())
                .map(e -> e.getKey() + " -> " + e.getValue())
                .toList();
        assertTrue(unknownTypes.isEmpty(), "not a known ggml type name: " + unknownTypes);
    }

    private static List<String> localLlmFinderFileNames() throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(LOCALLLMFINDER)) {
            return names;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(LOCALLLMFINDER, "*.json")) {
            for (Path file : files) {
                names.addAll(ggufFileNames(file));
            }
        }
        return names;
    }

    /** Every {@code rfilename} / {@code filename} value ending in .gguf, wherever it sits in the document. */
    private static List<String> ggufFileNames(Path file) throws IOException {
        List<String> names = new ArrayList<>();
        collect(JSON.readTree(file.toFile()), names);
        return names;
    }

    private static void collect(JsonNode node, List<String> names) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (isFileName(field.getKey(), field.getValue())) {
                    names.add(field.getValue().asText());
                } else {
                    collect(field.getValue(), names);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, names));
        }
    }

    private static boolean isFileName(String key, JsonNode value) {
        return (key.equals("rfilename") || key.equals("filename")) && value.isTextual()
                && GgufFiles.isGguf(value.asText());
    }
}
