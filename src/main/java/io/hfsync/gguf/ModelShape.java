package io.hfsync.gguf;

import io.hfsync.gguf.GgufWriter.ValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A model's hyper-parameters and the {@code {architecture}.} keys llama.cpp's converter writes for them, one key set
 * per family the memory estimate treats differently (docs/memory.md): dense grouped-query attention, a sliding window,
 * experts, a recurrent state (short convolution or SSM) between attention layers, multi-head latent attention. The
 * memory proof's tiny models (loaded in llama.cpp) and the stand-in Hub's headers are written from it, so the keys the
 * header reader looks for are the keys llama.cpp reads.
 *
 * <pre>
 * new ModelShape("qwen3", 28, 1024, 16).headCountKv(8).lengths(128, 128).feedForwardLength(3072)
 *         .contextLength(40960).writeKeys(writer);
 * </pre>
 */
public final class ModelShape {

    private final String architecture;
    private final int blockCount;
    private final int embeddingLength;
    private final int headCount;
    private long contextLength = 4096;
    private int feedForwardLength;
    private List<Integer> headCountKv;
    private Integer keyLength;
    private Integer valueLength;
    private float rmsEpsilon = 1e-6f;
    private Float ropeFreqBase;
    private Integer ropeDimensionCount;
    private List<Integer> ropeDimensionSections;
    private Integer slidingWindow;
    private List<Boolean> slidingWindowPattern;
    private Integer fullAttentionInterval;
    private Integer expertCount;
    private Integer expertUsedCount;
    private Integer expertFeedForwardLength;
    private Integer expertSharedCount;
    private Integer leadingDenseBlockCount;
    private Integer kvLoraRank;
    private Integer qLoraRank;
    private Integer keyLengthMla;
    private Integer valueLengthMla;
    private Integer shortconvLCache;
    private Integer ssmConvKernel;
    private Integer ssmInnerSize;
    private Integer ssmStateSize;
    private Integer ssmGroupCount;
    private Integer ssmTimeStepRank;
    private Integer nextnPredictLayers;
    private Long vocabSize;

    public ModelShape(String architecture, int blockCount, int embeddingLength, int headCount) {
        this.architecture = Objects.requireNonNull(architecture, "architecture");
        this.blockCount = blockCount;
        this.embeddingLength = embeddingLength;
        this.headCount = headCount;
    }

    public ModelShape contextLength(long tokens) {
        this.contextLength = tokens;
        return this;
    }

    /** The dense feed-forward width; 0 writes no key (a model whose every layer is experts). */
    public ModelShape feedForwardLength(int width) {
        this.feedForwardLength = width;
        return this;
    }

    public ModelShape headCountKv(int heads) {
        this.headCountKv = List.of(heads);
        return this;
    }

    /** Per layer (written as an array); 0 marks a layer without attention (LFM2's convolution layers). */
    public ModelShape headCountKv(List<Integer> perLayer) {
        this.headCountKv = List.copyOf(perLayer);
        return this;
    }

    /** Key and value head widths written out (otherwise llama.cpp takes embedding / heads). */
    public ModelShape lengths(int key, int value) {
        this.keyLength = key;
        this.valueLength = value;
        return this;
    }

    public ModelShape rmsEpsilon(float epsilon) {
        this.rmsEpsilon = epsilon;
        return this;
    }

    public ModelShape ropeFreqBase(float freqBase) {
        this.ropeFreqBase = freqBase;
        return this;
    }

    /** The rotary dimensions (of a head; MLA: of the key's rotary part). */
    public ModelShape ropeDimensionCount(int dimensions) {
        this.ropeDimensionCount = dimensions;
        return this;
    }

    /** Multimodal rotary sections (Qwen 2.5 VL, Qwen 3.5). */
    public ModelShape ropeDimensionSections(List<Integer> sections) {
        this.ropeDimensionSections = List.copyOf(sections);
        return this;
    }

    /** The sliding window's tokens; {@code pattern} (per layer, true where the window applies) may be null. */
    public ModelShape slidingWindow(int tokens, List<Boolean> pattern) {
        this.slidingWindow = tokens;
        this.slidingWindowPattern = pattern == null ? null : List.copyOf(pattern);
        return this;
    }

