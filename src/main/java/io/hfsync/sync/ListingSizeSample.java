package io.hfsync.sync;

import java.util.List;

/**
 * The repos a full sync fetches first to verify the listing's sizes (docs/sync-modes.md, "Sizes the listing already
 * proves"), and what ended their detail calls early. Carried by the route hf-sync-listing-sizes as the exchange
 * property {@value RunProperties#LISTING_SIZE_SAMPLE} while it verifies, and by nothing after it.
 */
public final class ListingSizeSample {

    private final List<String> ids;
    private volatile Exception failure;

    ListingSizeSample(List<String> ids) {
        this.ids = List.copyOf(ids);
    }

    /** The sample's ids, the detail calls hf-sync-hub-details makes while the sample is verified. */
    List<String> ids() {
        return ids;
    }

    /** The Hub failed during the sample: the run publishes its listing without listing sizes, then fails with this. */
    void failed(Exception cause) {
        failure = cause;
    }

    /** What ended the sample's detail calls, or null. */
    Exception failure() {
        return failure;
    }
}
