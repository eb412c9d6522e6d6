package io.hfsync.catalog;

import java.util.List;

/**
 * A detail answer compared with the size the listing stated for the same revision of a single-file repo (docs/sync-modes.md).
 *
 * @param listed the listing's {@code gguf.totalFileSize}
 * @param read   the file's size from the detail call's blobs
 */
public record ListingSizeCheck(String id, long listed, long read) {

    public boolean matches() {
        return listed == read;
    }

    /** The check for an answer, or null when the answer does not show one sized file (nothing to compare). */
    public static ListingSizeCheck of(String id, long listed, List<GgufFile> answered) {
        if (answered == null || answered.size() != 1 || answered.get(0) == null || answered.get(0).size() == null) {
            return null;
        }
        return new ListingSizeCheck(id, listed, answered.get(0).size());
    }
}
