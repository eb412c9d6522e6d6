package io.hfsync.database;

/** The catalog has not been published yet (or cannot be opened): the page answers 503 (docs/browser.md). */
public final class CatalogMissingException extends RuntimeException {

    CatalogMissingException(String message, Throwable cause) {
        super(message, cause);
    }
}
