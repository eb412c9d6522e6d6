package io.hfsync.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The seed's end-of-run report, one log line each. */
public record SyncReport(String mode, String reason, double durationSeconds, int modelsProcessed, int added,
        int updated, int removed, long windowHours, int catalogSize, int detailsFetched, int detailsPending,
        int hubRequests, int hubRetries, String failure, boolean catalogPublished, int headersRead, int headersPending,
        int resolverCalls) {

    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("=== SYNC MODE REPORT ===");
        lines.add("Sync Mode: " + (mode == null ? "NONE" : mode.toUpperCase(Locale.ROOT)) + " (" + reason + ")");
        lines.add(String.format(Locale.ROOT, "Duration: %.1fs", durationSeconds));
        lines.add("Models Processed: " + modelsProcessed);
        if (failure != null) {
            // true in every failure: whether this run's catalog was renamed into place is known, not guessed
            lines.add("Result: FAILED (" + failure + "); " + (catalogPublished
                    ? "the catalog this run published stays, " + catalogSize + " models" : "catalog left as it was"));
        } else if ("incremental".equals(mode)) {
            lines.add("Incremental Changes: Added " + added + ", Updated " + updated + ", Removed " + removed
                    + ", Window " + windowHours + "h");
        } else {
            lines.add("Full Sync Changes: Added " + added + ", Updated " + updated + ", Removed " + removed);
        }
        if (failure == null) {
            lines.add("Catalog: " + catalogSize + " models");
        }
        lines.add("Details: fetched " + detailsFetched + ", pending " + detailsPending);
        lines.add("GGUF headers: read " + headersRead + ", pending " + headersPending + " (file reads: " + resolverCalls + ")");
        lines.add("Hub requests: " + hubRequests + " (retries: " + hubRetries + ")");
        lines.add("========================");
        return lines;
    }
}
