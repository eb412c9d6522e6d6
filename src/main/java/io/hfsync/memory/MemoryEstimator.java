package io.hfsync.memory;

import io.hfsync.gguf.GgufHeader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Will this file run on my machine? The memory llama.cpp allocates for one GGUF file at a chosen context, with its
 * defaults: f16 K and V cache, flash attention (what its "auto" picks on a CPU and on the common GPUs), one sequence,
 * batch 2048 and micro-batch 512, every layer on one device, the sliding-window cache not widened to the context.
 * The KV cache follows llama.cpp's own allocation rules layer by layer (llama-kv-cache.cpp, llama-kv-cache-iswa.cpp,
 * llama-memory-recurrent.cpp, llama-hparams.cpp) and is checked against llama.cpp itself by the memory proof; the
 * compute buffer is estimated from its largest parts. docs/memory.md has the formula per family.
 */
public final class MemoryEstimator {

    /** The contexts every estimate is given at, as far as the model's trained context reaches. */
    public static final List<Long> CONTEXTS = List.of(4096L, 8192L, 32768L, 131072L);

    /** llama.cpp's default micro-batch: the tokens of the worst-case graph it reserves compute memory for. */
    static final int MICRO_BATCH = 512;

    private static final long MIB = 1024 * 1024;
    private static final int F16 = 2;
    private static final int F32 = 4;

    /** Architectures whose layers slide, with the period of their default pattern (the last layer of a period is global). */
    private static final Map<String, Integer> WINDOW_PERIOD = Map.of(
            "gemma2", 2, "gemma3", 6, "cohere2", 4, "gpt-oss", 2, "exaone4", 4, "olmo2", 4, "afmoe", 4,
            "mellum", 4, "plamo3", 8);

    /** Hybrids whose recurrent layers are those between every {@code full_attention_interval}-th layer. */
    private static final Set<String> INTERVAL_HYBRIDS = Set.of("qwen3next", "qwen35", "qwen35moe");

    /** Hybrids whose recurrent layers are those with no KV head. */
    private static final Set<String> ZERO_HEAD_HYBRIDS = Set.of("granitehybrid", "lfm2", "lfm2moe");

    /** Every layer recurrent. */
    private static final Set<String> RECURRENT = Set.of("mamba", "mamba2");

    /** Without a KV cache in llama.cpp: encoders and diffusion models. */
    private static final Set<String> NO_CACHE = Set.of("bert", "jina-bert-v2", "jina-bert-v3", "nomic-bert",
            "nomic-bert-moe", "neo-bert", "eurobert", "modern-bert", "gemma-embedding", "t5encoder",
            "wavtokenizer-dec", "dream", "llada", "llada-moe", "rnd1");

    /**
     * Caches this estimator does not reproduce (sparse-attention indexers, shared-KV layers, chunked attention, RWKV
     * and other recurrent layouts, encoder-decoders): their KV cache stays unknown rather than guessed.
     */
    private static final Set<String> NOT_MODELLED = Set.of("deepseek32", "glm-dsa", "minimax-m3", "hy_v4",
            "dots3note", "deepseek4", "dflash", "gemma3n", "gemma4", "gemma4-assistant", "t5", "llama4", "jamba",
            "falcon-h1", "plamo2", "nemotron_h", "nemotron_h_moe", "kimi-linear", "kimi-k3", "bailingmoe3",
            "qwen4exp", "minimax-01", "rwkv6", "rwkv6qwen2", "rwkv7", "arwkv7", "eagle3");

    private MemoryEstimator() {
    }

    /**
     * One estimate per context of {@link #CONTEXTS} that the header's {@code context_length} reaches, plus that
     * length itself when it is below the largest; without a header, the weights alone.
     */
    public static List<MemoryEstimate> estimates(long weightsBytes, GgufHeader header) {
        if (header == null) {
            return List.of(MemoryEstimate.weightsOnly(weightsBytes));
        }
        List<MemoryEstimate> estimates = new ArrayList<>();
        for (long context : contexts(header.contextLength())) {
            estimates.add(estimate(weightsBytes, header, context));
        }
        return estimates;
    }

