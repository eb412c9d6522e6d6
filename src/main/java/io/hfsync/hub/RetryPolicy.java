package io.hfsync.hub;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * docs/faults.md and the official client's rules: 429 waits {@code t+1} s when {@code RateLimit} says {@code r=0}, else
 * {@code Retry-After} (seconds or an HTTP date); 408 and 5xx, timeouts and connection resets back off
 * exponentially with jitter; everything else fails at once. A wait longer than the allowed maximum fails too.
 */
public final class RetryPolicy {

    private static final Set<Integer> RETRYABLE_STATUS = Set.of(408, 429, 500, 502, 503, 504);
    private static final Duration BASE_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private final int maxRetries;
    private final Duration maxWait;
    private final RandomGenerator random;

    public RetryPolicy(int maxRetries, Duration maxWait, RandomGenerator random) {
        this.maxRetries = maxRetries;
        this.maxWait = maxWait;
        this.random = random;
    }

    /** What to do after a failed call. */
    public sealed interface Decision permits Retry, GiveUp {
    }

    public record Retry(Duration delay, String why) implements Decision {
    }

    /** {@code notRetryable}: the failure is never retried (a 4xx), as opposed to retries running out. */
    public record GiveUp(String why, boolean notRetryable) implements Decision {
    }

    /** {@code attempt} counts the calls made so far for this request, 1 after the first failure. */
    public Decision decide(Throwable failure, int attempt, Instant now) {
        Duration wait;
        String what;
        if (failure instanceof HttpOperationFailedException http) {
            int status = http.getStatusCode();
            what = "HTTP " + status;
            if (!RETRYABLE_STATUS.contains(status)) {
                return new GiveUp(what + " is not retried", true);
            }
            wait = status == 429 ? rateLimitWait(http.getResponseHeaders(), now).orElse(backoff(attempt)) : backoff(attempt);
        } else if (failure instanceof AnswerTooLargeException) {
            return new GiveUp(failure.getMessage(), true);
        } else if (failure instanceof IOException) {
            what = failure.getClass().getSimpleName();
            wait = backoff(attempt);
        } else {
            return new GiveUp(failure.getClass().getSimpleName() + " is not retried", true);
        }
        if (attempt > maxRetries) {
            return new GiveUp(what + " after " + maxRetries + " retries", false);
        }
        if (wait.compareTo(maxWait) > 0) {
            return new GiveUp(what + " asks to wait " + wait.toSeconds() + "s, more than hub.max-retry-wait-seconds="
                    + maxWait.toSeconds(), false);
        }
        return new Retry(wait, what);
    }

    /** Exponential from 1 s, doubled per attempt, capped at 60 s, with ±50% jitter so parallel callers spread. */
    Duration backoff(int attempt) {
        long base = Math.min(MAX_BACKOFF.toMillis(), BASE_BACKOFF.toMillis() << Math.min(attempt - 1, 16));
        return Duration.ofMillis(base / 2 + random.nextLong(base + 1));
    }

    static Optional<Duration> rateLimitWait(Map<String, String> headers, Instant now) {
        RateLimitHeader rateLimit = RateLimitHeader.parse(header(headers, "RateLimit"));
        if (rateLimit != null && rateLimit.remaining() == 0) {
            return Optional.of(Duration.ofSeconds(Math.min(rateLimit.resetSeconds(), Long.MAX_VALUE / 2) + 1));
        }
        return retryAfter(header(headers, "Retry-After"), now);
    }

    static Optional<Duration> retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(now, at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
