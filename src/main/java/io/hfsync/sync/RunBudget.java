package io.hfsync.sync;

import io.hfsync.hub.AbandonableCalls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * When a run must stop (docs/faults.md): its time budget ({@code sync.timeout-hours}, or a backfill's slice), by the
 * injected clock and on the wall clock, and for a backfill, a sync asking for the data directory.
 */
final class RunBudget {

    /** One timer thread for every run's budget: it only flips a flag and closes connections. */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "hf-sync-time-budget");
        thread.setDaemon(true);
        return thread;
    });

    private final Clock clock;
    private final Instant startedAt;
    private volatile Duration budget;
    private volatile String name;
    private volatile BooleanSupplier giveWay = () -> false;
    private volatile boolean outOfTime;
    private volatile ScheduledFuture<?> wallClock;

    /** {@code name} is the setting, for messages ("sync.timeout-hours=6"). */
    RunBudget(Clock clock, Instant startedAt, Duration budget, String name) {
        this.clock = clock;
        this.startedAt = startedAt;
        this.budget = budget;
        this.name = name;
    }

    /** A daemon backfill's: {@code slice} long, and over as soon as {@code giveWayWhen} says a sync is waiting. */
    void backfillSlice(Duration slice, BooleanSupplier giveWayWhen) {
        this.budget = slice;
        this.name = "the backfill slice (sync.backfill-minutes=" + slice.toMinutes() + ")";
        this.giveWay = giveWayWhen;
    }

    /**
     * The budget on the wall clock: when it runs out, the Hub calls in flight are abandoned (their connections
     * closed) instead of waiting for a body that may trickle for hours, and {@link #over} says so from then on.
     */
    void startWallClock(AbandonableCalls calls) {
        long remainingMillis = Math.max(0, budget.minus(Duration.between(startedAt, clock.instant())).toMillis());
        wallClock = TIMER.schedule(() -> {
            outOfTime = true;
            calls.abandon("the run's time budget is used up");
        }, remainingMillis, TimeUnit.MILLISECONDS);
    }

    /** The run is over: its wall-clock timer goes. */
    void cancel() {
        ScheduledFuture<?> timer = wallClock;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** What is left of the budget at {@code now} (zero when spent). */
    Duration remaining(Instant now) {
        if (outOfTime) {
            return Duration.ZERO;
        }
        Duration left = budget.minus(Duration.between(startedAt, now));
        return left.isNegative() ? Duration.ZERO : left;
    }

    boolean over(Instant now) {
        return outOfTime || Duration.between(startedAt, now).compareTo(budget) > 0;
    }

    /** A backfill gives way: a sync asked for the data directory. */
    boolean givesWay() {
        return giveWay.getAsBoolean();
    }

    /** How long the run has taken by {@code now}, for messages: at least its budget once the wall clock says so. */
    String ranFor(Instant now) {
        Duration ran = Duration.between(startedAt, now);
        if (outOfTime && ran.compareTo(budget) < 0) {
            ran = budget;
        }
        return ran.toMinutes() > 0 ? ran.toMinutes() + " min" : ran.toSeconds() + " s";
    }

    /** "sync.timeout-hours=6" or the backfill's slice, for messages. */
    String name() {
        return name;
    }
}
