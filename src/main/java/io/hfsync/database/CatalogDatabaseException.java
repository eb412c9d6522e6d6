package io.hfsync.database;

/**
 * A catalog database could not be reached or written. The message names the database (URL and user, never the
 * password) in one line and becomes the run's {@code error_message} as it is.
 */
public final class CatalogDatabaseException extends RuntimeException {

    public CatalogDatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
