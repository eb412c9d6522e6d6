package io.hfsync.sync;

import io.hfsync.store.CatalogJson;
import io.hfsync.store.CatalogMerge;
import io.hfsync.store.CatalogOverLimitException;
import io.hfsync.store.CatalogUnreadableException;
import io.hfsync.store.DataDirLinks;
import io.hfsync.store.DataFiles;
import io.hfsync.catalog.SyncMetadata;
import io.hfsync.catalog.Times;
import io.hfsync.mode.ModeDecider;
import io.hfsync.mode.ModeDecision;
import io.hfsync.mode.PreviousSync;
import io.hfsync.settings.SyncSettings;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first steps of routes/sync-run.camel.yaml (bean {@code runStart}): open the run, decide its mode from the
 * metadata the route polled, and start the merge from the catalog the route polled.
 */
public final class RunStart {

    /** The header camel-quartz puts on each fire: when it was due. */
    static final String QUARTZ_SCHEDULED_FIRE_TIME = "scheduledFireTime";
    /** How long a sync waits for a running backfill to publish and give way. */
    static final Duration BACKFILL_PATIENCE = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(RunStart.class);

    private final SyncSettings settings;
    private final Clock clock;
    private final DataDirLock lock;
    private final ModeDecider decider;
    /**
     * When this process's last sync ended, on the wall clock (Quartz's). Quartz does not treat a fire as missed until
     * it is {@code org.quartz.jobStore.misfireThreshold} late (60 s, Quartz's default properties), so with a stateful
     * trigger every fire due in the last minute of a long run came one after the other when it ended, whatever the
     * trigger's misfire instruction (ten runs in a row under camel run with a 2 s schedule). Both the standalone
     * trigger and the Kamelet come through here; the host's Quartz settings stay the host's.
     */
    private volatile long lastSyncEnded = Long.MIN_VALUE;

    public RunStart(SyncSettings settings, Clock clock, DataDirLock lock, ModeDecider decider) {
        this.settings = settings;
        this.clock = clock;
        this.lock = lock;
        this.decider = decider;
    }