    /** Every n-th layer has full attention, the others a recurrent state (Qwen 3.5, Qwen3-Next). */
    public ModelShape fullAttentionInterval(int every) {
        this.fullAttentionInterval = every;
        return this;
    }

    public ModelShape experts(int count, int used, int feedForwardLength) {
        this.expertCount = count;
        this.expertUsedCount = used;
        this.expertFeedForwardLength = feedForwardLength;
        return this;
    }

    /** One expert's feed-forward width, without the experts themselves (DeepSeek with every layer dense). */
    public ModelShape expertFeedForwardLength(int width) {
        this.expertFeedForwardLength = width;
        return this;
    }

    /** DeepSeek: shared experts beside the routed ones, and the dense layers before the first expert layer. */
    public ModelShape sharedExperts(int shared, int leadingDenseBlocks) {
        this.expertSharedCount = shared;
        this.leadingDenseBlockCount = leadingDenseBlocks;
        return this;
    }

    /**
     * Multi-head latent attention as llama.cpp's converter writes it: the compressed KV rank, the query rank (0: none,
     * no key), and the per-head key and value widths before compression.
     */
    public ModelShape mla(int kvLoraRank, int qLoraRank, int keyLengthMla, int valueLengthMla) {
        this.kvLoraRank = kvLoraRank;
        this.qLoraRank = qLoraRank;
        this.keyLengthMla = keyLengthMla;
        this.valueLengthMla = valueLengthMla;
        return this;
    }

    /** LFM2's short convolution length. */
    public ModelShape shortconv(int lCache) {
        this.shortconvLCache = lCache;
        return this;
    }

    public ModelShape ssm(int convKernel, int innerSize, int stateSize, int groupCount, int timeStepRank) {
        this.ssmConvKernel = convKernel;
        this.ssmInnerSize = innerSize;
        this.ssmStateSize = stateSize;
        this.ssmGroupCount = groupCount;
        this.ssmTimeStepRank = timeStepRank;
        return this;
    }

    public ModelShape nextnPredictLayers(int layers) {
        this.nextnPredictLayers = layers;
        return this;
    }

    /** {@code {architecture}.vocab_size}, which some converters write beside the tokenizer. */
    public ModelShape vocabSize(long tokens) {
        this.vocabSize = tokens;
        return this;
    }

    /** Writes the {@code {architecture}.} keys, in the order llama.cpp's converter writes them. */
    public GgufWriter writeKeys(GgufWriter w) {
        String a = architecture + ".";
        if (vocabSize != null) {
            w.uint32(a + "vocab_size", vocabSize);
        }
        w.uint32(a + "context_length", contextLength).uint32(a + "embedding_length", embeddingLength)
                .uint32(a + "block_count", blockCount);
        if (feedForwardLength > 0) {
            w.uint32(a + "feed_forward_length", feedForwardLength);
        }
        w.uint32(a + "attention.head_count", headCount);
        if (headCountKv != null) {
            if (headCountKv.size() == 1) {
                w.uint32(a + "attention.head_count_kv", headCountKv.get(0));
            } else {
                w.array(a + "attention.head_count_kv", ValueType.INT32, headCountKv);
            }
        }
        if (ropeFreqBase != null) {
            w.float32(a + "rope.freq_base", ropeFreqBase);
        }
        w.float32(a + "attention.layer_norm_rms_epsilon", rmsEpsilon);
        if (keyLength != null) {
            w.uint32(a + "attention.key_length", keyLength).uint32(a + "attention.value_length", valueLength);
        }
        if (ropeDimensionCount != null) {
            w.uint32(a + "rope.dimension_count", ropeDimensionCount);
        }
        if (ropeDimensionSections != null) {
            w.array(a + "rope.dimension_sections", ValueType.INT32, ropeDimensionSections);
        }
        if (slidingWindow != null) {
            w.uint32(a + "attention.sliding_window", slidingWindow);
            if (slidingWindowPattern != null) {
                w.array(a + "attention.sliding_window_pattern", ValueType.BOOL, slidingWindowPattern);
            }
        }
        if (fullAttentionInterval != null) {
            w.uint32(a + "full_attention_interval", fullAttentionInterval);
        }
        if (leadingDenseBlockCount != null) {
            w.uint32(a + "leading_dense_block_count", leadingDenseBlockCount);
        }
        if (kvLoraRank != null) {
            if (qLoraRank != null && qLoraRank > 0) {
                w.uint32(a + "attention.q_lora_rank", qLoraRank);
            }
            w.uint32(a + "attention.kv_lora_rank", kvLoraRank).uint32(a + "attention.key_length_mla", keyLengthMla)
                    .uint32(a + "attention.value_length_mla", valueLengthMla);
        }
        if (expertCount != null) {
            w.uint32(a + "expert_count", expertCount).uint32(a + "expert_used_count", expertUsedCount);
        }
        if (expertFeedForwardLength != null) {
            w.uint32(a + "expert_feed_forward_length", expertFeedForwardLength);
        }
        if (expertSharedCount != null) {
            w.uint32(a + "expert_shared_count", expertSharedCount);
        }
        if (shortconvLCache != null) {
            w.uint32(a + "shortconv.l_cache", shortconvLCache);
        }
        if (ssmConvKernel != null) {
            w.uint32(a + "ssm.conv_kernel", ssmConvKernel).uint32(a + "ssm.inner_size", ssmInnerSize)
                    .uint32(a + "ssm.state_size", ssmStateSize).uint32(a + "ssm.group_count", ssmGroupCount)
                    .uint32(a + "ssm.time_step_rank", ssmTimeStepRank);
        }
        if (nextnPredictLayers != null) {
            w.uint32(a + "nextn_predict_layers", nextnPredictLayers);
        }
        return w;
    }

