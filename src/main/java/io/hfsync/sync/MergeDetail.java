package io.hfsync.sync;

import io.hfsync.hub.CatalogEntries;
import io.hfsync.hub.HubModel;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code ?blobs=true} answer for one added or updated model: its files with sizes. */
public final class MergeDetail {

    public static final String MODEL_ID_PROPERTY = "modelId";
    private static final Logger LOG = LoggerFactory.getLogger(MergeDetail.class);

    public void merged(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        String requested = exchange.getProperty(MODEL_ID_PROPERTY, String.class);
        HubModel model = exchange.getMessage().getMandatoryBody(HubModel.class);
        if (!requested.equals(model.id())) {
            // the Hub answered for another repo (renamed): the listing, not this call, decides what it is called
            vanishedAs(run, requested, "answered as " + model.id());
            return;
        }
        if (Boolean.TRUE.equals(model.isPrivate())) {
            // made private since the listing: it must not reach the catalog
            vanishedAs(run, requested, "now private");
            return;
        }
        run.merge().acceptDetail(CatalogEntries.from(model));
        exchange.getMessage().setBody(null);
        run.detailDone();
    }

    /** 401/404 on a detail call: gone, private or disabled since the listing. */
    public void vanished(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        HttpOperationFailedException failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, HttpOperationFailedException.class);
        String why = failure != null ? "HTTP " + failure.getStatusCode() : "not found";
        vanishedAs(run, exchange.getProperty(MODEL_ID_PROPERTY, String.class), why);
    }

    private static void vanishedAs(SyncRun run, String id, String why) {
        run.merge().vanished(id);
        run.detailDone();
        LOG.info("Model {} vanished after the listing ({}): left as it was for this run", id, why);
    }
}
