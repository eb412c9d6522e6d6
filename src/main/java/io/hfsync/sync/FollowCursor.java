package io.hfsync.sync;

import io.hfsync.hub.LinkHeader;
import java.net.URI;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * After a page: the next page is the {@code Link rel="next"} URL (a relative one resolved against the page's own URL,
 * RFC 8288), unless the filter saw the cutoff or the Hub sent none. A link already read in this pass, or a pass longer
 * than {@code hub.max-pages}, fails the run. (A next URL on another host or scheme is refused by PrepareHubRequest,
 * before anything is sent there.)
 */
public final class FollowCursor implements Processor {

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        run.pageDone();
        String link = run.pagingStopped() ? null : LinkHeader.next(exchange.getMessage().getHeader("Link", String.class));
        String next = null;
        if (link != null) {
            String page = exchange.getProperty(StartListingPass.NEXT_URL_PROPERTY, String.class);
            try {
                next = page == null ? link : URI.create(page).resolve(link.trim()).toString();
            } catch (IllegalArgumentException e) {
                throw new SyncAbortedException("the Hub's next link is not a URL: " + e.getMessage());
            }
            run.nextPage(next);
        }
        exchange.setProperty(StartListingPass.NEXT_URL_PROPERTY, next);
    }
}
