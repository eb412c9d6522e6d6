package io.hfsync.sync;

import io.hfsync.store.CatalogJsonStream;
import io.hfsync.catalog.CatalogMetadata;
import io.hfsync.catalog.ChangeLog;
import io.hfsync.store.DataFiles;
import io.hfsync.catalog.SyncMetadata;
import io.hfsync.catalog.Times;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of routes/write-results.camel.yaml (bean {@code results}): the three documents a run writes (docs/files.md),
 * the catalog as a stream, change log and metadata as objects for the route to marshal. A failed run gets only the
 * metadata, which keeps what the last success recorded.
 */
public final class Results {

    private static final Logger LOG = LoggerFactory.getLogger(Results.class);

    public static final int SCHEMA_VERSION = 1;
    static final int KEEP_CHANGE_LOGS = 30;

    private final Clock clock;

    public Results(Clock clock) {
        this.clock = clock;
    }

    /**
     * The catalog as a stream the file endpoint writes while the models are read back one by one; what the writer
     * records as it prints (each model's place and hashes) goes to {@link RunProperties#CATALOG_INDEX}.
     */
    public CatalogJsonStream catalog(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run, Exchange exchange)
            throws IOException {
        var merge = run.merge();
        CatalogMetadata metadata;
        if (run.backfill()) {
            // a backfill changes sizes only: the block still describes the last sync, with the details counts moved
            SyncMetadata last = run.previous();
            metadata = new CatalogMetadata(SCHEMA_VERSION, Times.format(clock.instant()), last.syncMode(),
                    last.lastSyncTime(), Boolean.TRUE.equals(last.success()), merge.sizeNow(), orZero(last.modelsAdded()),
                    orZero(last.modelsUpdated()), orZero(last.modelsRemoved()), run.detailsPending(),
                    orZero(last.detailsFetched()) + run.detailsFetched());
        } else {
            metadata = new CatalogMetadata(SCHEMA_VERSION, Times.format(clock.instant()), run.mode().wireName(),
                    Times.format(run.startedAt()), true, merge.sizeNow(), merge.addedCount(), merge.updatedCount(),
                    merge.removedCount(), run.detailsPending(), run.detailsFetched());
        }
        CatalogJsonStream catalog = new CatalogJsonStream(metadata, merge.sortedModels());
        exchange.setProperty(RunProperties.CATALOG_INDEX, catalog.index());
        return catalog;
    }

    /** The run's change log (docs/files.md), for the route to marshal. */
    public ChangeLog changeLog(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run) {
        var merge = run.merge();
        return new ChangeLog(run.mode().wireName(), merge.added(), merge.updated(), merge.removed(),
                Times.format(run.startedAt()), run.decision().reason(), merge.sizeNow(), run.detailsPending(),
                merge.removedModels());
    }

    /** Where the change log goes, below {@code DATA_DIR}: named by the run's start, so the names sort by time. */
    public String changeLogName(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run) {
        return DataFiles.CHANGE_LOG_DIR + "/" + Times.changeLogName(run.startedAt());
    }

    /** Keeps the newest {@value #KEEP_CHANGE_LOGS} change logs; their names sort by time. */
    public void pruneChangeLogs(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run) throws IOException {
        Path dir = run.settings().dataDir().resolve(DataFiles.CHANGE_LOG_DIR);
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> logs;
        try (Stream<Path> files = Files.list(dir)) {
            logs = files.filter(p -> DataFiles.isChangeLog(p.getFileName().toString()))
                    .sorted((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()))
                    .toList();
        }
        for (Path old : logs.subList(Math.min(KEEP_CHANGE_LOGS, logs.size()), logs.size())) {
            Files.deleteIfExists(old);
        }
    }

