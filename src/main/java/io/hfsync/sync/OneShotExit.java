package io.hfsync.sync;

import java.util.function.IntConsumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** One-shot mode (docs/faults.md): after the single run, hand its exit code to the process. 0 success, 1 failure. */
public final class OneShotExit implements Processor {

    private final IntConsumer exit;

    public OneShotExit(IntConsumer exit) {
        this.exit = exit;
    }

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(RunProperties.SYNC_RUN, SyncRun.class);
        boolean ok = exchange.getException() == null && run != null && !run.failed();
        exit.accept(ok ? 0 : 1);
    }
}
