package io.hfsync.observe;

import io.hfsync.catalog.SyncMetadata;
import io.hfsync.catalog.Times;
import io.hfsync.report.RunOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The product's Prometheus meters, in the Micrometer registry that camel-micrometer-prometheus serves on
 * {@code /observe/metrics}. The two levels (catalog size, last success) start from the stored metadata, so a restart
 * does not make a healthy catalog look empty or never synced.
 */
public final class SyncMetrics {

    static final String OUTCOME_SUCCESS = "success";
    static final String OUTCOME_FAILURE = "failure";
    /** A run that failed before its mode was decided. */
    static final String MODE_UNDECIDED = "undecided";
    private static final List<String> MODES = List.of("full", "incremental");
    private static final List<String> CHANGES = List.of("added", "updated", "removed");

    private final MeterRegistry registry;
    private final AtomicLong catalogSize = new AtomicLong();
    private final AtomicLong lastSuccessEpochSeconds = new AtomicLong();
    private final AtomicLong detailsPending = new AtomicLong();
    private final AtomicLong headersPending = new AtomicLong();
    private final Counter hubRequests;
    private final Counter hubRetries;
    private final Counter resolverCalls;
    private final Counter headersRead;
    private final Counter sizeMismatches;
    private final Counter eventsSent;
    private final Counter eventsFailed;

    public SyncMetrics(MeterRegistry registry, SyncMetadata stored) {
        this.registry = registry;
        if (stored != null) {
            catalogSize.set(stored.totalModels() == null ? 0 : stored.totalModels());
            Instant lastSuccess = Times.parse(stored.lastSuccessfulSyncTime());
            lastSuccessEpochSeconds.set(lastSuccess == null ? 0 : lastSuccess.getEpochSecond());
            detailsPending.set(stored.detailsPending() == null ? 0 : stored.detailsPending());
            headersPending.set(stored.headersPending() == null ? 0 : stored.headersPending());
        }
        // Prometheus' client reserves _total for counters, so the catalog size can carry the name the issue asks
        // for (hf_sync_models_total) only as a counter-typed level: read its value, never rate() it
        FunctionCounter.builder("hf.sync.models", catalogSize, AtomicLong::get)
                .description("Models in the catalog after the last successful sync (a level: it falls when models are removed)")
                .register(registry);
        Gauge.builder("hf.sync.last.success.timestamp", lastSuccessEpochSeconds, AtomicLong::get)
                .baseUnit("seconds")
                .description("Start of the last successful sync, Unix time; 0 before the first one")
                .register(registry);
        Gauge.builder("hf.sync.details.pending", detailsPending, AtomicLong::get)
                .description("Models in the catalog whose file sizes are still to be read (docs/sync-modes.md)")
                .register(registry);
        hubRequests = Counter.builder("hf.sync.hub.requests")
                .description("Calls made to the Hub's API, retries included (file reads are hf_sync_resolver_calls)").register(registry);
        Gauge.builder("hf.sync.headers.pending", headersPending, AtomicLong::get)
                .description("Models in the catalog whose GGUF header is still to be read (docs/gguf-headers.md)")
                .register(registry);
        resolverCalls = Counter.builder("hf.sync.resolver.calls")
                .description("File reads (/resolve/ calls) for GGUF headers: the Hub's resolvers budget, apart from the API's")
                .register(registry);
        headersRead = Counter.builder("hf.sync.headers.read")
                .description("GGUF headers read into the catalog, or given a reason they could not be").register(registry);
        hubRetries = Counter.builder("hf.sync.hub.retries")
                .description("Hub calls repeated after 429, 5xx, a timeout or a reset").register(registry);
        sizeMismatches = Counter.builder("hf.sync.size.mismatches")
                .description("Detail answers whose file size contradicted the listing's gguf.totalFileSize (docs/sync-modes.md);"
                        + " each turns sizes from the listing off until a full sync's sample matches again")
                .register(registry);
        eventsSent = Counter.builder("hf.sync.events.sent")
                .description("Change events the events endpoint took (docs/events.md; redeliveries included)").register(registry);
        eventsFailed = Counter.builder("hf.sync.events.failed")
                .description("Times sending change events failed; the undelivered events go out first in the next run")
                .register(registry);
        // every series a dashboard expects exists from the start, at 0, so increase() works on the first run
        for (String change : CHANGES) {
            changed(change);
        }
        for (String mode : MODES) {
            runs(mode, OUTCOME_SUCCESS);
            runs(mode, OUTCOME_FAILURE);
        }
    }

    /** Counts a finished run; changes and levels move only when the run succeeded and wrote its catalog. */
    public void record(RunOutcome run) {
        String mode = run.mode() == null ? MODE_UNDECIDED : run.mode();
        String outcome = run.failed() ? OUTCOME_FAILURE : OUTCOME_SUCCESS;
        runs(mode, outcome).increment();
        Timer.builder("hf.sync.duration")
                .description("How long a sync took, by mode and outcome")
                .tag("mode", mode).tag("outcome", outcome)
                .register(registry)
                .record(Duration.ofMillis(Math.round(run.durationSeconds() * 1000)));
        hubRequests.increment(run.hubRequests());
        hubRetries.increment(run.hubRetries());
        resolverCalls.increment(run.resolverCalls());
        headersRead.increment(run.headersRead());
        sizeMismatches.increment(run.sizeMismatches());
        if (run.publishedOnce()) {
            detailsPending.set(run.detailsPending());
            headersPending.set(run.headersPending());
        }
        if (!run.failed() && run.merged()) {
            changed("added").increment(run.added());
            changed("updated").increment(run.updated());
            changed("removed").increment(run.removed());
            catalogSize.set(run.catalogSize());
            lastSuccessEpochSeconds.set(run.startedAt().getEpochSecond());
        }
    }

    public void eventsSent(long events) {
        eventsSent.increment(events);
    }

    public void eventsFailed() {
        eventsFailed.increment();
    }

    public void detailsPending(int pending) {
        detailsPending.set(pending);
    }

    private Counter runs(String mode, String outcome) {
        return Counter.builder("hf.sync.runs")
                .description("Finished syncs, by mode and outcome")
                .tag("mode", mode).tag("outcome", outcome)
                .register(registry);
    }

    private Counter changed(String change) {
        return Counter.builder("hf.sync.models.changed")
                .description("Models added, updated or removed by successful syncs")
                .tag("change", change)
                .register(registry);
    }
}
