package io.hfsync.hub;

import java.time.Clock;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of every Hub call in routes/hub-listing.camel.yaml (bean {@code hubCall}), around the pacing and the HTTP
 * call itself: one clean GET to the Hub, and, when it fails, another attempt or the end of the run.
 */
public final class HubCalls {

    private static final Logger LOG = LoggerFactory.getLogger(HubCalls.class);

    private final String hubUrl;
    private final RetryPolicy policy;
    private final Clock clock;

    public HubCalls(String hubUrl, RetryPolicy policy, Clock clock) {
        this.hubUrl = hubUrl;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * Turns the message into one clean GET to {@link HubCallProperties#HUB_URL}. Everything else on the message was
     * removed by the route (quartz, file and previous-response headers would otherwise become request headers). A URL
     * outside {@code hub.url}'s origin is refused before anything is sent.
     */
    public void prepare(@ExchangeProperty(HubCallProperties.HUB_URL) String url, Message message) {
        HubUrls.requireSameOrigin(hubUrl, url);
        message.setBody(null);
        message.setHeader(Exchange.HTTP_METHOD, "GET");
        message.setHeader(Exchange.HTTP_URI, url);
    }

    /**
     * The {@code retryWhile} of the Hub call's redelivery (routes/hub-listing.camel.yaml, {@code hf-sync-hub-retry}):
     * true schedules another attempt after the delay it puts in {@link Exchange#REDELIVERY_DELAY}, false gives up, with
     * the failure the caller gets from {@link #giveUp} kept in {@link HubCallProperties#HUB_CALL_FAILURE}. A status that is
     * never retried (4xx) is handed on as it came, so a caller can still tell a vanished repo (401/404) from other
     * failures; a call abandoned because the run's time is up is not retried, and fails as the time budget says.
     */
    public boolean retry(Exchange exchange) {
        Throwable failure = exchange.getException();
        if (failure == null) {
            failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        int attempt = exchange.getProperty(HubCallProperties.HUB_CALL_ATTEMPT, 0, Integer.class) + 1;
        exchange.setProperty(HubCallProperties.HUB_CALL_ATTEMPT, attempt);
        String target = HubUrls.forLog(exchange.getProperty(HubCallProperties.HUB_URL, String.class));
        HubCallRun run = exchange.getProperty(HubCallProperties.RUN, HubCallRun.class);
        if (run != null) {
            try {
                TimeBudget.check(run, target);
            } catch (RuntimeException outOfTime) {
                exchange.setProperty(HubCallProperties.HUB_CALL_FAILURE, outOfTime);
                return false;
            }
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
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, delayMillis);
            return true;
        }
        RetryPolicy.GiveUp giveUp = (RetryPolicy.GiveUp) decision;
        exchange.setProperty(HubCallProperties.HUB_CALL_FAILURE, giveUp.notRetryable() && failure instanceof Exception
                ? failure : new HubCallFailedException("Hub call " + target + " failed: " + giveUp.why(), failure));
        return false;
    }

    /**
     * In the Hub call's doCatch: hands the caller the failure {@link #retry} decided on, or, when the attempt failed
     * otherwise (not an HTTP or I/O failure: no retry was considered), the failure as it came.
     */
    public void giveUp(Exchange exchange) throws Exception {
        Throwable failure = exchange.getProperty(HubCallProperties.HUB_CALL_FAILURE, Throwable.class);
        if (failure == null) {
            failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        if (failure instanceof Exception e) {
            throw e;
        }
        throw new IllegalStateException(failure);
    }
}
