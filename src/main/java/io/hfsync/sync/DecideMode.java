package io.hfsync.sync;

import io.hfsync.catalog.CatalogJson;
import io.hfsync.catalog.SyncMetadata;
import io.hfsync.catalog.Times;
import io.hfsync.mode.ModeDecider;
import io.hfsync.mode.ModeDecision;
import io.hfsync.mode.PreviousSync;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SPEC §3 mode decision on the metadata the route polled from {@code DATA_DIR}. Unreadable metadata is moved aside
 * as {@code last_sync_metadata.json.corrupt-<utc>} (never deleted) and the run goes full.
 */
public final class DecideMode implements Processor {

    public static final String METADATA_FILE = "last_sync_metadata.json";
    private static final Logger LOG = LoggerFactory.getLogger(DecideMode.class);

    private final ModeDecider decider;

    public DecideMode(ModeDecider decider) {
        this.decider = decider;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        PreviousSync previous = null;
        String unreadable = null;
        if (exchange.getMessage().getBody() != null) {
            try (InputStream in = exchange.getMessage().getMandatoryBody(InputStream.class)) {
                SyncMetadata metadata = CatalogJson.readMetadata(in);
                previous = toPrevious(metadata, run.startedAt());
                run.previous(metadata);
            } catch (FromTheFuture e) {
                Path moved = moveAside(run.settings().dataDir(), run);
                unreadable = "sync metadata not trusted (" + e.getMessage() + "), moved aside as " + moved.getFileName();
                LOG.warn("{}", unreadable);
            } catch (Exception e) {
                Path moved = moveAside(run.settings().dataDir(), run);
                unreadable = "sync metadata unreadable (" + e.getClass().getSimpleName() + "), moved aside as " + moved.getFileName();
                LOG.warn("{}", unreadable);
            }
        }
        ModeDecision decision = decider.decide(previous, unreadable, run.startedAt());
        run.decide(decision);
        LOG.info("Sync mode: {} ({}){}", decision.mode().name(), decision.reason(),
                decision.incremental() ? ", models modified since " + Times.format(decision.cutoff()) : "");
        exchange.getMessage().setBody(null);
    }

    /** The seed's own file has no last_successful/last_full keys: derive them from what it does say. */
    static PreviousSync toPrevious(SyncMetadata m, java.time.Instant now) {
        java.time.Instant last = Times.parse(m.lastSyncTime());
        if (last == null) {
            throw new IllegalArgumentException("no last_sync_time");
        }
        // a date after now (a clock that was wrong, a hand edit) would keep auto mode incremental until then and be
        // carried forward: such a file is not trusted for the decision, and nothing of it is written back
        notLaterThan(now, "last_sync_time", m.lastSyncTime());
        notLaterThan(now, "last_successful_sync_time", m.lastSuccessfulSyncTime());
        notLaterThan(now, "last_full_sync_time", m.lastFullSyncTime());
        boolean success = Boolean.TRUE.equals(m.success());
        java.time.Instant lastSuccess = m.lastSuccessfulSyncTime() != null ? Times.parse(m.lastSuccessfulSyncTime())
                : success ? last : null;
        java.time.Instant lastFull = m.lastFullSyncTime() != null ? Times.parse(m.lastFullSyncTime())
                : success && "full".equals(m.syncMode()) ? last : null;
        return new PreviousSync(last, lastSuccess, lastFull, success, m.errorMessage());
    }

    private static void notLaterThan(java.time.Instant now, String key, String value) {
        java.time.Instant at = Times.parse(value);
        if (at != null && at.isAfter(now.plus(CLOCK_SKEW))) {
            throw new FromTheFuture(key + " " + value + " is later than now");
        }
    }

    /** Clocks of two machines sharing a data directory may differ this much. */
    static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofMinutes(5);

    static final class FromTheFuture extends IllegalArgumentException {
        FromTheFuture(String message) {
            super(message);
        }
    }

    private static Path moveAside(Path dataDir, SyncRun run) throws java.io.IOException {
        Path file = dataDir.resolve(METADATA_FILE);
        Path target = dataDir.resolve(METADATA_FILE + ".corrupt-" + Times.changeLogName(run.startedAt()).replace(".json", ""));
        return Files.move(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