    /**
     * Takes the data directory's lock for the run (a run that cannot is skipped, files untouched) and reads the clock
     * once, so every time the run records derives from the same instant. A Quartz fire that was due while this
     * process's previous sync was still running is skipped, not caught up (docs/scheduling.md).
     */
    public void open(Exchange exchange) throws InterruptedException, IOException {
        Date due = exchange.getMessage().getHeader(QUARTZ_SCHEDULED_FIRE_TIME, Date.class);
        if (due != null && due.getTime() < lastSyncEnded) {
            LOG.info("Skipping the scheduled sync due at {}: the previous sync was still running then (a missed fire is"
                    + " skipped, the next one runs)", due.toInstant());
            exchange.setRouteStop(true);
            return;
        }
        if (!lock.beginRun(BACKFILL_PATIENCE)) {
            LOG.warn("Another sync holds {}: skipping this run", lock.file());
            exchange.setRouteStop(true);
            return;
        }
        carry(exchange, new SyncRun(settings, clock), lock);
        // wall-clock time, as Quartz's own: when this run lets go of the exchange
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                lastSyncEnded = System.currentTimeMillis();
            }
        });
        // before anything in DATA_DIR is read; a failure here ends the run like any other (lock released on completion)
        DataDirLinks.refuseLinksOutside(settings.dataDir());
    }

    /** The run rides on the exchange; when the exchange is done, its scratch file goes and the lock is released. */
    static void carry(Exchange exchange, SyncRun run, DataDirLock lock) {
        long lockedAt = System.nanoTime();
        java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable endRun = () -> {
            if (ended.compareAndSet(false, true)) {
                lock.endRun();
            }
        };
        // once the run's files are written (routes/sync-run.camel.yaml): a one-shot process lets go of its lock too,
        // so sending events never keeps the next run out
        run.onLockRelease(() -> {
            endRun.run();
            if (run.settings().once()) {
                lock.release();
            }
            // how long a next run was kept out (docs/events.md: events are sent after this, within their own budget)
            LOG.info(String.format(java.util.Locale.ROOT, "Released %s after %.1f s: the run's files are written, its"
                    + " events go out without it", lock.file(), (System.nanoTime() - lockedAt) / 1e9));
        });
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    run.close();
                } finally {
                    endRun.run();
                }
            }
        });
        exchange.setProperty(RunProperties.SYNC_RUN, run);
        exchange.getMessage().setBody(null);
        run.startWallClock();
    }

    /**
     * docs/sync-modes.md mode decision on the metadata the route polled from {@code DATA_DIR} (none: null). Unreadable metadata
     * is moved aside as {@code last_sync_metadata.json.corrupt-<utc>} (never deleted) and the run goes full.
     */
    public void decideMode(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run, @Body File polled) throws IOException {
        PreviousSync previous = null;
        String unreadable = null;
        if (polled != null) {
            try (InputStream in = Files.newInputStream(polled.toPath())) {
                SyncMetadata metadata = CatalogJson.readMetadata(in);
                previous = PreviousSync.from(metadata, run.startedAt());
                run.previous(metadata);
            } catch (PreviousSync.NotTrusted e) {
                Path moved = DataFiles.moveAside(settings.dataDir().resolve(DataFiles.METADATA), run.startedAt());
                unreadable = "sync metadata not trusted (" + e.getMessage() + "), moved aside as " + moved.getFileName();
                LOG.warn("{}", unreadable);
            } catch (Exception e) {
                Path moved = DataFiles.moveAside(settings.dataDir().resolve(DataFiles.METADATA), run.startedAt());
                unreadable = "sync metadata unreadable (" + e.getClass().getSimpleName() + "), moved aside as "
                        + moved.getFileName();
                LOG.warn("{}", unreadable);
            }
        }
        ModeDecision decision = decider.decide(previous, unreadable, run.startedAt());
        run.decide(decision);
        LOG.info("Sync mode: {} ({}){}", decision.mode().name(), decision.reason(),
                decision.incremental() ? ", models modified since " + Times.format(decision.cutoff()) : "");
    }

    /**
     * A change log is in place before its catalog (routes/write-results.camel.yaml): one of a run after the catalog's
     * own was never published (the run was killed in between). This run starts from the same catalog and finds those
     * changes again, so the log goes; its events would name models the catalog does not hold.
     */
    private static void removeUnpublishedChangeLogs(Path dataDir, String catalogRunStart) throws IOException {
        Path dir = dataDir.resolve(DataFiles.CHANGE_LOG_DIR);
        java.time.Instant published;
        try {
            published = Times.parse(catalogRunStart);
        } catch (java.time.DateTimeException e) {
            return;
        }
        if (published == null || !Files.isDirectory(dir)) {
            return;
        }
        String newestPublished = Times.changeLogName(published);
        try (java.util.stream.Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> DataFiles.isChangeLog(p.getFileName().toString())
                    && p.getFileName().toString().compareTo(newestPublished) > 0).toList()) {
                Files.delete(log);
                LOG.warn("Removed the change log {}: its run stopped before it published its catalog", log.getFileName());
            }
        }
    }

    /**
     * Starts the merge from the catalog the route polled (none: null). An incremental run needs a catalog to add to:
     * without one (missing, or unreadable and moved aside) an auto run becomes full, so the rebuilt catalog is
     * complete. A forced incremental run over an unreadable catalog fails instead (it would publish a catalog that lost
     * models), and a local I/O error (scratch file, permissions, disk) or a catalog beyond a limit of this product's own
     * reads fails the run with the catalog left where it is.
     */
    public void loadCatalog(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run, @Body File polled) throws IOException {
        Path dataDir = run.settings().dataDir();
        Path scratch = dataDir.resolve(DataFiles.SCRATCH);
        CatalogMerge merge = null;
        String problem = null;
        if (polled == null) {
            problem = "no catalog " + DataFiles.CATALOG + " yet";
        } else {
            try {
                merge = CatalogMerge.open(polled.toPath(), scratch);
            } catch (CatalogOverLimitException e) {
                // a limit this product sets on its own reads is no proof of a corrupt file: never moved aside or rebuilt
                throw new SyncAbortedException("catalog " + DataFiles.CATALOG + " is beyond a limit of this product's"
                        + " reads (" + e.getMessage() + "): left as it was, nothing rebuilt; move it away by hand to"
                        + " have a full sync rebuild it");
            } catch (CatalogUnreadableException e) {
                // only a file that fails to parse is moved aside; a local I/O error propagates and fails the run
                // with the catalog where it is
                if (run.decision().incremental() && !run.decision().mayEscalate()) {
                    throw new SyncAbortedException("catalog " + DataFiles.CATALOG + " is unreadable (" + e.getMessage()
                            + ") and SYNC_MODE=incremental cannot rebuild it: left as it was; run a full sync"
                            + " (SYNC_MODE=full or auto) to replace it");
                }
                Path moved = DataFiles.moveAside(dataDir.resolve(DataFiles.CATALOG), run.startedAt());
                problem = "catalog unreadable (" + e.getMessage() + "), moved aside as " + moved.getFileName();
                LOG.warn("{}", problem);
            }
        }
        if (merge == null) {
            merge = CatalogMerge.open(null, scratch);
        } else {
            removeUnpublishedChangeLogs(dataDir, merge.catalogRunStart());
        }
        run.merge(merge);
        merge.detailsWanted(run.settings().fetchFileSizes());
        merge.listingSizesWanted(run.settings().sizesFromListing() && !run.backfill());
        if (run.settings().fetchFileSizes()) {
            merge.attachJournal(dataDir.resolve(DataFiles.DETAIL_JOURNAL));
        }
        if (run.settings().headers().enabled()) {
            merge.attachHeaderJournal(dataDir.resolve(DataFiles.HEADER_JOURNAL));
        }
        LOG.info("Catalog loaded: {} models", merge.sizeBefore());
        if (problem != null && run.decision().incremental() && run.decision().mayEscalate()) {
            run.switchToFull(problem);
            LOG.info("Sync mode: FULL ({})", run.decision().reason());
        }
    }
}
