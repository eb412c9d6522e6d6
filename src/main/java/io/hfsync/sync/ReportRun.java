package io.hfsync.sync;

import io.hfsync.observe.SyncObserver;
import io.hfsync.report.SyncReport;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs the seed's report at the end of every run, successful or not, and hands the run to health and metrics. */
public final class ReportRun implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ReportRun.class);

    private final SyncObserver observer;

    public ReportRun(SyncObserver observer) {
        this.observer = observer;
    }

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        boolean merged = run.merge() != null && (!run.failed() || run.publishedOnce());
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
                run.hubRequests(), run.hubRetries(), run.failure());
        report.lines().forEach(line -> LOG.info("{}", line));
        observer.runFinished(run.outcome());
    }
}
