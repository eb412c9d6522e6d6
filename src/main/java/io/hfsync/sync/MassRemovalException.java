package io.hfsync.sync;

/** A full sync would remove more of the catalog than {@code sync.max-removed-fraction} allows. */
public final class MassRemovalException extends RuntimeException {

    public MassRemovalException(String message) {
        super(message);
    }
}
