package io.hfsync.standin;

import java.util.List;

/**
 * Words the demo generator builds repos from. Owner handles and fine-tune names are invented; model
 * families are the well-known public base models whose GGUF quantisations fill the Hub.
 */
final class DemoVocabulary {

    private DemoVocabulary() {
    }

    /** How an owner names quantised files. */
    enum FileStyle {
        /** {@code Model-7B-Instruct.Q4_K_M.gguf} */
        DOT,
        /** {@code Model-7B-Instruct-Q4_K_M.gguf} */
        DASH,
        /** {@code model-7b-instruct-q4_k_m.gguf} */
        LOWER
    }

    /**
     * The kind of chat template a family's GGUF files carry ({@code gguf.chat_template}), shortened from the real
     * ones: what matters to a client is whether it handles tool calls and whether it opens a reasoning block.
     */
    enum ChatTemplate {
        /** Gemma, Phi, OLMo: turns only. */
        PLAIN("{{ bos_token }}{% for message in messages %}{{ '<start_of_turn>' + message['role'] + '\\n'"
                + " + message['content'] | trim + '<end_of_turn>\\n' }}{% endfor %}"
                + "{% if add_generation_prompt %}{{ '<start_of_turn>model\\n' }}{% endif %}"),
        /** Llama 3.1, Qwen2.5, Mistral, Granite, GLM-4: tool calls. */
        TOOLS("{{- bos_token }}{%- if tools is not none %}{{- 'Environment: ipython\\n' }}"
                + "{%- for t in tools %}{{- t | tojson(indent=4) }}{%- endfor %}{%- endif %}"
                + "{%- for message in messages %}{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
                + " + message['content'] | trim + '<|eot_id|>' }}{%- endfor %}"),
        /** DeepSeek-R1 distills: a reasoning block, no tools. */
        THINKING("{% for message in messages %}{% if message['role'] == 'user' %}{{'<｜User｜>' + message['content']}}"
                + "{% endif %}{% if message['role'] == 'assistant' %}{{'<｜Assistant｜>' + message['content'] + '<｜end▁of▁sentence｜>'}}"
                + "{% endif %}{% endfor %}{% if add_generation_prompt %}{{'<｜Assistant｜><think>\\n'}}{% endif %}"),
        /** Qwen3: both. */
        TOOLS_AND_THINKING("{%- if tools %}{{- '<|im_start|>system\\n# Tools\\n<tools>' }}{%- for tool in tools %}"
                + "{{- tool | tojson }}{%- endfor %}{{- '</tools><|im_end|>\\n' }}{%- endif %}"
                + "{%- for message in messages %}{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}"
                + "{%- endfor %}{%- if enable_thinking is defined and enable_thinking is false %}"
                + "{{- '<think>\\n\\n</think>\\n\\n' }}{%- endif %}");

        final String text;

        ChatTemplate(String text) {
            this.text = text;
        }
    }

    /**
     * An account that publishes many quantisations.
     *
     * @param handle    owner name
     * @param weight    relative share of the generated repos
     * @param style     file naming
     * @param imatrix   also publishes {@code -i1-GGUF} imatrix repos
     * @param subFolder puts split files of huge models in one folder per quantisation
     * @param byteParts cuts files over the Hub's limit into plain byte pieces ({@code x.gguf.part1of2}) instead of
     *                  gguf-split parts, as mradermacher does
     */
    record Quantiser(String handle, int weight, FileStyle style, boolean imatrix, boolean subFolder, boolean byteParts) {
    }

    /**
     * A base-model family.
     *
     * @param name          family part of a repo name
     * @param creator       owner of the original weights, for the {@code base_model:} tags
     * @param architecture  GGUF architecture
     * @param sizes         parameter counts in billions the family comes in
     * @param contextLength trained context length
     * @param license       {@code license:} tag value
     * @param vision        ships a {@code mmproj} projector and is an image-text-to-text model
     * @param gatedBase     its original weights are gated, so some quantisers gate too
     * @param instructWord  how the family names its chat variant
     * @param chatTemplate  the kind of template its GGUF files carry
     */
    record Family(String name, String creator, String architecture, List<Double> sizes, long contextLength,
            String license, boolean vision, boolean gatedBase, String instructWord, ChatTemplate chatTemplate) {
    }

