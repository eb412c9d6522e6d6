package io.hfsync.sync;

/** A listing pass ended before its last page, e.g. on shutdown: its result must not count as complete. */
public final class ListingInterruptedException extends RuntimeException {

    public ListingInterruptedException(String message) {
        super(message);
    }
}
