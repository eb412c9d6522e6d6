package io.hfsync.store;

import java.io.IOException;

/**
 * The catalog file was read but is not a catalog (not JSON, truncated, the wrong shape). Only this may move the
 * live catalog aside; any other {@link IOException} (the scratch file cannot be made, a disk error, permissions)
 * is a local fault that fails the run with the catalog untouched.
 */
public final class CatalogUnreadableException extends IOException {

    public CatalogUnreadableException(String message, Throwable cause) {
        super(message, cause);
    }

    public CatalogUnreadableException(String message) {
        super(message);
    }
}
