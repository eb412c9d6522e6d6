package io.hfsync.sync;

import io.hfsync.hub.CatalogEntries;
import io.hfsync.hub.HubModel;
import io.hfsync.hub.ListingSize;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Upserts one listed model into the run's catalog merge, with the file size its listing item proves, if any. */
public final class MergeListed implements Processor {

    @Override
    public void process(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        HubModel item = exchange.getMessage().getMandatoryBody(HubModel.class);
        run.merge().acceptListed(CatalogEntries.from(item), ListingSize.provenBy(item));
    }
}
