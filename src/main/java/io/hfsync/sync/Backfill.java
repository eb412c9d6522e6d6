package io.hfsync.sync;

import io.hfsync.store.CatalogJson;
import io.hfsync.store.DataDirLinks;
import io.hfsync.store.DataFiles;
import io.hfsync.catalog.SyncMetadata;
import io.hfsync.settings.SyncSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.IntConsumer;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Daemon backfill (docs/sync-modes.md), the steps of routes/sync-backfill.camel.yaml (bean {@code backfill}, ticked by
 * routes/daemon/backfill.camel.yaml): between scheduled
 * syncs, while the last sync left details pending, fetch them in slices of {@code sync.backfill-minutes}, most
 * downloaded first, and publish after each slice. It takes the data directory's lock like a run, gives way as soon as
 * a sync asks for it, and lists nothing.
 */
public final class Backfill {

    private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);

    private final SyncSettings settings;
    private final Clock clock;
    private final DataDirLock lock;
    private final IntConsumer pendingGauge;

    public Backfill(SyncSettings settings, Clock clock, DataDirLock lock, IntConsumer pendingGauge) {
        this.settings = settings;
        this.clock = clock;
        this.lock = lock;
        this.pendingGauge = pendingGauge;
    }

    /** Starts a backfill slice when details are pending and no sync runs; otherwise ends the exchange quietly. */
    public void begin(Exchange exchange) throws Exception {
        SyncMetadata lastSync = readLastSync(settings.dataDir().resolve(DataFiles.METADATA));
        boolean details = lastSync != null && lastSync.detailsPending() != null && lastSync.detailsPending() > 0
                && settings.fetchFileSizes();
        // docs/gguf-headers.md: the daemon works the header backlog between syncs too
        boolean headers = lastSync != null && lastSync.headersPending() != null && lastSync.headersPending() > 0
                && settings.headers().enabled();
        if (!details && !headers) {
            exchange.setRouteStop(true);
            return;
        }
        if (!lock.beginBackfill()) {
            exchange.setRouteStop(true);
            return;
        }
        SyncRun run = new SyncRun(settings, clock);
        run.backfill(lastSync, settings.backfill().slice(), lock::yieldRequested);
        RunStart.carry(exchange, run, lock);
        DataDirLinks.refuseLinksOutside(settings.dataDir());
        LOG.info("Backfill: {} details and {} GGUF headers pending after the last sync; fetching for up to {} min, most"
                + " downloaded first", lastSync.detailsPending(), lastSync.headersPending(),
                settings.backfill().slice().toMinutes());
    }

    /** After the catalog is loaded: answers journaled by a killed run or slice count first. */
    public void useJournal(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run) throws IOException {
        int[] journal = run.merge().applyJournal();
        if (journal[0] + journal[1] > 0) {
            LOG.info("Detail journal: {} answers used, {} dropped", journal[0], journal[1]);
        }
        int[] headers = run.merge().applyHeaderJournal();
        if (headers[0] + headers[1] > 0) {
            LOG.info("Header journal: {} reads used, {} dropped", headers[0], headers[1]);
        }
    }

    /** The slice's one line, and the pending gauge. */
    public void finished(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run) {
        LOG.info("Backfill: fetched {}, pending {}; GGUF headers read {}, pending {}; catalog published",
                run.detailsFetched(), run.detailsPending(), run.headersRead(), run.headersPending());
        pendingGauge.accept(run.detailsPending());
    }

    private static SyncMetadata readLastSync(Path file) {
        try {
            return CatalogJson.readMetadata(file);
        } catch (IOException | RuntimeException e) {
            // the next sync's mode decision deals with an unreadable file; a backfill just does nothing
            return null;
        }
    }
}
