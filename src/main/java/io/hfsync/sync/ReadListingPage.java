package io.hfsync.sync;

import io.hfsync.hub.HubUrls;
import io.hfsync.hub.ListingPage;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * A listing page into its models, item by item (SPEC §3): one malformed item is repaired or left out, counted and
 * logged once, and the run goes on; a page that is not a JSON array fails the run, since the Hub said nothing usable.
 */
public final class ReadListingPage implements Processor {

    @Override
    public void process(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        byte[] body = exchange.getMessage().getBody(byte[].class);
        ListingPage page;
        try {
            page = ListingPage.read(body == null ? new byte[0] : body);
        } catch (ListingPage.NotAListingException e) {
            throw new SyncAbortedException("the Hub's listing page "
                    + HubUrls.forLog(exchange.getProperty(StartListingPass.NEXT_URL_PROPERTY, String.class))
                    + " is " + e.getMessage());
        }
        page.malformed().forEach(run::malformedItem);
        exchange.getMessage().setBody(page.models());
    }
}
