package io.hfsync.sync;

import io.hfsync.catalog.ListingSizeCheck;
import io.hfsync.hub.ListingPage;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counters of one run, bumped by the route steps as things happen (atomic: detail calls and header reads run in
 * parallel), read through {@link #snapshot}. A malformed item and a listing size mismatch are also logged here, a
 * bounded number of lines per run, the rest only counted.
 */
final class RunCounters {

    private static final Logger LOG = LoggerFactory.getLogger(RunCounters.class);
    private static final int MALFORMED_LOG_LINES = 100;
    /** Mismatches logged one by one; the rest are counted in the decision's line. */
    private static final int MISMATCHES_LOGGED = 10;

    private final AtomicInteger hubRequests = new AtomicInteger();
    private final AtomicInteger hubRetries = new AtomicInteger();
    private final AtomicInteger resolverCalls = new AtomicInteger();
    private final AtomicLong headerBytes = new AtomicLong();
    private final AtomicInteger pagesRead = new AtomicInteger();
    private final AtomicInteger itemsWithoutId = new AtomicInteger();
    private final AtomicInteger privateSkipped = new AtomicInteger();
    private final AtomicInteger malformedItems = new AtomicInteger();
    private final Set<String> malformedLogged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger unusableDetails = new AtomicInteger();
    private final AtomicInteger detailsDone = new AtomicInteger();
    private final AtomicInteger sizeChecks = new AtomicInteger();
    private final AtomicInteger sizeMismatches = new AtomicInteger();

    RunCounts snapshot() {
        return new RunCounts(hubRequests.get(), hubRetries.get(), resolverCalls.get(), headerBytes.get(),
                pagesRead.get(), itemsWithoutId.get(), privateSkipped.get(), malformedItems.get(),
                unusableDetails.get(), detailsDone.get(), sizeChecks.get(), sizeMismatches.get());
    }

    int hubRequest() {
        return hubRequests.incrementAndGet();
    }

    void retry() {
        hubRetries.incrementAndGet();
    }

    int resolverCall() {
        return resolverCalls.incrementAndGet();
    }

    void headerBytes(long bytes) {
        headerBytes.addAndGet(bytes);
    }

    void pageRead() {
        pagesRead.incrementAndGet();
    }

    void itemWithoutId() {
        itemsWithoutId.incrementAndGet();
    }

    void privateSkipped() {
        privateSkipped.incrementAndGet();
    }

    /**
     * A listing item that had to be repaired or left out: counted, and logged once per id and run (both passes list
     * it), with the id sanitised; after {@value #MALFORMED_LOG_LINES} lines, only counted.
     */
    void malformedItem(ListingPage.Malformed item) {
        malformedItems.incrementAndGet();
        String id = ListingPage.sanitise(item.id());
        if (malformedLogged.size() < MALFORMED_LOG_LINES && malformedLogged.add(id + (item.id() == null ? item.problem() : ""))) {
            LOG.warn("Listing item {} {}: {}", id, item.skipped() ? "left out" : "read without the bad fields", item.problem());
        }
    }

    /** A detail answer read without its malformed fields: counted with the listing's, logged once (one call per id). */
    void malformedDetail(ListingPage.Malformed answer) {
        malformedItems.incrementAndGet();
        LOG.warn("Detail answer for {} read without the bad fields: {}", ListingPage.sanitise(answer.id()),
                answer.problem());
    }

    void unusableDetail() {
        unusableDetails.incrementAndGet();
    }

    void detailDone() {
        detailsDone.incrementAndGet();
    }

    /** A detail answer compared with the listing; the run decides what a mismatch means once the sample is in. */
    void listingSizeChecked(ListingSizeCheck check) {
        sizeChecks.incrementAndGet();
        if (check.matches()) {
            return;
        }
        if (sizeMismatches.incrementAndGet() <= MISMATCHES_LOGGED) {
            LOG.warn("Listing size mismatch: {} listing says {} bytes (gguf.totalFileSize), its detail call says {} bytes",
                    check.id(), check.listed(), check.read());
        }
    }

    /** The run is over: the ids it logged go (Camel may keep the run, see {@link SyncRun#close}). */
    void close() {
        malformedLogged.clear();
    }
}
