package io.hfsync.catalog;

/**
 * One logical GGUF file of a repo; split parts are one file named after its first part, whose size is their sum.
 * {@code null} = unknown.
 *
 * @param role     what the file is (SPEC §10)
 * @param parts    how many parts the name announces ({@code -00001-of-00003} → 3); 1 for a single file
 * @param complete whether every announced part is in the repo; an incomplete set has no size
 */
public record GgufFile(String name, String quantization, Long size, FileRole role, Integer parts, Boolean complete) {

    /** A single (not split) file. */
    public static GgufFile single(String name, Long size) {
        return new GgufFile(name, Quantization.of(name), size, FileRole.of(name), 1, true);
    }

    public GgufFile withSize(Long newSize) {
        return new GgufFile(name, quantization, newSize, role, parts, complete);
    }
}
