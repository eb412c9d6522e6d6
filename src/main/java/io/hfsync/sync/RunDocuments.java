package io.hfsync.sync;

import io.hfsync.catalog.CatalogDocument;
import io.hfsync.catalog.CatalogMetadata;
import io.hfsync.catalog.ChangeLog;
import io.hfsync.catalog.SyncMetadata;
import io.hfsync.catalog.Times;
import java.time.Clock;
import org.apache.camel.Exchange;

/**
 * The three documents a run writes (SPEC §4), as objects for the route to marshal and write: catalog, change log,
 * metadata. A failed run gets only the metadata, which keeps what the last success recorded.
 */
public final class RunDocuments {

    public static final int SCHEMA_VERSION = 1;
    public static final String CHANGE_LOG_DIR = "changes";

    private final Clock clock;

    public RunDocuments(Clock clock) {
        this.clock = clock;
    }

    public void catalog(Exchange exchange) {
        SyncRun run = run(exchange);
        var merge = run.merge();
        var models = merge.entries();
        CatalogMetadata metadata = new CatalogMetadata(SCHEMA_VERSION, Times.format(clock.instant()), run.mode().wireName(),
                Times.format(run.startedAt()), true, models.size(), merge.added().size(), merge.updated().size(),
                merge.removed().size());
        exchange.getMessage().setBody(new CatalogDocument(metadata, models));
    }

    public void changeLog(Exchange exchange) {
        SyncRun run = run(exchange);
        exchange.getMessage().setBody(new ChangeLog(run.mode().wireName(), run.merge().added(), run.merge().updated(),
                run.merge().removed()));
        exchange.getMessage().setHeader(Exchange.FILE_NAME, CHANGE_LOG_DIR + "/" + Times.changeLogName(run.startedAt()));
    }

    public void metadata(Exchange exchange) {
        SyncRun run = run(exchange);
        run.finish(clock.instant());
        SyncMetadata previous = run.previous();
        String started = Times.format(run.startedAt());
        String mode = run.mode() == null ? null : run.mode().wireName();
        SyncMetadata metadata;
        if (run.failed()) {
            metadata = new SyncMetadata(SCHEMA_VERSION, started,
                    previous == null ? null : previous.lastSuccessfulSyncTime(),
                    previous == null ? null : previous.lastFullSyncTime(),
                    mode, run.decision() == null ? null : run.decision().reason(),
                    run.modelsProcessed(),
                    previous == null ? null : previous.totalModels(),
                    0, 0, 0, run.durationSeconds(), run.hubRequests(), false, run.failure());
        } else {
            var merge = run.merge();
            metadata = new SyncMetadata(SCHEMA_VERSION, started, started,
                    run.decision().incremental() ? (previous == null ? null : previous.lastFullSyncTime()) : started,
                    mode, run.decision().reason(), run.modelsProcessed(), merge.sizeNow(),
                    merge.added().size(), merge.updated().size(), merge.removed().size(),
                    run.durationSeconds(), run.hubRequests(), true, null);
        }
        exchange.getMessage().setBody(metadata);
    }

    private static SyncRun run(Exchange exchange) {
        return exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
    }
}
