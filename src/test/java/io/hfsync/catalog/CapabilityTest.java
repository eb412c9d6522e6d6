package io.hfsync.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/files.md capabilities: sorted, from the repo's files and the chat template the Hub parsed. */
class CapabilityTest {

    /** The shape of Qwen3's template: tool calls and a reasoning block. */
    private static final String QWEN3_TEMPLATE = "{%- if tools %}\n    {{- '<|im_start|>system\\n' }}\n"
            + "    {%- for tool in tools %}{{- tool | tojson }}{%- endfor %}\n{%- endif %}\n"
            + "{%- if enable_thinking is defined and enable_thinking is false %}{{- '<think>\\n\\n</think>\\n\\n' }}{%- endif %}";
    /** Gemma 2's: neither. */
    private static final String GEMMA2_TEMPLATE = "{{ bos_token }}{% for message in messages %}"
            + "{{ '<start_of_turn>' + message['role'] + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}{% endfor %}";
    private static final List<GgufFile> WITH_PROJECTOR = List.of(GgufFile.single("gemma-3-4b-it-Q4_K_M.gguf", null),
            GgufFile.single("mmproj-gemma-3-4b-it-f16.gguf", null));

    @Test
    void should_list_every_capability_sorted() {
        assertEquals(List.of("thinking", "tools", "vision"), Capability.of(WITH_PROJECTOR, QWEN3_TEMPLATE));
    }

    @Test
    void should_see_vision_only_in_a_projector_file() {
        assertEquals(List.of("vision"), Capability.of(WITH_PROJECTOR, GEMMA2_TEMPLATE));
        assertEquals(List.of(), Capability.of(List.of(GgufFile.single("vision-model-Q4_K_M.gguf", null)), GEMMA2_TEMPLATE));
    }

    @Test
    void should_see_tools_and_thinking_each_on_its_own() {
        assertEquals(List.of("tools"), Capability.of(List.of(), "{% if tools %}{{ tools | tojson }}{% endif %}"));
        assertEquals(List.of("thinking"), Capability.of(List.of(), "{{ '<think>\\n' }}"));
    }

    @Test
    void should_be_empty_when_nothing_is_known() {
        assertEquals(List.of(), Capability.of(null, null));
    }
}
