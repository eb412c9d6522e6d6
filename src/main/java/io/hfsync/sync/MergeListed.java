package io.hfsync.sync;

import io.hfsync.hub.CatalogEntries;
import io.hfsync.hub.HubModel;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Upserts one listed model into the run's catalog merge. */
public final class MergeListed implements Processor {

    @Override
    public void process(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        run.merge().acceptListed(CatalogEntries.from(exchange.getMessage().getMandatoryBody(HubModel.class)));
    }
}
