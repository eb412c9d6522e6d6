package io.hfsync.sync;

import io.hfsync.store.CatalogMerge;
import io.hfsync.catalog.SyncMetadata;
import io.hfsync.settings.SyncSettings;
import io.hfsync.report.RunOutcome;
import io.hfsync.hub.AbandonableCalls;
import io.hfsync.hub.HubCallRun;
import io.hfsync.mode.ModeDecision;
import io.hfsync.mode.SyncMode;
import java.io.IOException;
import java.time.Instant;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one sync run, carried through the routes as the exchange property {@value RunProperties#SYNC_RUN}.
 * Plain Java: the routes move it along, the steps read and change it. Its parts: the time budget (RunBudget), the
 * counters (RunCounters), the detail phase (DetailPhase), the header reads (HeaderPhase) and the publish schedule.
 * Thread-safe: detail calls and header reads run in parallel.
 */
public final class SyncRun implements HubCallRun {

    private static final Logger LOG = LoggerFactory.getLogger(SyncRun.class);

    private final SyncSettings settings;
    private final Instant startedAt;
    private final RunCounters counters = new RunCounters();
    private final ProgressLog progress = new ProgressLog();
    /** docs/gguf-headers.md "Published as they arrive": when the run publishes while it fetches and reads. */
    private final PublishSchedule publishes;
    private final DetailPhase details;
    private final HeaderPhase headers;
    private volatile SyncMetadata previous;
    private volatile ModeDecision decision;
    private volatile CatalogMerge merge;
    private volatile boolean relistAsFull;
    private volatile String failure;
    private volatile boolean published;
    private volatile boolean changeLogWritten;
    private final AtomicReference<Runnable> lockRelease = new AtomicReference<>();
    private volatile boolean listingComplete;
    private volatile boolean listingSizesVerified;
    /** A daemon backfill: no listing, only pending details, a budget of its own, gives way to a sync. */
    private volatile boolean backfill;
    private final RunBudget budget;
    private volatile Instant finishedAt;
    private final AbandonableCalls calls = new AbandonableCalls();

    private final Clock clock;

    /** A run starting now, by {@code clock} (read once for the start, and for the time budget). */
    public SyncRun(SyncSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.startedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        this.budget = new RunBudget(clock, startedAt, settings.timeout(),
                "sync.timeout-hours=" + settings.timeoutHoursText());
        this.publishes = new PublishSchedule(settings.publishInterval());
        this.details = new DetailPhase(settings, clock, budget, publishes, counters, this::merge, this::backfill,
                this::headersRead);
        this.headers = new HeaderPhase(settings, clock, budget, publishes, this::merge, this::backfill,
                () -> decision != null && decision.incremental());
    }

    /**
     * Turns this run into a daemon backfill of the catalog {@code previous} describes: it lists nothing, fetches the
     * pending details within {@code slice}, stops early when {@code giveWay} says a sync is waiting, and publishes.
     */
    void backfill(SyncMetadata lastSync, Duration slice, BooleanSupplier giveWayWhen) {
        this.backfill = true;
        this.previous = lastSync;
        this.budget.backfillSlice(slice, giveWayWhen);
        this.decision = new ModeDecision("incremental".equals(lastSync.syncMode()) ? SyncMode.INCREMENTAL : SyncMode.FULL,
                lastSync.modeReason(), null, false);
    }

    public boolean backfill() {
        return backfill;
    }

    public SyncSettings settings() {
        return settings;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public SyncMetadata previous() {
        return previous;
    }

    void previous(SyncMetadata metadata) {
        this.previous = metadata;
    }

    public ModeDecision decision() {
        return decision;
    }

    void decide(ModeDecision modeDecision) {
        this.decision = modeDecision;
    }

    public CatalogMerge merge() {
        return merge;
    }

    void merge(CatalogMerge catalogMerge) {
        this.merge = catalogMerge;
    }

    /** The time budget on the wall clock: when it runs out, the run's Hub calls in flight are abandoned. */
    void startWallClock() {
        budget.startWallClock(calls);
    }

    /** The Hub calls of this run, to be abandoned together when its time is up. */
    @Override
    public AbandonableCalls calls() {
        return calls;
    }

    @Override
    public Duration remaining(Instant now) {
        return budget.remaining(now);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public String ranFor(Instant now) {
        return budget.ranFor(now);
    }

    @Override
    public String budgetName() {
        return budget.name();
    }

    /** The run is over (written, failed or cut short): its scratch file goes, and what it held of the catalog. */
    void close() {
        budget.cancel();
        if (merge != null) {
            try {
                LOG.info("Scratch file: {} MB, deleted",
                        Math.round(merge.scratchBytes() / 1e5) / 10.0);
                merge.close();
            } catch (IOException e) {
                LOG.warn("Could not delete the run's scratch file: {}", e.getMessage());
            }
            // the run may outlive itself: Camel's bean cache keeps the instance the routes' ${exchangeProperty.syncRun
            // .method()} expressions were asked of (as its key, strongly). What it holds goes now, or a daemon keeps
            // every past run's merge of every model (about 50 MB at 200k models: out of heap after a few runs)
            merge = null;
        }
        counters.close();
    }

    public SyncMode mode() {
        return decision == null ? null : decision.mode();
    }

    /** Before any listing: this run becomes full (e.g. there is no catalog to add increments to). */
    void switchToFull(String why) {
        decision = decision.escalateToFull(why);
    }

    /** After the incremental pass: the catalog moved so much that this run lists everything again, as full. */
    void escalate(String why) {
        switchToFull(why);
        relistAsFull = true;
    }

    public boolean needsFullListing() {
        return relistAsFull;
    }

    /** The run's counters, for the steps that count. */
    RunCounters counters() {
        return counters;
    }

    /** What the run counted so far, for the report, the metadata, the metrics and the progress line. */
    public RunCounts counts() {
        return counters.snapshot();
    }

    @Override
    public int countHubRequest() {
        return counters.hubRequest();
    }

    @Override
    public void countRetry() {
        counters.retry();
    }

    @Override
    public int countResolverCall() {
        return counters.resolverCall();
    }

    /** Distinct models the listings returned and the run took (a model found by both strategies counts once). */
    public int modelsProcessed() {
        return merge == null ? 0 : merge.listedCount();
    }

    /** The run's detail phase: what it fetches, and when it stops or pauses for a publish. */
    DetailPhase details() {
        return details;
    }

    /** The run's GGUF header reads: alongside the detail phase and after it. */
    HeaderPhase headers() {
        return headers;
    }

    /** Models whose GGUF header is to be read after the detail phase (routes/gguf-headers.camel.yaml). */
    public Iterator<String> headersToRead() {
        return headers.toRead();
    }

    /** The detail phase goes on after the publish that ended its last slice (routes/sync-run.camel.yaml). */
    public boolean detailPhaseGoesOn() {
        return details.goesOn();
    }

    /** The header reads after the detail phase go on after the publish that ended their last slice. */
    public boolean headerPhaseGoesOn() {
        return headers.goesOn();
    }

    /** Header reads are due in this run. */
    public boolean hasHeadersToRead() {
        return headers.due();
    }

    /** Header reads this run added to the catalog (a header or its reason). */
    public int headersRead() {
        return headers.read();
    }

    /** Models still without a header read (0 when header reads are off). */
    public int headersPending() {
        return headers.pending();
    }

    /** When the run publishes while it fetches and reads (routes/write-results.camel.yaml). */
    PublishSchedule publishes() {
        return publishes;
    }

    @Override
    public boolean overBudget(Instant now) {
        return budget.over(now);
    }

    /**
     * Running out of time fails a run only before its listing completed: afterwards it just stops fetching (while it
     * verifies listing sizes, too: it then publishes without them).
     */
    public boolean failsWhenOverBudget() {
        return !listingComplete && !published && !backfill;
    }

    void listingCompleted() {
        listingComplete = true;
    }

    void listingSizesVerified() {
        listingSizesVerified = true;
    }

    /** Models whose size this run took from the listing. */
    public int sizesFromListing() {
        return merge == null ? 0 : merge.listingSizesTaken();
    }

    /**
     * What later runs may make of listing sizes (the metadata's {@code listing_sizes}): a mismatch seen now turns them
     * off, a matching sample now turns them on, otherwise the last verdict stands.
     */
    public String listingSizesState() {
        if (counters.snapshot().sizeMismatches() > 0) {
            return SyncMetadata.LISTING_SIZES_MISMATCH;
        }
        if (listingSizesVerified) {
            return SyncMetadata.LISTING_SIZES_VERIFIED;
        }
        return previous == null ? null : previous.listingSizes();
    }

    /** Models whose sizes are still to be read (0 when sizes are off). */
    public int detailsPending() {
        return merge == null || !settings.fetchFileSizes() ? 0 : merge.needingDetailsCount();
    }

    public boolean hasPendingDetails() {
        return detailsPending() > 0;
    }

    public int detailsFetched() {
        return merge == null ? 0 : merge.detailsFetched();
    }

    /** The catalog of this run was published (renamed into place) at least once. */
    public boolean publishedOnce() {
        return published;
    }

    void markPublished() {
        published = true;
    }

    void onLockRelease(Runnable release) {
        lockRelease.set(release);
    }

    /** Lets go of the data directory's lock before the run's end (only once; the run's completion does it otherwise). */
    void releaseLock() {
        Runnable release = lockRelease.getAndSet(null);
        if (release != null) {
            release.run();
        }
    }

    void changeLogWritten() {
        changeLogWritten = true;
    }

    /** This run put its change log in place (it did so before its catalog, routes/write-results.camel.yaml). */
    boolean wroteChangeLog() {
        return changeLogWritten;
    }

    /** A detail call was answered or given up on: maybe a progress line. */
    void detailDone() {
        counters.detailDone();
        progress.maybeLog(this::progressCounts);
    }

    /** What the progress line reports. */
    ProgressLog.Counts progressCounts() {
        RunCounts counts = counters.snapshot();
        return new ProgressLog.Counts(counts.pagesRead(), modelsProcessed(), counts.hubRequests(), details.planned(),
                counts.detailsDone());
    }

    /** After each listing page: maybe a progress line. */
    void pageDone() {
        counters.pageRead();
        progress.maybeLog(this::progressCounts);
    }

    void fail(String message) {
        this.failure = message;
    }

    /** How the run ended, for the observers (metrics, health). */
    public RunOutcome outcome() {
        CatalogMerge merged = merge();
        RunCounts counts = counts();
        return new RunOutcome(mode() == null ? null : mode().wireName(), failed(), failure(), durationSeconds(),
                counts.hubRequests(), counts.hubRetries(), counts.sizeMismatches(), publishedOnce(), detailsPending(),
                merged != null, merged == null ? 0 : merged.addedCount(), merged == null ? 0 : merged.updatedCount(),
                merged == null ? 0 : merged.removedCount(), merged == null ? 0 : merged.sizeNow(), startedAt(),
                counts.resolverCalls(), headersRead(), headersPending());
    }

    public boolean failed() {
        return failure != null;
    }

    public String failure() {
        return failure;
    }

    void finish(Instant at) {
        this.finishedAt = at;
    }

    public double durationSeconds() {
        Instant end = finishedAt != null ? finishedAt : startedAt;
        return Math.round(Duration.between(startedAt, end).toMillis() / 100.0) / 10.0;
    }
}
