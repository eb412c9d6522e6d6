package io.hfsync.sync;

import io.hfsync.hub.HubUrls;
import java.util.HashSet;
import java.util.Set;

/**
 * The paging state of one listing pass (one discovery strategy), held by routes/hub-listing.camel.yaml as the exchange
 * property {@value RunProperties#LISTING_PASS} while its loop follows the Hub's next links: the pages read, so that a
 * next link already read (a loop) or more pages than any real listing has ({@code hub.max-pages}) fail the run instead
 * of paging until the time budget, and whether the incremental cutoff was seen, which ends the pass.
 */
public final class ListingPass {

    private final int maxPages;
    private final Set<String> pages = new HashSet<>();
    private volatile boolean cutoffSeen;

    ListingPass(int maxPages) {
        this.maxPages = maxPages;
    }

    /** The next page to read; fails the run when the Hub sends a page already read, or one past the limit. */
    synchronized void next(String url) {
        if (!pages.add(url)) {
            throw new SyncAbortedException("the Hub's listing sent a next link already read (" + HubUrls.forLog(url)
                    + "): stopped instead of paging in a loop");
        }
        if (pages.size() > maxPages) {
            throw new SyncAbortedException("the listing was still going after " + maxPages
                    + " pages (hub.max-pages): stopped instead of paging for ever");
        }
    }

    /** A model older than the incremental cutoff: the listing is newest first, so no page after this one is read. */
    void cutoffSeen() {
        cutoffSeen = true;
    }

    boolean ended() {
        return cutoffSeen;
    }
}
