package io.hfsync.report;

import java.time.Instant;

/**
 * How one run ended, as the world outside the log is told (metrics, the last-sync health check): plain values, so the observers know
 * nothing of the run's machinery. {@code mode} is the wire name ({@code full}, {@code incremental}) or null when the
 * run failed before choosing; the change counts and {@code catalogSize} mean something only when {@code merged}.
 * {@code resolverCalls} are the GGUF header reads' {@code /resolve/} calls, apart from {@code hubRequests} (the API's).
 */
public record RunOutcome(String mode, boolean failed, String failure, double durationSeconds, int hubRequests,
        int hubRetries, int sizeMismatches, boolean publishedOnce, int detailsPending, boolean merged, int added,
        int updated, int removed, int catalogSize, Instant startedAt, int resolverCalls, int headersRead,
        int headersPending) {
}
