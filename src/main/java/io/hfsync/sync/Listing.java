package io.hfsync.sync;

import io.hfsync.catalog.MassRemovalGuard;
import io.hfsync.catalog.Times;
import io.hfsync.hub.CatalogEntries;
import io.hfsync.hub.DiscoveryStrategy;
import io.hfsync.hub.HubCallProperties;
import io.hfsync.hub.HubModel;
import io.hfsync.hub.HubUrls;
import io.hfsync.hub.LinkHeader;
import io.hfsync.hub.ListingPage;
import io.hfsync.hub.ListingSize;
import io.hfsync.mode.SignificantChange;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listing steps of routes/hub-listing.camel.yaml and routes/sync-run.camel.yaml (bean {@code listing}): page the
 * Hub's model listing for each discovery strategy, keep the models inside the run's window, merge them; then maybe
 * continue as a full sync, and close the listing.
 */
public final class Listing {

    private static final Logger LOG = LoggerFactory.getLogger(Listing.class);

    /** Every discovery strategy is listed on every pass (docs/sync-modes.md "Discovery"). */
    public List<DiscoveryStrategy> passes() {
        return List.of(DiscoveryStrategy.values());
    }

    /** The paging state of a pass about to start, for {@link RunProperties#LISTING_PASS}. */
    public ListingPass pass(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run) {
        return new ListingPass(run.settings().maxPages());
    }

    /**
     * The first page of one discovery strategy, sorted for this run's mode: incremental reads newest-modified first
     * to stop early, full reads by creation, where repos keep their place. The paging loop follows it while
     * {@link HubCallProperties#HUB_URL} is set.
     */
    public String firstPage(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run, @Body DiscoveryStrategy strategy,
            @ExchangeProperty(RunProperties.LISTING_PASS) ListingPass pass) {
        String sort = run.decision().incremental() ? "lastModified" : "createdAt";
        String first = strategy.firstPage(run.settings().hubUrl(), sort, run.settings().pageSize());
        pass.next(first);
        LOG.info("Listing {} ({} sync)", strategy.description(), run.mode().wireName());
        return first;
    }

    /**
     * A listing page into its models, item by item (docs/sync-modes.md): one malformed item is repaired or left out, counted and
     * logged once, and the run goes on; a page that is not a JSON array fails the run, since the Hub said nothing
     * usable.
     */
    public List<HubModel> page(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run, @Body byte[] body,
            @ExchangeProperty(HubCallProperties.HUB_URL) String url) {
        ListingPage page;
        try {
            page = ListingPage.read(body == null ? new byte[0] : body);
        } catch (ListingPage.NotAListingException e) {
            throw new SyncAbortedException("the Hub's listing page " + HubUrls.forLog(url) + " is " + e.getMessage());
        }
        page.malformed().forEach(run.counters()::malformedItem);
        return page.models();
    }

    /**
     * Which listed models this run takes. Incremental listings are newest first, so the first model older than the
     * cutoff ends paging for that strategy; a model with no date is kept (the seed's safe default). Private repos
     * (listed to their owner's token) are never taken.
     */
    public boolean accept(@Body HubModel model, @ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run,
            @ExchangeProperty(RunProperties.DISCOVERY_STRATEGY) DiscoveryStrategy strategy,
            @ExchangeProperty(RunProperties.LISTING_PASS) ListingPass pass) {
        if (model.id() == null || model.id().isBlank()) {
            run.counters().itemWithoutId();
            return false;
        }
        if (Boolean.TRUE.equals(model.isPrivate())) {
            // with a token the Hub lists its owner's private repos too: they never enter a catalog that may be public
            run.counters().privateSkipped();
            return false;
        }
        if (run.decision().incremental()) {
            Instant modified = Times.parse(model.lastModified());
            if (modified != null && modified.isBefore(run.decision().cutoff())) {
                pass.cutoffSeen();
                return false;
            }
        }
        return !strategy.requiresGgufFile() || model.hasGgufFile();
    }

