package io.hfsync.sync;

import io.hfsync.store.DataFiles;
import io.hfsync.catalog.MassRemovalGuard;
import io.hfsync.database.CatalogDatabaseException;
import io.hfsync.hub.HubCallFailedException;
import io.hfsync.hub.HubUrls;
import io.hfsync.hub.RunOutOfTimeException;
import io.hfsync.observe.SyncObserver;
import io.hfsync.report.SyncReport;
import io.hfsync.settings.SyncSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a run ends (bean {@code runEnd}): a failure recorded in one readable line (routes/sync-failure.camel.yaml), and
 * the report every run ends with, successful or not, which also goes to health and metrics.
 */
public final class RunEnd {

    /** The temporary names the write routes use (write-results.camel.yaml); this run holds the data directory's lock. */
    static final List<String> TEMP_FILES = List.of(DataFiles.temporary(DataFiles.METADATA),
            DataFiles.temporary(DataFiles.CATALOG));
    private static final Logger LOG = LoggerFactory.getLogger(RunEnd.class);

    private final SyncSettings settings;
    private final Clock clock;
    private final SyncObserver observer;

    public RunEnd(SyncSettings settings, Clock clock, SyncObserver observer) {
        this.settings = settings;
        this.clock = clock;
        this.observer = observer;
    }

    /**
     * The run failed: record one readable line of why. The catalog and change log are not written on this path: a
     * catalog this run did not put in place stays byte-identical, and its change log, written first, is removed; a
     * temporary file a failed write left is removed; the route then writes the failed metadata. A run that failed
     * before it opened gets one here.
     */
    private static void closeHeadersAlongside(SyncRun run, Exchange exchange) {
        try {
            Exception failed = run.headers().alongside().close(() -> GgufHeaders.stopping(exchange));
            if (failed != null) {
                LOG.warn("A GGUF header read alongside the failed run's details failed too: {}", failed.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void failed(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause, Exchange exchange) {
        SyncRun run = exchange.getProperty(RunProperties.SYNC_RUN, SyncRun.class);
        if (run == null) {
            run = new SyncRun(settings, clock);
            exchange.setProperty(RunProperties.SYNC_RUN, run);
        }
        // docs/gguf-headers.md: header reads alongside the detail phase end, and those in flight are journaled first
        closeHeadersAlongside(run, exchange);
        String message = describe(cause);
        run.fail(message);
        LOG.error("Sync failed: {}", message);
        LOG.debug("Sync failure detail", cause);
        // a write cut short (disk full) leaves its temporary file: it goes, the published files stay
        removeTempFiles(settings.dataDir());
        if (run.wroteChangeLog() && !run.publishedOnce()) {
            // its catalog never got in place: the next run finds the same changes against the same catalog
            removeUnpublishedChangeLog(settings.dataDir().resolve(DataFiles.CHANGE_LOG_DIR)
                    .resolve(io.hfsync.catalog.Times.changeLogName(run.startedAt())));
        }
    }

    private static void removeUnpublishedChangeLog(Path changeLog) {
        try {
            if (Files.deleteIfExists(changeLog)) {
                LOG.info("Removed the change log {}: its catalog was not published", changeLog.getFileName());
            }
        } catch (IOException e) {
            LOG.warn("Could not remove the change log {} of an unpublished catalog: {}", changeLog.getFileName(),
                    e.getMessage());
        }
    }

    /**
     * A failed run could not even write its failed metadata (disk full, a read-only remount): the run's failure gains
     * that reason, so the report, health and metrics still say the run failed although no file does, and a
     * half-written temporary file of this run is removed. The published files are the last good ones.
     */
    public void metadataNotWritten(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        String why = describe(cause);
        run.fail(run.failure() + "; the failed-run metadata could not be written either: " + why);
        LOG.error("Could not write {} for the failed run ({}); it still describes the run before", DataFiles.METADATA,
                why);
        removeTempFiles(settings.dataDir());
    }

    /**
     * The run's files are written: the data directory's lock goes now, before its events are sent (they have a budget
     * of their own, sync.events-budget-seconds), so a slow endpoint never keeps the next run out.
     */
    public void releaseLock(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run) {
        run.releaseLock();
    }

    /**
     * Logs the seed's report at the end of every run, successful or not, and hands the run to health and metrics. Its
     * duration runs to now: sending the events is part of the run.
     */
    public void report(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run) {
        run.finish(clock.instant());
        boolean merged = run.merge() != null && (!run.failed() || run.publishedOnce());
        RunCounts counts = run.counts();
        SyncReport report = new SyncReport(
                run.mode() == null ? null : run.mode().wireName(),
                run.decision() == null ? "not decided" : run.decision().reason(),
                run.durationSeconds(), run.modelsProcessed(),
                merged ? run.merge().addedCount() : 0,
                merged ? run.merge().updatedCount() : 0,
                merged ? run.merge().removedCount() : 0,
                run.settings().incrementalWindow().toHours(),
                merged ? run.merge().sizeNow() : 0,
                run.detailsFetched(), merged ? run.detailsPending() : 0,
                counts.hubRequests(), counts.hubRetries(), run.failure(), run.publishedOnce(), run.headersRead(),
                merged ? run.headersPending() : 0, counts.resolverCalls());
        report.lines().forEach(line -> LOG.info("{}", line));
        observer.runFinished(run.outcome());
    }

    /** One line a person can act on; never the request headers (they carry the token). */
    static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        Throwable root = cause;
        while (true) {
            if (root instanceof HubCallFailedException || root instanceof SyncAbortedException
                    || root instanceof RunOutOfTimeException || root instanceof MassRemovalGuard.Refused
                    || root instanceof CatalogDatabaseException) {
                return root.getMessage();
            }
            if (root instanceof HttpOperationFailedException http) {
                return "Hub answered HTTP " + http.getStatusCode() + " for " + HubUrls.forLog(http.getUri());
            }
            if (root.getCause() == null || root.getCause() == root) {
                break;
            }
            root = root.getCause();
        }
        String text = root.getMessage() == null ? "" : ": " + root.getMessage().lines().findFirst().orElse("");
        return root.getClass().getSimpleName() + text;
    }

    /** Removes this run's temporary files (regular files only: a symlink or a directory in their place stays). */
    static void removeTempFiles(Path dataDir) {
        for (String name : TEMP_FILES) {
            Path temp = dataDir.resolve(name);
            try {
                if (Files.isRegularFile(temp, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(temp);
                    LOG.info("Removed the half-written {}", name);
                }
            } catch (IOException e) {
                LOG.warn("Could not remove {}: {}", name, e.getMessage());
            }
        }
    }
}
