package io.hfsync.sync;

import io.hfsync.config.SyncSettings;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Opens a run: reads the clock once, so every time the run records derives from the same instant. */
public final class StartRun implements Processor {

    private final SyncSettings settings;
    private final Clock clock;

    public StartRun(SyncSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(SyncRun.PROPERTY, new SyncRun(settings, clock.instant().truncatedTo(ChronoUnit.SECONDS)));
        exchange.getMessage().setBody(null);
    }
}