    /** Upserts one listed model into the run's catalog merge, with the file size its listing item proves, if any. */
    public void merge(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run, @Body HubModel item) {
        run.merge().acceptListed(CatalogEntries.from(item), ListingSize.provenBy(item));
    }

    /**
     * After a page: the next page is the {@code Link rel="next"} URL (a relative one resolved against the page's own
     * URL, RFC 8288), unless the filter saw the cutoff or the Hub sent none (then null, which ends the loop). A link
     * already read in this pass, or a pass longer than {@code hub.max-pages}, fails the run. (A next URL on another
     * host or scheme is refused before anything is sent there, by the Hub call route.)
     */
    public String nextPage(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run, @Header("Link") String linkHeader,
            @ExchangeProperty(HubCallProperties.HUB_URL) String page,
            @ExchangeProperty(RunProperties.LISTING_PASS) ListingPass pass) {
        run.pageDone();
        String link = pass.ended() ? null : LinkHeader.next(linkHeader);
        if (link == null) {
            return null;
        }
        String next;
        try {
            next = page == null ? link : URI.create(page).resolve(link.trim()).toString();
        } catch (IllegalArgumentException e) {
            throw new SyncAbortedException("the Hub's next link is not a URL: " + e.getMessage());
        }
        pass.next(next);
        return next;
    }

    /** After the paging loop: a pending next page means the loop was cut short (shutdown), so the run fails. */
    public void passEnded(@ExchangeProperty(HubCallProperties.HUB_URL) String pending) {
        if (pending != null) {
            throw new SyncAbortedException("listing stopped before its last page (shutting down); "
                    + "nothing is removed or recorded from an incomplete listing");
        }
    }

    /** Seed 4.4: after an auto incremental pass, a large move in the model count continues the run as a full sync. */
    public void checkSignificantChange(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run) {
        if (!run.decision().mayEscalate()) {
            return;
        }
        SignificantChange.detect(run.merge().sizeBefore(), run.merge().sizeNow(),
                run.settings().significantChangeThreshold())
                .ifPresent(line -> {
                    LOG.warn("{}", line);
                    LOG.info("Switching to full sync due to significant changes");
                    run.escalate(line);
                });
    }

    /**
     * Every pass read to its end: a full sync may now call removed what the Hub no longer lists, within the
     * {@link MassRemovalGuard}'s limit.
     */
    public void complete(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run) {
        if (!run.decision().incremental()) {
            run.merge().completeFullListing();
            new MassRemovalGuard(run.settings().maxRemovedFraction(), run.settings().allowMassRemoval())
                    .check(run.merge().sizeBefore(), run.merge().removedCount());
        }
        run.listingCompleted();
        int[] journal = run.merge().applyJournal();
        if (journal[0] + journal[1] > 0) {
            LOG.info("Detail journal of an earlier run: {} answers used, {} dropped (the listing shows another revision)",
                    journal[0], journal[1]);
        }
        int[] headers = run.merge().applyHeaderJournal();
        if (headers[0] + headers[1] > 0) {
            LOG.info("Header journal of an earlier run: {} reads used, {} dropped (the repo has another sha now)",
                    headers[0], headers[1]);
        }
        LOG.info("Listing done: {} models listed, {} added, {} updated, {} removed, {} details to fetch",
                run.merge().listedCount(), run.merge().addedCount(), run.merge().updatedCount(),
                run.merge().removedCount(), run.detailsPending());
        RunCounts counts = run.counts();
        if (counts.itemsWithoutId() > 0) {
            LOG.warn("Skipped {} listing items without an id", counts.itemsWithoutId());
        }
        if (counts.malformedItems() > 0) {
            LOG.warn("{} malformed listing items were read without their bad fields or left out (see the lines above)",
                    counts.malformedItems());
        }
        if (counts.privateSkipped() > 0) {
            LOG.info("Left out {} private repos the token's owner can see (never written to the catalog)",
                    counts.privateSkipped());
        }
    }
}
