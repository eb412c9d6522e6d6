package io.hfsync.sync;

import io.hfsync.settings.SyncSettings;
import io.hfsync.store.CatalogMerge;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's GGUF header reads (docs/gguf-headers.md): which models are read, most downloaded first, alongside the
 * detail phase and after it; when the reads stop (the Hub not answering, a pacing wait too long, the time budget, a
 * backfill giving way) and when they pause for a publish.
 */
final class HeaderPhase {

    private static final Logger LOG = LoggerFactory.getLogger(HeaderPhase.class);

    private final SyncSettings settings;
    private final Clock clock;
    private final RunBudget budget;
    private final PublishSchedule publishes;
    private final Supplier<CatalogMerge> merge;
    private final BooleanSupplier backfill;
    private final BooleanSupplier incremental;
    /** Why this run reads no more headers, or null. */
    private volatile String stopped;
    private final HeadersAlongside alongside = new HeadersAlongside();
    private final AtomicInteger taken = new AtomicInteger();
    /** Models whose header read got no answer this run (read again by the next run or backfill slice, not this one). */
    private final Set<String> notReadNow = ConcurrentHashMap.newKeySet();
    /** The reads after the detail phase read all they could: no slice of them follows. */
    private volatile boolean over;

    /** {@code incremental} says the run is an incremental sync, which reads the models it added or updated only. */
    HeaderPhase(SyncSettings settings, Clock clock, RunBudget budget, PublishSchedule publishes,
            Supplier<CatalogMerge> merge, BooleanSupplier backfill, BooleanSupplier incremental) {
        this.settings = settings;
        this.clock = clock;
        this.budget = budget;
        this.publishes = publishes;
        this.merge = merge;
        this.backfill = backfill;
        this.incremental = incremental;
    }

    /**
     * Models whose header is to be read after the detail phase, most downloaded first: an incremental run reads those
     * it added or updated, a full run and a backfill every one still without a header read. The iteration ends at the
     * time budget, when a backfill gives way, or when the reads stopped.
     */
    Iterator<String> toRead() {
        // a sync publishes while it reads (a backfill slice publishes at its end)
        boolean slice = !backfill.getAsBoolean();
        return new PhaseIds(ids().iterator(), () -> over |= slice, () -> {
            if (stopped != null) {
                over |= slice;
                return false;
            }
            Instant now = clock.instant();
            boolean givesWay = budget.givesWay();
            if (givesWay || budget.over(now)) {
                stopped = givesWay ? "a sync asked for the data directory"
                        : "time budget " + budget.name() + " reached";
                over |= slice;
                LOG.info("GGUF headers: {}; {} read, the rest stays pending", stopped, read());
                return false;
            }
            if (slice && publishes.due(now)) {
                LOG.info("Publishing while GGUF headers are read (sync.publish-interval-seconds={}): {} read, then"
                        + " it goes on", settings.publishInterval().toSeconds(), read());
                return false;
            }
            return true;
        });
    }

    private List<String> ids() {
        CatalogMerge catalog = merge.get();
        if (catalog == null || !settings.headers().enabled()) {
            return List.of();
        }
        List<String> ids = catalog.needingHeaders(changedOnly());
        if (!notReadNow.isEmpty()) {
            ids.removeIf(notReadNow::contains);
        }
        return ids;
    }

    private boolean changedOnly() {
        return !backfill.getAsBoolean() && incremental.getAsBoolean();
    }

    /** The model's header read got no answer now: it is not read again in this run (once per run, as it was). */
    void notReadNow(String id) {
        notReadNow.add(id);
    }

    /**
     * The detail phase begins: reads alongside it start with the models whose header can be read already; each model
     * whose sizes it reads joins them ({@link #sizesRead}).
     */
    void openAlongside() {
        CatalogMerge catalog = merge.get();
        if (catalog != null && settings.headers().enabled() && stopped == null) {
            alongside.open(ids(), catalog::downloads);
        }
    }

    /** The reads after the detail phase go on after the publish that ended their last slice. */
    boolean goesOn() {
        return !over && stopped == null;
    }

    /** The detail phase read the model's sizes: its header is read alongside when it is one this run reads. */
    void sizesRead(String id) {
        CatalogMerge catalog = merge.get();
        if (alongside.isOpen() && stopped == null && catalog.needsHeader(id, changedOnly())) {
            alongside.add(id, catalog.downloads(id));
        }
    }

    /**
     * The models to read alongside the detail phase, the most downloaded of those ready first, waiting while none is
     * (routes/gguf-headers.camel.yaml). Ends when the detail phase ends (what is left is read after it), the reads
     * stopped, or {@code stopping} says the application stops.
     */
    Iterator<String> toReadAlongside(BooleanSupplier stopping) {
        return new Iterator<>() {
            private String next;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (ended || stopped != null) {
                    ended = true;
                    return false;
                }
                try {
                    next = alongside.next(stopping);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ended = next == null;
                return next != null;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String id = next;
                next = null;
                return id;
            }
        };
    }

    /** A header read was taken into the catalog: every 1,000th is logged, the pace at which the most downloaded arrive. */
    void taken() {
        int count = taken.incrementAndGet();
        if (count % 1000 == 0) {
            LOG.info("GGUF headers: {} read{}", count, alongside.isOpen() ? ", alongside the detail phase" : "");
        }
    }

    HeadersAlongside alongside() {
        return alongside;
    }

    /** Header reads are due in this run. */
    boolean due() {
        return stopped == null && !ids().isEmpty();
    }

    void stop(String why) {
        stopped = why;
    }

    /** Header reads this run added to the catalog (a header or its reason). */
    int read() {
        CatalogMerge catalog = merge.get();
        return catalog == null ? 0 : catalog.headersRead();
    }

    /** Models still without a header read (0 when header reads are off). */
    int pending() {
        CatalogMerge catalog = merge.get();
        return catalog == null || !settings.headers().enabled() ? 0 : catalog.needingHeadersCount();
    }
}
