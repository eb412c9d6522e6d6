package io.hfsync.hub;

/** A Hub call that kept failing after its retries, or asked for a longer wait than allowed. */
public final class HubCallFailedException extends RuntimeException {

    public HubCallFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
