package io.hfsync.standin;

import java.util.Objects;

/**
 * One file of a Hub repository, as the Hub's {@code siblings} list knows it.
 *
 * @param path repository-relative path; may contain sub-folders ({@code Q4_K_M/x-00001-of-00002.gguf})
 * @param size size in bytes
 */
public record RepoFile(String path, long size) {

    public RepoFile {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty() || path.startsWith("/")) {
            throw new IllegalArgumentException("path must be relative and not empty: '" + path + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
    }

    public boolean isGguf() {
        return path.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf");
    }
}
