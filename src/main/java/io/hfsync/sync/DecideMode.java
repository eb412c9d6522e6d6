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
                previous = toPrevious(metadata);
                run.previous(metadata);
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
    static PreviousSync toPrevious(SyncMetadata m) {
        java.time.Instant last = Times.parse(m.lastSyncTime());
        if (last == null) {
            throw new IllegalArgumentException("no last_sync_time");
        }
        boolean success = Boolean.TRUE.equals(m.success());
        java.time.Instant lastSuccess = m.lastSuccessfulSyncTime() != null ? Times.parse(m.lastSuccessfulSyncTime())
                : success ? last : null;
        java.time.Instant lastFull = m.lastFullSyncTime() != null ? Times.parse(m.lastFullSyncTime())
                : success && "full".equals(m.syncMode()) ? last : null;
        return new PreviousSync(last, lastSuccess, lastFull, success, m.errorMessage());
    }

    private static Path moveAside(Path dataDir, SyncRun run) throws java.io.IOException {
        Path file = dataDir.resolve(METADATA_FILE);
        Path target = dataDir.resolve(METADATA_FILE + ".corrupt-" + Times.changeLogName(run.startedAt()).replace(".json", ""));
        return Files.move(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
