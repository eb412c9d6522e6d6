package io.hfsync.hub;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces Hub calls before the Hub ever answers 429: calls are spaced evenly at {@code hub.max-requests-per-minute}
 * (with 1% to spare, so no 60 s window seen at the Hub holds more), and the {@code RateLimit} header's remaining
 * quota is spread over the rest of its window, {@code r=0} waiting for the reset. Shared by the parallel detail
 * calls. No wait it decides on exceeds {@code hub.max-retry-wait-seconds}: a longer one fails the call at once. The
 * run's time budget is a step of its own ({@link TimeBudget}), before this one.
 */
public final class HubPacer {

    private static final Logger LOG = LoggerFactory.getLogger(HubPacer.class);

    private final Duration maxWait;
    /** Paces {@code /resolve/} calls (header reads), a Hub budget of their own: counted as resolver calls. */
    private final boolean resolvers;
    private final long budgetIntervalNanos;
    private long nextSlotNanos = System.nanoTime();
    private long intervalNanos;

    /** {@code maxWait}: hub.max-retry-wait-seconds; a wait the Hub's headers would impose beyond it fails the call. */
    public HubPacer(int maxRequestsPerMinute, Duration maxWait) {
        this(maxRequestsPerMinute, maxWait, false);
    }

    /** With {@code resolvers}, the pacer of header reads, fed by the resolvers bucket's headers (docs/gguf-headers.md). */
    public HubPacer(int maxRequestsPerMinute, Duration maxWait, boolean resolvers) {
        this.maxWait = maxWait;
        this.resolvers = resolvers;
        this.budgetIntervalNanos = (long) (TimeUnit.MINUTES.toNanos(1) * 1.01 / maxRequestsPerMinute);
        this.intervalNanos = budgetIntervalNanos;
    }

    /** After the run's time budget step: counts the call, and waits for its slot. */
    public void beforeCall(@ExchangeProperty(HubCallProperties.RUN) HubCallRun run) throws InterruptedException {
        // the HTTP call runs on this thread: its connection is reported to this run, which closes it when time is up
        AbandonableCalls.enter(run == null ? null : run.calls());
        if (run != null && resolvers) {
            run.countResolverCall();
        } else if (run != null) {
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
                TimeBudget.check(run, null);
            }
        }
    }

    private static boolean sleep(long nanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(nanos);
        return false;
    }

    public void afterResponse(@Header("RateLimit") String rateLimitHeader, @Header("X-HF-Warning") String warning) {
        RateLimitHeader rateLimit = RateLimitHeader.parse(rateLimitHeader);
        if (rateLimit != null) {
            onRateLimit(rateLimit);
        }
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
