package io.hfsync.hub;

import java.time.Instant;
import org.apache.camel.ExchangeProperty;

/**
 * The run's time budget ({@code sync.timeout}, or a backfill's {@code sync.backfill-minutes}), checked before every
 * Hub call (a step of routes/hub-listing.camel.yaml, bean {@code timeBudget}), after a pacing wait the budget cut
 * short, and before a failed call is retried; every long run is long because of Hub calls. The run's wall-clock timer
 * abandons a call in flight when the budget runs out ({@link HubCallRun#calls}).
 */
public final class TimeBudget {

    /** Before a Hub call: out of time, no call. Without a run (a Hub call outside a sync) there is no budget. */
    public void check(@ExchangeProperty(HubCallProperties.RUN) HubCallRun run) {
        if (run != null) {
            check(run, null);
        }
    }

    /**
     * Out of time: before the catalog is published the run fails; the detail phase (docs/sync-modes.md) and a backfill stop
     * fetching, and the model asked for stays pending. {@code abandoned} names the call cut short, if any.
     */
    public static void check(HubCallRun run, String abandoned) {
        Instant now = run.clock().instant();
        if (!run.overBudget(now)) {
            return;
        }
        String cut = abandoned == null ? "" : "; the Hub call in flight (" + abandoned + ") was abandoned";
        if (run.failsWhenOverBudget()) {
            throw new RunOutOfTimeException("sync ran " + run.ranFor(now) + ", longer than " + run.budgetName() + cut);
        }
        throw new TimeBudgetReachedException("time budget " + run.budgetName() + " reached" + cut);
    }
}
