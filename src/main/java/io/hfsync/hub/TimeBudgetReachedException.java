package io.hfsync.hub;

/**
 * A detail call (or a backfill's) met the end of the run's time budget: the model stays pending for the next run,
 * and the run goes on to publish what it has (docs/sync-modes.md). Caught by the detail route; never fails a run.
 */
public final class TimeBudgetReachedException extends RuntimeException {

    public TimeBudgetReachedException(String message) {
        super(message, null, false, false);
    }
}
