package io.hfsync.memory;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one weights file needs in memory at one context, in bytes, for llama.cpp's defaults (docs/memory.md).
 * Without a GGUF header only {@code weights} is known: the other parts are {@code null}, never guessed.
 *
 * @param context  the context in tokens; {@code null} when the file's header is not known
 * @param weights  the file's bytes (split parts summed)
 * @param kvCache  the KV cache and recurrent state llama.cpp allocates at that context; exact for the families
 *                 docs/memory.md lists, {@code null} for the others
 * @param compute  llama.cpp's compute buffer, estimated
 * @param total    weights + kv_cache + compute, {@code null} when either is unknown
 */
public record MemoryEstimate(
        Long context,
        long weights,
        @JsonProperty("kv_cache") Long kvCache,
        Long compute,
        Long total) {

    static MemoryEstimate weightsOnly(long weights) {
        return new MemoryEstimate(null, weights, null, null, null);
    }

    static MemoryEstimate of(long context, long weights, Long kvCache, Long compute) {
        Long total = kvCache == null || compute == null ? null : weights + kvCache + compute;
        return new MemoryEstimate(context, weights, kvCache, compute, total);
    }
}
