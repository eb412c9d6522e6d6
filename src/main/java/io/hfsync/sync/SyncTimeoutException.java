package io.hfsync.sync;

/** The run went on longer than {@code sync.timeout-hours}. */
public final class SyncTimeoutException extends RuntimeException {

    public SyncTimeoutException(String message) {
        super(message);
    }
}
