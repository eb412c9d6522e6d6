package io.hfsync.config;

/** Another sync holds {@code DATA_DIR/.lock}: exit code 3, nothing written. */
public final class DataDirLockedException extends RuntimeException {

    public DataDirLockedException(String message) {
        super(message);
    }
}