    /**
     * The run's metadata, for the route to marshal (and to keep as {@link RunProperties#SYNC_RESULT}): a failed run's
     * keeps what the last success recorded.
     */
    public SyncMetadata metadata(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run) {
        run.finish(clock.instant());
        SyncMetadata previous = run.previous();
        String started = Times.format(run.startedAt());
        String mode = run.mode() == null ? null : run.mode().wireName();
        RunCounts counts = run.counts();
        SyncMetadata metadata;
        if (run.backfill()) {
            SyncMetadata m = previous;
            metadata = new SyncMetadata(m.schemaVersion(), m.lastSyncTime(), m.lastSuccessfulSyncTime(), m.lastFullSyncTime(),
                    m.syncMode(), m.modeReason(), m.totalModelsProcessed(), run.merge().sizeNow(), m.modelsAdded(),
                    m.modelsUpdated(), m.modelsRemoved(), run.detailsPending(),
                    orZero(m.detailsFetched()) + run.detailsFetched(), m.sizesFromListing(), m.sizeMismatches(),
                    m.listingSizes(), m.syncDuration(), m.hubRequests(), m.success(), m.errorMessage(),
                    orZero(m.headersRead()) + run.headersRead(), run.headersPending(),
                    orZero(m.resolverCalls()) + counts.resolverCalls());
        } else if (run.failed() && run.publishedOnce()) {
            // failed after publishing (docs/files.md): the published catalog stands, and the metadata describes it
            var merge = run.merge();
            metadata = new SyncMetadata(SCHEMA_VERSION, started,
                    previous == null ? null : previous.lastSuccessfulSyncTime(),
                    previous == null ? null : previous.lastFullSyncTime(),
                    mode, run.decision().reason(), run.modelsProcessed(), merge.sizeNow(),
                    merge.addedCount(), merge.updatedCount(), merge.removedCount(), run.detailsPending(),
                    run.detailsFetched(), run.sizesFromListing(), counts.sizeMismatches(), run.listingSizesState(),
                    run.durationSeconds(), counts.hubRequests(), false, run.failure(), run.headersRead(),
                    run.headersPending(), counts.resolverCalls());
        } else if (run.failed()) {
            metadata = new SyncMetadata(SCHEMA_VERSION, started,
                    previous == null ? null : previous.lastSuccessfulSyncTime(),
                    previous == null ? null : previous.lastFullSyncTime(),
                    mode, run.decision() == null ? null : run.decision().reason(),
                    run.modelsProcessed(),
                    previous == null ? null : previous.totalModels(),
                    0, 0, 0, previous == null ? null : previous.detailsPending(), 0,
                    0, counts.sizeMismatches(), run.listingSizesState(),
                    run.durationSeconds(), counts.hubRequests(), false, run.failure(), 0,
                    previous == null ? null : previous.headersPending(), counts.resolverCalls());
        } else {
            var merge = run.merge();
            metadata = new SyncMetadata(SCHEMA_VERSION, started, started,
                    run.decision().incremental() ? (previous == null ? null : previous.lastFullSyncTime()) : started,
                    mode, run.decision().reason(), run.modelsProcessed(), merge.sizeNow(),
                    merge.addedCount(), merge.updatedCount(), merge.removedCount(), run.detailsPending(),
                    run.detailsFetched(), run.sizesFromListing(), counts.sizeMismatches(), run.listingSizesState(),
                    run.durationSeconds(), counts.hubRequests(), true, null, run.headersRead(), run.headersPending(),
                    counts.resolverCalls());
        }
        return metadata;
    }

    /** The run's change log is in place, before its catalog: a run that fails before the catalog removes it. */
    public void changeLogWritten(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run) {
        run.changeLogWritten();
    }

    /** The run's catalog is renamed into place: from now on a failure keeps it (and the report says so). */
    public void catalogInPlace(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run) {
        run.markPublished();
        LOG.info("Catalog published: {} sizes pending, {} GGUF headers read this run, {} pending",
                run.merge().needingDetailsCount(), run.headersRead(), run.headersPending());
    }

    /** A publish begins: how long it takes spaces out the next one during the run (docs/gguf-headers.md). */
    public void publishing(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run) {
        run.publishes().publishing(run.clock().instant());
    }

    /** Catalog, change log and metadata are in place: the detail journal's answers are all in the catalog now. */
    public void published(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run) throws IOException {
        run.merge().published();
        run.publishes().published(run.clock().instant());
        LOG.info("Publish took {} s (change log, catalog, databases, metadata)",
                Math.round(run.publishes().lastTook().toMillis() / 100.0) / 10.0);
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
