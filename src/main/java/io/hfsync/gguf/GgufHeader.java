package io.hfsync.gguf;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * What one GGUF header says about the memory a model needs besides its weights: the hyper-parameters under the
 * {@code {architecture}.} keys, read once per repo revision (docs/gguf-headers.md). Every quantisation of a repo
 * carries the same values. A key the file does not hold is {@code null} here and omitted in JSON, never guessed.
 *
 * @param sha       the repo revision the header was read at
 * @param file      the file that was read (of a split set, part 1)
 * @param bytesRead how many bytes of it were read
 * @param headCountKv  one item when the file holds a number, one per layer when it holds a list
 * @param slidingWindowPattern per layer, true where the layer uses the sliding window (when the file has the key)
 * @param vocabSize the tokenizer's token count
 * @param nextnPredictLayers the multi-token-prediction layers at the end, which hold no KV cache in the main context
 * @param shortconvLCache LFM2's short convolution length (its recurrent state is {@code embedding_length} times one less)
 * @param feedForwardLength the largest feed-forward width (of a per-layer list, its largest item); sizes the compute estimate
 * @param expertFeedForwardLength one expert's feed-forward width (MoE); sizes the compute estimate
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GgufHeader(
        String sha,
        String file,
        @JsonProperty("bytes_read") Long bytesRead,
        String architecture,
        @JsonProperty("block_count") Integer blockCount,
        @JsonProperty("context_length") Long contextLength,
        @JsonProperty("embedding_length") Integer embeddingLength,
        @JsonProperty("head_count") Integer headCount,
        @JsonProperty("head_count_kv") List<Integer> headCountKv,
        @JsonProperty("key_length") Integer keyLength,
        @JsonProperty("value_length") Integer valueLength,
        @JsonProperty("sliding_window") Integer slidingWindow,
        @JsonProperty("sliding_window_pattern") List<Boolean> slidingWindowPattern,
        @JsonProperty("full_attention_interval") Integer fullAttentionInterval,
        @JsonProperty("kv_lora_rank") Integer kvLoraRank,
        @JsonProperty("key_length_mla") Integer keyLengthMla,
        @JsonProperty("value_length_mla") Integer valueLengthMla,
        @JsonProperty("expert_count") Integer expertCount,
        @JsonProperty("expert_used_count") Integer expertUsedCount,
        @JsonProperty("ssm_conv_kernel") Integer ssmConvKernel,
        @JsonProperty("ssm_inner_size") Integer ssmInnerSize,
        @JsonProperty("ssm_state_size") Integer ssmStateSize,
        @JsonProperty("ssm_group_count") Integer ssmGroupCount,
        @JsonProperty("vocab_size") Long vocabSize,
        @JsonProperty("nextn_predict_layers") Integer nextnPredictLayers,
        @JsonProperty("shortconv_l_cache") Integer shortconvLCache,
        @JsonProperty("feed_forward_length") Integer feedForwardLength,
        @JsonProperty("expert_feed_forward_length") Integer expertFeedForwardLength) {
}
