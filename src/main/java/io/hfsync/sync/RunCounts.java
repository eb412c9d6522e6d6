package io.hfsync.sync;

/**
 * What one run counted, read at one moment ({@link RunCounters#snapshot}): the report, the metadata
 * ({@code last_sync_metadata.json}), the metrics and the progress line read these values, never the counters.
 *
 * @param hubRequests     Hub API calls, retries included
 * @param hubRetries      calls made again after a failed attempt
 * @param resolverCalls   {@code /resolve/} calls of GGUF header reads (docs/gguf-headers.md), apart from the API's
 * @param headerBytes     bytes of GGUF files read
 * @param pagesRead       listing pages read, every discovery pass
 * @param itemsWithoutId  listing items left out for having no id
 * @param privateSkipped  private repos the listing showed (to the token's owner) and the run left out
 * @param malformedItems  listing items and detail answers repaired or left out because they were malformed
 * @param unusableDetails detail calls answered with a client error other than 401/404, or with a body that is not JSON
 * @param detailsDone     detail calls answered or given up on, usable or not
 * @param sizeChecks      detail answers compared with a listing size (docs/sync-modes.md)
 * @param sizeMismatches  detail answers that contradicted the listing's size
 */
public record RunCounts(int hubRequests, int hubRetries, int resolverCalls, long headerBytes, int pagesRead,
        int itemsWithoutId, int privateSkipped, int malformedItems, int unusableDetails, int detailsDone,
        int sizeChecks, int sizeMismatches) {
}
