package io.hfsync.sync;

import io.hfsync.hub.RateLimitHeader;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces Hub calls before the Hub ever answers 429: calls are spaced evenly at {@code hub.max-requests-per-minute}
 * (with 1% to spare, so no 60 s window seen at the Hub holds more), and the {@code RateLimit} header's remaining
 * quota is spread over the rest of its window, {@code r=0} waiting for the reset. Shared by the parallel detail
 * calls. Also where the run's time limit is enforced, since every long run is long because of Hub calls.
 */
public final class HubPacer {

    private static final Logger LOG = LoggerFactory.getLogger(HubPacer.class);

    private final Clock clock;
    private final long budgetIntervalNanos;
    private long nextSlotNanos = System.nanoTime();
    private long intervalNanos;

    public HubPacer(Clock clock, int maxRequestsPerMinute) {
        this.clock = clock;
        this.budgetIntervalNanos = (long) (TimeUnit.MINUTES.toNanos(1) * 1.01 / maxRequestsPerMinute);
        this.intervalNanos = budgetIntervalNanos;
    }

    public void beforeCall(Exchange exchange) throws InterruptedException {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (run != null) {
            // the detail phase stops at the budget on its own (SyncRun.detailsToFetch) and publishes what it has;
            // before the catalog is published, running out of time fails the run
            if (run.failsWhenOverBudget() && run.overBudget(clock.instant())) {
                throw new SyncAbortedException("sync ran " + Duration.between(run.startedAt(), clock.instant()).toMinutes()
                        + " min, longer than sync.timeout-hours=" + run.settings().timeoutHoursText());
            }
            run.countHubRequest();
        }
        long wait = reserveSlot();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
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
        long windowNanos = TimeUnit.SECONDS.toNanos(rateLimit.resetSeconds());
        if (rateLimit.remaining() == 0) {
            nextSlotNanos = Math.max(nextSlotNanos, System.nanoTime() + windowNanos + TimeUnit.SECONDS.toNanos(1));
            LOG.info("Hub rate limit reached: waiting {}s for the window to reset", rateLimit.resetSeconds() + 1);
        }
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
