package io.hfsync.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.hfsync.catalog.ListingSizeCheck;
import io.hfsync.hub.CatalogEntries;
import io.hfsync.hub.HubModel;
import java.io.InputStream;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ?blobs=true} answer for one model: its files with sizes. A repo without a usable answer (gone, private,
 * refused, or a body that is not its JSON) keeps its previous entry for this run; only the run's own faults (5xx after
 * retries, I/O) fail the run.
 */
public final class MergeDetail {

    public static final String MODEL_ID_PROPERTY = "modelId";
    private static final Logger LOG = LoggerFactory.getLogger(MergeDetail.class);

    public void merged(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        String requested = exchange.getProperty(MODEL_ID_PROPERTY, String.class);
        HubModel model;
        try (InputStream body = exchange.getMessage().getMandatoryBody(InputStream.class)) {
            model = HubModel.READER.readValue(body);
        } catch (JsonProcessingException e) {
            run.unusableDetail();
            vanishedAs(run, requested, "an answer that is not a model's JSON: " + e.getOriginalMessage());
            return;
        } finally {
            exchange.getMessage().setBody(null);
        }
        if (model == null || !requested.equals(model.id())) {
            // the Hub answered for another repo (renamed): the listing, not this call, decides what it is called
            vanishedAs(run, requested, "answered as " + (model == null ? "nothing" : model.id()));
            return;
        }
        if (Boolean.TRUE.equals(model.isPrivate())) {
            // made private since the listing: it must not reach the catalog
            vanishedAs(run, requested, "now private");
            return;
        }
        io.hfsync.catalog.CatalogEntry entry;
        try {
            entry = CatalogEntries.from(model);
        } catch (RuntimeException e) {
            // e.g. an impossible date: answered every run alike, it must not fail every run
            run.unusableDetail();
            vanishedAs(run, requested, "an answer that cannot be read: " + e.getMessage());
            return;
        }
        ListingSizeCheck check = run.merge().acceptDetail(entry);
        if (check != null) {
            run.listingSizeChecked(check);
        }
        run.detailDone();
    }

    /** A 3xx/4xx answer (401/404: gone or private; others: refused), caught by the route: no answer this run. */
    public void vanished(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        HttpOperationFailedException failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, HttpOperationFailedException.class);
        int status = failure == null ? 404 : failure.getStatusCode();
        if (status != 401 && status != 404) {
            run.unusableDetail();
        }
        vanishedAs(run, exchange.getProperty(MODEL_ID_PROPERTY, String.class), "HTTP " + status);
    }

    private static void vanishedAs(SyncRun run, String id, String why) {
        run.merge().vanished(id);
        run.detailDone();
        LOG.info("Model {} has no usable detail answer ({}): left as it was for this run", id, why);
    }
}
