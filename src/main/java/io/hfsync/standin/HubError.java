package io.hfsync.standin;

/** A request the Hub refuses; answered as {@code {"error": message}} with the status. */
final class HubError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    HubError(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }

    static HubError notFound() {
        return new HubError(404, "Repository not found");
    }
}
