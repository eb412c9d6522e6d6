package io.hfsync.sync;

import io.hfsync.mode.SignificantChange;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Seed 4.4: after an auto incremental pass, a large move in the model count continues the run as a full sync. */
public final class CheckSignificantChange implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(CheckSignificantChange.class);

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (!run.decision().mayEscalate()) {
            return;
        }
        SignificantChange.detect(run.merge().sizeBefore(), run.merge().sizeNow(), run.settings().significantChangeThreshold())
                .ifPresent(line -> {
                    LOG.warn("{}", line);
                    LOG.info("Switching to full sync due to significant changes");
                    run.escalate(line);
                });
    }
}
