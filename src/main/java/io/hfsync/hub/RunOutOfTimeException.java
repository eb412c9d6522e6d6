package io.hfsync.hub;

/**
 * The run met the end of its time budget before its listing completed: it fails, and the catalog stays as it was
 * published (docs/faults.md). The message says how long it ran and which setting it exceeded, and becomes the
 * metadata's {@code error_message} as it is.
 */
public final class RunOutOfTimeException extends RuntimeException {

    public RunOutOfTimeException(String message) {
        super(message);
    }
}
