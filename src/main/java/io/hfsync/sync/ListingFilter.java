package io.hfsync.sync;

import io.hfsync.catalog.Times;
import io.hfsync.hub.DiscoveryStrategy;
import io.hfsync.hub.HubModel;
import java.time.Instant;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/**
 * Which listed models this run takes. Incremental listings are newest first, so the first model older than the
 * cutoff ends paging for that strategy; a model with no date is kept (the seed's safe default). Private repos (listed
 * to their owner's token) are never taken.
 */
public final class ListingFilter {

    public static final String STRATEGY_PROPERTY = "discoveryStrategy";

    public boolean accept(@Body HubModel model, @ExchangeProperty(SyncRun.PROPERTY) SyncRun run,
            @ExchangeProperty(STRATEGY_PROPERTY) DiscoveryStrategy strategy) {
        if (model.id() == null || model.id().isBlank()) {
            run.skippedItemWithoutId();
            return false;
        }
        if (Boolean.TRUE.equals(model.isPrivate())) {
            // with a token the Hub lists its owner's private repos too: they never enter a catalog that may be public
            run.skippedPrivate();
            return false;
        }
        if (run.decision().incremental()) {
            Instant modified = Times.parse(model.lastModified());
            if (modified != null && modified.isBefore(run.decision().cutoff())) {
                run.stopPaging();
                return false;
            }
        }
        return !strategy.requiresGgufFile() || model.hasGgufFile();
    }
}
