package io.hfsync.web;

/**
 * No such model in the catalog, or no such file among the page's. {@code routes/web.camel.yaml} answers it 404 with
 * {@code {"error": message}} (docs/browser.md).
 */
public final class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
