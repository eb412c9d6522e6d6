package io.hfsync.hub;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The sync run a Hub call is made for, as the Hub client sees it: it counts the call and its retries, and its time
 * budget ({@code sync.timeout}, or a backfill's slice) decides whether the call is made at all (docs/faults.md). The
 * run is the exchange property {@value HubCallProperties#RUN}; a call without one (outside a sync) has no budget.
 */
public interface HubCallRun {

    /** The connections of this run's calls, closed together when its time is up. */
    AbandonableCalls calls();

    int countHubRequest();

    /** A {@code /resolve/} call (a GGUF header read), counted against the resolvers budget (docs/gguf-headers.md). */
    int countResolverCall();

    void countRetry();

    Clock clock();

    /** What is left of the time budget at {@code now} (zero when spent). */
    Duration remaining(Instant now);

    boolean overBudget(Instant now);

    /** Out of time, the run fails (before its listing completed) rather than leave the model pending. */
    boolean failsWhenOverBudget();

    /** How long the run has taken by {@code now}, for messages. */
    String ranFor(Instant now);

    /** The budget's setting, for messages ("sync.timeout-hours=6", or the backfill's slice). */
    String budgetName();
}
