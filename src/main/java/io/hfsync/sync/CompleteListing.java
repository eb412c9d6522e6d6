package io.hfsync.sync;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every pass read to its end: a full sync may now call removed what the Hub no longer lists. */
public final class CompleteListing implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(CompleteListing.class);

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (!run.decision().incremental()) {
            run.merge().completeFullListing();
        }
        LOG.info("Listing done: {} models listed, {} added, {} updated, {} removed, {} details to fetch",
                run.merge().listedCount(), run.merge().added().size(), run.merge().updated().size(),
                run.merge().removed().size(), run.settings().fetchFileSizes() ? run.detailsToFetch().size() : 0);
        if (run.itemsWithoutId() > 0) {
            LOG.warn("Skipped {} listing items without an id", run.itemsWithoutId());
        }
    }
}
