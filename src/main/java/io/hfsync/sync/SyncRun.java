package io.hfsync.sync;

import io.hfsync.store.CatalogMerge;
import io.hfsync.catalog.SyncMetadata;
import io.hfsync.settings.SyncSettings;
import io.hfsync.report.RunOutcome;
import io.hfsync.hub.HubCallRun;
import io.hfsync.mode.ModeDecision;
import io.hfsync.mode.SyncMode;
import java.io.IOException;
import java.time.Instant;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one sync run, carried through the routes as the exchange property {@value RunProperties#SYNC_RUN}.
 * Plain Java: the routes move it along, the steps read and change it. Counters are atomic because detail calls run in parallel.
 */
public final class SyncRun implements HubCallRun {

    private static final Logger LOG = LoggerFactory.getLogger(SyncRun.class);

    private final SyncSettings settings;
    private final Instant startedAt;
    private final RunCounters counters = new RunCounters();
    /** Why this run reads no more headers (the Hub not answering, a pacing wait too long), or null. */
    private volatile String headersStopped;
    private final HeadersAlongside headersAlongside = new HeadersAlongside();
    private final AtomicInteger headerReadsTaken = new AtomicInteger();
    /** Models whose header read got no answer this run (read again by the next run or backfill slice, not this one). */
    private final java.util.Set<String> headersNotReadNow = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ProgressLog progress = new ProgressLog();
    private volatile int detailsPlanned;
    /** docs/gguf-headers.md "Published as they arrive": when the run publishes while it fetches and reads. */
    private final PublishSchedule publishes;
    /** The detail phase (after the listing's publish) fetched all it could: no slice of it follows. */
    private volatile boolean detailPhaseOver;
    /** The detail phase's first slice has begun: the slices after it go on with its plan. */
    private volatile boolean detailPhaseBegun;
    /** The header phase after the detail phase read all it could: no slice of it follows. */
    private volatile boolean headerPhaseOver;
    /** Models whose detail call this run got no usable answer for: not asked again by a later slice of the run. */
    private final java.util.Set<String> detailsUnanswered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile SyncMetadata previous;
    private volatile ModeDecision decision;
    private volatile CatalogMerge merge;
    private volatile boolean relistAsFull;
    private volatile String failure;
    private volatile boolean published;
    private volatile boolean changeLogWritten;
    private final java.util.concurrent.atomic.AtomicReference<Runnable> lockRelease =
            new java.util.concurrent.atomic.AtomicReference<>();
    private volatile boolean listingComplete;
    private volatile boolean listingSizesVerified;
    private volatile boolean budgetReached;
    /** A daemon backfill: no listing, only pending details, a budget of its own, gives way to a sync. */
    private volatile boolean backfill;
    private final RunBudget budget;
    private volatile Instant finishedAt;
    private final io.hfsync.hub.AbandonableCalls calls = new io.hfsync.hub.AbandonableCalls();

    private final Clock clock;

    /** A run starting now, by {@code clock} (read once for the start, and for the time budget). */
    public SyncRun(SyncSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.startedAt = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        this.budget = new RunBudget(clock, startedAt, settings.timeout(),
                "sync.timeout-hours=" + settings.timeoutHoursText());
        this.publishes = new PublishSchedule(settings.publishInterval());
    }

    /**
     * Turns this run into a daemon backfill of the catalog {@code previous} describes: it lists nothing, fetches the
     * pending details within {@code slice}, stops early when {@code giveWay} says a sync is waiting, and publishes.
     */
    void backfill(SyncMetadata lastSync, Duration slice, java.util.function.BooleanSupplier giveWayWhen) {
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
    public io.hfsync.hub.AbandonableCalls calls() {
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

    /**
     * Ids that still need a detail call, most downloaded first, for the detail split, or the listing-size sample's
     * when there is one. The iteration ends early when the run's time budget is spent (docs/sync-modes.md): what is
     * not fetched stays pending for the next run.
     */
    Iterator<String> detailsToFetch(List<String> sample) {
        List<String> ids = sample != null ? sample : merge.needingDetails();
        if (sample == null && !detailsUnanswered.isEmpty()) {
            ids.removeIf(detailsUnanswered::contains);
        }
        // a later slice of the detail phase goes on with the phase's plan (the progress line's "of N")
        boolean slice = sample == null && !backfill;
        if (!slice || !detailPhaseBegun) {
            detailsPlanned = ids.size();
        }
        detailPhaseBegun |= slice;
        Iterator<String> all = ids.iterator();
        return new Iterator<>() {
            /**
             * A yes stands until next(): Camel's parallel split asks again before it takes the id, and a no then ends
             * the split at once, with calls still in flight (a publish after it would race their answers).
             */
            private boolean decided;

            @Override
            public boolean hasNext() {
                if (decided) {
                    return true;
                }
                if (!all.hasNext() || budgetReached) {
                    detailPhaseOver |= slice;
                    return false;
                }
                if (budget.givesWay()) {
                    budgetReached = true;
                    detailPhaseOver |= slice;
                    LOG.info("Backfill gives way to a sync: {} of {} details fetched, the rest stays pending",
                            counters.snapshot().detailsDone(), detailsPlanned);
                    return false;
                }
                Instant now = clock.instant();
                if (overBudget(now)) {
                    budgetReached = true;
                    detailPhaseOver |= slice;
                    LOG.info("Time budget {} reached: {} of {} details fetched, the rest stays pending",
                            budgetName(), counters.snapshot().detailsDone(), detailsPlanned);
                    return false;
                }
                if (slice && publishes.due(now)) {
                    LOG.info("Publishing during the detail phase (sync.publish-interval-seconds={}): {} of {} details"
                            + " fetched, {} GGUF headers read; then it goes on", settings.publishInterval().toSeconds(),
                            counters.snapshot().detailsDone(), detailsPlanned, headersRead());
                    return false;
                }
                decided = true;
                return true;
            }

            @Override
            public String next() {
                decided = false;
                return all.next();
            }
        };
    }

    /**
     * Models whose GGUF header is to be read (docs/gguf-headers.md), most downloaded first: an incremental run reads
     * those it added or updated, a full run and a backfill every one still without a header read. The iteration ends
     * at the time budget, when a backfill gives way, or when the reads stopped.
     */
    public Iterator<String> headersToRead() {
        Iterator<String> all = headerIds().iterator();
        // a sync publishes while it reads (a backfill slice publishes at its end)
        boolean slice = !backfill;
        return new Iterator<>() {
            /** A yes stands until next() (see detailsToFetch). */
            private boolean decided;

            @Override
            public boolean hasNext() {
                if (decided) {
                    return true;
                }
                if (!all.hasNext() || headersStopped != null) {
                    headerPhaseOver |= slice;
                    return false;
                }
                Instant now = clock.instant();
                if (budget.givesWay() || overBudget(now)) {
                    headersStopped = budget.givesWay() ? "a sync asked for the data directory" : "time budget " + budgetName() + " reached";
                    headerPhaseOver |= slice;
                    LOG.info("GGUF headers: {}; {} read, the rest stays pending", headersStopped, headersRead());
                    return false;
                }
                if (slice && publishes.due(now)) {
                    LOG.info("Publishing while GGUF headers are read (sync.publish-interval-seconds={}): {} read, then"
                            + " it goes on", settings.publishInterval().toSeconds(), headersRead());
                    return false;
                }
                decided = true;
                return true;
            }

            @Override
            public String next() {
                decided = false;
                return all.next();
            }
        };
    }

    private List<String> headerIds() {
        if (merge == null || !settings.headers().enabled()) {
            return List.of();
        }
        List<String> ids = merge.needingHeaders(changedHeadersOnly());
        if (!headersNotReadNow.isEmpty()) {
            ids.removeIf(headersNotReadNow::contains);
        }
        return ids;
    }

    /** The model's header read got no answer now: it is not read again in this run (once per run, as it was). */
    void headerNotReadNow(String id) {
        headersNotReadNow.add(id);
    }

    /** An incremental run reads the headers of the models it added or updated only. */
    private boolean changedHeadersOnly() {
        return !backfill && decision != null && decision.incremental();
    }

    /**
     * The detail phase begins: header reads alongside it start with the models whose header can be read already
     * (docs/gguf-headers.md); each model whose sizes it reads joins them ({@link #sizesRead}).
     */
    void openHeadersAlongside() {
        if (merge != null && settings.headers().enabled() && headersStopped == null) {
            headersAlongside.open(headerIds(), merge::downloads);
        }
    }

    /**
     * The detail phase goes on after the publish that ended its last slice (routes/sync-run.camel.yaml): it ended that
     * slice for a publish ({@code sync.publish-interval-seconds}), not at its end, the time budget or a failure.
     */
    public boolean detailPhaseGoesOn() {
        return !detailPhaseOver;
    }

    /** The header phase after the detail phase goes on after the publish that ended its last slice. */
    public boolean headerPhaseGoesOn() {
        return !headerPhaseOver && headersStopped == null;
    }

    /** A detail call got no usable answer (routes/hub-listing.camel.yaml): the run's later slices do not ask again. */
    void detailUnanswered(String id) {
        detailsUnanswered.add(id);
    }

    /** A publish starts writing (routes/write-results.camel.yaml). */
    void publishing() {
        publishes.publishing(clock.instant());
    }

    /** A publish wrote everything and emptied the journals: the next one is due a publish interval from now. */
    void publishEnded() {
        publishes.published(clock.instant());
    }

    /** How long the run's last publish took, for its log line. */
    Duration lastPublishTook() {
        return publishes.lastTook();
    }

    /** The detail phase read the model's sizes: its header is read alongside when it is one this run reads. */
    void sizesRead(String id) {
        if (headersAlongside.isOpen() && headersStopped == null && merge.needsHeader(id, changedHeadersOnly())) {
            headersAlongside.add(id, merge.downloads(id));
        }
    }

    /**
     * The models to read alongside the detail phase, the most downloaded of those ready first, waiting while none is
     * (routes/gguf-headers.camel.yaml). Ends when the detail phase ends (what is left is read after it), the reads
     * stopped, or {@code stopping} says the application stops.
     */
    Iterator<String> headersToReadAlongside(java.util.function.BooleanSupplier stopping) {
        return new Iterator<>() {
            private String next;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (ended || headersStopped != null) {
                    ended = true;
                    return false;
                }
                try {
                    next = headersAlongside.next(stopping);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ended = next == null;
                return next != null;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                String id = next;
                next = null;
                return id;
            }
        };
    }

    /** A header read was taken into the catalog: every 1,000th is logged, the pace at which the most downloaded arrive. */
    void headerReadTaken() {
        int taken = headerReadsTaken.incrementAndGet();
        if (taken % 1000 == 0) {
            LOG.info("GGUF headers: {} read{}", taken, headersAlongside.isOpen() ? ", alongside the detail phase" : "");
        }
    }

    HeadersAlongside headersAlongside() {
        return headersAlongside;
    }

    /** Header reads are due in this run. */
    public boolean hasHeadersToRead() {
        return headersStopped == null && !headerIds().isEmpty();
    }

    void stopHeaders(String why) {
        headersStopped = why;
    }

    /** Header reads this run added to the catalog (a header or its reason). */
    public int headersRead() {
        return merge == null ? 0 : merge.headersRead();
    }

    /** Models still without a header read (0 when header reads are off). */
    public int headersPending() {
        return merge == null || !settings.headers().enabled() ? 0 : merge.needingHeadersCount();
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

    /** The detail phase stopped at the time budget. */
    public boolean budgetReached() {
        return budgetReached;
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

    int detailsPlanned() {
        return detailsPlanned;
    }

    /** A detail call was answered or given up on: maybe a progress line. */
    void detailDone() {
        counters.detailDone();
        progress.maybeLog(this::progressCounts);
    }

    /** What the progress line reports. */
    ProgressLog.Counts progressCounts() {
        RunCounts counts = counters.snapshot();
        return new ProgressLog.Counts(counts.pagesRead(), modelsProcessed(), counts.hubRequests(), detailsPlanned(),
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
