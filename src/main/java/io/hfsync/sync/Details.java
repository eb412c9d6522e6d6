package io.hfsync.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.hfsync.catalog.CatalogEntry;
import io.hfsync.catalog.ListingSizeCheck;
import io.hfsync.hub.CatalogEntries;
import io.hfsync.hub.HubModel;
import io.hfsync.hub.ListingPage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detail steps of routes/hub-listing.camel.yaml (bean {@code details}): the {@code ?blobs=true} answer for one
 * model, its files with sizes. A repo without a usable answer (gone, private, refused, or a body that is not its JSON)
 * keeps its previous entry for this run; only the run's own faults (5xx after retries, I/O) fail the run.
 */
public final class Details {

    private static final Logger LOG = LoggerFactory.getLogger(Details.class);

    /**
     * The models whose detail calls the split of routes/hub-listing.camel.yaml makes: the listing-size sample's while
     * it is verified (routes/sync-run.camel.yaml), else those still pending, most downloaded first.
     */
    public Iterator<String> toFetch(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run,
            @ExchangeProperty(RunProperties.LISTING_SIZE_SAMPLE) ListingSizeSample sample) {
        return run.details().toFetch(sample == null ? null : sample.ids());
    }

    /** The detail URL of the model in the body, its id percent-encoded (routes/hub-listing.camel.yaml). */
    public String url(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run, @Body String id) {
        return io.hfsync.hub.HubUrls.detail(run.settings().hubUrl(), id);
    }

    public void merged(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run,
            @ExchangeProperty(RunProperties.MODEL_ID) String requested, @Body InputStream answer) throws IOException {
        ListingPage.Item read;
        try (InputStream body = answer) {
            // the answer is one item of the listing's shape: its kept fields are checked the same way
            read = ListingPage.item(HubModel.READER.readTree(body), false);
        } catch (JsonProcessingException e) {
            run.counters().unusableDetail();
            vanishedAs(run, requested, "an answer that is not a model's JSON: " + e.getOriginalMessage());
            return;
        }
        HubModel model = read.model();
        if (model == null) {
            run.counters().unusableDetail();
            vanishedAs(run, requested, "an answer that cannot be read: "
                    + (read.malformed() == null ? "empty" : read.malformed().problem()));
            return;
        }
        if (read.malformed() != null) {
            run.counters().malformedDetail(read.malformed());
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
        CatalogEntry entry;
        try {
            entry = CatalogEntries.from(model);
        } catch (RuntimeException e) {
            // e.g. an impossible date: answered every run alike, it must not fail every run
            run.counters().unusableDetail();
            vanishedAs(run, requested, "an answer that cannot be read: " + e.getMessage());
            return;
        }
        ListingSizeCheck check = run.merge().acceptDetail(entry);
        if (check != null) {
            run.counters().listingSizeChecked(check);
        }
        run.detailDone();
    }

    /** A 3xx/4xx answer (401/404: gone or private; others: refused), caught by the route: no answer this run. */
    public void vanished(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run,
            @ExchangeProperty(RunProperties.MODEL_ID) String id,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception caught) {
        int status = caught instanceof HttpOperationFailedException failure ? failure.getStatusCode() : 404;
        if (status != 401 && status != 404) {
            run.counters().unusableDetail();
        }
        vanishedAs(run, id, "HTTP " + status);
    }

    private static void vanishedAs(SyncRun run, String id, String why) {
        run.merge().vanished(id);
        run.details().unanswered(id);
        run.detailDone();
        LOG.info("Model {} has no usable detail answer ({}): left as it was for this run", id, why);
    }
}
