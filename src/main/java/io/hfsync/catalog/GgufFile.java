package io.hfsync.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.hfsync.memory.MemoryEstimate;
import java.util.List;

/**
 * One logical GGUF file of a repo; split parts are one file named after its first part, whose size is their sum.
 * {@code null} = unknown.
 *
 * @param role       what the file is (docs/files.md)
 * @param parts      how many parts the name announces ({@code -00001-of-00003} → 3); 1 for a single file
 * @param complete   whether every announced part is in the repo; an incomplete set has no size
 * @param sizeSource where {@code size} comes from (docs/sync-modes.md); null when the size is unknown
 * @param memory     what a complete, sized weights file needs to run in llama.cpp per context (docs/memory.md); null
 *                   for any other file. Derived from the size and the model's GGUF header by {@link FileMemory}
 *                   whenever a {@link CatalogEntry} is made, so whatever a caller passes here is replaced there.
 */
public record GgufFile(String name, String quantization, Long size, FileRole role, Integer parts, Boolean complete,
        @JsonProperty("size_source") SizeSource sizeSource, List<MemoryEstimate> memory) {

    public GgufFile {
        memory = memory == null ? null : List.copyOf(memory);
    }

    /** A file without its memory estimate (its catalog entry derives it). */
    public GgufFile(String name, String quantization, Long size, FileRole role, Integer parts, Boolean complete,
            SizeSource sizeSource) {
        this(name, quantization, size, role, parts, complete, sizeSource, null);
    }

    /** A file whose size, when it has one, was read from the Hub's blobs (a detail call). */
    public GgufFile(String name, String quantization, Long size, FileRole role, Integer parts, Boolean complete) {
        this(name, quantization, size, role, parts, complete, size == null ? null : SizeSource.BLOBS);
    }

    /** A single (not split) file. */
    public static GgufFile single(String name, Long size) {
        return new GgufFile(name, Quantization.of(name), size, FileRole.of(name), 1, true);
    }

    /** A weights file with every part there: one whose GGUF header can be read (docs/gguf-headers.md). */
    public boolean completeWeights() {
        return role == FileRole.WEIGHTS && Boolean.TRUE.equals(complete);
    }

    /** The file with a size from {@code source} (no size: no source); its memory is derived again by its entry. */
    public GgufFile withSize(Long newSize, SizeSource source) {
        return new GgufFile(name, quantization, newSize, role, parts, complete, newSize == null ? null : source, null);
    }

    /** The file with this memory estimate. */
    GgufFile withMemory(List<MemoryEstimate> newMemory) {
        return new GgufFile(name, quantization, size, role, parts, complete, sizeSource, newMemory);
    }
}
