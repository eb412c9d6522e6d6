package io.hfsync.store;

import java.io.IOException;

/**
 * The catalog file is beyond a limit this product sets on its own reads (nesting depth, length of a value, 16 MB per
 * model): not a corrupt file, so it is never moved aside and never replaced by a rebuilt one; the run fails and names
 * the limit (docs/faults.md).
 */
public final class CatalogOverLimitException extends IOException {

    public CatalogOverLimitException(String message, Throwable cause) {
        super(message, cause);
    }
}
