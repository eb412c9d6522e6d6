package io.hfsync.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hfsync.gguf.GgufWriter.ValueType;
import io.hfsync.memory.TinyModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The GGUF header reader: what it takes from a header, where it stops, and a short reason for every bad input. */
class GgufReaderTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void should_read_the_hyper_parameters_of_a_llama_header() throws Exception {
        GgufHeader header = read(llama(3).toBytes(false));
        assertEquals(SHA, header.sha());
        assertEquals("m-Q4_K_M.gguf", header.file());
        assertEquals("llama", header.architecture());
        assertEquals(32, header.blockCount());
        assertEquals(131072L, header.contextLength());
        assertEquals(4096, header.embeddingLength());
        assertEquals(32, header.headCount());
        assertEquals(List.of(8), header.headCountKv());
        assertEquals(128, header.keyLength());
        assertEquals(128, header.valueLength());
        assertEquals(14336, header.feedForwardLength());
        assertEquals(5000L, header.vocabSize());
        assertNull(header.slidingWindow(), "absent keys are left out, never guessed");
        assertNull(header.expertCount());
        assertNull(header.kvLoraRank());
    }

    @Test
    void should_read_version_2_like_version_3() throws Exception {
        GgufHeader v2 = read(llama(2).toBytes(false));
        GgufHeader v3 = read(llama(3).toBytes(false));
        assertEquals(v3, v2);
    }

    @Test
    void should_stop_at_the_tokenizer_once_the_block_count_was_read() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 150_000; i++) {
            tokens.add("token-number-" + i);
        }
        byte[] bytes = new GgufWriter(3).string("general.architecture", "qwen3").uint32("qwen3.block_count", 36)
                .uint32("qwen3.attention.head_count_kv", 8)
                .string("tokenizer.ggml.model", "gpt2").string("tokenizer.ggml.pre", "qwen2")
                .array("tokenizer.ggml.tokens", ValueType.STRING, tokens)
                .array("tokenizer.ggml.token_type", ValueType.INT32, Collections.nCopies(150_000, 1))
                .uint32("qwen3.attention.key_length", 999).toBytes(false);
        assertTrue(bytes.length > 2_500_000);
        CountingSource source = new CountingSource(bytes, 4096);
        GgufHeader header = GgufReader.read(source, SHA, "f.gguf");
        assertEquals(150_000L, header.vocabSize(), "the token count comes before the tokens");
        assertEquals(36, header.blockCount());
        assertNull(header.keyLength(), "a key after the tokenizer is not read");
        assertTrue(source.given < 8192, "read " + source.given + " bytes");
        assertEquals(source.given, header.bytesRead());
    }

    @Test
    void should_read_on_to_the_end_when_the_hyper_parameters_follow_the_tokenizer() throws Exception {
        byte[] bytes = new GgufWriter(3).string("tokenizer.ggml.model", "llama")
                .array("tokenizer.ggml.tokens", ValueType.STRING, List.of("a", "b", "c"))
                .array("tokenizer.ggml.scores", ValueType.FLOAT32, List.of(0f, 0f, 0f))
                .string("general.architecture", "mistral").uint32("mistral.block_count", 40)
                .uint64("mistral.context_length", 1_024_000).uint32("mistral.attention.sliding_window", 4096)
                .toBytes(false);
        GgufHeader header = read(bytes);
        assertEquals("mistral", header.architecture());
        assertEquals(40, header.blockCount());
        assertEquals(1_024_000L, header.contextLength());
        assertEquals(4096, header.slidingWindow());
        assertEquals(3L, header.vocabSize());
    }

    @Test
    void should_read_keys_written_before_the_architecture() throws Exception {
        byte[] bytes = new GgufWriter(3).uint32("gemma3.block_count", 6).string("general.architecture", "gemma3")
                .toBytes(false);
        assertEquals(6, read(bytes).blockCount());
    }

    @Test
    void should_keep_per_layer_lists() throws Exception {
        byte[] bytes = new GgufWriter(3).string("general.architecture", "lfm2").uint32("lfm2.block_count", 4)
                .array("lfm2.attention.head_count_kv", ValueType.INT32, List.of(0, 0, 8, 0))
                .array("lfm2.feed_forward_length", ValueType.UINT32, List.of(1000L, 3000L, 2000L, 1000L))
                .array("lfm2.attention.sliding_window_pattern", ValueType.BOOL, List.of(true, false, true, true))
                .uint32("lfm2.shortconv.l_cache", 3).uint8("lfm2.attention.head_count", 16).toBytes(false);
        GgufHeader header = read(bytes);
        assertEquals(List.of(0, 0, 8, 0), header.headCountKv());
        assertEquals(3000, header.feedForwardLength(), "a per-layer width by its widest layer");
        assertEquals(List.of(true, false, true, true), header.slidingWindowPattern());
        assertEquals(3, header.shortconvLCache());
        assertEquals(16, header.headCount(), "any integer type");
    }

    @Test
    void should_read_a_sliding_window_period_as_llama_cpp_does() throws Exception {
        byte[] bytes = new GgufWriter(3).string("general.architecture", "exaone4").uint32("exaone4.block_count", 8)
                .uint32("exaone4.attention.sliding_window_pattern", 4).toBytes(false);
        assertEquals(List.of(true, true, true, false, true, true, true, false), read(bytes).slidingWindowPattern());
    }

    @Test
    void should_read_moe_mla_and_recurrent_keys() throws Exception {
        byte[] bytes = new GgufWriter(3).string("general.architecture", "deepseek2").uint32("deepseek2.block_count", 61)
                .uint32("deepseek2.expert_count", 256).uint32("deepseek2.expert_used_count", 8)
                .uint32("deepseek2.expert_feed_forward_length", 2048).uint32("deepseek2.attention.kv_lora_rank", 512)
                .uint32("deepseek2.attention.key_length_mla", 192).uint32("deepseek2.attention.value_length_mla", 128)
                .uint32("deepseek2.nextn_predict_layers", 1).uint32("deepseek2.full_attention_interval", 4)
                .uint32("deepseek2.ssm.conv_kernel", 4).uint32("deepseek2.ssm.inner_size", 8192)
                .uint32("deepseek2.ssm.state_size", 128).uint32("deepseek2.ssm.group_count", 16)
                .uint32("deepseek2.vocab_size", 129280).uint32("llama.block_count", 3).toBytes(false);
        GgufHeader header = read(bytes);
        assertEquals(61, header.blockCount(), "only the architecture's own keys");
        assertEquals(256, header.expertCount());
        assertEquals(8, header.expertUsedCount());
        assertEquals(2048, header.expertFeedForwardLength());
        assertEquals(512, header.kvLoraRank());
        assertEquals(192, header.keyLengthMla());
        assertEquals(128, header.valueLengthMla());
        assertEquals(1, header.nextnPredictLayers());
        assertEquals(4, header.fullAttentionInterval());
        assertEquals(4, header.ssmConvKernel());
        assertEquals(8192, header.ssmInnerSize());
        assertEquals(128, header.ssmStateSize());
        assertEquals(16, header.ssmGroupCount());
        assertEquals(129280L, header.vocabSize(), "without the tokenizer's tokens, the architecture's vocab_size");
    }

    @Test
    void should_read_what_the_memory_proof_families_wrote() throws Exception {
        for (TinyModel model : TinyModel.all()) {
            GgufHeader read = GgufReader.read(GgufReader.from(new ByteArrayInputStream(model.writer().toBytes(false))),
                    null, model.header().file());
            GgufHeader expected = model.header();
            assertEquals(without(expected, read.bytesRead(), read.slidingWindowPattern()), read, model.name());
        }
    }

    @Test
    void should_give_a_reason_for_a_wrong_magic() {
        byte[] bytes = llama(3).toBytes(false);
        bytes[0] = 'X';
        assertEquals("not a GGUF file (magic 58475546)", reason(bytes));
        assertEquals("not a GGUF file (magic 3c68746d)", reason("<html><body>no</body></html>".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void should_give_a_reason_for_versions_1_and_4() {
        assertEquals("GGUF version 1 (2 or 3 are read)", reason(withVersion(1)));
        assertEquals("GGUF version 4 (2 or 3 are read)", reason(withVersion(4)));
    }

    @Test
    void should_give_a_reason_for_a_big_endian_file() {
        byte[] bytes = llama(3).toBytes(false);
        ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).putInt(4, 3);
        assertEquals("big-endian GGUF (only little-endian is read)", reason(bytes));
    }

    @Test
    void should_give_a_reason_for_every_truncation() {
        byte[] bytes = new GgufWriter(3).string("general.architecture", "llama").uint32("llama.block_count", 2)
                .array("llama.attention.head_count_kv", ValueType.INT32, List.of(1, 2))
                .array("general.tags", ValueType.STRING, List.of("x", "y")).toBytes(false);
        int end = bytes.length;
        while (bytes[end - 1] == 0) {
            end--; // the padding after the last value ("y") is not part of the key-values
        }
        for (int cut = 0; cut < end; cut++) {
            String reason = reason(Arrays.copyOf(bytes, cut));
            assertTrue(reason.startsWith("truncated: the file ends after " + cut + " bytes"), cut + ": " + reason);
        }
    }

    @Test
    void should_give_a_reason_for_a_3_gb_string() {
        Bytes bytes = new Bytes().fixedHeader(1).string("general.architecture").uint32(8).uint64(3_000_000_000L);
        assertEquals("string of 3000000000 bytes at key general.architecture (at most 1048576)", reason(bytes.toArray()));
        Bytes key = new Bytes().fixedHeader(1).uint64(1_048_577);
        assertEquals("string of 1048577 bytes at a key (at most 1048576)", reason(key.toArray()));
    }

    @Test
    void should_give_a_reason_for_an_array_of_2_to_the_40_items() {
        Bytes bytes = new Bytes().fixedHeader(1).string("tokenizer.ggml.tokens").uint32(9).uint32(8).uint64(1L << 40);
        assertEquals("array of 1099511627776 items at key tokenizer.ggml.tokens (at most 10000000)", reason(bytes.toArray()));
        Bytes justOver = new Bytes().fixedHeader(1).string("a").uint32(9).uint32(0).uint64(10_000_001);
        assertEquals("array of 10000001 items at key a (at most 10000000)", reason(justOver.toArray()));
    }

    @Test
    void should_give_a_reason_for_a_repeated_key() {
        byte[] bytes = new GgufWriter(3).string("general.architecture", "llama").uint32("llama.block_count", 2)
                .uint32("llama.block_count", 3).toBytes(false);
        assertEquals("key llama.block_count repeated", reason(bytes));
    }

    @Test
    void should_give_a_reason_for_value_type_13() {
        Bytes bytes = new Bytes().fixedHeader(2).string("general.architecture").uint32(8).string("llama")
                .string("llama.block_count").uint32(13).uint32(2);
        assertEquals("unknown value type 13 at key llama.block_count", reason(bytes.toArray()));
        Bytes inArray = new Bytes().fixedHeader(1).string("a").uint32(9).uint32(13).uint64(1);
        assertEquals("unknown value type 13 at key a", reason(inArray.toArray()));
    }

    @Test
    void should_read_nothing_past_16_mib() {
        Bytes bytes = new Bytes().fixedHeader(3).string("a").uint32(9).uint32(0).uint64(9_000_000)
                .pad(9_000_000).string("b").uint32(9).uint32(0).uint64(9_000_000);
        byte[] head = bytes.toArray();
        long[] given = {0};
        GgufReader.Source endlessZeros = (buffer, offset, length) -> {
            int n = Math.min(length, 1 << 20);
            for (int i = 0; i < n; i++) {
                long at = given[0] + i;
                buffer[offset + i] = at < head.length ? head[(int) at] : 0;
            }
            given[0] += n;
            return n;
        };
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufReader.read(endlessZeros, SHA, "f"));
        assertEquals("header goes past 16 MiB", e.getMessage());
        assertTrue(given[0] <= GgufReader.MAX_HEADER_BYTES, "took " + given[0] + " bytes");
    }

    @Test
    void should_give_a_reason_for_too_many_keys_deep_arrays_and_no_architecture() {
        assertEquals("70000 key-values (at most 65536)", reason(new Bytes().fixedHeader(70_000).toArray()));
        Bytes nested = new Bytes().fixedHeader(1).string("n");
        nested.uint32(9);
        for (int level = 0; level < 6; level++) {
            nested.uint32(9).uint64(1);
        }
        assertEquals("arrays nested deeper than 4 at key n", reason(nested.toArray()));
        assertEquals("no general.architecture key", reason(new GgufWriter(3).uint32("llama.block_count", 2).toBytes(false)));
    }

    @Test
    void should_never_fail_otherwise_on_damaged_headers() throws IOException {
        byte[] good = llama(3).toBytes(false);
        Random random = new Random(25);
        for (int round = 0; round < 3000; round++) {
            byte[] bytes = good.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                bytes[random.nextInt(Math.min(bytes.length, 600))] = (byte) random.nextInt(256);
            }
            try {
                GgufReader.read(GgufReader.from(new ByteArrayInputStream(bytes)), SHA, "f");
            } catch (GgufFormatException expected) {
                assertTrue(expected.getMessage().length() < 200, expected.getMessage());
            }
        }
    }

    private static GgufWriter llama(int version) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            tokens.add("t" + i);
        }
        return new GgufWriter(version).string("general.architecture", "llama").string("general.name", "m")
                .uint32("llama.context_length", 131072).uint32("llama.embedding_length", 4096)
                .uint32("llama.block_count", 32).uint32("llama.feed_forward_length", 14336)
                .uint32("llama.attention.head_count", 32).uint32("llama.attention.head_count_kv", 8)
                .uint32("llama.attention.key_length", 128).uint32("llama.attention.value_length", 128)
                .float32("llama.rope.freq_base", 500000f).string("tokenizer.ggml.model", "gpt2")
                .array("tokenizer.ggml.tokens", ValueType.STRING, tokens)
                .array("tokenizer.ggml.merges", ValueType.STRING, tokens);
    }

    private static byte[] withVersion(int version) {
        byte[] bytes = llama(3).toBytes(false);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(4, version);
        return bytes;
    }

    private static GgufHeader read(byte[] bytes) throws Exception {
        return GgufReader.read(GgufReader.from(new ByteArrayInputStream(bytes)), SHA, "m-Q4_K_M.gguf");
    }

    private static String reason(byte[] bytes) {
        return assertThrows(GgufFormatException.class, () -> read(bytes)).getMessage();
    }

    private static GgufHeader without(GgufHeader h, Long bytesRead, List<Boolean> pattern) {
        return new GgufHeader(h.sha(), h.file(), bytesRead, h.architecture(), h.blockCount(), h.contextLength(),
                h.embeddingLength(), h.headCount(), h.headCountKv(), h.keyLength(), h.valueLength(), h.slidingWindow(),
                pattern, h.fullAttentionInterval(), h.kvLoraRank(), h.keyLengthMla(), h.valueLengthMla(),
                h.expertCount(), h.expertUsedCount(), h.ssmConvKernel(), h.ssmInnerSize(), h.ssmStateSize(),
                h.ssmGroupCount(), h.vocabSize(), h.nextnPredictLayers(), h.shortconvLCache(), h.feedForwardLength(),
                h.expertFeedForwardLength());
    }

    /** Hands out its bytes a chunk at a time, counting them. */
    private static final class CountingSource implements GgufReader.Source {
        private final byte[] bytes;
        private final int chunk;
        long given;

        CountingSource(byte[] bytes, int chunk) {
            this.bytes = bytes;
            this.chunk = chunk;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (given == bytes.length) {
                return -1;
            }
            int n = (int) Math.min(Math.min(length, chunk), bytes.length - given);
            System.arraycopy(bytes, (int) given, buffer, offset, n);
            given += n;
            return n;
        }
    }

    /** GGUF bytes by hand, for what the writer would never write. */
    private static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes fixedHeader(long keys) {
            out.writeBytes("GGUF".getBytes(StandardCharsets.US_ASCII));
            return uint32(3).uint64(0).uint64(keys);
        }

        Bytes uint32(long value) {
            return little(value, 4);
        }

        Bytes uint64(long value) {
            return little(value, 8);
        }

        Bytes string(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            uint64(utf8.length);
            out.writeBytes(utf8);
            return this;
        }

        Bytes pad(int zeros) {
            out.writeBytes(new byte[zeros]);
            return this;
        }

        private Bytes little(long value, int size) {
            for (int i = 0; i < size; i++) {
                out.write((int) (value >>> (8 * i)));
            }
            return this;
        }

        byte[] toArray() {
            return out.toByteArray();
        }
    }
}
