package io.hfsync.sync;

import io.hfsync.hub.HubCallFailedException;
import io.hfsync.hub.RateLimitHeader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces Hub calls before the Hub ever answers 429: calls are spaced evenly at {@code hub.max-requests-per-minute}
 * (with 1% to spare, so no 60 s window seen at the Hub holds more), and the {@code RateLimit} header's remaining
 * quota is spread over the rest of its window, {@code r=0} waiting for the reset. Shared by the parallel detail
 * calls. No wait it decides on exceeds {@code hub.max-retry-wait-seconds}: a longer one fails the call at once. Also
 * where the run's time limit is checked before each call (the wall-clock timer of {@link SyncRun} abandons a call in
 * flight), since every long run is long because of Hub calls.
 */
public final class HubPacer {

    private static final Logger LOG = LoggerFactory.getLogger(HubPacer.class);

    private final Clock clock;
    private final Duration maxWait;
    private final long budgetIntervalNanos;
    private long nextSlotNanos = System.nanoTime();
    private long intervalNanos;

    /** {@code maxWait}: hub.max-retry-wait-seconds; a wait the Hub's headers would impose beyond it fails the call. */
    public HubPacer(Clock clock, int maxRequestsPerMinute, Duration maxWait) {
        this.clock = clock;
        this.maxWait = maxWait;
        this.budgetIntervalNanos = (long) (TimeUnit.MINUTES.toNanos(1) * 1.01 / maxRequestsPerMinute);
        this.intervalNanos = budgetIntervalNanos;
    }

    public void beforeCall(Exchange exchange) throws InterruptedException {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        // the HTTP call runs on this thread: its connection is reported to this run, which closes it when time is up
        io.hfsync.hub.AbandonableCalls.enter(run == null ? null : run.calls());
        if (run != null) {
            checkBudget(run, null);
            run.countHubRequest();
        }
        long wait = reserveSlot();
        if (wait > maxWait.toNanos()) {
            throw new HubCallFailedException("pacing by the Hub's RateLimit header asks to wait "
                    + TimeUnit.NANOSECONDS.toSeconds(wait) + "s before the next call, more than hub.max-retry-wait-seconds="
                    + maxWait.toSeconds(), null);
        }
        if (wait > 0) {
            boolean timeUp = run == null ? sleep(wait) : run.calls().sleep(wait);
            if (timeUp && run != null) {
                checkBudget(run, null);
            }
        }
    }

    /**
     * Out of time: before the catalog is published the run fails; the detail phase (SPEC §7) and a backfill stop
     * fetching, and the model asked for stays pending. {@code abandoned} names the call cut short, if any.
     */
    static void checkBudget(SyncRun run, String abandoned) {
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

    private static boolean sleep(long nanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(nanos);
        return false;
    }

    public void afterResponse(Exchange exchange) {
        RateLimitHeader rateLimit = RateLimitHeader.parse(exchange.getMessage().getHeader("RateLimit", String.class));
        if (rateLimit != null) {
            onRateLimit(rateLimit);
        }
        String warning = exchange.getMessage().getHeader("X-HF-Warning", String.class);
        if (warning != null) {
            LOG.warn("Hub warning: {}", warning);
        }
    }

    synchronized void onRateLimit(RateLimitHeader rateLimit) {
        if (rateLimit.remaining() == 0) {
            long waitSeconds = rateLimit.resetSeconds() == Long.MAX_VALUE ? Long.MAX_VALUE : rateLimit.resetSeconds() + 1;
            if (waitSeconds > maxWait.toSeconds()) {
                // as for a 429 asking for too long: fail now rather than sleep for hours
                throw new HubCallFailedException("the Hub's RateLimit header says no calls remain for " + waitSeconds
                        + "s, more than hub.max-retry-wait-seconds=" + maxWait.toSeconds(), null);
            }
            nextSlotNanos = Math.max(nextSlotNanos, System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds));
            LOG.info("Hub rate limit reached: waiting {}s for the window to reset", waitSeconds);
        }
        long windowNanos = TimeUnit.SECONDS.toNanos(Math.min(rateLimit.resetSeconds(), TimeUnit.NANOSECONDS.toSeconds(Long.MAX_VALUE)));
        long quotaInterval = rateLimit.remaining() == 0 ? 0 : windowNanos / rateLimit.remaining();
        intervalNanos = Math.max(budgetIntervalNanos, quotaInterval);
    }

    private synchronized long reserveSlot() {
        long now = System.nanoTime();
        long slot = Math.max(now, nextSlotNanos);
        nextSlotNanos = slot + intervalNanos;
        return slot - now;
    }
}