    /**
     * What a header read of a file with these keys yields (docs/gguf-headers.md): the keys written, nothing guessed.
     *
     * @param vocab the tokenizer's token count, or null when the file has no tokenizer
     */
    public GgufHeader header(String sha, String file, Long bytesRead, Long vocab) {
        List<Integer> kv = headCountKv == null ? null : new ArrayList<>(headCountKv);
        return new GgufHeader(sha, file, bytesRead, architecture, blockCount, contextLength, embeddingLength,
                headCount, kv, keyLength, valueLength, slidingWindow, slidingWindowPattern, fullAttentionInterval,
                kvLoraRank, keyLengthMla, valueLengthMla, expertCount, expertUsedCount, ssmConvKernel, ssmInnerSize,
                ssmStateSize, ssmGroupCount, vocab, nextnPredictLayers, shortconvLCache,
                feedForwardLength > 0 ? feedForwardLength : null, expertFeedForwardLength);
    }

    public String architecture() {
        return architecture;
    }

    public int blockCount() {
        return blockCount;
    }

    public int embeddingLength() {
        return embeddingLength;
    }

    public int headCount() {
        return headCount;
    }

    public int feedForwardLength() {
        return feedForwardLength;
    }

    /** KV heads of layer {@code layer} (0 for a layer without attention). */
    public int kvHeadsOf(int layer) {
        if (headCountKv == null) {
            return headCount;
        }
        return headCountKv.size() == 1 ? headCountKv.get(0) : headCountKv.get(layer);
    }

    /** The key head's width: written, or embedding / heads as llama.cpp takes it. */
    public int keyWidth() {
        return keyLength != null ? keyLength : embeddingLength / headCount;
    }

    public int valueWidth() {
        return valueLength != null ? valueLength : embeddingLength / headCount;
    }

    public Integer expertCount() {
        return expertCount;
    }

    public Integer expertFeedForwardLength() {
        return expertFeedForwardLength;
    }

    public Integer leadingDenseBlockCount() {
        return leadingDenseBlockCount;
    }

    public Integer kvLoraRank() {
        return kvLoraRank;
    }

    public Integer qLoraRank() {
        return qLoraRank;
    }

    public Integer keyLengthMla() {
        return keyLengthMla;
    }

    public Integer valueLengthMla() {
        return valueLengthMla;
    }

    public Integer fullAttentionInterval() {
        return fullAttentionInterval;
    }

    public Integer shortconvLCache() {
        return shortconvLCache;
    }

    public Integer ssmInnerSize() {
        return ssmInnerSize;
    }

    public Integer ssmConvKernel() {
        return ssmConvKernel;
    }
}
