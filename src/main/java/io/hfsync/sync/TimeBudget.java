package io.hfsync.sync;

import java.time.Instant;
import org.apache.camel.ExchangeProperty;

/**
 * The run's time budget ({@code sync.timeout}, or a backfill's {@code sync.backfill-minutes}), checked before every
 * Hub call (a step of routes/hub-listing.camel.yaml, bean {@code timeBudget}), after a pacing wait the budget cut
 * short, and before a failed call is retried; every long run is long because of Hub calls. The wall-clock timer of
 * {@link SyncRun} abandons a call in flight when the budget runs out.
 */
public final class TimeBudget {

    /** Before a Hub call: out of time, no call. Without a run (a Hub call outside a sync) there is no budget. */
    public void check(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run) {
        if (run != null) {
            check(run, null);
        }
    }

    /**
     * Out of time: before the catalog is published the run fails; the detail phase (docs/sync-modes.md) and a backfill stop
     * fetching, and the model asked for stays pending. {@code abandoned} names the call cut short, if any.
     */
    static void check(SyncRun run, String abandoned) {
        Instant now = run.clock().instant();
        if (!run.overBudget(now)) {
            return;
        }
        String cut = abandoned == null ? "" : "; the Hub call in flight (" + abandoned + ") was abandoned";
        if (run.failsWhenOverBudget()) {
            throw new SyncAbortedException("sync ran " + run.ranFor(now) + ", longer than " + run.budgetName() + cut);
        }
        throw new TimeBudgetReachedException("time budget " + run.budgetName() + " reached" + cut);
    }
}
