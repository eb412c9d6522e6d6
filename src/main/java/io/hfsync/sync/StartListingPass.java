package io.hfsync.sync;

import io.hfsync.hub.DiscoveryStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Points the paging loop at the first page of one discovery strategy, sorted for this run's mode; {@link #ended}
 * checks afterwards that the pass really reached its last page.
 */
public final class StartListingPass implements Processor {

    public static final String NEXT_URL_PROPERTY = "hubUrl";
    private static final Logger LOG = LoggerFactory.getLogger(StartListingPass.class);

    @Override
    public void process(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        DiscoveryStrategy strategy = exchange.getMessage().getMandatoryBody(DiscoveryStrategy.class);
        run.resumePaging();
        exchange.setProperty(ListingFilter.STRATEGY_PROPERTY, strategy);
        String first = run.firstPage(strategy);
        run.nextPage(first);
        exchange.setProperty(NEXT_URL_PROPERTY, first);
        LOG.info("Listing {} ({} sync)", strategy.description(), run.mode().wireName());
    }

    /** After the paging loop: a pending next page means the loop was cut short (shutdown), so the run fails. */
    public void ended(Exchange exchange) {
        String pending = exchange.getProperty(NEXT_URL_PROPERTY, String.class);
        if (pending != null) {
            throw new SyncAbortedException("listing stopped before its last page (shutting down); "
                    + "nothing is removed or recorded from an incomplete listing");
        }
    }
}
