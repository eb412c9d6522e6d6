package io.hfsync.sync;

/**
 * The run stops on purpose, for a reason its message states in one line a person can act on (run too long, a full
 * sync that would remove too much, a listing cut short by shutdown). The message becomes the metadata's
 * {@code error_message} as it is.
 */
public final class SyncAbortedException extends RuntimeException {

    public SyncAbortedException(String message) {
        super(message);
    }
}
