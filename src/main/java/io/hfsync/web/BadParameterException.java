package io.hfsync.web;

/**
 * A request parameter the API cannot use; the message names it. {@code routes/web.camel.yaml} answers it 400 with
 * {@code {"error": message}} (docs/browser.md).
 */
public final class BadParameterException extends RuntimeException {

    public BadParameterException(String message) {
        super(message);
    }
}
