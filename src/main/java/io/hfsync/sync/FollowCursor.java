package io.hfsync.sync;

import io.hfsync.hub.LinkHeader;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * After a page: the next page is the {@code Link rel="next"} URL, unless the filter saw the cutoff or the Hub sent
 * none. (A next URL on another host or scheme is refused by PrepareHubRequest, before anything is sent there.)
 */
public final class FollowCursor implements Processor {

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        run.pageDone();
        String next = run.pagingStopped() ? null : LinkHeader.next(exchange.getMessage().getHeader("Link", String.class));
        exchange.setProperty(StartListingPass.NEXT_URL_PROPERTY, next);
    }
}
