package io.hfsync.sync;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every pass read to its end: a full sync may now call removed what the Hub no longer lists, unless that is more
 * of the catalog than {@code sync.max-removed-fraction}: a Hub that lists too little must not wipe the catalog.
 */
public final class CompleteListing implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(CompleteListing.class);

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (!run.decision().incremental()) {
            run.merge().completeFullListing();
            guardAgainstMassRemoval(run);
        }
        run.listingCompleted();
        int[] journal = run.merge().applyJournal();
        if (journal[0] + journal[1] > 0) {
            LOG.info("Detail journal of an earlier run: {} answers used, {} dropped (the listing shows another revision)",
                    journal[0], journal[1]);
        }
        LOG.info("Listing done: {} models listed, {} added, {} updated, {} removed, {} details to fetch",
                run.merge().listedCount(), run.merge().addedCount(), run.merge().updatedCount(),
                run.merge().removedCount(), run.detailsPending());
        if (run.itemsWithoutId() > 0) {
            LOG.warn("Skipped {} listing items without an id", run.itemsWithoutId());
        }
        if (run.malformedItems() > 0) {
            LOG.warn("{} malformed listing items were read without their bad fields or left out (see the lines above)",
                    run.malformedItems());
        }
        if (run.privateSkipped() > 0) {
            LOG.info("Left out {} private repos the token's owner can see (never written to the catalog)", run.privateSkipped());
        }
    }

    private static void guardAgainstMassRemoval(SyncRun run) {
        int before = run.merge().sizeBefore();
        int removed = run.merge().removedCount();
        double fraction = before == 0 ? 0 : removed / (double) before;
        if (fraction > run.settings().maxRemovedFraction()) {
            String numbers = String.format(java.util.Locale.ROOT, "full sync would remove %d of %d models (%.1f%% > %.1f%%)",
                    removed, before, fraction * 100, run.settings().maxRemovedFraction() * 100);
            if (!run.settings().allowMassRemoval()) {
                throw new SyncAbortedException(numbers + "; set ALLOW_MASS_REMOVAL=true to let this run through");
            }
            LOG.warn("{}: allowed by ALLOW_MASS_REMOVAL", numbers);
        }
    }
}
