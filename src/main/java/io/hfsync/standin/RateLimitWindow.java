package io.hfsync.standin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One of the Hub's fixed-window rate limits, named as its headers name it: {@code api} for {@code /api/*},
 * {@code resolvers} for every {@code /resolve/} call: a quota of requests per 5-minute window (shorter for a
 * time-scaled benchmark), reported on every answer through the IETF draft {@code RateLimit} and
 * {@code RateLimit-Policy} headers.
 */
final class RateLimitWindow {

    static final Duration WINDOW = Duration.ofMinutes(5);

    /**
     * What one request was granted.
     *
     * @param allowed      false when the quota was already used up (answer 429)
     * @param remaining    requests left in this window after this one
     * @param resetSeconds seconds until the window resets
     * @param quota        requests per window
     */
    record Decision(String bucket, boolean allowed, int remaining, long resetSeconds, int quota, long windowSeconds) {

        String rateLimitHeader() {
            return "\"" + bucket + "\";r=" + remaining + ";t=" + resetSeconds;
        }

        String policyHeader() {
            return "\"fixed window\";\"" + bucket + "\";q=" + quota + ";w=" + windowSeconds;
        }
    }

    private final String bucket;
    private final Clock clock;
    private int quota;
    private Duration window = WINDOW;
    private Instant windowStart;
    private int used;

    RateLimitWindow(int quota, Clock clock) {
        this("api", quota, clock);
    }

    RateLimitWindow(String bucket, int quota, Clock clock) {
        this.bucket = bucket;
        this.clock = clock;
        setQuota(quota);
        this.windowStart = clock.instant();
    }

    synchronized void setQuota(int newQuota) {
        if (newQuota < 1) {
            throw new IllegalArgumentException("quota must be positive: " + newQuota);
        }
        this.quota = newQuota;
    }

    /** The window's length (the Hub's is 5 minutes); takes effect with the next window. */
    synchronized void setWindow(Duration newWindow) {
        if (newWindow.toMillis() < 1000) {
            throw new IllegalArgumentException("window must be at least 1 s: " + newWindow);
        }
        this.window = newWindow;
    }

    /** Starts a fresh window with the whole quota. */
    synchronized void reset() {
        windowStart = clock.instant();
        used = 0;
    }

    /** Counts one request against the current window. */
    String bucket() {
        return bucket;
    }

    synchronized Decision take() {
        Instant now = clock.instant();
        if (!now.isBefore(windowStart.plus(window))) {
            windowStart = now;
            used = 0;
        }
        // round up: "t=0" while the window is still closed would invite an immediate retry
        long resetSeconds = Math.max(1, (Duration.between(now, windowStart.plus(window)).toMillis() + 999) / 1000);
        if (used >= quota) {
            return new Decision(bucket, false, 0, resetSeconds, quota, window.toSeconds());
        }
        used++;
        return new Decision(bucket, true, quota - used, resetSeconds, quota, window.toSeconds());
    }
}
