package io.hfsync.sync;

import io.hfsync.settings.SyncSettings;
import io.hfsync.store.CatalogMerge;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's detail phase (docs/sync-modes.md): which models get a detail call, most downloaded first, and when the
 * phase stops (every model asked, the time budget, a backfill giving way) or pauses for a publish (docs/gguf-headers.md
 * "Published as they arrive"), to go on with its plan in the next slice.
 */
final class DetailPhase {

    private static final Logger LOG = LoggerFactory.getLogger(DetailPhase.class);

    private final SyncSettings settings;
    private final Clock clock;
    private final RunBudget budget;
    private final PublishSchedule publishes;
    private final RunCounters counters;
    private final Supplier<CatalogMerge> merge;
    private final BooleanSupplier backfill;
    private final IntSupplier headersRead;
    private volatile int planned;
    /** The phase (after the listing's publish) fetched all it could: no slice of it follows. */
    private volatile boolean over;
    /** The phase's first slice has begun: the slices after it go on with its plan. */
    private volatile boolean begun;
    private volatile boolean budgetReached;
    /** Models whose detail call got no usable answer: not asked again by a later slice of the run. */
    private final Set<String> unanswered = ConcurrentHashMap.newKeySet();

    DetailPhase(SyncSettings settings, Clock clock, RunBudget budget, PublishSchedule publishes, RunCounters counters,
            Supplier<CatalogMerge> merge, BooleanSupplier backfill, IntSupplier headersRead) {
        this.settings = settings;
        this.clock = clock;
        this.budget = budget;
        this.publishes = publishes;
        this.counters = counters;
        this.merge = merge;
        this.backfill = backfill;
        this.headersRead = headersRead;
    }

    /**
     * Ids that still need a detail call, most downloaded first, or the listing-size sample's when there is one. The
     * iteration ends early when the run's time budget is spent: what is not fetched stays pending for the next run.
     */
    Iterator<String> toFetch(List<String> sample) {
        List<String> ids = sample != null ? sample : merge.get().needingDetails();
        if (sample == null && !unanswered.isEmpty()) {
            ids.removeIf(unanswered::contains);
        }
        // a later slice of the detail phase goes on with the phase's plan (the progress line's "of N")
        boolean slice = sample == null && !backfill.getAsBoolean();
        if (!slice || !begun) {
            planned = ids.size();
        }
        begun |= slice;
        return new PhaseIds(ids.iterator(), () -> over |= slice, () -> {
            if (budgetReached) {
                over |= slice;
                return false;
            }
            if (budget.givesWay()) {
                return stop(slice, "Backfill gives way to a sync: {} of {} details fetched, the rest stays pending");
            }
            Instant now = clock.instant();
            if (budget.over(now)) {
                return stop(slice, "Time budget " + budget.name()
                        + " reached: {} of {} details fetched, the rest stays pending");
            }
            if (slice && publishes.due(now)) {
                LOG.info("Publishing during the detail phase (sync.publish-interval-seconds={}): {} of {} details"
                        + " fetched, {} GGUF headers read; then it goes on", settings.publishInterval().toSeconds(),
                        counters.snapshot().detailsDone(), planned, headersRead.getAsInt());
                return false;
            }
            return true;
        });
    }

    private boolean stop(boolean slice, String line) {
        budgetReached = true;
        over |= slice;
        LOG.info(line, counters.snapshot().detailsDone(), planned);
        return false;
    }

    /** The phase goes on after the publish that ended its last slice: it ended that slice for a publish. */
    boolean goesOn() {
        return !over;
    }

    /** A detail call got no usable answer (routes/hub-listing.camel.yaml): the run's later slices do not ask again. */
    void unanswered(String id) {
        unanswered.add(id);
    }

    /** The phase stopped at the time budget (or gave way to a sync). */
    boolean budgetReached() {
        return budgetReached;
    }

    /** The models the phase set out to fetch (the progress line's "of N"). */
    int planned() {
        return planned;
    }
}
