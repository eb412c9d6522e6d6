package io.hfsync.sync;

import io.hfsync.catalog.DataDirLinks;
import io.hfsync.settings.SyncSettings;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a run: takes the data directory's lock for the run (a run that cannot is skipped, files untouched) and
 * reads the clock once, so every time the run records derives from the same instant.
 */
public final class StartRun implements Processor {

    /** How long a sync waits for a running backfill to publish and give way. */
    static final Duration BACKFILL_PATIENCE = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(StartRun.class);

    private final SyncSettings settings;
    private final Clock clock;
    private final DataDirLock lock;

    public StartRun(SyncSettings settings, Clock clock, DataDirLock lock) {
        this.settings = settings;
        this.clock = clock;
        this.lock = lock;
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException, java.io.IOException {
        if (!lock.beginRun(BACKFILL_PATIENCE)) {
            LOG.warn("Another sync holds {}: skipping this run", lock.file());
            exchange.setRouteStop(true);
            return;
        }
        carry(exchange, new SyncRun(settings, clock), lock);
        // before anything in DATA_DIR is read; a failure here ends the run like any other (lock released on completion)
        DataDirLinks.refuseLinksOutside(settings.dataDir());
    }

    /** The run rides on the exchange; when the exchange is done, its scratch file goes and the lock is released. */
    static void carry(Exchange exchange, SyncRun run, DataDirLock lock) {
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    run.close();
                } finally {
                    lock.endRun();
                }
            }
        });
        exchange.setProperty(SyncRun.PROPERTY, run);
        exchange.getMessage().setBody(null);
        run.startWallClock();
    }
}
