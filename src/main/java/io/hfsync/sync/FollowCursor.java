package io.hfsync.sync;

import io.hfsync.hub.HubUrls;
import io.hfsync.hub.LinkHeader;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a page: the next page is the {@code Link rel="next"} URL, unless the filter saw the cutoff or the Hub sent
 * none. A next URL on another host or scheme fails the run before anything (the token above all) is sent there.
 * Logs a progress line at most every {@value #PROGRESS_SECONDS} seconds.
 */
public final class FollowCursor implements Processor {

    static final int PROGRESS_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(FollowCursor.class);

    private volatile long lastProgressNanos = System.nanoTime();

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        int pages = run.pageRead();
        String next = run.pagingStopped() ? null : LinkHeader.next(exchange.getMessage().getHeader("Link", String.class));
        if (next != null) {
            HubUrls.requireSameOrigin(run.settings().hubUrl(), next);
        }
        exchange.setProperty(StartListingPass.NEXT_URL_PROPERTY, next);
        long now = System.nanoTime();
        if (now - lastProgressNanos >= TimeUnit.SECONDS.toNanos(PROGRESS_SECONDS)) {
            lastProgressNanos = now;
            LOG.info("Progress: {} pages read, {} models so far, {} Hub requests", pages, run.modelsProcessed(),
                    run.hubRequests());
        }
        LOG.debug(String.format(Locale.ROOT, "page %d done, next=%s", pages, next != null));
    }
}