    /** The estimate at one context. */
    public static MemoryEstimate estimate(long weightsBytes, GgufHeader header, long context) {
        return MemoryEstimate.of(context, weightsBytes, kvCacheBytes(header, context), computeBytes(header, context));
    }

    public static List<Long> contexts(Long contextLength) {
        if (contextLength == null || contextLength <= 0) {
            return List.of(CONTEXTS.get(0));
        }
        List<Long> contexts = new ArrayList<>();
        for (long context : CONTEXTS) {
            if (context <= contextLength) {
                contexts.add(context);
            }
        }
        long largest = CONTEXTS.get(CONTEXTS.size() - 1);
        if (contextLength < largest && !contexts.contains(contextLength)) {
            contexts.add(contextLength);
        }
        return contexts;
    }

    /**
     * The bytes of llama.cpp's KV cache and recurrent state at {@code context}, or {@code null} when the header
     * lacks what it needs or the architecture's cache is one this estimator does not reproduce.
     */
    public static Long kvCacheBytes(GgufHeader header, long context) {
        String arch = header.architecture();
        if (arch == null || header.blockCount() == null || NOT_MODELLED.contains(arch)) {
            return null;
        }
        if (NO_CACHE.contains(arch)) {
            return 0L;
        }
        Layers layers = Layers.of(header);
        if (layers == null) {
            return null;
        }
        long cells = pad256(context);
        long swaCells = layers.window > 0 ? Math.min(cells, pad256((long) layers.window + MICRO_BATCH)) : cells;
        long bytes = 0;
        for (int layer = 0; layer < layers.count; layer++) {
            if (layers.recurrent[layer]) {
                bytes += (long) F32 * layers.recurrentState;
            } else {
                long layerCells = layers.sliding[layer] ? swaCells : cells;
                bytes += layerCells * layers.kvHeads[layer] * layers.cacheWidthPerHead * F16;
            }
        }
        return bytes;
    }

    /**
     * llama.cpp's compute buffer, estimated: the larger of the output phase (the logits of a micro-batch) and the
     * layer phase (the attention mask over every cell beside the feed-forward intermediates), as measured on its CPU
     * backend with flash attention (bench/results/memory-*.csv).
     */
    public static Long computeBytes(GgufHeader header, long context) {
        if (header.vocabSize() == null || header.embeddingLength() == null) {
            return null;
        }
        long cells = pad256(context);
        long tokens = Math.min(cells, MICRO_BATCH);
        long embd = header.embeddingLength();
        long outputPhase = tokens * F32 * (header.vocabSize() + 2 * embd);
        long maskCells = cells;
        Layers layers = Layers.of(header);
        if (layers != null && layers.window > 0) {
            maskCells += Math.min(cells, pad256((long) layers.window + MICRO_BATCH));
        }
        long layerPhase = maskCells * tokens * F16 + 3 * tokens * F32 * feedForwardWidth(header)
                + Math.max(4 * MIB, 2 * tokens * F32 * embd);
        return Math.max(outputPhase, layerPhase);
    }

    /** The feed-forward intermediates one token makes: the experts it is routed to for a MoE. */
    private static long feedForwardWidth(GgufHeader header) {
        Integer experts = header.expertCount();
        if (experts != null && experts > 0 && header.expertUsedCount() != null && header.expertFeedForwardLength() != null) {
            return (long) header.expertUsedCount() * header.expertFeedForwardLength();
        }
        return header.feedForwardLength() == null ? 0 : header.feedForwardLength();
    }

    private static long pad256(long value) {
        return (value + 255) / 256 * 256;
    }

