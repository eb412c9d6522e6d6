package io.hfsync.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hfsync.gguf.GgufHeader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The estimate's rules that llama.cpp's proof (MemoryProofIT) does not reach: contexts, missing headers, real sizes. */
class MemoryEstimatorTest {

    private static final long GIB = 1L << 30;

    /** Llama 3.1 8B as its GGUF header says it: 32 layers, 8 KV heads of 128, 128k context, 128256 tokens. */
    private static GgufHeader llama31_8b() {
        return header("llama", 32, 131072L, 4096, 32, List.of(8), null, null, null, null, 128256L, 14336);
    }

    @Test
    void should_give_each_standard_context_the_model_reaches_and_its_own_length_below_128k() {
        assertEquals(List.of(4096L, 8192L, 32768L, 131072L), MemoryEstimator.contexts(131072L));
        assertEquals(List.of(4096L, 8192L, 32768L, 40960L), MemoryEstimator.contexts(40960L));
        assertEquals(List.of(2048L), MemoryEstimator.contexts(2048L));
        assertEquals(List.of(4096L, 8192L, 32768L, 131072L), MemoryEstimator.contexts(1_048_576L));
    }

    @Test
    void should_hold_the_weights_only_without_a_header() {
        assertEquals(List.of(new MemoryEstimate(null, 5_000_000_000L, null, null, null)),
                MemoryEstimator.estimates(5_000_000_000L, null));
    }

    @Test
    void should_size_llama_3_1_8b_as_llama_cpp_does() {
        // 32 layers x 8 heads x (128 + 128) x 2 bytes = 128 KiB a cell: 1 GiB at 8192, 16 GiB at 131072
        List<MemoryEstimate> estimates = MemoryEstimator.estimates(4_920_000_000L, llama31_8b());
        assertEquals(4, estimates.size());
        assertEquals(GIB, estimates.get(1).kvCache());
        assertEquals(16 * GIB, estimates.get(3).kvCache());
        // the logits of a 512-token micro-batch: 128256 x 512 x 4 bytes and the output norm
        assertEquals(512L * 4 * (128256 + 2 * 4096), estimates.get(1).compute());
        MemoryEstimate at8k = estimates.get(1);
        assertEquals(at8k.weights() + at8k.kvCache() + at8k.compute(), at8k.total());
    }

    @Test
    void should_leave_out_the_multi_token_prediction_layers() {
        GgufHeader glm = header("glm4moe", 47, 131072L, 4096, 96, List.of(8), 128, 128, null, 1, 151552L, 10944);
        // 46 layers with a cache: 46 x 8 x 256 x 2 bytes per cell
        assertEquals(46L * 8 * 256 * 2 * 4096, MemoryEstimator.kvCacheBytes(glm, 4096));
    }

    @Test
    void should_cache_only_the_latent_key_with_multi_head_latent_attention() {
        // DeepSeek V3 as converted today: one KV head of 512 + 64, no separate value cache
        GgufHeader deepseek = header("deepseek2", 61, 163840L, 7168, 128, List.of(1), 576, 512, 192, null, 129280L, 18432);
        assertEquals(61L * 576 * 2 * 4096, MemoryEstimator.kvCacheBytes(deepseek, 4096));
        // converted before the latent cache: every head's key and value
        GgufHeader legacy = header("deepseek2", 61, 163840L, 7168, 128, List.of(128), 192, 128, null, null, 129280L, 18432);
        assertEquals(61L * 128 * (192 + 128) * 2 * 4096, MemoryEstimator.kvCacheBytes(legacy, 4096));
    }

    @Test
    void should_not_guess_a_cache_it_does_not_reproduce() {
        assertNull(MemoryEstimator.kvCacheBytes(header("gemma3n", 30, 32768L, 2048, 8, List.of(2), 256, 256, null, null, 262144L, 8192), 4096));
        GgufHeader unknownWindow = new GgufHeader(null, null, null, "somearch", 4, 32768L, 512, 8, List.of(2), null, null,
                4096, null, null, null, null, null, null, null, null, null, null, null, 32000L, null, null, 1536, null);
        assertNull(MemoryEstimator.kvCacheBytes(unknownWindow, 4096));
        MemoryEstimate estimate = MemoryEstimator.estimate(1000, unknownWindow, 4096);
        assertNull(estimate.total());
        assertEquals(1000, estimate.weights());
    }

    @Test
    void should_pad_the_context_to_256_cells() {
        assertEquals(MemoryEstimator.kvCacheBytes(llama31_8b(), 40960), MemoryEstimator.kvCacheBytes(llama31_8b(), 40900));
    }

    private static GgufHeader header(String arch, int layers, Long context, int embd, int heads, List<Integer> kvHeads,
                                     Integer keyLength, Integer valueLength, Integer keyLengthMla, Integer nextn,
                                     Long vocab, Integer ffn) {
        return new GgufHeader(null, null, null, arch, layers, context, embd, heads, kvHeads, keyLength, valueLength, null,
                null, null, keyLengthMla == null ? null : 512, keyLengthMla, keyLengthMla == null ? null : 128, null, null,
                null, null, null, null, vocab, nextn, null, ffn, null);
    }
}
