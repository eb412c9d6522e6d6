package io.hfsync.web;

/** A request parameter the API cannot use: answered 400 with {@code {"error": message}}. */
public final class BadRequestException extends RuntimeException {

    public BadRequestException(String message) {
        super(message);
    }
}