    static final List<Quantiser> QUANTISERS = List.of(
            new Quantiser("QuantFoundry", 30, FileStyle.DOT, true, false, true),
            new Quantiser("lowbit-labs", 22, FileStyle.DASH, false, true, false),
            new Quantiser("TensorTailor", 14, FileStyle.DASH, true, true, false),
            new Quantiser("ggml-garage", 10, FileStyle.DOT, false, false, false),
            new Quantiser("NightQuant", 8, FileStyle.DASH, true, false, false),
            new Quantiser("BitBakery", 6, FileStyle.DOT, false, false, false),
            new Quantiser("matrixmill", 8, FileStyle.LOWER, false, false, false),
            new Quantiser("quant-orchard", 5, FileStyle.LOWER, false, false, false),
            new Quantiser("kvantlab", 4, FileStyle.LOWER, false, true, false));

    static final List<Family> FAMILIES = List.of(
            new Family("Llama-3.1", "meta-llama", "llama", List.of(8.0, 70.0), 131072, "llama3.1", false, true, "Instruct",
                    ChatTemplate.TOOLS),
            new Family("Llama-3.2", "meta-llama", "llama", List.of(1.0, 3.0), 131072, "llama3.2", false, true, "Instruct",
                    ChatTemplate.TOOLS),
            new Family("Llama-3.3", "meta-llama", "llama", List.of(70.0), 131072, "llama3.3", false, true, "Instruct",
                    ChatTemplate.TOOLS),
            new Family("Qwen2.5", "Qwen", "qwen2", List.of(0.5, 1.5, 3.0, 7.0, 14.0, 32.0, 72.0), 32768, "apache-2.0", false, false, "Instruct",
                    ChatTemplate.TOOLS),
            new Family("Qwen2.5-Coder", "Qwen", "qwen2", List.of(1.5, 7.0, 14.0, 32.0), 32768, "apache-2.0", false, false, "Instruct",
                    ChatTemplate.TOOLS),
            new Family("Qwen2.5-VL", "Qwen", "qwen2vl", List.of(3.0, 7.0, 32.0, 72.0), 128000, "apache-2.0", true, false, "Instruct",
                    ChatTemplate.PLAIN),
            new Family("Qwen3", "Qwen", "qwen3", List.of(0.6, 1.7, 4.0, 8.0, 14.0, 32.0), 40960, "apache-2.0", false, false, "",
                    ChatTemplate.TOOLS_AND_THINKING),
            new Family("gemma-2", "google", "gemma2", List.of(2.0, 9.0, 27.0), 8192, "gemma", false, true, "it",
                    ChatTemplate.PLAIN),
            new Family("gemma-3", "google", "gemma3", List.of(1.0, 4.0, 12.0, 27.0), 131072, "gemma", true, true, "it",
                    ChatTemplate.PLAIN),
            new Family("Mistral", "mistralai", "llama", List.of(7.0), 32768, "apache-2.0", false, false, "Instruct",
                    ChatTemplate.TOOLS),
            new Family("Mistral-Nemo", "mistralai", "llama", List.of(12.0), 1024000, "apache-2.0", false, false, "Instruct",
                    ChatTemplate.TOOLS),
            new Family("Mistral-Small-3.1", "mistralai", "mistral3", List.of(24.0), 131072, "apache-2.0", true, false, "Instruct",
                    ChatTemplate.TOOLS),
            new Family("Phi-3.5-mini", "microsoft", "phi3", List.of(3.8), 131072, "mit", false, false, "instruct",
                    ChatTemplate.PLAIN),
            new Family("phi-4", "microsoft", "phi3", List.of(14.0), 16384, "mit", false, false, "",
                    ChatTemplate.PLAIN),
            new Family("DeepSeek-R1-Distill-Qwen", "deepseek-ai", "qwen2", List.of(1.5, 7.0, 14.0, 32.0), 131072, "mit", false, false, "",
                    ChatTemplate.THINKING),
            new Family("DeepSeek-R1-Distill-Llama", "deepseek-ai", "llama", List.of(8.0, 70.0), 131072, "mit", false, false, "",
                    ChatTemplate.THINKING),
            new Family("SmolLM2", "HuggingFaceTB", "llama", List.of(0.135, 0.36, 1.7), 8192, "apache-2.0", false, false, "Instruct",
                    ChatTemplate.PLAIN),
            new Family("granite-3.1", "ibm-granite", "granite", List.of(2.0, 8.0), 131072, "apache-2.0", false, false, "instruct",
                    ChatTemplate.TOOLS),
            new Family("Falcon3", "tiiuae", "llama", List.of(1.0, 3.0, 7.0, 10.0), 32768, "other", false, false, "Instruct",
                    ChatTemplate.PLAIN),
            new Family("OLMo-2", "allenai", "olmo2", List.of(7.0, 13.0), 4096, "apache-2.0", false, false, "Instruct",
                    ChatTemplate.PLAIN),
            new Family("GLM-4", "THUDM", "glm4", List.of(9.0, 32.0), 32768, "mit", false, false, "chat",
                    ChatTemplate.TOOLS));

