package io.hfsync.catalog;

import io.hfsync.gguf.GgufHeader;
import io.hfsync.memory.MemoryEstimate;
import io.hfsync.memory.MemoryEstimator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Will it fit: the {@code memory} of each file of a model and its {@code mmproj_bytes}, from its files and its GGUF
 * header alone (docs/memory.md). A pure function, applied whenever a {@link CatalogEntry} is made, so an entry's
 * memory always matches its sizes and header.
 */
public final class FileMemory {

    private FileMemory() {
    }

    /**
     * The files, each complete sized weights file with its estimates ({@link MemoryEstimator#estimates}: one per
     * context with a header, the weights alone without), every other file with none.
     *
     * @param header the model's GGUF header, or null when it is not known (or was read at another revision)
     */
    public static List<GgufFile> withMemory(List<GgufFile> files, GgufHeader header) {
        List<GgufFile> result = new ArrayList<>(files.size());
        for (GgufFile file : files) {
            if (file == null) {
                result.add(null);
                continue;
            }
            List<MemoryEstimate> memory = runs(file) ? MemoryEstimator.estimates(file.size(), header) : null;
            result.add(Objects.equals(memory, file.memory()) ? file : file.withMemory(memory));
        }
        return result;
    }

    /** The largest vision projector of the files, in bytes; null when there is none with a known size. */
    public static Long mmprojBytes(List<GgufFile> files) {
        Long largest = null;
        for (GgufFile file : files) {
            if (file != null && file.role() == FileRole.MMPROJ && file.size() != null && file.size() >= 0
                    && !Boolean.FALSE.equals(file.complete()) && (largest == null || file.size() > largest)) {
                largest = file.size();
            }
        }
        return largest;
    }

    /**
     * The header describes the model's files when it was read at the entry's revision: a header of an older
     * {@code sha} may not match the files of this one, and a guess is never published.
     */
    static GgufHeader usableHeader(GgufHeader header, String sha) {
        return header != null && (header.sha() == null || header.sha().equals(sha)) ? header : null;
    }

    /** A file llama.cpp could load: the model's weights, every part there, its size known. */
    private static boolean runs(GgufFile file) {
        return file.role() == FileRole.WEIGHTS && file.size() != null && file.size() >= 0
                && !Boolean.FALSE.equals(file.complete());
    }
}
