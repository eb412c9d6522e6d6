package io.hfsync.catalog;

/** One logical GGUF file of a repo; split parts are one file whose size is their sum. {@code null} = unknown. */
public record GgufFile(String name, String quantization, Long size) {
}