    /**
     * Families added for the GGUF headers (docs/gguf-headers.md): experts (Qwen3 MoE), multi-head latent attention
     * (DeepSeek V2-Lite, V3), recurrent layers between attention layers (LFM2's short convolutions, Qwen3-Next's
     * gated delta-net). The generator draws them from a stream of its own, so every repo it made before stays the same.
     */
    static final List<Family> HEADER_FAMILIES = List.of(
            new Family("Qwen3", "Qwen", "qwen3moe", List.of(30.5, 235.0), 40960, "apache-2.0", false, false, "Instruct-2507",
                    ChatTemplate.TOOLS_AND_THINKING),
            new Family("LFM2", "LiquidAI", "lfm2", List.of(0.35, 0.7, 1.2, 2.6), 128000, "other", false, false, "Instruct",
                    ChatTemplate.TOOLS),
            new Family("DeepSeek-V2-Lite", "deepseek-ai", "deepseek2", List.of(15.7), 163840, "other", false, false, "Chat",
                    ChatTemplate.PLAIN),
            new Family("DeepSeek-V3", "deepseek-ai", "deepseek2", List.of(671.0), 163840, "mit", false, false, "",
                    ChatTemplate.THINKING),
            new Family("Qwen3-Next", "Qwen", "qwen3next", List.of(80.0), 262144, "apache-2.0", false, false, "Instruct",
                    ChatTemplate.TOOLS_AND_THINKING));

    /** How a family names a size when it is not just the parameter count: {@code 30B-A3B} for experts. */
    static java.util.Optional<String> sizeLabel(Family family, double billions) {
        return java.util.Optional.ofNullable(switch (family.architecture() + " " + billions) {
            case "qwen3moe 30.5" -> "30B-A3B";
            case "qwen3moe 235.0" -> "235B-A22B";
            case "qwen3next 80.0" -> "80B-A3B";
            case "deepseek2 15.7" -> "16B";
            case "lfm2 0.35" -> "350M";
            case "lfm2 0.7" -> "700M";
            default -> null;
        });
    }

    /** Invented fine-tune names. */
    static final List<String> FINE_TUNE_NAMES = List.of(
            "Nova", "Stellar", "Orchid", "Ember", "Quill", "Atlas", "Lumen", "Tidal", "Cobalt", "Saffron",
            "Vesper", "Juniper", "Halcyon", "Kestrel", "Marrow", "Onyx", "Briar", "Cinder", "Solace", "Thistle");

    static final List<String> FINE_TUNE_KINDS = List.of(
            "RP", "Storyteller", "Reasoner", "Coder", "abliterated", "Uncensored", "Merge", "DPO", "SFT", "Math",
            "Roleplay", "Instruct", "Chat", "Writer", "Distill");

    /** Syllables for one-off user handles. */
    static final List<String> SYLLABLES = List.of(
            "ka", "ren", "mo", "tsu", "li", "an", "vor", "el", "is", "ta", "no", "dre", "ve", "qu", "zo", "mi",
            "ra", "sol", "ben", "jun", "pax", "ori", "tek", "lum");

    static final List<String> HANDLE_ENDINGS = List.of("", "", "", "-ai", "_dev", "42", "7", "-lab", "x", "99");
}