    /** Which layers hold what, by llama.cpp's rules for the header's architecture. */
    private record Layers(int count, int[] kvHeads, boolean[] recurrent, boolean[] sliding, int window,
                          long cacheWidthPerHead, long recurrentState) {

        static Layers of(GgufHeader h) {
            String arch = h.architecture();
            // multi-token-prediction layers at the end are left out of the main context's cache
            int count = h.blockCount() - (h.nextnPredictLayers() == null ? 0 : h.nextnPredictLayers());
            if (count <= 0) {
                return null;
            }
            int[] kvHeads = new int[count];
            for (int layer = 0; layer < count; layer++) {
                Integer heads = headsKv(h, layer);
                if (heads == null) {
                    return null;
                }
                kvHeads[layer] = heads;
            }
            boolean[] recurrent = new boolean[count];
            long recurrentState = 0;
            if (INTERVAL_HYBRIDS.contains(arch) || ZERO_HEAD_HYBRIDS.contains(arch) || RECURRENT.contains(arch)) {
                int interval = h.fullAttentionInterval() == null ? 4 : h.fullAttentionInterval();
                for (int layer = 0; layer < count; layer++) {
                    recurrent[layer] = RECURRENT.contains(arch)
                            || (INTERVAL_HYBRIDS.contains(arch) ? (layer + 1) % interval != 0 : kvHeads[layer] == 0);
                }
                Long state = recurrentState(h);
                if (state == null) {
                    return null;
                }
                recurrentState = state;
            }
            boolean[] sliding = new boolean[count];
            int window = h.slidingWindow() == null ? 0 : h.slidingWindow();
            if (window > 0 && !arch.equals("phi3")) {
                if (arch.equals("lfm2")) {
                    for (int layer = 0; layer < count; layer++) {
                        sliding[layer] = !recurrent[layer];
                    }
                } else if (WINDOW_PERIOD.containsKey(arch)) {
                    List<Boolean> pattern = h.slidingWindowPattern();
                    int period = WINDOW_PERIOD.get(arch);
                    for (int layer = 0; layer < count; layer++) {
                        sliding[layer] = pattern != null && layer < pattern.size()
                                ? Boolean.TRUE.equals(pattern.get(layer)) : layer % period < period - 1;
                    }
                } else {
                    return null;
                }
            } else {
                window = 0;
            }
            Long width = cacheWidthPerHead(h);
            if (width == null) {
                return null;
            }
            return new Layers(count, kvHeads, recurrent, sliding, window, width, recurrentState);
        }

        /** KV heads of one layer: the file's per-layer list, its one number, or (llama.cpp's default) the head count. */
        private static Integer headsKv(GgufHeader h, int layer) {
            List<Integer> heads = h.headCountKv();
            if (heads == null || heads.isEmpty()) {
                return h.headCount();
            }
            return heads.size() == 1 ? heads.get(0) : layer < heads.size() ? heads.get(layer) : null;
        }

        /**
         * f16 values cached per KV head and cell: key plus value width, each {@code embedding_length / head_count}
         * unless the file says. With multi-head latent attention llama.cpp caches only the key (the compressed
         * latent and the rotary part, which the converter writes as {@code key_length}).
         */
        private static Long cacheWidthPerHead(GgufHeader h) {
            Integer key = h.keyLength();
            Integer value = h.valueLength();
            if (key == null || value == null) {
                if (h.embeddingLength() == null || h.headCount() == null || h.headCount() == 0) {
                    return key != null && value != null ? (long) key + value : null;
                }
                int perHead = h.embeddingLength() / h.headCount();
                key = key == null ? perHead : key;
                value = value == null ? perHead : value;
            }
            boolean latent = h.keyLengthMla() != null && h.valueLengthMla() != null;
            return latent ? (long) key : (long) key + value;
        }

        /**
         * f32 values of one recurrent layer's state: the convolution's last {@code kernel - 1} inputs and the scan
         * state (llama-hparams.cpp n_embd_r and n_embd_s); LFM2's short convolution keeps only the former.
         */
        private static Long recurrentState(GgufHeader h) {
            if (h.shortconvLCache() != null) {
                return h.embeddingLength() == null ? null : (long) h.embeddingLength() * (h.shortconvLCache() - 1);
            }
            if (h.ssmConvKernel() == null || h.ssmInnerSize() == null || h.ssmStateSize() == null) {
                return null;
            }
            long groups = h.ssmGroupCount() == null ? 0 : h.ssmGroupCount();
            long conv = (long) Math.max(0, h.ssmConvKernel() - 1) * (h.ssmInnerSize() + 2 * groups * h.ssmStateSize());
            return conv + (long) h.ssmStateSize() * h.ssmInnerSize();
        }
    }
}
