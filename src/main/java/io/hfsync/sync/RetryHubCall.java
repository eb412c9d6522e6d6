package io.hfsync.sync;

import io.hfsync.hub.HubCallFailedException;
import io.hfsync.hub.HubUrls;
import io.hfsync.hub.RetryPolicy;
import java.time.Clock;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In the Hub call's doCatch: either schedule another attempt (the route's loop runs it after the route's delay)
 * or give up, which fails the run. A status that is never retried (4xx) is rethrown as it came, so a caller can
 * still tell a vanished repo (401/404) from other failures.
 */
public final class RetryHubCall implements Processor {

    public static final String AGAIN_PROPERTY = "hubCallAgain";
    public static final String DELAY_PROPERTY = "hubCallDelayMs";
    static final String ATTEMPT_PROPERTY = "hubCallAttempt";
    private static final Logger LOG = LoggerFactory.getLogger(RetryHubCall.class);

    private final RetryPolicy policy;
    private final Clock clock;

    public RetryHubCall(RetryPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int attempt = exchange.getProperty(ATTEMPT_PROPERTY, 0, Integer.class) + 1;
        exchange.setProperty(ATTEMPT_PROPERTY, attempt);
        String target = HubUrls.forLog(exchange.getProperty(RunProperties.HUB_URL, String.class));
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (run != null) {
            // a call abandoned because the run's time is up is not retried
            HubPacer.checkBudget(run, target);
        }
        RetryPolicy.Decision decision = policy.decide(failure, attempt, clock.instant());
        if (decision instanceof RetryPolicy.Retry retry) {
            // never wait past the end of the time budget: the next attempt then meets it and stops
            long delayMillis = run == null ? retry.delay().toMillis()
                    : Math.min(retry.delay().toMillis(), run.remaining(clock.instant()).toMillis() + 1);
            if (run != null) {
                run.countRetry();
            }
            LOG.warn(String.format(Locale.ROOT, "Hub call %s failed (%s): retry %d in %.1fs", target, retry.why(), attempt,
                    delayMillis / 1000.0));
            exchange.setProperty(AGAIN_PROPERTY, true);
            exchange.setProperty(DELAY_PROPERTY, delayMillis);
            return;
        }
        RetryPolicy.GiveUp giveUp = (RetryPolicy.GiveUp) decision;
        if (giveUp.notRetryable() && failure instanceof Exception original) {
            throw original;
        }
        throw new HubCallFailedException("Hub call " + target + " failed: " + giveUp.why(), failure);
    }
}
